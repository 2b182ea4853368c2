"""The data a view computes on: the input presets (the tutorial's arange, seeded integers,
the drawn pictures, the user's own) and the cells the user typed in."""

from __future__ import annotations

import numpy as np

from ..ops.arguments import ArgumentError
from .pictures import PICTURE_PRESETS, preset_picture, scale_picture
from .settings import INPUT_PRESETS


def make_input(preset: str, shape: tuple[int, ...], seed: int, picture=None) -> np.ndarray:
    """Input data ``(N, C, H, W)`` for a preset, as float32 (torch's default dtype).

    ``picture``: the user's own ``(rgba, width, height)`` for the preset "picture".
    A picture is one sample: the batch holds copies of it.
    """
    n, c, h, w = shape
    if preset in PICTURE_PRESETS:
        return np.broadcast_to(preset_picture(preset, (h, w), c), shape).astype(np.float32)
    if preset == "picture":
        if picture is None:
            raise ArgumentError("input", "input 'picture' needs a picture of your own (a link "
                                         "cannot carry one): choose, drop or paste a picture")
        return np.broadcast_to(scale_picture(*picture, (h, w), c), shape).astype(np.float32)
    if preset == "arange":  # the tutorial's sample: torch.arange(25.).reshape(1, 1, 5, 5)
        return np.arange(n * c * h * w, dtype=np.float32).reshape(shape)
    if preset == "random":  # small integers keep the arithmetic readable
        return np.random.default_rng(seed).integers(-4, 5, shape).astype(np.float32)
    rows, cols = np.mgrid[0:h, 0:w]
    if preset == "edge":  # a vertical edge: dark left half, bright right half
        plane = (cols >= w / 2).astype(np.float32)
    elif preset == "digit":  # a ring, like a hand-drawn zero
        radius = np.hypot((rows - (h - 1) / 2) / max(h / 2, 1),
                          (cols - (w - 1) / 2) / max(w / 2, 1))
        plane = ((radius > 0.45) & (radius < 0.85)).astype(np.float32)
    else:
        raise ArgumentError("input", f"unknown input preset {preset!r}; "
                                     f"one of {', '.join(INPUT_PRESETS)}")
    return np.broadcast_to(plane, shape).astype(np.float32)


def apply_edits(array: np.ndarray, edits, name: str) -> np.ndarray:
    """A copy of ``array`` with cells the user typed in: ``(*index, value)`` each.

    Edits that fall outside the array (the user made it smaller) are left out.
    """
    edited = array.copy()
    for edit in edits:
        *index, value = edit
        if len(index) != array.ndim or not all(isinstance(i, int) for i in index):
            raise ArgumentError(name, f"{name}: each edit is {array.ndim} indices and a value, "
                                      f"got {tuple(edit)}")
        if not np.isfinite(value):
            raise ArgumentError(name, f"{name}: cell {tuple(index)} must be a finite number, "
                                      f"got {value}")
        if all(0 <= i < size for i, size in zip(index, array.shape)):
            edited[tuple(index)] = value
    return edited
