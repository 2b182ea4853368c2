"""The gradients of a transposed convolution: what ``ConvTranspose2d.backward`` returns."""

from __future__ import annotations

import numpy as np

from ..ops.conv import correlate, prepare
from ..ops.conv_transpose import TransposeCall, prepare_transpose
from ..ops.padding import pad
from .common import Gradients, batched, check_grad_output, float_array, unbatched
from .conv import weight_gradient


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
    call = prepare_transpose(float_array("input", x), weight, bias, **arguments)
    batched_shape = call.output_shape[1:] if call.unbatched else call.output_shape
    grad_output = check_grad_output(grad_output, batched_shape, call.batch.dtype, cast=True)
    return unbatched(conv_transpose2d_backward(call, batched(grad_output, call)), call)
