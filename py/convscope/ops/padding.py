"""Padding modes as index maps: which input row/column each padded one copies.

One map per axis is the single source of truth for both the padded array the
convolution reads and the trace's "this tap falls in padding, copied from
(r, c)" answers, so the two can never disagree.
"""

from __future__ import annotations

import numpy as np

from .arguments import ArgumentError, Sides

#: Marks a padded position that holds a constant zero rather than a copy.
ZERO = -1


def check_padding_fits(length: int, before: int, after: int, mode: str, axis: str) -> None:
    """Raise ``ValueError`` where torch's ``F.pad`` refuses this padding.

    Parameters
    ----------
    length : int
        Size of the input along this axis.
    before, after : int
        Padding on each side (negative crops, as in torch).
    mode : str
        One of the padding modes.
    axis : str
        'height' or 'width', for the message.
    """
    if mode == "reflect" and (before >= length or after >= length):
        raise ArgumentError("padding",
            f"reflect padding ({before}, {after}) is too large for input {axis} {length}: "
            f"torch requires padding < {axis} (at most {length - 1} here); "
            "use a smaller padding or padding_mode='replicate'"
        )
    if mode == "circular" and (before > length or after > length):
        raise ArgumentError("padding",
            f"circular padding ({before}, {after}) wraps around more than once for input "
            f"{axis} {length}: torch requires padding <= {axis} (at most {length} here)"
        )
    if mode == "replicate" and length == 0 and before + after > 0:
        raise ArgumentError("padding", f"replicate padding needs a non-empty input {axis}, "
                                       f"got {axis} 0")


def source_indices(length: int, before: int, after: int, mode: str) -> np.ndarray:
    """Map each padded position along one axis to the input position it holds.

    Parameters
    ----------
    length : int
        Input size along the axis.
    before, after : int
        Padding on each side (already checked with :func:`check_padding_fits`).
    mode : str
        'zeros', 'reflect', 'replicate' or 'circular'.

    Returns
    -------
    numpy.ndarray of intp, shape (before + length + after,)
        The input index copied into each padded position, or ``ZERO`` where
        the padding is a constant zero.
    """
    positions = np.arange(-before, length + after, dtype=np.intp)  # int32 on wasm32
    if mode == "zeros":
        return np.where((positions >= 0) & (positions < length), positions, ZERO)
    if mode == "replicate":
        return np.clip(positions, 0, length - 1)
    if mode == "circular":
        return positions % length
    # reflect: mirror about the edge pixel without repeating it (torch/np 'reflect')
    mirrored = np.abs(positions)
    return np.where(mirrored >= length, 2 * (length - 1) - mirrored, mirrored)


def pad(batch: np.ndarray, sides: Sides, mode: str) -> np.ndarray:
    """Pad a batch ``(N, C, H, W)`` the way ``nn.Conv2d`` pads for ``mode``.

    Returns
    -------
    numpy.ndarray, shape (N, C, H + top + bottom, W + left + right)
    """
    height, width = batch.shape[-2:]
    check_padding_fits(height, sides.top, sides.bottom, mode, "height")
    check_padding_fits(width, sides.left, sides.right, mode, "width")
    if mode == "zeros":
        if not any(sides):
            return batch
        padded = np.zeros(batch.shape[:2] + (height + sides.top + sides.bottom,
                                             width + sides.left + sides.right), batch.dtype)
        padded[:, :, sides.top:sides.top + height, sides.left:sides.left + width] = batch
        return padded
    rows = source_indices(height, sides.top, sides.bottom, mode)
    cols = source_indices(width, sides.left, sides.right, mode)
    return batch.take(rows, axis=2).take(cols, axis=3)


def copy_matrix(length: int, before: int, after: int, mode: str, dtype) -> np.ndarray:
    """``(before + length + after, length)``: 1 where a padded position copies an input
    position (:func:`source_indices`), so ``padded = matrix @ input`` along this axis."""
    sources = source_indices(length, before, after, mode)
    return (sources[:, np.newaxis] == np.arange(length)).astype(dtype)


def unpad(grad_padded: np.ndarray, size, sides: Sides, mode: str) -> np.ndarray:
    """The adjoint of :func:`pad`: each padded cell's gradient goes back to the input cell
    it copies (zero padding copies none, so its share is dropped).

    Parameters
    ----------
    grad_padded : numpy.ndarray, shape (N, C, H + top + bottom, W + left + right)
    size : (int, int)
        The input's ``(H, W)``.
    sides : Sides
    mode : str

    Returns
    -------
    numpy.ndarray, shape (N, C, H, W)
    """
    height, width = size
    if mode == "zeros":
        top, left = sides.top, sides.left
        return np.ascontiguousarray(grad_padded[:, :, top:top + height, left:left + width])
    rows = copy_matrix(height, sides.top, sides.bottom, mode, grad_padded.dtype)
    cols = copy_matrix(width, sides.left, sides.right, mode, grad_padded.dtype)
    # sum over every padded row/column that copies each input row/column
    return np.matmul(np.matmul(rows.T, grad_padded), cols)
