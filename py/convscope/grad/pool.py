"""The gradients of max and average pooling: what the pools' ``backward`` returns."""

from __future__ import annotations

import numpy as np

from ..ops.pool import (PoolCall, PoolSpec, avg_divisors, max_winners, pad_for_pool, pool_sides,
                        prepare_pool)
from .common import Gradients, batched, check_grad_output, float_array


def max_pool_backward(call: PoolCall, grad_output: np.ndarray) -> np.ndarray:
    """Each output's gradient goes to the input cell that won its window (torch's
    ``return_indices``: the first maximum, the last NaN). Like torch, an index that
    lands inside the input plane receives it even from a window that read no input."""
    winners = max_winners(pad_for_pool(call), call)
    n, channels, height, width = call.batch.shape
    plane = height * width
    index = winners.index.reshape(n * channels, -1)
    inside = (index >= 0) & (index < plane)
    offsets = np.arange(n * channels, dtype=np.int64)[:, np.newaxis] * plane
    # bincount wants intp: int32 on wasm32 (Pyodide), where int64 will not cast
    flat = np.bincount((index + offsets)[inside].astype(np.intp),
                       weights=grad_output.reshape(n * channels, -1)[inside],
                       minlength=n * channels * plane)
    return flat.reshape(call.batch.shape).astype(call.batch.dtype)


def avg_pool_backward(call: PoolCall, grad_output: np.ndarray) -> np.ndarray:
    """Each output's gradient divided by its divisor, added to every input cell of its
    window (the padding's share is dropped)."""
    spec = call.spec
    share = grad_output / avg_divisors(call).astype(grad_output.dtype)
    sides = pool_sides(call)
    n, channels, height, width = call.batch.shape
    out_h, out_w = call.output_shape[2:]
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    padded = np.zeros((n, channels, height + sides.top + sides.bottom,
                       width + sides.left + sides.right), share.dtype)
    for i in range(kh):
        for j in range(kw):
            padded[:, :, i:i + (out_h - 1) * sh + 1:sh, j:j + (out_w - 1) * sw + 1:sw] += share
    return padded[:, :, sides.top:sides.top + height, sides.left:sides.left + width].copy()


def pool_layer_backward(x, mode: str, spec: PoolSpec, grad_output) -> Gradients:
    """``MaxPool2d.backward``/``AvgPool2d.backward``: the input's gradient (pools have no
    weight or bias: None)."""
    call = prepare_pool(float_array("input", x), mode, spec)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    backward = max_pool_backward if mode == "max" else avg_pool_backward
    grad_input = backward(call, batched(grad_output, call))
    return Gradients(grad_input[0] if call.unbatched else grad_input, None, None)
