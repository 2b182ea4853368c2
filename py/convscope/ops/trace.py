"""The step-by-step trace the visualizer animates.

One step is one output element ``(n, o, y, x)``: which input positions its
kernel taps read, the values there, the weights, the products, the sum per
input channel, the bias and the result. Steps are numbered in raster order
over the output ``(N, O, out_h, out_w)``. The whole output is computed once,
vectorised; answering one step costs only ``C/groups * kH * kW`` work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .conv import Conv2dCall, correlate, prepare
from .padding import pad, source_indices


@dataclass(frozen=True)
class Step:
    """Everything one output element is made of.

    Coordinates are separable: tap ``(i, j)`` reads padded row
    ``padded_rows[i]`` and padded column ``padded_cols[j]``.
    """

    index: int                   #: position of this step in raster order
    position: tuple[int, int, int, int]  #: output element (n, o, y, x)
    group: int                   #: the group output channel o belongs to
    channels: tuple[int, ...]    #: input channels this output reads
    padded_rows: np.ndarray      #: (kH,) tap rows in the padded input
    padded_cols: np.ndarray      #: (kW,) tap columns in the padded input
    rows: np.ndarray             #: (kH,) tap rows in input coordinates (may lie outside)
    cols: np.ndarray             #: (kW,) tap columns in input coordinates
    source_rows: np.ndarray      #: (kH,) input row the padding mode copied, -1 for zeros
    source_cols: np.ndarray      #: (kW,) input column copied, -1 for zeros
    in_padding: np.ndarray       #: (kH, kW) True where the tap falls in the padding
    inputs: np.ndarray           #: (C/groups, kH, kW) values the taps read
    weights: np.ndarray          #: (C/groups, kH, kW) the filter of output channel o
    products: np.ndarray         #: inputs * weights
    channel_sums: np.ndarray     #: (C/groups,) sum of products per input channel
    bias: float | None           #: bias of output channel o, or None without bias
    value: float                 #: the output element, exactly as conv2d computes it


class Reach(NamedTuple):
    """The output cells one input pixel feeds: ``channels x rows x cols`` (separable)."""

    channels: list[int]  #: output channels whose filters read the input channel
    rows: np.ndarray     #: (out_h,) bool, output rows whose windows cover the pixel
    cols: np.ndarray     #: (out_w,) bool, output columns whose windows cover the pixel


def _covering(sources: np.ndarray, pixel: int, kernel: int, stride: int, dilation: int,
              out_size: int) -> np.ndarray:
    """Which outputs along one axis have a tap on a padded position holding ``pixel``."""
    positions = np.flatnonzero(sources == pixel)  # reflect/circular may copy it twice
    starts = positions[:, np.newaxis] - dilation * np.arange(kernel)  # window starts
    hits = starts[(starts % stride == 0) & (starts >= 0)] // stride
    covered = np.zeros(out_size, dtype=bool)
    covered[hits[hits < out_size]] = True
    return covered


class Trace:
    """All steps of one conv2d call; build it with :func:`trace` or ``Conv2d.trace``."""

    def __init__(self, call: Conv2dCall):
        self.call = call
        spec = call.spec
        self.padded = pad(call.batch, spec.sides, spec.padding_mode)
        #: batched output (N, O, out_h, out_w); every step's value comes from here
        self.output = correlate(self.padded, call)
        height, width = call.batch.shape[2:]
        self.row_sources = source_indices(height, spec.sides.top, spec.sides.bottom,
                                          spec.padding_mode)
        self.col_sources = source_indices(width, spec.sides.left, spec.sides.right,
                                          spec.padding_mode)

    def __len__(self) -> int:
        return self.output.size

    def position(self, index: int) -> tuple[int, int, int, int]:
        """The output element ``(n, o, y, x)`` of step ``index`` (raster order)."""
        index = self._checked_index(index)
        return tuple(int(i) for i in np.unravel_index(index, self.output.shape))

    def _checked_index(self, index) -> int:
        count = len(self)
        if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
            raise TypeError(f"step index must be an int, got {type(index).__name__}")
        if not -count <= index < count:
            raise ValueError(f"step {index} is out of range: this trace has {count} steps "
                             f"(0 to {count - 1})")
        return int(index) % count

    def __getitem__(self, index: int) -> Step:
        return self.at(*self.position(index))

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    def outputs_reading(self, channel: int, row: int, col: int) -> Reach:
        """Every output cell whose window reads input pixel ``(channel, row, col)``,
        directly or through a copy the padding mode made of it."""
        _, channels, height, width = self.call.batch.shape
        if not (0 <= channel < channels and 0 <= row < height and 0 <= col < width):
            raise ValueError(f"input pixel {(channel, row, col)} is outside the input of "
                             f"shape {(channels, height, width)}")
        spec = self.call.spec
        _, out_channels, out_h, out_w = self.output.shape
        group = channel // (channels // spec.groups)
        per_group = out_channels // spec.groups
        (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
        return Reach(list(range(group * per_group, (group + 1) * per_group)),
                     _covering(self.row_sources, row, kh, sh, dh, out_h),
                     _covering(self.col_sources, col, kw, sw, dw, out_w))

    def at(self, n: int, o: int, y: int, x: int) -> Step:
        """The step that computes output element ``(n, o, y, x)``."""
        position = (n, o, y, x)
        for axis, (coordinate, size) in enumerate(zip(position, self.output.shape)):
            if not 0 <= coordinate < size:
                raise ValueError(f"output index {position} is outside the output of "
                                 f"shape {self.output.shape} (axis {axis})")
        spec, call = self.call.spec, self.call
        out_channels = self.output.shape[1]
        group_channels = call.weight.shape[1]
        group = o // (out_channels // spec.groups)
        first = group * group_channels
        (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
        padded_rows = y * sh + dh * np.arange(kh)
        padded_cols = x * sw + dw * np.arange(kw)
        rows, cols = padded_rows - spec.sides.top, padded_cols - spec.sides.left
        height, width = call.batch.shape[2:]
        inside_rows = (rows >= 0) & (rows < height)
        inside_cols = (cols >= 0) & (cols < width)
        inputs = self.padded[n, first:first + group_channels][:, padded_rows][:, :, padded_cols]
        weights = call.weight[o]
        products = inputs * weights
        return Step(
            index=int(np.ravel_multi_index(position, self.output.shape)),
            position=position,
            group=group,
            channels=tuple(range(first, first + group_channels)),
            padded_rows=padded_rows,
            padded_cols=padded_cols,
            rows=rows,
            cols=cols,
            source_rows=self.row_sources[padded_rows],
            source_cols=self.col_sources[padded_cols],
            in_padding=~(inside_rows[:, np.newaxis] & inside_cols[np.newaxis, :]),
            inputs=inputs,
            weights=weights,
            products=products,
            channel_sums=products.sum(axis=(1, 2)),
            bias=None if call.bias is None else call.bias[o].item(),
            value=self.output[position].item(),
        )


def trace(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
          padding_mode="zeros") -> Trace:
    """The step-by-step trace of ``conv2d(input, weight, ...)`` (same arguments).

    An unbatched ``(C, H, W)`` input is traced as a batch of one (``n`` = 0).
    """
    return Trace(prepare(input, weight, bias, stride, padding, dilation, groups, padding_mode))


