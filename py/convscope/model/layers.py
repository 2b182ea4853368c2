"""The simple layers a model mixes with its convolutions, torch-exact in NumPy.

Each class takes torch's constructor arguments, prints torch's repr, and has
``__call__`` (forward in eval mode), ``output_shape(input_shape)``,
``parameter_count``, ``mac_count(input_shape)`` and ``window(input_shape)``: the
sliding-window geometry the receptive-field arithmetic reads (see geometry.py), or
None where a layer has none (Flatten, Linear, non-integer resampling).

Shape errors are torch's words as ValueError/TypeError (``ArgumentError``).
"""

from __future__ import annotations

import math

import numpy as np

from ..nn.conv import ParameterLayer, layer_dtype
from ..ops.arguments import ArgumentError, ArgumentTypeError, is_int, pair, positive_int
from ..text import shape_text
from .geometry import IDENTITY, Window


def _float(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ArgumentTypeError(name, f"{name} must be a number, got {type(value).__name__} "
                                      f"{value!r}")
    return float(value)


def _flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise ArgumentTypeError(name, f"{name} must be True or False, got {value!r}")
    return bool(value)


def _array(x) -> np.ndarray:
    x = np.asarray(x)
    if x.dtype.kind != "f":
        raise ArgumentTypeError("input", f"a model takes float input (torch's float32), "
                                         f"got dtype {x.dtype}; use x.astype(np.float32)")
    return x


class SimpleLayer:
    """What the parameter-free layers share: no parameters, no MACs, shape kept."""

    parameter_count = 0

    def output_shape(self, input_shape) -> tuple[int, ...]:
        return tuple(input_shape)

    def mac_count(self, input_shape) -> int:
        self.output_shape(input_shape)
        return 0

    def window(self, input_shape) -> Window | None:
        return IDENTITY

    def extra_repr(self) -> str:
        return ""

    def forward(self, x) -> np.ndarray:
        return self(x)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.extra_repr()})"


class Activation(SimpleLayer):
    """An elementwise function; ``inplace`` is kept for the repr (NumPy copies anyway)."""

    def __init__(self, inplace=False):
        self.inplace = _flag("inplace", inplace)

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""

    def __call__(self, x) -> np.ndarray:
        return self.function(_array(x))


class ReLU(Activation):
    @staticmethod
    def function(x):
        return np.maximum(x, x.dtype.type(0))  # NaN stays NaN, as in torch


class LeakyReLU(Activation):
    def __init__(self, negative_slope=0.01, inplace=False):
        self.negative_slope = _float("negative_slope", negative_slope)
        super().__init__(inplace)

    def extra_repr(self) -> str:
        text = f"negative_slope={self.negative_slope}"
        return text + (", inplace=True" if self.inplace else "")

    def function(self, x):
        return np.where(x > 0, x, x * x.dtype.type(self.negative_slope)).astype(x.dtype)


class GELU(Activation):
    def __init__(self, approximate="none"):
        if approximate not in ("none", "tanh"):
            raise ArgumentError("approximate", f"approximate argument must be either none or "
                                               f"tanh, got {approximate!r}")
        self.approximate = approximate
        self.inplace = False

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"

    def function(self, x):
        wide = x.astype(np.float64)
        if self.approximate == "tanh":
            inner = math.sqrt(2 / math.pi) * (wide + 0.044715 * wide ** 3)
            return (0.5 * wide * (1 + np.tanh(inner))).astype(x.dtype)
        # NumPy has no erf: math.erf per value is exact, and model maps are small
        erf = np.frompyfunc(math.erf, 1, 1)(wide / math.sqrt(2)).astype(np.float64)
        return (0.5 * wide * (1 + erf)).astype(x.dtype)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # exp of -|x| only: no overflow warnings at either end
    exp = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + exp), exp / (1 + exp)).astype(x.dtype)


class SiLU(Activation):
    @staticmethod
    def function(x):
        return (x * _sigmoid(x)).astype(x.dtype)


class Sigmoid(SimpleLayer):
    def __call__(self, x):
        return _sigmoid(_array(x))


class Tanh(SimpleLayer):
    def __call__(self, x):
        return np.tanh(_array(x))


class Identity(SimpleLayer):
    def __init__(self, *args, **kwargs):  # torch's Identity ignores its arguments
        pass

    def __call__(self, x):
        return np.asarray(x)


class Dropout(SimpleLayer):
    """Dropout in eval mode: the identity (training-mode masks are random in torch too)."""

    def __init__(self, p=0.5, inplace=False):
        p = _float("p", p)
        if not 0 <= p <= 1:
            raise ArgumentError("p", f"dropout probability has to be between 0 and 1, but got {p}")
        self.p, self.inplace = p, _flag("inplace", inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"

    def __call__(self, x):
        return _array(x)


class Dropout2d(Dropout):
    pass


def _dimension(dim: int, ndim: int) -> int:
    """A dim index checked as torch's ``maybe_wrap_dim`` does (a 0-d tensor counts as 1-d)."""
    rank = max(ndim, 1)
    if not -rank <= dim < rank:
        raise ArgumentError("input", f"Dimension out of range (expected to be in range of "
                                     f"[{-rank}, {rank - 1}], but got {dim})")
    return dim % rank


class Flatten(SimpleLayer):
    def __init__(self, start_dim=1, end_dim=-1):
        for name, value in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not is_int(value):
                raise ArgumentTypeError(name, f"{name} must be an int, got {value!r}")
        self.start_dim, self.end_dim = int(start_dim), int(end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        start, end = _dimension(self.start_dim, len(shape)), _dimension(self.end_dim, len(shape))
        if not shape:
            return (1,)
        if start > end:
            raise ArgumentError("start_dim", "flatten() has invalid args: start_dim cannot "
                                             "come after end_dim")
        return shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:]

    def window(self, input_shape):
        return None

    def __call__(self, x):
        x = _array(x)
        return x.reshape(self.output_shape(x.shape))


class Linear(ParameterLayer):
    """``torch.nn.Linear``: ``x @ weight.T + bias`` on the last axis."""

    WEIGHT_AXES = "(out_features, in_features)"

    def __init__(self, in_features, out_features, bias=True, *, dtype=np.float32, rng=None):
        self.in_features = positive_int("in_features", in_features)
        self.out_features = positive_int("out_features", out_features)
        if not isinstance(bias, (bool, np.bool_)):
            raise ArgumentTypeError("bias", f"bias must be True or False, got {bias!r}")
        self.dtype = layer_dtype(dtype)
        self.out_channels = self.out_features  # what ParameterLayer's bias checks read
        self._init_parameters(bool(bias), rng)

    @property
    def weight_shape(self):
        return (self.out_features, self.in_features)

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if not shape or shape[-1] != self.in_features:
            rows = math.prod(shape[:-1]) if shape else 1
            last = shape[-1] if shape else 1
            raise ArgumentError("input", f"mat1 and mat2 shapes cannot be multiplied "
                                         f"({rows}x{last} and {self.in_features}x"
                                         f"{self.out_features}); the input's last dimension "
                                         f"must be in_features={self.in_features}")
        return shape[:-1] + (self.out_features,)

    def mac_count(self, input_shape) -> int:
        return math.prod(self.output_shape(input_shape)) * self.in_features

    def window(self, input_shape):
        return None

    def __call__(self, x):
        x = self._checked_input(x)
        self.output_shape(x.shape)
        out = x @ self.weight.T
        return out + self.bias if self.bias is not None else out

    forward = __call__

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class BatchNorm2d:
    """``torch.nn.BatchNorm2d`` in eval mode: the running statistics normalise.

    With ``track_running_stats=False`` torch normalises by the batch's own statistics
    even in eval mode, and so does this.
    """

    def __init__(self, num_features, eps=1e-5, momentum=0.1, affine=True,
                 track_running_stats=True, bias=True, *, dtype=np.float32):
        self.num_features = positive_int("num_features", num_features)
        self.eps, self.momentum = _float("eps", eps), momentum
        if momentum is not None:
            self.momentum = _float("momentum", momentum)
        self.affine = _flag("affine", affine)
        self.track_running_stats = _flag("track_running_stats", track_running_stats)
        self.has_bias = _flag("bias", bias) and self.affine
        self.dtype = layer_dtype(dtype)
        channels = (self.num_features,)
        self.weight = np.ones(channels, self.dtype) if self.affine else None
        self.bias = np.zeros(channels, self.dtype) if self.has_bias else None
        self.running_mean = np.zeros(channels, self.dtype) if track_running_stats else None
        self.running_var = np.ones(channels, self.dtype) if track_running_stats else None

    @property
    def parameter_count(self) -> int:
        return sum(p.size for p in (self.weight, self.bias) if p is not None)

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ArgumentError("input", f"expected 4D input (got {len(shape)}D input); "
                                         "BatchNorm2d takes (N, C, H, W)")
        if shape[1] != self.num_features:
            raise ArgumentError("input", f"running_mean should contain {shape[1]} elements not "
                                         f"{self.num_features}: the input has {shape[1]} "
                                         f"channels, BatchNorm2d({self.num_features}) expects "
                                         f"{self.num_features}")
        return shape

    def mac_count(self, input_shape) -> int:
        # eval mode folds into one scale-and-shift: one multiply-accumulate per value
        return math.prod(self.output_shape(input_shape))

    def window(self, input_shape):
        return IDENTITY

    def __call__(self, x):
        x = _array(x)
        self.output_shape(x.shape)
        wide = x.astype(np.float64)
        if self.running_mean is not None:
            mean, var = self.running_mean.astype(np.float64), self.running_var.astype(np.float64)
        else:
            mean, var = wide.mean(axis=(0, 2, 3)), wide.var(axis=(0, 2, 3))
        scale = 1 / np.sqrt(var + self.eps)
        if self.weight is not None:
            scale = scale * self.weight
        shift = -mean * scale + (self.bias if self.bias is not None else 0)
        return (wide * scale[:, None, None] + shift[:, None, None]).astype(x.dtype)

    forward = __call__

    def __repr__(self) -> str:
        return (f"BatchNorm2d({self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, bias={self.has_bias}, "
                f"track_running_stats={self.track_running_stats})")


def _planes(name: str, shape: tuple) -> tuple:
    """(C, H, W) or (N, C, H, W), checked with torch's adaptive-pool words."""
    if len(shape) not in (3, 4):
        raise ArgumentError("input", f"{name}(): Expected 3D or 4D tensor, but got "
                                     f"{shape_text(shape)}")
    for axis in range(len(shape) - 3, len(shape)):
        if shape[axis] == 0:
            raise ArgumentError("input", f"{name}(): Expected input to have non-zero size for "
                                         f"non-batch dimensions, but input has sizes "
                                         f"{shape_text(shape)} with dimension {axis} being empty")
    return shape


class AdaptivePool2d(SimpleLayer):
    """Adaptive pooling: output cell i reads rows floor(i·H/out) to ceil((i+1)·H/out)."""

    FUNCTION = ""

    def __init__(self, output_size):
        sizes = output_size if isinstance(output_size, (tuple, list)) else (output_size,) * 2
        if len(sizes) != 2 or not all(s is None or (is_int(s) and s >= 0) for s in sizes):
            raise ArgumentError("output_size", f"output_size must be an int or a pair of ints "
                                               f"(or None to keep a side), got {output_size!r}")
        self.output_size = tuple(output_size) if isinstance(output_size, list) else output_size
        self._sizes = tuple(sizes)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"

    def _out(self, height, width):
        return tuple(size if wanted is None else wanted
                     for size, wanted in zip((height, width), self._sizes))

    def output_shape(self, input_shape):
        shape = _planes(self.FUNCTION, tuple(input_shape))
        return shape[:-2] + self._out(*shape[-2:])

    def window(self, input_shape):
        sizes = tuple(input_shape)[-2:]
        outs = self._out(*sizes)
        if any(out == 0 or size % out for size, out in zip(sizes, outs)):
            return None  # windows of unequal size: no single geometry
        kernel = tuple(size // out for size, out in zip(sizes, outs))
        return Window(kernel, kernel, (0, 0), (1, 1))

    def __call__(self, x):
        x = _array(x)
        out_h, out_w = self.output_shape(x.shape)[-2:]
        height, width = x.shape[-2:]
        out = np.empty(x.shape[:-2] + (out_h, out_w), x.dtype)
        for i in range(out_h):
            top, bottom = i * height // out_h, -(-(i + 1) * height // out_h)
            for j in range(out_w):
                left, right = j * width // out_w, -(-(j + 1) * width // out_w)
                out[..., i, j] = self.reduce(x[..., top:bottom, left:right])
        return out


class AdaptiveAvgPool2d(AdaptivePool2d):
    FUNCTION = "adaptive_avg_pool2d"

    @staticmethod
    def reduce(cells):
        return cells.astype(np.float64).mean(axis=(-2, -1))


class AdaptiveMaxPool2d(AdaptivePool2d):
    FUNCTION = "adaptive_max_pool2d"

    def __init__(self, output_size, return_indices=False):
        if return_indices is not False:
            raise ArgumentError("return_indices", "return_indices=True gives a tuple, which "
                                                  "the next layer of a model cannot take; "
                                                  "use return_indices=False")
        super().__init__(output_size)
        self.return_indices = False

    @staticmethod
    def reduce(cells):
        return cells.max(axis=(-2, -1))  # NaN wins, as in torch


class Upsample(SimpleLayer):
    """``nn.Upsample(mode='nearest')`` with ``scale_factor`` or ``size``, on (N, C, H, W).

    torch's nearest rule: output index o reads input ``min(floor(o · s), in − 1)`` with
    ``s = float32(1 / scale_factor)`` (or ``in / out`` given a size), in float32.
    """

    def __init__(self, size=None, scale_factor=None, mode="nearest", align_corners=None,
                 recompute_scale_factor=None):
        if mode != "nearest":
            raise ArgumentError("mode", f"mode={mode!r} is not supported here; "
                                        "convscope's Upsample is mode='nearest'")
        if align_corners is not None or recompute_scale_factor is not None:
            raise ArgumentError("align_corners", "align_corners and recompute_scale_factor "
                                                 "do not apply to mode='nearest'; leave them out")
        if (size is None) == (scale_factor is None):
            raise ArgumentError("size", "either size or scale_factor should be defined, "
                                        "not both" if size is not None else
                                "either size or scale_factor should be defined")
        self.mode = mode
        self.size = size if not isinstance(size, list) else tuple(size)
        if size is not None:
            self._size = pair("size", size)
            self.scale_factor = None
        else:
            factors = scale_factor if isinstance(scale_factor, (tuple, list)) \
                else (scale_factor, scale_factor)
            if len(factors) != 2:
                raise ArgumentError("scale_factor", f"scale_factor must be a number or a pair, "
                                                    f"got {scale_factor!r}")
            factors = tuple(_float("scale_factor", f) for f in factors)
            if min(factors) <= 0:
                raise ArgumentError("scale_factor", f"scale_factor must be positive, "
                                                    f"got {scale_factor!r}")
            self.scale_factor = factors if isinstance(scale_factor, (tuple, list)) \
                else factors[0]
            self._factors = factors
            self._size = None

    def extra_repr(self) -> str:
        if self.scale_factor is not None:
            return f"scale_factor={self.scale_factor!r}, mode={self.mode!r}"
        return f"size={self.size!r}, mode={self.mode!r}"

    def _out(self, height, width):
        if self._size is not None:
            return self._size
        return (math.floor(height * self._factors[0]), math.floor(width * self._factors[1]))

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) != 4:
            raise ArgumentError("input", f"Input Error: Only 4D (N, C, H, W) input is supported "
                                         f"by this Upsample (got {len(shape)}D)")
        out_h, out_w = self._out(*shape[2:])
        if min(shape[2:]) < 1 or out_h < 1 or out_w < 1:
            raise ArgumentError("scale_factor", f"Input and output sizes should be greater than "
                                                f"0, but got input (H: {shape[2]}, W: {shape[3]}) "
                                                f"output (H: {out_h}, W: {out_w})")
        return shape[:2] + (out_h, out_w)

    def _sources(self, size: int, out: int, axis: int) -> np.ndarray:
        if out == size:
            return np.arange(out)
        if out == 2 * size:
            return np.arange(out) >> 1
        if self._size is None:
            scale = np.float32(1.0 / self._factors[axis])
        else:
            scale = np.float32(size) / np.float32(out)
        positions = np.floor(np.arange(out, dtype=np.float32) * scale).astype(np.int64)
        return np.minimum(positions, size - 1)

    def window(self, input_shape):
        out = self.output_shape(input_shape)[2:]
        return IDENTITY if tuple(out) == tuple(input_shape)[2:] else None

    def __call__(self, x):
        x = _array(x)
        out_h, out_w = self.output_shape(x.shape)[2:]
        rows = self._sources(x.shape[2], out_h, 0)
        cols = self._sources(x.shape[3], out_w, 1)
        return x[:, :, rows[:, None], cols[None, :]]


class ZeroPad2d(SimpleLayer):
    """Zeros around the last two axes: ``padding`` (left, right, top, bottom); negative crops."""

    def __init__(self, padding):
        if is_int(padding):
            padding = (int(padding),) * 4
        if not isinstance(padding, (tuple, list)) or len(padding) != 4 or \
                not all(is_int(p) for p in padding):
            raise ArgumentError("padding", f"padding must be an int or 4 ints (left, right, "
                                           f"top, bottom), got {padding!r}")
        self.padding = tuple(int(p) for p in padding)

    def extra_repr(self) -> str:
        return f"{self.padding}"

    def output_shape(self, input_shape):
        shape = tuple(input_shape)
        if len(shape) < 2:
            raise ArgumentError("input", f"Padding length too large: ZeroPad2d pads the last "
                                         f"two dimensions, the input has {len(shape)}")
        left, right, top, bottom = self.padding
        out_h, out_w = shape[-2] + top + bottom, shape[-1] + left + right
        if out_h < 0 or out_w < 0:
            raise ArgumentError("padding", f"narrow(): length must be non-negative: padding "
                                           f"{self.padding} crops more than the input "
                                           f"{shape_text(shape)} has")
        return shape[:-2] + (out_h, out_w)

    def window(self, input_shape):
        left, _, top, _ = self.padding
        return Window((1, 1), (1, 1), (top, left), (1, 1))

    def __call__(self, x):
        x = _array(x)
        shape = self.output_shape(x.shape)
        left, right, top, bottom = self.padding
        out = np.zeros(shape, x.dtype)
        height, width = x.shape[-2:]
        # the part of the input that stays, and where it lands (negative padding crops)
        src_rows = slice(max(-top, 0), height - max(-bottom, 0))
        src_cols = slice(max(-left, 0), width - max(-right, 0))
        dst_rows = slice(max(top, 0), max(top, 0) + max(src_rows.stop - src_rows.start, 0))
        dst_cols = slice(max(left, 0), max(left, 0) + max(src_cols.stop - src_cols.start, 0))
        if dst_rows.stop > dst_rows.start and dst_cols.stop > dst_cols.start:
            out[..., dst_rows, dst_cols] = x[..., src_rows, src_cols]
        return out
