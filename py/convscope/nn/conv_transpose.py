"""``ConvTranspose2d``: the torch.nn.ConvTranspose2d layer, with weights as NumPy arrays."""

from __future__ import annotations

import math

import numpy as np

from ..grad import Gradients, conv_transpose2d_layer_backward
from ..ops.arguments import ArgumentError, ArgumentTypeError, is_int
from ..ops.conv_transpose import (check_dimensions, check_shapes, conv_transpose2d, minimum_size,
                                  transpose_spec)
from .conv import ParameterLayer


class ConvTranspose2d(ParameterLayer):
    """A 2-D transposed convolution layer that behaves like ``torch.nn.ConvTranspose2d``.

    Parameters
    ----------
    in_channels, out_channels : int
    kernel_size, stride, padding, output_padding, dilation : int or (int, int)
        ``padding`` crops the full output; ``output_padding`` (smaller than
        stride or dilation) adds rows/columns at the bottom/right.
    groups : int
    bias : bool
    padding_mode : 'zeros'
        The only mode torch's ConvTranspose2d supports; kept for its signature.
    dtype : numpy float dtype, keyword-only
        float32 (torch's default) or float64.
    rng : int, numpy.random.Generator or None, keyword-only
        Seed or generator for the initial weights; torch's distribution,
        uniform in ``±1/sqrt(fan_in)`` with ``fan_in = out_channels / groups * kH * kW``.
    """

    WEIGHT_AXES = "(in_channels, out_channels / groups, kH, kW)"

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0,
                 output_padding=0, groups=1, bias=True, dilation=1, padding_mode="zeros", *,
                 dtype=np.float32, rng=None):
        # torch's order: the padding mode first, then groups and the channel counts
        # (torch leaves stride, kernel, ... to the first call; checking them here fails sooner)
        if padding_mode != "zeros":
            raise ArgumentError("padding_mode",
                f'Only "zeros" padding mode is supported for ConvTranspose2d, but got '
                f"padding_mode={padding_mode!r}; pad the input yourself for another mode"
            )
        self._spec = transpose_spec(kernel_size, stride, padding, output_padding, groups,
                                    dilation)
        self._init_layer(in_channels, out_channels, bias, dtype, rng)

    # torch's attribute names, read-only: the spec is checked as a whole
    kernel_size = property(lambda self: self._spec.kernel_size)
    stride = property(lambda self: self._spec.stride)
    padding = property(lambda self: self._spec.padding)
    output_padding = property(lambda self: self._spec.output_padding)
    dilation = property(lambda self: self._spec.dilation)
    groups = property(lambda self: self._spec.groups)
    padding_mode = property(lambda self: "zeros")

    @property
    def weight_shape(self) -> tuple[int, int, int, int]:
        # in before out: the transpose of conv2d's weight
        return (self.in_channels, self.out_channels // self.groups) + self.kernel_size

    def output_padding_for(self, input_shape, output_size=None) -> tuple[int, int]:
        """The output_padding that gives ``output_size`` (torch's ``_output_padding``).

        Parameters
        ----------
        input_shape : tuple
            ``(N, C, H, W)`` or ``(C, H, W)``.
        output_size : sequence of int, optional
            ``(H_out, W_out)``, or as many values as the input has dimensions
            (``(N, O, H_out, W_out)``: only the last two count). None keeps
            the layer's ``output_padding``.

        Returns
        -------
        tuple of int
            ``output_size - minimum size`` per axis.

        Raises
        ------
        ValueError
            If ``output_size`` has the wrong length or a size outside
            ``[minimum, minimum + stride - 1]``, with torch's words.
        """
        if output_size is None:
            return self.output_padding
        input_shape = tuple(input_shape)
        check_dimensions(input_shape, self.weight_shape)
        sizes = self._spatial_sizes(input_shape, output_size)
        spatial = input_shape[-2:]
        minimum = [minimum_size(length, self._spec, axis) for axis, length in enumerate(spatial)]
        maximum = [low + s - 1 for low, s in zip(minimum, self.stride)]
        if any(not low <= size <= high for size, low, high in zip(sizes, minimum, maximum)):
            raise ArgumentError("output_size",
                f"requested an output size of {sizes}, but valid sizes range from {minimum} "
                f"to {maximum} (for an input of {list(spatial)}); stride {self.stride} "
                "leaves that much choice"
            )
        return (sizes[0] - minimum[0], sizes[1] - minimum[1])

    @staticmethod
    def _spatial_sizes(input_shape: tuple, output_size) -> list[int]:
        """``output_size`` as [H_out, W_out]; torch drops the leading N, C (or C) values."""
        if not isinstance(output_size, (tuple, list)) or not all(map(is_int, output_size)):
            raise ArgumentTypeError("output_size", f"output_size must be a sequence of ints, "
                                                   f"got {output_size!r}")
        leading = len(input_shape) - 2
        if len(output_size) == leading + 2:
            output_size = output_size[leading:]
        if len(output_size) != 2:
            raise ArgumentError("output_size",
                f"ConvTranspose2D: for {len(input_shape)}D input, output_size must have 2 or "
                f"{leading + 2} elements (got {len(output_size)}): (H_out, W_out) or the "
                "whole output shape"
            )
        return [int(size) for size in output_size]

    def _arguments(self, input_shape, output_size) -> dict:
        return dict(stride=self.stride, padding=self.padding,
                    output_padding=self.output_padding_for(input_shape, output_size),
                    groups=self.groups, dilation=self.dilation)

    def __call__(self, x, output_size=None) -> np.ndarray:
        """Apply the layer to ``(N, C, H, W)`` or ``(C, H, W)`` input.

        ``output_size`` picks among the output sizes a stride > 1 allows
        (see :meth:`output_padding_for`).
        """
        x = self._checked_input(x)
        return conv_transpose2d(x, self.weight, self.bias,
                                **self._arguments(x.shape, output_size))

    forward = __call__

    def backward(self, x, grad_output, output_size=None) -> Gradients:
        """torch autograd's gradients of ``layer(x, output_size)`` given the upstream
        ``grad_output``: ``Gradients(grad_input, grad_weight, grad_bias)``."""
        x = self._checked_input(x)
        return conv_transpose2d_layer_backward(x, self.weight, self.bias, grad_output,
                                               **self._arguments(x.shape, output_size))

    def output_shape(self, input_shape, output_size=None) -> tuple[int, ...]:
        """Output shape for an ``(N, C, H, W)`` or ``(C, H, W)`` input shape."""
        spec = self._spec._replace(output_padding=self.output_padding_for(input_shape,
                                                                          output_size))
        bias_shape = None if self.bias is None else self.bias.shape
        return check_shapes(input_shape, self.weight_shape, bias_shape, spec)

    def mac_count(self, input_shape) -> int:
        """Multiply-accumulates: each input value meets ``O/groups * kH * kW`` weights."""
        self.output_shape(input_shape)  # refuses what torch refuses
        return math.prod(input_shape) * math.prod(self.weight_shape[1:])

    def extra_repr(self) -> str:
        # torch's _ConvNd.extra_repr, clause for clause (output_padding after dilation)
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0, 0):
            s += f", padding={self.padding}"
        if self.dilation != (1, 1):
            s += f", dilation={self.dilation}"
        if self.output_padding != (0, 0):
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        return s
