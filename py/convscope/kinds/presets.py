"""The weights presets of the kinds that have weights: seeded random, ones, identity
(``torch.nn.init.dirac_``), Sobel's horizontal gradient and a box blur."""

from __future__ import annotations

import numpy as np

from ..ops.arguments import ArgumentError

WEIGHT_PRESETS = ("random", "ones", "identity", "sobel", "blur")


def smooth(size: int) -> np.ndarray:
    """Binomial smoothing row ([1, 2, 1] for 3), Sobel's perpendicular part."""
    row = np.array([1.0])
    for _ in range(size - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def difference(size: int) -> np.ndarray:
    """Central difference row ([-1, 0, 1] for 3), Sobel's derivative part."""
    if size == 1:
        return np.array([0.0])
    return np.convolve(smooth(size - 1), [-1.0, 1.0])


def preset_weights(preset: str, shape, groups: int, per_group: int) -> np.ndarray:
    """Weights of a non-random preset for a weight of ``shape`` (filters, channels, kH, kW).

    ``per_group`` filters share each group's channels (identity copies channel d of a
    group into its filter d, as ``torch.nn.init.dirac_`` does).
    """
    filters, group_channels, kh, kw = shape
    if preset == "ones":
        return np.ones(shape)
    if preset == "identity":
        weight = np.zeros(shape)
        for group in range(groups):
            for d in range(min(per_group, group_channels)):
                weight[group * per_group + d, d, kh // 2, kw // 2] = 1.0
        return weight
    if preset == "sobel":  # horizontal gradient: responds to vertical edges
        return np.broadcast_to(np.outer(smooth(kh), difference(kw)), shape).copy()
    if preset == "blur":
        return np.full(shape, 1.0 / (kh * kw))
    raise ArgumentError("weights", f"unknown weights preset {preset!r}; "
                                   f"one of {', '.join(WEIGHT_PRESETS)}")
