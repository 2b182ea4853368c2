"""Max and average pooling: torch's ``max_pool2d``/``avg_pool2d`` in NumPy (their layers:
:mod:`convscope.nn.pool`).

Every rule follows torch 2.13's CPU kernels, checked against recorded outputs
(tests/fixtures/pool2d/):

* output size ``floor((in + 2 * pad - dilation * (kernel - 1) - 1 [+ stride - 1 with
  ceil_mode]) / stride) + 1``, and with ``ceil_mode`` one fewer if the last window
  would start past the input and its left padding;
* padding at most half the kernel (for max pooling, half the *undilated* kernel:
  torch checks the dilated kernel first and then the plain one);
* max pooling never lets a padded cell win; among equal maxima the first in scan
  order (row by row) wins, and a NaN always wins: the *last* NaN in scan order;
* average pooling divides by the window's cells inside the padded input
  (``count_include_pad=True``) or inside the input (``False``), never counting the
  cells a ``ceil_mode`` window hangs beyond the padding, or by ``divisor_override``;
  integer inputs sum in int64 and divide with C's truncation toward zero.

The step view of the visualizer reads the same pieces the functions use:
:func:`prepare_pool`, :func:`pad_for_pool`, :func:`pool_windows`, then
:func:`max_winners` or :func:`avg_terms`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .arguments import ArgumentError, ArgumentTypeError, Sides, at_least_one, is_int, pair

MODES = ("max", "avg")

#: dtypes torch's CPU kernels accept; the output keeps the input's dtype.
MAX_DTYPES = (np.float16, np.float32, np.float64, np.int8, np.int16, np.int32, np.int64,
              np.uint8)
AVG_DTYPES = (np.float16, np.float32, np.float64, np.int64)

#: torch narrows every size to a C int; larger values raise there.
INT_MAX = 2**31 - 1


class PoolSpec(NamedTuple):
    """A pooling configuration with every argument in its normal form."""

    kernel_size: tuple[int, int]
    stride: tuple[int, int]       # kernel_size when given as None or empty
    padding: tuple[int, int]      # the same on both sides, as torch pads
    dilation: tuple[int, int]     # always (1, 1) for average pooling
    ceil_mode: bool
    count_include_pad: bool = True       # average pooling only
    divisor_override: int | None = None  # average pooling only


class PoolCall(NamedTuple):
    """One checked pooling call: the batched input plus its normalised arguments."""

    batch: np.ndarray       # (N, C, H, W), the input with a batch axis
    spec: PoolSpec
    unbatched: bool         # the input was (C, H, W): drop the batch axis again
    output_shape: tuple     # batched (N, C, out_h, out_w)
    mode: str               # 'max' or 'avg'


class MaxWinners(NamedTuple):
    """The winning tap of every max-pooling output, each array ``(N, C, out_h, out_w)``."""

    value: np.ndarray  # the output: the value at the winning tap
    i: np.ndarray      # window row of the winning tap
    j: np.ndarray      # window column of the winning tap
    index: np.ndarray  # int64 flat index into the input plane, as return_indices gives it


class AvgTerms(NamedTuple):
    """What every average-pooling output divides."""

    total: np.ndarray    # (N, C, out_h, out_w) window sums (float32 for float16 input)
    divisor: np.ndarray  # (out_h, out_w) int64, the same for every plane


# --- arguments -----------------------------------------------------------------------------

def _function(mode: str) -> str:
    return f"{mode}_pool2d"


def _size(mode: str, name: str, value, forms: str) -> tuple[int, int]:
    """``value`` as an ``(h, w)`` pair; torch also takes a one-element sequence."""
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        if len(value) == 1:
            value = value[0]
        elif len(value) != 2:
            raise ArgumentError(name,
                f"{_function(mode)}: {name} must {forms}, "
                f"but got {len(value)} values: {tuple(value)!r}"
            )
    h, w = pair(name, value)
    if max(abs(h), abs(w)) > INT_MAX:
        raise ArgumentError(name, f"{name}=({h}, {w}): value cannot be converted to type int "
                                  f"without overflow; use values below 2**31")
    return (h, w)


def _flag(mode: str, name: str, value) -> bool:
    """torch's argument parser takes only a Python bool here (not 1, not numpy.bool_)."""
    if not isinstance(value, bool):
        raise ArgumentTypeError(name, f"{_function(mode)}(): argument '{name}' must be bool, "
                                      f"not {type(value).__name__}; use True or False")
    return value


def _check_padding(mode: str, padding, kernel_size, dilation) -> None:
    """torch's two padding limits, in its order: the dilated kernel, then the plain one."""
    for (p, k, d) in zip(padding, kernel_size, dilation):
        if p < 0:
            raise ArgumentError("padding", f"pad must be non-negative, but got pad: {p}; "
                                           "use padding >= 0")
        if p > ((k - 1) * d + 1) // 2:
            raise ArgumentError("padding",
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}; use padding <= {k // 2}"
            )
    (kh, kw), (ph, pw) = kernel_size, padding
    if ph > kh // 2 or pw > kw // 2:
        # reachable with dilation > 1 only: the dilated limit above was met
        raise ArgumentError("padding",
            f"pad should be smaller than or equal to half of kernel size, but got "
            f"padW = {pw}, padH = {ph}, kW = {kw}, kH = {kh}; {_function(mode)} limits the "
            f"padding by the undilated kernel, use padding <= ({kh // 2}, {kw // 2})"
        )


def pool_spec(mode: str, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
              count_include_pad=True, divisor_override=None) -> PoolSpec:
    """Check and normalise the arguments of a pooling call as torch does.

    Parameters
    ----------
    mode : {'max', 'avg'}
    kernel_size, padding, dilation : int or (int, int)
        A one-element sequence counts as an int, as in torch.
    stride : int, (int, int), None or empty sequence
        None or empty means ``kernel_size``.
    ceil_mode, count_include_pad : bool
    divisor_override : int or None
        Nonzero (negative is allowed, as in torch).

    Returns
    -------
    PoolSpec
    """
    if mode not in MODES:
        raise ArgumentError("mode", f"mode must be 'max' or 'avg', got {mode!r}")
    size_forms = "either be a single int, or a tuple of two ints"
    kernel_size = _size(mode, "kernel_size", kernel_size, size_forms)
    if stride is None or (isinstance(stride, (tuple, list)) and len(stride) == 0):
        stride = kernel_size
    stride = _size(mode, "stride", stride,
                   "either be omitted, a single int, or a tuple of two ints")
    padding = _size(mode, "padding", padding, size_forms)
    dilation = _size(mode, "dilation", dilation, "be either a single int, or a tuple of two ints")
    ceil_mode = _flag(mode, "ceil_mode", ceil_mode)
    count_include_pad = _flag(mode, "count_include_pad", count_include_pad)
    if divisor_override is not None:
        if not is_int(divisor_override):
            raise ArgumentTypeError("divisor_override",
                f"avg_pool2d(): argument 'divisor_override' must be int, not "
                f"{type(divisor_override).__name__}; give an int or None"
            )
        if divisor_override == 0:
            raise ArgumentError("divisor_override", "divisor must be not zero; give a nonzero "
                                                    "divisor_override, or None to divide by "
                                                    "the window size")
        divisor_override = int(divisor_override)
    kernel_size = at_least_one("kernel_size", kernel_size,
                               "kernel size should be greater than zero")
    stride = at_least_one("stride", stride, "stride should be greater than zero")
    dilation = at_least_one("dilation", dilation, "dilation should be greater than zero")
    _check_padding(mode, padding, kernel_size, dilation)
    return PoolSpec(kernel_size, stride, padding, dilation, ceil_mode, count_include_pad,
                    divisor_override)


def max_pool_spec(kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False) -> PoolSpec:
    """:func:`pool_spec` for ``max_pool2d``'s arguments."""
    return pool_spec("max", kernel_size, stride, padding, dilation, ceil_mode)


def avg_pool_spec(kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                  divisor_override=None) -> PoolSpec:
    """:func:`pool_spec` for ``avg_pool2d``'s arguments (no dilation)."""
    return pool_spec("avg", kernel_size, stride, padding, 1, ceil_mode, count_include_pad,
                     divisor_override)


# --- shapes --------------------------------------------------------------------------------

def _axis_output(size: int, kernel: int, pad: int, stride: int, dilation: int,
                 ceil_mode: bool) -> int:
    """torch's ``pooling_output_shape`` for one axis (may be <= 0: too small)."""
    span = dilation * (kernel - 1) + 1
    out = (size + 2 * pad - span + (stride - 1 if ceil_mode else 0)) // stride + 1
    # ceil_mode: the last window must start inside the input or its left padding
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


def pool_output_size(height: int, width: int, spec: PoolSpec) -> tuple[int, int]:
    """Output ``(height, width)`` of pooling a ``height x width`` plane (may be <= 0)."""
    return tuple(_axis_output(size, *args, spec.ceil_mode) for size, *args in
                 zip((height, width), spec.kernel_size, spec.padding, spec.stride,
                     spec.dilation))


def _dims(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def pool_output_shape(input_shape, spec: PoolSpec) -> tuple[int, ...]:
    """Check an input shape as torch does; return the output shape.

    Parameters
    ----------
    input_shape : tuple
        ``(N, C, H, W)`` or unbatched ``(C, H, W)``; only N may be 0.
    spec : PoolSpec

    Returns
    -------
    tuple of int
        ``(N, C, out_h, out_w)``, or ``(C, out_h, out_w)`` for unbatched input.
    """
    input_shape = tuple(int(d) for d in input_shape)
    if len(input_shape) not in (3, 4) or 0 in input_shape[-3:]:
        raise ArgumentError("input",
            "Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got:{_dims(input_shape)}; give (N, C, H, W) or (C, H, W) with C, H, W >= 1"
        )
    channels, height, width = input_shape[-3:]
    out_h, out_w = pool_output_size(height, width, spec)
    if out_h < 1 or out_w < 1:
        raise ArgumentError("kernel_size",
            f"Given input size: ({channels}x{height}x{width}). Calculated output size: "
            f"({channels}x{out_h}x{out_w}). Output size is too small; use a smaller "
            "kernel_size or dilation, more padding, or a larger input"
        )
    return input_shape[:-2] + (out_h, out_w)


# --- one call ------------------------------------------------------------------------------

def _array(mode: str, value) -> np.ndarray:
    array = np.asarray(value)
    supported = MAX_DTYPES if mode == "max" else AVG_DTYPES
    if array.dtype.type not in supported:
        names = ", ".join(np.dtype(t).name for t in supported)
        raise ArgumentTypeError("input",
            f'"{_function(mode)}" not implemented for input of dtype {array.dtype}; '
            f"it supports {names}"
        )
    return array


def prepare_pool(input, mode: str, spec: PoolSpec) -> PoolCall:
    """Check the input of a pooling call as torch does and batch it.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W) or (C, H, W)
    mode : {'max', 'avg'}
    spec : PoolSpec
        From :func:`max_pool_spec` or :func:`avg_pool_spec`.

    Returns
    -------
    PoolCall
    """
    if mode not in MODES:
        raise ArgumentError("mode", f"mode must be 'max' or 'avg', got {mode!r}")
    input = _array(mode, input)
    shape = pool_output_shape(input.shape, spec)
    unbatched = input.ndim == 3
    batch = input[np.newaxis] if unbatched else input
    output_shape = (1,) + shape if unbatched else shape
    return PoolCall(batch, spec, unbatched, output_shape, mode)


def fill_value(mode: str, dtype):
    """What the padding holds: the lowest value for max (it never wins), 0 for avg."""
    dtype = np.dtype(dtype)
    if mode == "avg":
        return dtype.type(0)
    return dtype.type(-np.inf) if dtype.kind == "f" else np.iinfo(dtype).min


def pool_sides(call: PoolCall) -> Sides:
    """The padding the windows read: ``padding`` on each side, more at the bottom/right
    where a ``ceil_mode`` window hangs beyond it (those cells are never counted)."""
    (kh, kw), (sh, sw), (dh, dw) = call.spec.kernel_size, call.spec.stride, call.spec.dilation
    ph, pw = call.spec.padding
    _, _, height, width = call.batch.shape
    out_h, out_w = call.output_shape[2:]
    reach_h = (out_h - 1) * sh + (kh - 1) * dh + 1  # padded rows the last window reaches
    reach_w = (out_w - 1) * sw + (kw - 1) * dw + 1
    return Sides(ph, max(ph, reach_h - ph - height), pw, max(pw, reach_w - pw - width))


def pad_for_pool(call: PoolCall) -> np.ndarray:
    """The padded input ``(N, C, H', W')`` the windows read (see :func:`pool_sides`)."""
    batch = call.batch
    sides = pool_sides(call)
    if not any(sides):
        return batch
    n, channels, height, width = batch.shape
    padded = np.full((n, channels, height + sides.top + sides.bottom,
                      width + sides.left + sides.right),
                     fill_value(call.mode, batch.dtype), dtype=batch.dtype)
    padded[:, :, sides.top:sides.top + height, sides.left:sides.left + width] = batch
    return padded


def pool_windows(padded: np.ndarray, call: PoolCall) -> np.ndarray:
    """A read-only view ``(N, C, kH, kW, out_h, out_w)`` of every tap of every window.

    ``windows[n, c, i, j, y, x]`` is the padded input value that tap ``(i, j)`` of
    output ``(y, x)`` reads.
    """
    n, channels = padded.shape[:2]
    (kh, kw), (sh, sw), (dh, dw) = call.spec.kernel_size, call.spec.stride, call.spec.dilation
    out_h, out_w = call.output_shape[2:]
    bn, bc, bh, bw = padded.strides
    # an axis of length 1 never steps: stride 0 keeps huge strides from overflowing intp
    # (int32 on wasm32)
    steps = [bh * dh if kh > 1 else 0, bw * dw if kw > 1 else 0,
             bh * sh if out_h > 1 else 0, bw * sw if out_w > 1 else 0]
    return as_strided(padded, shape=(n, channels, kh, kw, out_h, out_w),
                      strides=(bn, bc, *steps), writeable=False)


def tap_positions(out: int, kernel: int, pad: int, stride: int, dilation: int) -> np.ndarray:
    """Input coordinate along one axis of tap ``i`` of window ``y``: shape (kernel, out).

    Negative or ``>= size`` means the tap reads padding.
    """
    starts = np.arange(out, dtype=np.int64) * stride - pad
    return starts[np.newaxis, :] + np.arange(kernel, dtype=np.int64)[:, np.newaxis] * dilation


def _axis_taps(call: PoolCall, axis: int) -> np.ndarray:
    spec = call.spec
    return tap_positions(call.output_shape[2 + axis], spec.kernel_size[axis],
                         spec.padding[axis], spec.stride[axis], spec.dilation[axis])


def max_winners(padded: np.ndarray, call: PoolCall) -> MaxWinners:
    """The winning tap of every output, torch's CPU kernel's choice.

    The scan goes row by row over the taps that read the input (padding is
    skipped); a value wins if it is greater than the best so far or is NaN. So
    the first of equal maxima wins, and the last NaN wins over everything. A
    window that reads no input cell at all (possible only with dilation) keeps
    torch's starting candidate: the first tap at or after the top-left corner,
    which lies outside the input (its index too) and may lie outside the window
    (``i >= kH``); its value is the padding's, the dtype's lowest.
    """
    windows = pool_windows(padded, call)
    n, channels, kh, kw, out_h, out_w = windows.shape
    taps = windows.reshape(n, channels, kh * kw, out_h, out_w)
    height, width = call.batch.shape[2:]
    rows, cols = _axis_taps(call, 0), _axis_taps(call, 1)
    row_in = (rows >= 0) & (rows < height)
    col_in = (cols >= 0) & (cols < width)
    reads_input = (row_in[:, np.newaxis, :, np.newaxis]
                   & col_in[np.newaxis, :, np.newaxis, :]).reshape(kh * kw, out_h, out_w)
    best = taps.max(axis=2, keepdims=True)
    tap = ((taps == best) & reads_input).argmax(axis=2)  # the first maximum in scan order
    if taps.dtype.kind == "f":
        is_nan = np.isnan(taps)
        last_nan = kh * kw - 1 - is_nan[:, :, ::-1].argmax(axis=2)
        tap = np.where(is_nan.any(axis=2), last_nan, tap)
    value = np.take_along_axis(taps, tap[:, :, np.newaxis], axis=2)[:, :, 0]
    i, j = np.divmod(tap.astype(np.int64), kw)
    blind = ~reads_input.any(axis=0)  # (out_h, out_w): no tap reads the input
    if blind.any():
        (dh, dw) = call.spec.dilation
        first_i = -(rows[0].clip(max=0) // dh)  # ceil(-start / dilation) for starts < 0
        first_j = -(cols[0].clip(max=0) // dw)
        i = np.where(blind, first_i[:, np.newaxis], i)
        j = np.where(blind, first_j[np.newaxis, :], j)
    row = rows[0][:, np.newaxis] + i * call.spec.dilation[0]
    col = cols[0][np.newaxis, :] + j * call.spec.dilation[1]
    return MaxWinners(value, i, j, (row * width + col).astype(np.int64))


def avg_divisors(call: PoolCall) -> np.ndarray:
    """The divisor of every output ``(out_h, out_w)``, int64, as torch's kernel computes it.

    ``count_include_pad`` counts the window's cells inside the padded input (not those
    a ``ceil_mode`` window hangs beyond it), otherwise only the cells inside the input;
    ``divisor_override`` replaces both. Every window holds an input cell (padding is
    at most half the kernel and the last window starts inside the input or its left
    padding), so no divisor is 0.
    """
    spec = call.spec
    if spec.divisor_override is not None:
        return np.full(call.output_shape[2:], spec.divisor_override, dtype=np.int64)
    counts = []
    for axis, size in enumerate(call.batch.shape[2:]):
        out, k = call.output_shape[2 + axis], spec.kernel_size[axis]
        pad, stride = spec.padding[axis], spec.stride[axis]
        start = np.arange(out, dtype=np.int64) * stride - pad
        end = np.minimum(start + k, size + pad)
        if spec.count_include_pad:
            counts.append(end - start)
        else:
            counts.append(np.minimum(end, size) - np.maximum(start, 0))
    return counts[0][:, np.newaxis] * counts[1][np.newaxis, :]


def _accumulator(dtype) -> np.dtype:
    # torch sums half in float (its opmath type), everything else in its own type
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def avg_terms(padded: np.ndarray, call: PoolCall) -> AvgTerms:
    """Sum and divisor of every output; padding adds zeros to the sum."""
    accumulator = _accumulator(padded.dtype)
    total = pool_windows(padded, call).sum(axis=(2, 3), dtype=accumulator)
    return AvgTerms(total, avg_divisors(call))


def avg_output(terms: AvgTerms, dtype) -> np.ndarray:
    """``total / divisor`` in the input's dtype; integers truncate toward zero, as C does."""
    total, divisor = terms
    if total.dtype.kind == "f":
        return (total / divisor.astype(total.dtype)).astype(dtype, copy=False)
    quotient = total // divisor  # floor; step back toward zero where the signs differ
    inexact = (total - quotient * divisor != 0) & ((total < 0) != (divisor < 0))
    return (quotient + inexact).astype(dtype, copy=False)


def run_pool(call: PoolCall, return_indices: bool = False):
    """Compute a prepared call; unbatched in, unbatched out.

    Returns
    -------
    numpy.ndarray, or (output, indices) for max pooling with ``return_indices``
    """
    padded = pad_for_pool(call)
    if call.mode == "max":
        winners = max_winners(padded, call)
        output, indices = winners.value, winners.index
    else:
        output, indices = avg_output(avg_terms(padded, call), call.batch.dtype), None
    if call.unbatched:
        output = output[0]
        indices = None if indices is None else indices[0]
    return (output, indices) if return_indices else output


# --- the functions -------------------------------------------------------------------------

def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False,
               return_indices=False):
    """2-D max pooling, exactly as ``torch.nn.functional.max_pool2d`` on the CPU.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W) or (C, H, W)
        float16/32/64, int8/16/32/64 or uint8.
    kernel_size, padding, dilation : int or (int, int)
        ``padding`` at most ``kernel_size // 2``; the padding never wins.
    stride : int, (int, int) or None
        None (or empty) means ``kernel_size``.
    ceil_mode : bool
        Round the output size up; the last window must start inside the input
        or its left padding.
    return_indices : bool
        Also return where each maximum came from.

    Returns
    -------
    numpy.ndarray, or (output, indices)
        ``(N, C, out_h, out_w)`` (``(C, out_h, out_w)`` unbatched) in the input's
        dtype; ``indices`` are int64 flat indices ``row * W + col`` into each
        input plane. Ties go to the first maximum in row-by-row order; a NaN
        wins (the last NaN, if several).
    """
    spec = max_pool_spec(kernel_size, stride, padding, dilation, ceil_mode)
    return run_pool(prepare_pool(input, "max", spec), bool(return_indices))


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None) -> np.ndarray:
    """2-D average pooling, exactly as ``torch.nn.functional.avg_pool2d`` on the CPU.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W) or (C, H, W)
        float16/32/64 or int64 (int64 divides with truncation toward zero).
    kernel_size, padding : int or (int, int)
        ``padding`` at most ``kernel_size // 2``; it adds zeros.
    stride : int, (int, int) or None
        None (or empty) means ``kernel_size``.
    ceil_mode : bool
    count_include_pad : bool
        Divide by the window's cells inside the padded input (True) or inside the
        input alone (False); cells a ``ceil_mode`` window hangs beyond the padding
        never count.
    divisor_override : int, optional
        Divide by this (nonzero) instead.

    Returns
    -------
    numpy.ndarray
        ``(N, C, out_h, out_w)``, or ``(C, out_h, out_w)`` unbatched, in the input's dtype.
    """
    spec = avg_pool_spec(kernel_size, stride, padding, ceil_mode, count_include_pad,
                         divisor_override)
    return run_pool(prepare_pool(input, "avg", spec))
