"""The gradients of a convolution: ``torch.nn.grad.conv2d_input``/``conv2d_weight`` and
what ``Conv2d.backward`` returns."""

from __future__ import annotations

import numpy as np

from ..ops.arguments import ArgumentError, ArgumentTypeError, is_int, pair
from ..ops.conv import Conv2dCall, prepare, windows
from ..ops.conv_transpose import TransposeCall, TransposeSpec, tap_planes
from ..ops.padding import pad, unpad
from .common import Gradients, batched, check_grad_output, dims, float_array, unbatched


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
    weight = float_array("weight", weight)
    grad_output = float_array("grad_output", grad_output)
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
    input = float_array("input", input)
    weight_size = _size("weight_size", weight_size)
    grad_output = float_array("grad_output", grad_output)
    if input.ndim != 4:
        raise ArgumentError("input", f"Expected 4-dimensional input for 4-dimensional weight "
                                     f"{dims(weight_size)}, but got {input.ndim}-dimensional "
                                     f"input of size {dims(input.shape)} instead")
    stand_in = np.broadcast_to(np.zeros((), input.dtype), weight_size)
    call = prepare(input, stand_in, None, stride, _nn_grad_padding(padding), dilation, groups)
    grad_output = check_grad_output(grad_output, call.output_shape, input.dtype, cast=False)
    padded = pad(call.batch, call.spec.sides, call.spec.padding_mode)
    return weight_gradient(padded, grad_output, call)


def conv2d_layer_backward(x, weight, bias, grad_output, **arguments) -> Gradients:
    """``Conv2d.backward``: autograd's gradients of ``conv2d(x, weight, bias, ...)``, any
    padding mode, unbatched input allowed; ``grad_output`` is cast to the input's dtype."""
    call = prepare(float_array("input", x), weight, bias, **arguments)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    return unbatched(conv2d_backward(call, batched(grad_output, call)), call)
