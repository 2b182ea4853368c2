"""Plain-loop max and average pooling, written from the definition, to check the engine against.

Deliberately naive and independent of convscope: one Python loop per index, the
taps of each window visited row by row, the output size by ceiling division. The
rules it writes down are torch's (CPU):

* with ``ceil_mode`` the last window must start inside the input or its left padding;
* max: taps in the padding are skipped; a value replaces the best so far if it is
  greater or NaN (so the first of equal maxima wins, and the last NaN); a window
  with no tap in the input keeps the first tap at or after the top-left corner
  and the dtype's lowest value;
* avg: padding adds zeros; the divisor counts the window's cells inside the padded
  input (``count_include_pad``) or inside the input, or is ``divisor_override``;
  integers divide with truncation toward zero.
"""

import math

import numpy as np


def as_pair(value):
    if isinstance(value, (tuple, list)):
        return (value[0], value[0]) if len(value) == 1 else tuple(value)
    return (value, value)


def output_length(size, kernel, stride, pad, dilation, ceil_mode):
    """Windows along one axis; may be <= 0 when the input is too small."""
    room = size + 2 * pad - dilation * (kernel - 1) - 1
    rounded = math.ceil(room / stride) if ceil_mode else math.floor(room / stride)
    out = rounded + 1
    if ceil_mode and (out - 1) * stride - pad >= size:  # would start past the input
        out -= 1
    return out


def lowest(dtype):
    return -np.inf if np.dtype(dtype).kind == "f" else np.iinfo(dtype).min


def _geometry(input, kernel_size, stride, padding, dilation, ceil_mode):
    kh, kw = as_pair(kernel_size)
    sh, sw = as_pair(kernel_size if stride is None or stride in ((), []) else stride)
    ph, pw = as_pair(padding)
    dh, dw = as_pair(dilation)
    height, width = input.shape[-2:]
    out_h = output_length(height, kh, sh, ph, dh, ceil_mode)
    out_w = output_length(width, kw, sw, pw, dw, ceil_mode)
    return (kh, kw), (sh, sw), (ph, pw), (dh, dw), (out_h, out_w)


def reference_max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1,
                         ceil_mode=False):
    """(output, int64 indices) of max pooling, by the definition."""
    unbatched = input.ndim == 3
    batch = input[None] if unbatched else input
    (kh, kw), (sh, sw), (ph, pw), (dh, dw), (out_h, out_w) = _geometry(
        batch, kernel_size, stride, padding, dilation, ceil_mode)
    n_batch, channels, height, width = batch.shape
    output = np.zeros((n_batch, channels, out_h, out_w), dtype=batch.dtype)
    indices = np.zeros((n_batch, channels, out_h, out_w), dtype=np.int64)
    for n in range(n_batch):
        for c in range(channels):
            for y in range(out_h):
                for x in range(out_w):
                    best, where = None, None
                    for i in range(kh):
                        row = y * sh - ph + i * dh
                        if not 0 <= row < height:
                            continue
                        for j in range(kw):
                            col = x * sw - pw + j * dw
                            if not 0 <= col < width:
                                continue
                            value = batch[n, c, row, col]
                            if best is None or value > best or value != value:
                                best, where = value, row * width + col
                    if best is None:  # no tap in the input
                        row = y * sh - ph
                        while row < 0:
                            row += dh
                        col = x * sw - pw
                        while col < 0:
                            col += dw
                        best, where = lowest(batch.dtype), row * width + col
                    output[n, c, y, x], indices[n, c, y, x] = best, where
    return (output[0], indices[0]) if unbatched else (output, indices)


def reference_avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
                         count_include_pad=True, divisor_override=None):
    """Output of average pooling, by the definition (float64 for float input)."""
    unbatched = input.ndim == 3
    batch = input[None] if unbatched else input
    (kh, kw), (sh, sw), (ph, pw), _, (out_h, out_w) = _geometry(
        batch, kernel_size, stride, padding, 1, ceil_mode)
    n_batch, channels, height, width = batch.shape
    integer = batch.dtype.kind == "i"
    output = np.zeros((n_batch, channels, out_h, out_w),
                      dtype=batch.dtype if integer else np.float64)
    for n in range(n_batch):
        for c in range(channels):
            for y in range(out_h):
                for x in range(out_w):
                    total, in_input, in_padded = 0, 0, 0
                    for i in range(kh):
                        row = y * sh - ph + i
                        for j in range(kw):
                            col = x * sw - pw + j
                            if -ph <= row < height + ph and -pw <= col < width + pw:
                                in_padded += 1
                            if 0 <= row < height and 0 <= col < width:
                                in_input += 1
                                total += batch[n, c, row, col].item()
                    divisor = (divisor_override if divisor_override is not None
                               else in_padded if count_include_pad else in_input)
                    if integer:
                        quotient = abs(total) // abs(divisor)
                        output[n, c, y, x] = quotient if (total < 0) == (divisor < 0) \
                            else -quotient
                    else:
                        output[n, c, y, x] = total / divisor
    return output[0] if unbatched else output
