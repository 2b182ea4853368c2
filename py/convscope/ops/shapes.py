"""Shape arithmetic: output sizes, shape checks, parameter and MAC counts.

These work on shapes alone (no data), so the visualizer and the practice mode
can ask them about layers they never run.
"""

from __future__ import annotations

import math

from .arguments import ArgumentError, ConvSpec, conv_spec, pair
from .padding import check_padding_fits


def _dims(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def spatial_output(height: int, width: int, spec: ConvSpec) -> tuple[int, int]:
    """Output height and width of a conv with ``spec`` on a ``height x width`` input.

    ``out = floor((in + pad_before + pad_after - dilation * (kernel - 1) - 1) / stride) + 1``

    Raises
    ------
    ValueError
        If the padding mode cannot pad this input or the (dilated) kernel is
        larger than the padded input, as torch does.
    """
    sides = spec.sides
    check_padding_fits(height, sides.top, sides.bottom, spec.padding_mode, "height")
    check_padding_fits(width, sides.left, sides.right, spec.padding_mode, "width")
    padded_h = height + sides.top + sides.bottom
    padded_w = width + sides.left + sides.right
    (kh, kw), (dh, dw), (sh, sw) = spec.kernel_size, spec.dilation, spec.stride
    span_h, span_w = dh * (kh - 1) + 1, dw * (kw - 1) + 1
    if padded_h < span_h or padded_w < span_w or padded_h < 1 or padded_w < 1:
        dilated = " (dilated)" if spec.dilation != (1, 1) else ""
        raise ArgumentError("kernel_size",
            f"Calculated padded input size per channel: ({padded_h} x {padded_w}). "
            f"Kernel size{dilated}: ({span_h} x {span_w}). Kernel size can't be greater "
            "than actual input size; use a smaller kernel_size or dilation, more padding, "
            "or a larger input"
        )
    return ((padded_h - span_h) // sh + 1, (padded_w - span_w) // sw + 1)


def output_size(input_size, kernel_size, stride=1, padding=0, dilation=1,
                padding_mode="zeros") -> tuple[int, int]:
    """Output ``(height, width)`` of a Conv2d on an input of ``input_size``.

    Parameters
    ----------
    input_size : int or (int, int)
        Input height and width.
    kernel_size, stride, padding, dilation, padding_mode
        As for :class:`convscope.Conv2d`.

    Returns
    -------
    tuple of int
    """
    spec = conv_spec(kernel_size, stride, padding, dilation, 1, padding_mode)
    height, width = pair("input_size", input_size)
    if height < 0 or width < 0:
        raise ArgumentError("input_size", f"input_size must be non-negative, "
                                          f"got ({height}, {width})")
    return spatial_output(height, width, spec)


def check_shapes(input_shape, weight_shape, bias_shape, spec: ConvSpec) -> tuple[int, ...]:
    """Check input/weight/bias shapes as torch's conv2d does; return the output shape.

    Parameters
    ----------
    input_shape : tuple
        ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
    weight_shape : tuple
        ``(O, C / groups, kH, kW)``.
    bias_shape : tuple or None
        ``(O,)`` or None.
    spec : ConvSpec

    Returns
    -------
    tuple of int
        ``(N, O, out_h, out_w)``, or ``(O, out_h, out_w)`` for unbatched input.
    """
    input_shape, weight_shape = tuple(input_shape), tuple(weight_shape)
    if len(input_shape) not in (3, 4):
        raise ArgumentError("input",
            "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of "
            f"size: {_dims(input_shape)}; give (N, C, H, W) or (C, H, W)"
        )
    if len(weight_shape) != 4:
        raise ArgumentError("weight",
            f"Expected a 4-dimensional weight (out_channels, in_channels / groups, kH, kW) "
            f"for conv2d, but got {len(weight_shape)}-dimensional weight of size "
            f"{_dims(weight_shape)}"
        )
    groups = spec.groups
    out_channels, group_channels = weight_shape[:2]
    if out_channels < 1 or out_channels % groups:
        raise ArgumentError("groups",
            f"Given groups={groups}, expected weight to be at least 1 and divisible by "
            f"{groups} at dimension 0, but got weight of size {_dims(weight_shape)} instead"
        )
    channels = input_shape[-3]
    if channels != group_channels * groups:
        raise ArgumentError("input",
            f"Given groups={groups}, weight of size {_dims(weight_shape)}, expected "
            f"input{_dims(input_shape)} to have {group_channels * groups} channels, "
            f"but got {channels} channels instead"
        )
    if bias_shape is not None and tuple(bias_shape) != (out_channels,):
        raise ArgumentError("bias",
            f"Given weight of size {_dims(weight_shape)}, expected bias to be 1-dimensional "
            f"with {out_channels} elements, but got bias of size {_dims(bias_shape)} instead"
        )
    out_h, out_w = spatial_output(input_shape[-2], input_shape[-1], spec)
    return input_shape[:-3] + (out_channels, out_h, out_w)


def output_shape(input_shape, weight_shape, stride=1, padding=0, dilation=1, groups=1,
                 padding_mode="zeros", bias_shape=None) -> tuple[int, ...]:
    """Shape of ``conv2d(input, weight, ...)`` without computing it."""
    spec = conv_spec(tuple(weight_shape)[2:] if len(weight_shape) == 4 else 1,
                     stride, padding, dilation, groups, padding_mode)
    return check_shapes(input_shape, weight_shape, bias_shape, spec)


def parameter_count(weight_shape, bias: bool = True) -> int:
    """Learnable values in a layer: every weight, plus one bias per output channel."""
    return math.prod(weight_shape) + (weight_shape[0] if bias else 0)


def mac_count(output_shape, weight_shape) -> int:
    """Multiply-accumulates: each output value takes ``C/groups * kH * kW`` of them."""
    return math.prod(output_shape) * math.prod(weight_shape[1:])
