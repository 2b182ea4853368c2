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
  (:func:`convscope.ops.padding.unpad`): zero padding drops it, reflect, replicate and
  circular add it to the cell they copied;
- ``grad_bias[o]`` sums ``grad_output[:, o]``.

A transposed convolution swaps the roles (its input gradient is a convolution);
max pooling routes each output's gradient to the cell that won, average pooling
spreads it over the window's input cells divided by the window's divisor.
"""

from .common import GRAD_DTYPES, Gradients, check_grad_output
from .conv import (conv2d_backward, conv2d_input, conv2d_layer_backward, conv2d_weight,
                   padded_input_gradient, weight_gradient)
from .conv_transpose import conv_transpose2d_backward, conv_transpose2d_layer_backward
from .pool import avg_pool_backward, max_pool_backward, pool_layer_backward
from .upstream import UPSTREAMS, upstream_gradient

__all__ = ["GRAD_DTYPES", "Gradients", "check_grad_output", "conv2d_backward", "conv2d_input",
           "conv2d_layer_backward", "conv2d_weight", "padded_input_gradient", "weight_gradient",
           "conv_transpose2d_backward", "conv_transpose2d_layer_backward", "avg_pool_backward",
           "max_pool_backward", "pool_layer_backward", "UPSTREAMS", "upstream_gradient"]
