"""The backward pass: where the gradient of a loss flows through each layer kind.

``conv2d_input``/``conv2d_weight`` mirror ``torch.nn.grad``'s functions; the
``*_backward`` functions are what ``layer.backward(x, grad_output)`` returns, equal
to torch autograd's ``x.grad``, ``weight.grad`` and ``bias.grad``.

For a convolution ``y = conv2d(pad(x), w)``:

- ``grad_weight[o, c, i, j]`` sums ``grad_output[n, o, y, x]`` times the padded input
  cell tap ``(i, j)`` of window ``(y, x)`` read: the padded input slid against
  ``grad_output`` (:func:`weight_gradient`, the forward pass's windows, one matmul);
- ``grad_input`` is the transposed convolution of ``grad_output`` (each output cell
  stamps its gradient times the kernel onto its window, :func:`padded_input_gradient`),
  then every padded cell hands its gradient to the input cell it copies
  (:func:`convscope.padding.unpad`): zero padding drops it, reflect, replicate and
  circular add it to the cell they copied;
- ``grad_bias[o]`` sums ``grad_output[:, o]``.

A transposed convolution swaps the roles (its input gradient is a convolution);
max pooling routes each output's gradient to the cell that won, average pooling
spreads it over the window's input cells divided by the window's divisor.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from . import pooling
from .arguments import ArgumentError, ArgumentTypeError, is_int, pair
from .conv_transpose import TransposeCall, TransposeSpec, prepare_transpose, tap_planes
from .functional import Conv2dCall, correlate, prepare, windows
from .padding import pad, unpad

#: dtypes with a gradient: torch's CPU kernels compute these backward passes for floats.
GRAD_DTYPES = (np.float32, np.float64)


class Gradients(NamedTuple):
    """What ``layer.backward(x, grad_output)`` returns (torch's ``.grad`` of each)."""

    grad_input: np.ndarray
    grad_weight: np.ndarray | None  # None for layers without weights (pools)
    grad_bias: np.ndarray | None    # None for pools and layers built with bias=False


def _dims(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _float_array(name: str, value) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.type not in GRAD_DTYPES:
        raise ArgumentTypeError(name, f"{name} has dtype {array.dtype}; torch computes "
                                      "convolution gradients for float32 and float64 only "
                                      "(its CPU kernels are 'not implemented' for integers)")
    return array


def _size(name: str, value, length: int = 4) -> tuple[int, ...]:
    """``input_size``/``weight_size``: a sequence of non-negative ints (torch.Size-like)."""
    if (not isinstance(value, (tuple, list)) or not all(is_int(v) for v in value)):
        raise ArgumentTypeError(name, f"{name} must be a sequence of {length} ints, such as "
                                      f"x.shape, got {value!r}")
    if len(value) != length or any(v < 0 for v in value):
        raise ArgumentError(name, f"{name} must hold {length} sizes >= 0 "
                                  f"(N, C, H, W) for conv2d, got {tuple(value)}")
    return tuple(int(v) for v in value)


def _nn_grad_padding(padding) -> tuple[int, int]:
    # torch.nn.grad passes padding through _pair: no 'same'/'valid' there
    if isinstance(padding, str):
        raise ArgumentTypeError("padding",
            f"torch.nn.grad takes padding as an int or a pair of ints, not {padding!r}; "
            "give the numbers 'same'/'valid' resolve to")
    return pair("padding", padding)


def check_grad_output(grad_output: np.ndarray, output_shape: tuple, dtype,
                      cast: bool) -> np.ndarray:
    """``grad_output`` must have the output's shape; with ``cast`` (autograd's
    ``y.backward(g)``) any real dtype is converted to the output's, otherwise
    (``torch.nn.grad``) it must already be the same dtype."""
    grad_output = np.asarray(grad_output)
    if grad_output.dtype.kind not in "biuf":
        raise ArgumentTypeError("grad_output", f"grad_output must hold real numbers, got "
                                               f"dtype {grad_output.dtype}")
    if tuple(grad_output.shape) != tuple(output_shape):
        raise ArgumentError("grad_output",
            f"Mismatch in shape: grad_output has a shape of {_dims(grad_output.shape)} and the "
            f"output has a shape of {_dims(output_shape)}; the upstream gradient must have "
            "the output's shape"
        )
    if cast:
        return grad_output.astype(dtype, copy=False)
    if grad_output.dtype != dtype:
        raise ArgumentTypeError("grad_output",
            f"expected grad_output of type {np.dtype(dtype)} (the weight's and input's), but "
            f"found {grad_output.dtype}; convert it with .astype(...)")
    return grad_output


# --- convolution ----------------------------------------------------------------------------

def weight_gradient(padded: np.ndarray, grad_output: np.ndarray, call: Conv2dCall) -> np.ndarray:
    """``(O, C/G, kH, kW)``: each weight's gradient, the padded input's windows against
    ``grad_output``, summed over the batch and every output cell.

    Parameters
    ----------
    padded : numpy.ndarray, shape (N, C, H', W')
        The padded input the forward pass read.
    grad_output : numpy.ndarray, shape call.output_shape (batched)
    call : Conv2dCall
    """
    n, out_channels, out_h, out_w = call.output_shape
    groups = call.spec.groups
    taps = call.weight[0].size
    columns = windows(padded, call).reshape(n, groups, taps, out_h * out_w)
    upstream = grad_output.reshape(n, groups, out_channels // groups, out_h * out_w)
    per_sample = np.matmul(upstream, columns.transpose(0, 1, 3, 2))  # (N, G, O/G, taps)
    return per_sample.sum(axis=0).reshape(call.weight.shape)


def padded_input_gradient(grad_output: np.ndarray, weight: np.ndarray, groups: int,
                          kernel_size, stride, dilation, padded_size) -> np.ndarray:
    """The gradient of every padded input cell ``(N, C, H', W')``: each output cell
    stamps ``grad_output × kernel`` onto the window it read (a transposed convolution
    with no cropping; stride leftovers, never read, stay zero)."""
    n = grad_output.shape[0]
    kh, kw = kernel_size
    (sh, sw), (dh, dw) = stride, dilation
    height, width = grad_output.shape[2:]
    spec = TransposeSpec(tuple(kernel_size), tuple(stride), (0, 0), (0, 0), tuple(dilation),
                         groups)
    # conv2d's weight (O, C/G, kH, kW) is the transposed convolution's (in, out/G, kH, kW)
    planes = tap_planes(TransposeCall(grad_output, weight, None, spec, False, ()))
    channels = planes.shape[1]
    padded = np.zeros((n, channels) + tuple(padded_size), planes.dtype)
    for i in range(kh):
        for j in range(kw):
            padded[:, :, dh * i:dh * i + (height - 1) * sh + 1:sh,
                   dw * j:dw * j + (width - 1) * sw + 1:sw] += planes[:, :, i, j]
    return padded


def _padded_size(call: Conv2dCall) -> tuple[int, int]:
    sides = call.spec.sides
    height, width = call.batch.shape[2:]
    return (height + sides.top + sides.bottom, width + sides.left + sides.right)


def _input_gradient(grad_output: np.ndarray, call: Conv2dCall) -> np.ndarray:
    spec = call.spec
    padded = padded_input_gradient(grad_output, call.weight, spec.groups, spec.kernel_size,
                                   spec.stride, spec.dilation, _padded_size(call))
    return unpad(padded, call.batch.shape[2:], spec.sides, spec.padding_mode)


def conv2d_backward(call: Conv2dCall, grad_output: np.ndarray,
                    needs=(True, True, True)) -> Gradients:
    """Every gradient of a prepared conv2d call (batched ``grad_output``, already checked);
    ``needs`` skips what is not asked for (None in its place)."""
    grad_input = _input_gradient(grad_output, call) if needs[0] else None
    grad_weight = None
    if needs[1]:
        padded = pad(call.batch, call.spec.sides, call.spec.padding_mode)
        grad_weight = weight_gradient(padded, grad_output, call)
    grad_bias = None
    if needs[2] and call.bias is not None:
        grad_bias = grad_output.sum(axis=(0, 2, 3))
    return Gradients(grad_input, grad_weight, grad_bias)


def _batched(grad_output: np.ndarray, call) -> np.ndarray:
    return grad_output[np.newaxis] if call.unbatched else grad_output


def _unbatched(gradients: Gradients, call) -> Gradients:
    if not call.unbatched or gradients.grad_input is None:
        return gradients
    return gradients._replace(grad_input=gradients.grad_input[0])


def conv2d_input(input_size, weight, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """The gradient of conv2d with respect to its input, as ``torch.nn.grad.conv2d_input``.

    Parameters
    ----------
    input_size : sequence of 4 ints
        The input's shape ``(N, C, H, W)``; it decides the stride leftovers (rows and
        columns the forward pass never read get zero).
    weight : array_like, shape (O, C / groups, kH, kW)
    grad_output : array_like, shape (N, O, out_h, out_w)
        In the weight's dtype (float32 or float64).
    stride, padding, dilation : int or (int, int)
    groups : int

    Returns
    -------
    numpy.ndarray, shape ``input_size``, in the weight's dtype
    """
    input_size = _size("input_size", input_size)
    weight = _float_array("weight", weight)
    grad_output = _float_array("grad_output", grad_output)
    stand_in = np.broadcast_to(np.zeros((), weight.dtype), input_size)
    call = prepare(stand_in, weight, None, stride, _nn_grad_padding(padding), dilation, groups)
    grad_output = check_grad_output(grad_output, call.output_shape, weight.dtype, cast=False)
    return _input_gradient(grad_output, call)


def conv2d_weight(input, weight_size, grad_output, stride=1, padding=0, dilation=1, groups=1):
    """The gradient of conv2d with respect to its weight, as ``torch.nn.grad.conv2d_weight``.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W)
        float32 or float64.
    weight_size : sequence of 4 ints
        ``(O, C / groups, kH, kW)``.
    grad_output : array_like, shape (N, O, out_h, out_w)
        In the input's dtype.
    stride, padding, dilation : int or (int, int)
    groups : int

    Returns
    -------
    numpy.ndarray, shape ``weight_size``, in the input's dtype
    """
    input = _float_array("input", input)
    weight_size = _size("weight_size", weight_size)
    grad_output = _float_array("grad_output", grad_output)
    if input.ndim != 4:
        raise ArgumentError("input", f"Expected 4-dimensional input for 4-dimensional weight "
                                     f"{_dims(weight_size)}, but got {input.ndim}-dimensional "
                                     f"input of size {_dims(input.shape)} instead")
    stand_in = np.broadcast_to(np.zeros((), input.dtype), weight_size)
    call = prepare(input, stand_in, None, stride, _nn_grad_padding(padding), dilation, groups)
    grad_output = check_grad_output(grad_output, call.output_shape, input.dtype, cast=False)
    padded = pad(call.batch, call.spec.sides, call.spec.padding_mode)
    return weight_gradient(padded, grad_output, call)


def conv2d_layer_backward(x, weight, bias, grad_output, **arguments) -> Gradients:
    """``Conv2d.backward``: autograd's gradients of ``conv2d(x, weight, bias, ...)``, any
    padding mode, unbatched input allowed; ``grad_output`` is cast to the input's dtype."""
    call = prepare(_float_array("input", x), weight, bias, **arguments)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    return _unbatched(conv2d_backward(call, _batched(grad_output, call)), call)


# --- transposed convolution ----------------------------------------------------------------

def conv_transpose2d_backward(call: TransposeCall, grad_output: np.ndarray) -> Gradients:
    """Every gradient of a prepared conv_transpose2d call (batched, checked ``grad_output``).

    A transposed convolution is the input gradient of a convolution, so its own input
    gradient is that convolution: ``conv2d(grad_output, weight, stride, padding,
    dilation, groups)``, cut to the input's size (``output_padding`` rows beyond it are
    read by no input cell); its weight gradient is that convolution's, with the input
    playing ``grad_output``.
    """
    spec = call.spec
    height, width = call.batch.shape[2:]
    as_conv = prepare(grad_output, call.weight, None, spec.stride, spec.padding, spec.dilation,
                      spec.groups)
    as_conv = as_conv._replace(output_shape=as_conv.output_shape[:2] + (height, width))
    padded = pad(grad_output, as_conv.spec.sides, "zeros")
    grad_input = correlate(padded, as_conv)
    grad_weight = weight_gradient(padded, call.batch, as_conv)
    grad_bias = None if call.bias is None else grad_output.sum(axis=(0, 2, 3))
    return Gradients(grad_input, grad_weight, grad_bias)


def conv_transpose2d_layer_backward(x, weight, bias, grad_output, **arguments) -> Gradients:
    """``ConvTranspose2d.backward``: autograd's gradients of ``conv_transpose2d(...)``."""
    call = prepare_transpose(_float_array("input", x), weight, bias, **arguments)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    return _unbatched(conv_transpose2d_backward(call, _batched(grad_output, call)), call)


# --- pooling --------------------------------------------------------------------------------

def max_pool_backward(call: pooling.PoolCall, grad_output: np.ndarray) -> np.ndarray:
    """Each output's gradient goes to the input cell that won its window (torch's
    ``return_indices``: the first maximum, the last NaN). Like torch, an index that
    lands inside the input plane receives it even from a window that read no input."""
    winners = pooling.max_winners(pooling.pad_for_pool(call), call)
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


def avg_pool_backward(call: pooling.PoolCall, grad_output: np.ndarray) -> np.ndarray:
    """Each output's gradient divided by its divisor, added to every input cell of its
    window (the padding's share is dropped)."""
    spec = call.spec
    share = grad_output / pooling.avg_divisors(call).astype(grad_output.dtype)
    sides = pooling.pool_sides(call)
    n, channels, height, width = call.batch.shape
    out_h, out_w = call.output_shape[2:]
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    padded = np.zeros((n, channels, height + sides.top + sides.bottom,
                       width + sides.left + sides.right), share.dtype)
    for i in range(kh):
        for j in range(kw):
            padded[:, :, i:i + (out_h - 1) * sh + 1:sh, j:j + (out_w - 1) * sw + 1:sw] += share
    return padded[:, :, sides.top:sides.top + height, sides.left:sides.left + width].copy()


def pool_layer_backward(x, kind: str, spec: pooling.PoolSpec, grad_output) -> Gradients:
    """``MaxPool2d.backward``/``AvgPool2d.backward``: the input's gradient (pools have no
    weight or bias: None)."""
    call = pooling.prepare_pool(_float_array("input", x), kind, spec)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    backward = max_pool_backward if kind == "max" else avg_pool_backward
    grad_input = backward(call, _batched(grad_output, call))
    return Gradients(grad_input[0] if call.unbatched else grad_input, None, None)


# --- the upstream gradient -------------------------------------------------------------------

#: Where ``grad_output`` comes from: ``output.sum()``'s gradient, seeded noise, one output
#: cell alone, or ``F.mse_loss(output, target)``'s gradient.
UPSTREAMS = ("ones", "random", "onehot", "mse")


def upstream_gradient(output, upstream: str, *, seed: int = 0, cell=None,
                      target=None) -> np.ndarray:
    """The gradient that arrives at a layer's output, in the output's dtype and shape.

    Parameters
    ----------
    output : numpy.ndarray
        The forward pass's output.
    upstream : {'ones', 'random', 'onehot', 'mse'}
        ``ones``: the gradient of ``output.sum()``; ``random``: standard normal values
        from ``seed``; ``onehot``: 1 at ``cell`` (an index into ``output``), 0 elsewhere,
        so the gradient shows what that one cell depends on; ``mse``: the gradient of
        ``F.mse_loss(output, target)`` (mean reduction), ``2 * (output - target) / size``.
    """
    output = np.asarray(output)
    if upstream == "ones":
        return np.ones_like(output)
    if upstream == "random":
        return np.random.default_rng(seed).standard_normal(output.shape).astype(output.dtype)
    if upstream == "onehot":
        if cell is None or len(cell) != output.ndim or not all(
                is_int(i) and 0 <= i < size for i, size in zip(cell, output.shape)):
            raise ArgumentError("cell", f"the one-hot cell must be an index into the output "
                                        f"of shape {_dims(output.shape)}, got {cell!r}")
        grad = np.zeros_like(output)
        grad[tuple(cell)] = 1
        return grad
    if upstream == "mse":
        target = np.asarray(target)
        if target.shape != output.shape:
            raise ArgumentError("target", f"the MSE target must have the output's shape "
                                          f"{_dims(output.shape)}, got {_dims(target.shape)}")
        difference = output - target.astype(output.dtype)
        return (difference * output.dtype.type(2 / output.size)).astype(output.dtype)
    raise ArgumentError("upstream", f"unknown upstream gradient {upstream!r}; one of "
                                    f"{', '.join(UPSTREAMS)}")
