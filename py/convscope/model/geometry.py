"""Receptive fields, after Araujo, Norris and Sim, "Computing Receptive Fields of
Convolutional Neural Networks" (Distill, 2019).

Every layer that slides a window (kernel k, stride s, padding p before the first
cell, dilation d) moves three numbers along, per axis, in input pixels:

* receptive field ``r = r_prev + (d·(k − 1)) · j_prev``
* jump (input pixels between neighbouring output cells) ``j = j_prev · s``
* start (centre of the first output cell's field) ``u = u_prev + (d·(k − 1)/2 − p) · j_prev``

starting from ``r = 1, j = 1, u = 0`` on the input. Elementwise layers keep them.
Layers without one window shared by all cells (Flatten, Linear, upsampling, a
transposed convolution with stride > 1, adaptive pooling of a size its output does
not divide) end the arithmetic: from there on the field is None.
"""

from __future__ import annotations

from typing import NamedTuple


class Window(NamedTuple):
    """The sliding window of one layer, each an (h, w) pair."""

    kernel: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]  # cells of padding before the first input cell
    dilation: tuple[int, int]


#: An elementwise layer: each output cell reads its own input cell.
IDENTITY = Window((1, 1), (1, 1), (0, 0), (1, 1))


class Field(NamedTuple):
    """Receptive field, jump and start of a layer's output cells, each (h, w)."""

    receptive_field: tuple[int, int]
    jump: tuple[int, int]
    start: tuple[float, float]


#: The input itself: every cell sees itself, neighbours one pixel apart, the first at 0.
INPUT_FIELD = Field((1, 1), (1, 1), (0.0, 0.0))


def _number(value: float):
    """Starts are multiples of one half: whole ones print as ints."""
    return int(value) if float(value).is_integer() else float(value)


def next_field(field: Field | None, window: Window | None) -> Field | None:
    """The field after a layer with ``window`` (None: no single window, the field ends)."""
    if field is None or window is None:
        return None
    receptive, jump, start = [], [], []
    for axis in range(2):
        span = window.dilation[axis] * (window.kernel[axis] - 1)
        receptive.append(field.receptive_field[axis] + span * field.jump[axis])
        start.append(_number(field.start[axis]
                             + (span / 2 - window.padding[axis]) * field.jump[axis]))
        jump.append(field.jump[axis] * window.stride[axis])
    return Field(tuple(receptive), tuple(jump), tuple(start))

