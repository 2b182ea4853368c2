"""``conv_transpose2d``: torch.nn.functional.conv_transpose2d in NumPy, and its two views.

A transposed convolution can be drawn two equivalent ways, and the visualizer
draws both:

- **scatter**: every input cell multiplies the kernel and adds that *stamp*
  into an output window (:func:`stamp_window`, :func:`stamp`); ``padding``
  crops the full result, ``output_padding`` adds rows/columns at the bottom/right.
- **gather**: an ordinary convolution (:func:`gather_equivalent`) of the input
  with ``stride - 1`` zeros inserted between cells, a zero border of
  ``dilation * (kernel - 1) - padding``, and the kernel flipped with its
  in/out axes swapped.

The forward pass computes the scatter by kernel taps: one matmul gives every
cell's stamp at once, then each tap adds its plane into a strided slice.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .arguments import ArgumentError, ArgumentTypeError, Sides, at_least_one, is_int, pair
from .conv import SUPPORTED_DTYPES


class TransposeSpec(NamedTuple):
    """A ConvTranspose2d configuration with every argument in its normal form."""

    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int]         # rows/columns cropped from each side of the full output
    output_padding: tuple[int, int]  # rows/columns added at the bottom/right
    dilation: tuple[int, int]
    groups: int


class TransposeCall(NamedTuple):
    """One checked call: batched arrays plus the normalised arguments."""

    batch: np.ndarray        # (N, C, H, W), the input with a batch axis
    weight: np.ndarray       # (C, O / groups, kH, kW)
    bias: np.ndarray | None  # (O,), in the input's dtype
    spec: TransposeSpec
    unbatched: bool          # the input was (C, H, W): drop the batch axis again
    output_shape: tuple      # batched (N, O, out_h, out_w)


def _dims(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _groups(groups) -> int:
    if not is_int(groups):
        raise ArgumentTypeError("groups", f"conv_transpose2d(): argument 'groups' must be int, "
                                          f"not {type(groups).__name__} ({groups!r})")
    if groups <= 0:
        raise ArgumentError("groups", f"non-positive groups is not supported, got "
                                      f"groups={groups}; use groups >= 1")
    return int(groups)


def _padding(padding) -> tuple[int, int]:
    # torch's conv_transpose has no 'same'/'valid' (its argument parser wants ints)
    if isinstance(padding, str):
        raise ArgumentTypeError("padding",
            f"conv_transpose2d(): argument 'padding' must be tuple of ints, not str "
            f"({padding!r}); transposed convolution has no 'same'/'valid' padding: give an "
            "int or a pair of ints"
        )
    return pair("padding", padding)


def _not_negative(name: str, value: tuple[int, int]) -> tuple[int, int]:
    if value[0] < 0 or value[1] < 0:
        raise ArgumentError(name, f"negative {name} is not supported, but got "
                                  f"{name}={value}; use {name} >= 0")
    return value


def _check_output_padding(spec: TransposeSpec) -> None:
    """torch: per axis, output_padding < stride or output_padding < dilation."""
    (oh, ow), (sh, sw), (dh, dw) = spec.output_padding, spec.stride, spec.dilation
    if (oh < sh or oh < dh) and (ow < sw or ow < dw):
        return
    raise ArgumentError("output_padding",
        f"output padding must be smaller than either stride or dilation, but got "
        f"output_padding_height: {oh} output_padding_width: {ow} stride_height: {sh} "
        f"stride_width: {sw} dilation_height: {dh} dilation_width: {dw}; use "
        f"output_padding <= ({max(sh, dh) - 1}, {max(sw, dw) - 1}) here"
    )


def transpose_spec(kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                   dilation=1) -> TransposeSpec:
    """Check and normalise every ConvTranspose2d argument except the channel counts.

    The order is torch's: the argument parser's type checks (stride, padding,
    output_padding, groups, dilation), then non-positive groups, negative
    padding and output_padding, non-positive stride, dilation, kernel size,
    and last output_padding against stride and dilation.

    Parameters
    ----------
    kernel_size, stride, padding, output_padding, dilation : int or (int, int)
    groups : int

    Returns
    -------
    TransposeSpec

    Raises
    ------
    ArgumentTypeError
        Where torch raises ``TypeError``: a float, bool or string argument.
    ArgumentError
        Where torch raises ``RuntimeError``/``ValueError``.
    """
    kernel = pair("kernel_size", kernel_size)
    stride = pair("stride", stride)
    padding = _padding(padding)
    output_padding = pair("output_padding", output_padding)
    groups = _groups(groups)
    dilation = pair("dilation", dilation)
    _not_negative("padding", padding)
    _not_negative("output_padding", output_padding)
    stride = at_least_one("stride", stride, "non-positive stride is not supported")
    dilation = at_least_one("dilation", dilation, "dilation should be greater than zero")
    kernel = at_least_one("kernel_size", kernel, "kernel size should be greater than zero")
    spec = TransposeSpec(kernel, stride, padding, output_padding, dilation, groups)
    _check_output_padding(spec)
    return spec


def minimum_size(length: int, spec: TransposeSpec, axis: int) -> int:
    """Output length along one axis without output_padding (torch's ``min_sizes``).

    ``(length - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1``
    """
    return ((length - 1) * spec.stride[axis] - 2 * spec.padding[axis]
            + spec.dilation[axis] * (spec.kernel_size[axis] - 1) + 1)


def spatial_output(height: int, width: int, spec: TransposeSpec) -> tuple[int, int]:
    """Output height and width; torch refuses anything below 1."""
    if height < 1 or width < 1:
        raise ArgumentError("input",
            f"Only zero batch or zero channel inputs are supported, but got an input of "
            f"height {height} and width {width}; give at least one row and one column"
        )
    out_h = minimum_size(height, spec, 0) + spec.output_padding[0]
    out_w = minimum_size(width, spec, 1) + spec.output_padding[1]
    if out_h < 1 or out_w < 1:
        raise ArgumentError("padding",
            f"Given input size per channel: ({height} x {width}). Calculated output size per "
            f"channel: ({out_h} x {out_w}). Output size is too small; padding {spec.padding} "
            "crops more than the full output has: use less padding, or a larger input, "
            "kernel, stride or dilation"
        )
    return out_h, out_w


def check_shapes(input_shape, weight_shape, bias_shape, spec: TransposeSpec) -> tuple:
    """Check input/weight/bias shapes as torch's conv_transpose2d does; return the output shape.

    Parameters
    ----------
    input_shape : tuple
        ``(N, C, H, W)`` or unbatched ``(C, H, W)``.
    weight_shape : tuple
        ``(C, O / groups, kH, kW)``: note the in/out order, the reverse of conv2d's.
    bias_shape : tuple or None
        ``(O,)`` or None.
    spec : TransposeSpec

    Returns
    -------
    tuple of int
        ``(N, O, out_h, out_w)``, or ``(O, out_h, out_w)`` for unbatched input.
    """
    input_shape, weight_shape = tuple(input_shape), tuple(weight_shape)
    check_dimensions(input_shape, weight_shape)
    groups = spec.groups
    in_channels, group_out = weight_shape[:2]
    if in_channels < groups:
        raise ArgumentError("groups",
            f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, "
            f"but got weight of size {_dims(weight_shape)} instead; dimension 0 of a "
            "transposed weight is in_channels"
        )
    if in_channels % groups:
        raise ArgumentError("groups",
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size {_dims(weight_shape)} instead"
        )
    channels = input_shape[-3]
    if channels != in_channels:
        raise ArgumentError("input",
            f"Given transposed=1, weight of size {_dims(weight_shape)}, expected "
            f"input{_dims(input_shape)} to have {in_channels} channels, but got {channels} "
            "channels instead"
        )
    out_channels = group_out * groups
    if bias_shape is not None and tuple(bias_shape) != (out_channels,):
        raise ArgumentError("bias",
            f"Given transposed=1, weight of size {_dims(weight_shape)}, expected bias to be "
            f"1-dimensional with {out_channels} elements (weight.shape[1] * groups), but got "
            f"bias of size {_dims(bias_shape)} instead"
        )
    if group_out < 1:
        raise ArgumentError("weight", f"non-empty 2D or 4D weight tensor expected, but got: "
                                      f"{_dims(weight_shape)}; out_channels / groups is 0")
    out_h, out_w = spatial_output(input_shape[-2], input_shape[-1], spec)
    return input_shape[:-3] + (out_channels, out_h, out_w)


def check_dimensions(input_shape: tuple, weight_shape: tuple) -> None:
    """Input 3-D or 4-D, weight 4-D, as torch's conv_transpose2d requires."""
    if len(input_shape) not in (3, 4):
        raise ArgumentError("input",
            "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input "
            f"of size: {_dims(input_shape)}; give (N, C, H, W) or (C, H, W)"
        )
    if len(weight_shape) != 4:
        raise ArgumentError("weight",
            "Expected a 4-dimensional weight (in_channels, out_channels / groups, kH, kW) for "
            f"conv_transpose2d, but got {len(weight_shape)}-dimensional weight of size "
            f"{_dims(weight_shape)}"
        )


#: conv2d's dtypes but int32: torch's CPU conv_transpose2d has no int32 kernel
TRANSPOSE_DTYPES = tuple(t for t in SUPPORTED_DTYPES if t is not np.int32)


def _array(name: str, value) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.type is np.int32:
        raise ArgumentTypeError(name, f"{name} has dtype int32, which torch's "
                                      "conv_transpose2d does not implement (on the CPU): "
                                      "use int64 or a float dtype")
    if array.dtype.type not in TRANSPOSE_DTYPES:
        names = ", ".join(np.dtype(t).name for t in TRANSPOSE_DTYPES)
        raise ArgumentTypeError(name, f"{name} has dtype {array.dtype}; conv_transpose2d "
                                      f"supports {names}")
    return array


def _check_dtypes(input: np.ndarray, weight: np.ndarray, bias) -> np.ndarray | None:
    """torch wants weight in the input's dtype, but casts a bias of the same kind.

    Returns the bias in the input's dtype. (torch checks this after every
    shape, in the kernel; so does this.)
    """
    if weight.dtype != input.dtype:
        raise ArgumentTypeError("weight",
            f"Input type ({input.dtype}) and weight type ({weight.dtype}) should be the same "
            f"(torch: expected scalar type {input.dtype} but found {weight.dtype}); convert "
            "one with .astype(...)"
        )
    if bias is None:
        return None
    # e.g. a float64 bias on float32 input is rounded to float32; a float bias on
    # integer input cannot be
    if not np.can_cast(bias.dtype, input.dtype, casting="same_kind"):
        raise ArgumentTypeError("bias",
            f"result type {bias.dtype} can't be cast to the desired output type "
            f"{input.dtype}; give the bias as {input.dtype}"
        )
    return bias.astype(input.dtype, copy=False)


def prepare_transpose(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                      groups=1, dilation=1) -> TransposeCall:
    """Check every argument of a conv_transpose2d call as torch does and normalise it.

    Returns
    -------
    TransposeCall
    """
    input, weight = _array("input", input), _array("weight", weight)
    bias = None if bias is None else _array("bias", bias)
    check_dimensions(input.shape, weight.shape)
    spec = transpose_spec(weight.shape[2:], stride, padding, output_padding, groups, dilation)
    shape = check_shapes(input.shape, weight.shape, None if bias is None else bias.shape, spec)
    bias = _check_dtypes(input, weight, bias)
    unbatched = input.ndim == 3
    batch = input[np.newaxis] if unbatched else input
    output_shape = (1,) + shape if unbatched else shape
    return TransposeCall(batch, weight, bias, spec, unbatched, output_shape)


# --- scatter: each input cell stamps the kernel into the output -------------------------------

def stamp_window(spec: TransposeSpec, y: int, x: int) -> tuple[np.ndarray, np.ndarray]:
    """Output rows and columns that input cell ``(y, x)`` writes, tap by tap.

    ``rows[i] = y * stride - padding + dilation * i`` (and likewise for columns).
    Positions outside ``[0, out_h)`` / ``[0, out_w)`` are not written: the
    padding crops the full result.

    Returns
    -------
    rows : numpy.ndarray, shape (kH,)
    cols : numpy.ndarray, shape (kW,)
    """
    (kh, kw), (sh, sw) = spec.kernel_size, spec.stride
    (ph, pw), (dh, dw) = spec.padding, spec.dilation
    return (y * sh - ph + dh * np.arange(kh), x * sw - pw + dw * np.arange(kw))


class Stamp(NamedTuple):
    """What one input cell adds to the output."""

    channels: range     # the output channels of the cell's group
    rows: np.ndarray    # (kH,) output rows, uncropped (see stamp_window)
    cols: np.ndarray    # (kW,) output columns, uncropped
    values: np.ndarray  # (O / groups, kH, kW): input value times its kernel


def stamp(call: TransposeCall, n: int, c: int, y: int, x: int) -> Stamp:
    """The stamp of input cell ``(n, c, y, x)``: ``input[n, c, y, x] * weight[c]``."""
    group_out = call.weight.shape[1]
    group = c // (call.weight.shape[0] // call.spec.groups)
    rows, cols = stamp_window(call.spec, y, x)
    return Stamp(range(group * group_out, (group + 1) * group_out), rows, cols,
                 call.batch[n, c, y, x] * call.weight[c])


def tap_planes(call: TransposeCall) -> np.ndarray:
    """Every stamp at once: ``(N, O, kH, kW, H, W)``.

    ``planes[n, o, i, j, y, x]`` is what input cell ``(y, x)`` adds through tap
    ``(i, j)`` to output channel ``o``: the sum over the group's input channels
    of ``input[n, c, y, x] * weight[c, o % (O / groups), i, j]``. One matmul per
    group (no BLAS in Pyodide, and matmul beats einsum there).
    """
    n, channels, height, width = call.batch.shape
    groups = call.spec.groups
    kh, kw = call.spec.kernel_size
    group_out = call.weight.shape[1]
    cells = call.batch.reshape(n, groups, channels // groups, height * width)
    # (G, O/G * kH * kW, C/G): each row a (output channel, tap) pair
    kernels = call.weight.reshape(groups, channels // groups, group_out * kh * kw)
    planes = np.matmul(kernels.transpose(0, 2, 1), cells)
    return planes.reshape(n, groups * group_out, kh, kw, height, width)


def scatter(call: TransposeCall) -> np.ndarray:
    """The batched output ``(N, O, out_h, out_w)``, tap by tap.

    Each tap ``(i, j)`` adds its plane into the full (uncropped) output at
    rows ``dilation * i + stride * y``; the output is then the full result
    with ``padding`` cropped from each side (and ``output_padding`` extra
    rows/columns at the bottom/right, zero where no stamp reaches).
    """
    planes = tap_planes(call)
    n, out_channels, kh, kw, height, width = planes.shape
    out_h, out_w = call.output_shape[2:]
    (sh, sw), (ph, pw), (dh, dw) = call.spec.stride, call.spec.padding, call.spec.dilation
    # big enough for every stamp and for the output window [padding, padding + out)
    full = np.zeros((n, out_channels,
                     max((height - 1) * sh + dh * (kh - 1) + 1, ph + out_h),
                     max((width - 1) * sw + dw * (kw - 1) + 1, pw + out_w)), planes.dtype)
    for i in range(kh):
        for j in range(kw):
            full[:, :, dh * i:dh * i + (height - 1) * sh + 1:sh,
                 dw * j:dw * j + (width - 1) * sw + 1:sw] += planes[:, :, i, j]
    output = full[:, :, ph:ph + out_h, pw:pw + out_w]
    if call.bias is not None:
        output += call.bias[:, np.newaxis, np.newaxis]
    return np.ascontiguousarray(output)


def run_transpose(call: TransposeCall) -> np.ndarray:
    """Compute a prepared call; unbatched in, unbatched out."""
    output = scatter(call)
    return output[0] if call.unbatched else output


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                     groups=1, dilation=1) -> np.ndarray:
    """2-D transposed convolution, exactly as ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    input : array_like, shape (N, C, H, W) or (C, H, W)
    weight : array_like, shape (C, O / groups, kH, kW)
    bias : array_like, shape (O,), optional
        Cast to the input's dtype, as torch does (a float bias on integer
        input is refused).
    stride, padding, output_padding, dilation : int or (int, int)
        ``padding`` crops the full output on each side; ``output_padding``
        (smaller than stride or dilation) adds rows/columns at the bottom/right.
    groups : int
        Note torch's order: groups comes before dilation.

    Returns
    -------
    numpy.ndarray
        ``(N, O, out_h, out_w)``, or ``(O, out_h, out_w)`` for unbatched input,
        in the input's dtype, with
        ``out = (in - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1``.
    """
    return run_transpose(prepare_transpose(input, weight, bias, stride, padding,
                                           output_padding, groups, dilation))


# --- gather: the same output as an ordinary convolution ---------------------------------------

def gather_sides(spec: TransposeSpec) -> Sides:
    """The border around the zero-inserted input that makes the equivalent convolution.

    ``dilation * (kernel - 1) - padding`` on top/left, plus ``output_padding``
    on bottom/right. A negative side crops that many rows/columns instead.
    """
    (kh, kw), (dh, dw) = spec.kernel_size, spec.dilation
    (ph, pw), (oh, ow) = spec.padding, spec.output_padding
    top, left = dh * (kh - 1) - ph, dw * (kw - 1) - pw
    return Sides(top, top + oh, left, left + ow)


def insert_zeros(batch: np.ndarray, stride: tuple[int, int]) -> np.ndarray:
    """``stride - 1`` zero rows/columns between neighbouring cells of ``(N, C, H, W)``."""
    n, channels, height, width = batch.shape
    sh, sw = stride
    spread = np.zeros((n, channels, (height - 1) * sh + 1, (width - 1) * sw + 1), batch.dtype)
    spread[:, :, ::sh, ::sw] = batch
    return spread


def border(batch: np.ndarray, sides: Sides) -> np.ndarray:
    """Zero-pad each side by ``sides``, cropping where a side is negative."""
    top, bottom, left, right = sides
    height, width = batch.shape[-2:]
    padded = np.zeros(batch.shape[:2] + (height + max(top, 0) + max(bottom, 0),
                                         width + max(left, 0) + max(right, 0)), batch.dtype)
    padded[:, :, max(top, 0):max(top, 0) + height, max(left, 0):max(left, 0) + width] = batch
    rows, cols = padded.shape[-2:]
    return padded[:, :, max(-top, 0):rows - max(-bottom, 0), max(-left, 0):cols - max(-right, 0)]


def gathered_weight(weight: np.ndarray, groups: int) -> np.ndarray:
    """``(C, O/G, kH, kW)`` to conv2d's ``(O, C/G, kH, kW)``: swap in/out per group, flip."""
    channels, group_out, kh, kw = weight.shape
    swapped = weight.reshape(groups, channels // groups, group_out, kh, kw).transpose(0, 2, 1, 3, 4)
    return np.ascontiguousarray(swapped.reshape(groups * group_out, channels // groups, kh, kw)
                                [:, :, ::-1, ::-1])


def gather_equivalent(call: TransposeCall) -> tuple[np.ndarray, np.ndarray]:
    """The direct convolution that gives the same output.

    ``conv2d(gathered_input, gathered_weight, call.bias, stride=1,
    dilation=spec.dilation, groups=spec.groups)`` equals the transposed
    convolution's output (unbatched if the call was).

    Returns
    -------
    gathered_input : numpy.ndarray
        The input with ``stride - 1`` zeros between cells (:func:`insert_zeros`)
        and the border of :func:`gather_sides`.
    gathered_weight : numpy.ndarray, shape (O, C / groups, kH, kW)
    """
    gathered = border(insert_zeros(call.batch, call.spec.stride), gather_sides(call.spec))
    return (gathered[0] if call.unbatched else gathered,
            gathered_weight(call.weight, call.spec.groups))
