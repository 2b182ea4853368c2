"""``MaxPool2d`` and ``AvgPool2d``: torch's pooling layers, forward and backward."""

from __future__ import annotations

import numpy as np

from ..grad import pool_layer_backward
from ..ops.pool import (PoolSpec, avg_pool_spec, max_pool_spec, pool_output_shape, prepare_pool,
                        run_pool)


class MaxPool2d:
    """A max-pooling layer that behaves like ``torch.nn.MaxPool2d``.

    Attributes keep the forms given (an int stays an int in the repr), as torch's
    do. Unlike torch, which checks them at the first call, the arguments are
    checked here, at construction, so a bad layer fails where it is written.
    """

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
                 ceil_mode=False):
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode
        self.spec()

    def spec(self) -> PoolSpec:
        """The normalised arguments, from the attributes as they are now."""
        return max_pool_spec(self.kernel_size, self.stride, self.padding, self.dilation,
                             self.ceil_mode)

    def __call__(self, x):
        """Pool ``(N, C, H, W)`` or ``(C, H, W)`` input; ``(output, indices)`` with
        ``return_indices``."""
        return run_pool(prepare_pool(x, "max", self.spec()), bool(self.return_indices))

    forward = __call__

    def backward(self, x, grad_output):
        """torch autograd's gradient of ``layer(x)`` given the upstream ``grad_output``:
        ``Gradients(grad_input, None, None)`` (to the cell that won each window, ties as torch breaks them)."""
        return pool_layer_backward(x, "max", self.spec(), grad_output)

    def output_shape(self, input_shape) -> tuple[int, ...]:
        """Output shape for an ``(N, C, H, W)`` or ``(C, H, W)`` input shape."""
        return pool_output_shape(input_shape, self.spec())

    parameter_count = 0  # pooling learns nothing

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, "
                f"padding={self.padding}, dilation={self.dilation}, ceil_mode={self.ceil_mode}")

    def __repr__(self) -> str:
        return f"MaxPool2d({self.extra_repr()})"


class AvgPool2d:
    """An average-pooling layer that behaves like ``torch.nn.AvgPool2d``.

    Attributes keep the forms given, as torch's do; the repr, like torch's, shows
    only kernel_size, stride and padding. The arguments are checked at
    construction (torch waits for the first call).
    """

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False,
                 count_include_pad=True, divisor_override=None):
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override
        self.spec()

    def spec(self) -> PoolSpec:
        """The normalised arguments, from the attributes as they are now."""
        return avg_pool_spec(self.kernel_size, self.stride, self.padding, self.ceil_mode,
                             self.count_include_pad, self.divisor_override)

    def __call__(self, x) -> np.ndarray:
        """Pool ``(N, C, H, W)`` or ``(C, H, W)`` input."""
        return run_pool(prepare_pool(x, "avg", self.spec()))

    forward = __call__

    def backward(self, x, grad_output):
        """torch autograd's gradient of ``layer(x)`` given the upstream ``grad_output``:
        ``Gradients(grad_input, None, None)`` (each window's share over its input cells)."""
        return pool_layer_backward(x, "avg", self.spec(), grad_output)

    def output_shape(self, input_shape) -> tuple[int, ...]:
        """Output shape for an ``(N, C, H, W)`` or ``(C, H, W)`` input shape."""
        return pool_output_shape(input_shape, self.spec())

    parameter_count = 0  # pooling learns nothing

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def __repr__(self) -> str:
        return f"AvgPool2d({self.extra_repr()})"
