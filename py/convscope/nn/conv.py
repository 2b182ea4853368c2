"""``Conv2d``: the torch.nn.Conv2d layer, with weights as NumPy arrays."""

from __future__ import annotations

import math

import numpy as np

from ..grad import Gradients, conv2d_layer_backward
from ..ops import shapes
from ..ops.arguments import ArgumentError, ArgumentTypeError, conv_spec, positive_int
from ..ops.conv import conv2d, prepare
from ..ops.trace import Trace

LAYER_DTYPES = (np.float32, np.float64)


def _generator(rng) -> np.random.Generator:
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)


def layer_dtype(dtype) -> np.dtype:
    """A layer's parameter dtype: float32 (torch's default) or float64."""
    if np.dtype(dtype).type not in LAYER_DTYPES:
        raise ArgumentTypeError("dtype", f"dtype must be float32 or float64, "
                                         f"got {np.dtype(dtype)}")
    return np.dtype(dtype)


def bias_flag(bias) -> bool:
    if not isinstance(bias, (bool, np.bool_)):
        raise ArgumentTypeError("bias", f"bias must be True or False, got {bias!r}")
    return bool(bias)


class ParameterLayer:
    """What every convolution layer shares: checked weight/bias, torch's init, counts.

    A subclass defines ``weight_shape`` and ``WEIGHT_AXES`` (the axis names for
    messages), sets ``self._spec`` (its normalised arguments, with ``groups``) and then
    calls :meth:`_init_layer`, which checks the channel counts, the bias flag and the
    dtype in torch's order and draws torch's initial parameters.
    """

    WEIGHT_AXES = "(out_channels, in_channels / groups, kH, kW)"

    def _init_layer(self, in_channels, out_channels, bias, dtype, rng) -> None:
        """Check the channel counts against ``self._spec.groups`` (torch's order and
        words), the bias flag and the dtype; then draw torch's initial parameters."""
        in_channels = positive_int("in_channels", in_channels)
        out_channels = positive_int("out_channels", out_channels)
        groups = self._spec.groups
        if in_channels % groups:
            raise ArgumentError("groups", f"in_channels must be divisible by groups "
                                          f"(in_channels={in_channels}, groups={groups})")
        if out_channels % groups:
            raise ArgumentError("groups", f"out_channels must be divisible by groups "
                                          f"(out_channels={out_channels}, groups={groups})")
        bias = bias_flag(bias)
        self.dtype = layer_dtype(dtype)
        self.in_channels, self.out_channels = in_channels, out_channels
        self._init_parameters(bias, rng)

    def _init_parameters(self, bias: bool, rng) -> None:
        # torch: kaiming_uniform_(a=sqrt(5)) gives bound 1/sqrt(fan_in); the bias uses it too
        bound = 1 / math.sqrt(self.fan_in)
        generator = _generator(rng)
        self.weight = generator.uniform(-bound, bound, self.weight_shape)
        self.bias = generator.uniform(-bound, bound, (self.out_channels,)) if bias else None

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        raise NotImplementedError

    @property
    def fan_in(self) -> int:
        # torch's _calculate_fan_in_and_fan_out reads dim 1 whatever the layer:
        # in_channels / groups for Conv2d, out_channels / groups for ConvTranspose2d
        return math.prod(self.weight_shape[1:])

    @property
    def weight(self) -> np.ndarray:
        return self._weight

    @weight.setter
    def weight(self, value):
        array = np.array(value, dtype=self.dtype)
        if array.shape != self.weight_shape:
            raise ArgumentError("weight", f"weight must have shape {self.weight_shape} "
                             f"{self.WEIGHT_AXES}, got {array.shape}")
        self._weight = array

    @property
    def bias(self) -> np.ndarray | None:
        return self._bias

    @bias.setter
    def bias(self, value):
        if value is None:
            self._bias = None
            return
        array = np.array(value, dtype=self.dtype)
        if array.shape != (self.out_channels,):
            raise ArgumentError("bias", f"bias must have shape ({self.out_channels},) or be None, "
                             f"got {array.shape}")
        self._bias = array

    def _checked_input(self, x) -> np.ndarray:
        x = np.asarray(x)
        if x.dtype != self.dtype:
            raise ArgumentTypeError("input",
                f"Input type ({x.dtype}) and weight type ({self.dtype}) should be the same; "
                f"use x.astype(np.{self.dtype}) or build the layer with dtype=np.{x.dtype}"
            )
        return x

    @property
    def parameter_count(self) -> int:
        """Learnable values: weights plus biases."""
        return math.prod(self.weight_shape) + (self.out_channels if self.bias is not None else 0)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class Conv2d(ParameterLayer):
    """A 2-D convolution layer that behaves like ``torch.nn.Conv2d``.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, dilation : int or (int, int)
    padding : int, (int, int), 'valid' or 'same'
    groups : int
    bias : bool
    padding_mode : {'zeros', 'reflect', 'replicate', 'circular'}
    dtype : numpy float dtype, keyword-only
        float32 (torch's default) or float64.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or generator for the initial weights; torch's distribution,
        uniform in ``±1/sqrt(fan_in)`` for weight and bias.
    """

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 dilation=1, groups=1, bias=True, padding_mode="zeros", *,
                 dtype=np.float32, rng=None):
        self._spec = conv_spec(kernel_size, stride, padding, dilation, groups, padding_mode)
        self._init_layer(in_channels, out_channels, bias, dtype, rng)

    # torch's attribute names, read-only: the spec is checked as a whole
    kernel_size = property(lambda self: self._spec.kernel_size)
    stride = property(lambda self: self._spec.stride)
    padding = property(lambda self: self._spec.padding)
    dilation = property(lambda self: self._spec.dilation)
    groups = property(lambda self: self._spec.groups)
    padding_mode = property(lambda self: self._spec.padding_mode)

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        return (self.out_channels, self.in_channels // self.groups) + self.kernel_size

    def _arguments(self) -> dict:
        return dict(stride=self.stride, padding=self.padding, dilation=self.dilation,
                    groups=self.groups, padding_mode=self.padding_mode)

    def __call__(self, x) -> np.ndarray:
        """Apply the layer to ``(N, C, H, W)`` or ``(C, H, W)`` input."""
        return conv2d(self._checked_input(x), self.weight, self.bias, **self._arguments())

    forward = __call__

    def backward(self, x, grad_output) -> Gradients:
        """torch autograd's gradients of ``layer(x)`` given the upstream ``grad_output``
        (``y.backward(grad_output)``): ``Gradients(grad_input, grad_weight, grad_bias)``,
        in the layer's dtype; ``grad_bias`` is None without a bias. Every padding mode:
        a padded cell's gradient flows back to the input cell it copies."""
        return conv2d_layer_backward(self._checked_input(x), self.weight, self.bias,
                                     grad_output, **self._arguments())

    def trace(self, x) -> Trace:
        """The step-by-step trace of this layer applied to ``x``."""
        call = prepare(self._checked_input(x), self.weight, self.bias, **self._arguments())
        return Trace(call)

    def output_shape(self, input_shape) -> tuple[int, ...]:
        """Output shape for an ``(N, C, H, W)`` or ``(C, H, W)`` input shape."""
        bias_shape = None if self.bias is None else self.bias.shape
        return shapes.check_shapes(input_shape, self.weight_shape, bias_shape, self._spec)

    def mac_count(self, input_shape) -> int:
        """Multiply-accumulates for one forward pass on ``input_shape``."""
        return shapes.mac_count(self.output_shape(input_shape), self.weight_shape)

    def extra_repr(self) -> str:
        # torch's _ConvNd.extra_repr, clause for clause
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s
