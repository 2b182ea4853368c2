"""Normalise and check Conv2d arguments once, the way torch's ``_pair`` does.

After :func:`conv_spec` every size is a tuple of ints and the padding is four
explicit sides, so the rest of the package never branches on "int or tuple".
Every check raises ``ValueError``/``TypeError`` where PyTorch raises, with a
message that says what is wrong and what would be right.
"""

from __future__ import annotations

import numbers
from typing import NamedTuple

PADDING_STRINGS = ("same", "valid")
PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


class ArgumentError(ValueError):
    """A ``ValueError`` that names the argument at fault (``.argument``)."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


class ArgumentTypeError(TypeError):
    """A ``TypeError`` that names the argument at fault (``.argument``)."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument


class Sides(NamedTuple):
    """Rows/columns of padding added on each side of the input."""

    top: int
    bottom: int
    left: int
    right: int


class ConvSpec(NamedTuple):
    """A Conv2d configuration with every argument in its normal form."""

    kernel_size: tuple[int, int]
    stride: tuple[int, int]
    padding: tuple[int, int] | str  # as torch keeps it: a pair, 'same' or 'valid'
    dilation: tuple[int, int]
    groups: int
    padding_mode: str
    sides: Sides  # the padding actually applied, after resolving 'same'/'valid'


def is_int(value) -> bool:
    """True for Python and NumPy integers, but not for bools."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def pair(name: str, value) -> tuple[int, int]:
    """Return ``value`` as an ``(h, w)`` pair of ints, like torch's ``_pair``.

    Parameters
    ----------
    name : str
        Argument name, used in the error message.
    value : int or sequence of two ints

    Returns
    -------
    tuple of int
    """
    if is_int(value):
        return (int(value), int(value))
    if isinstance(value, (tuple, list)) and all(is_int(v) for v in value):
        if len(value) == 2:
            return (int(value[0]), int(value[1]))
        raise ArgumentError(name,
            f"{name} must be an int or a pair of ints (h, w), "
            f"got {len(value)} values: {tuple(value)!r}"
        )
    raise ArgumentTypeError(name,
        f"{name} must be an int or a pair of ints (h, w), "
        f"got {type(value).__name__} {value!r}"
    )


def positive_int(name: str, value) -> int:
    """Check a channel count or group count: an int >= 1."""
    if not is_int(value):
        raise ArgumentTypeError(name, f"{name} must be an int, "
                                      f"got {type(value).__name__} {value!r}")
    if value < 1:
        raise ArgumentError(name, f"{name} must be a positive integer, got {value}")
    return int(value)


def at_least_one(name: str, value, torch_wording: str) -> tuple[int, int]:
    """A pair that torch requires to be >= 1 in both dimensions."""
    h, w = pair(name, value)
    if h < 1 or w < 1:
        raise ArgumentError(name, f"{torch_wording}, but got {name}=({h}, {w}); use values >= 1")
    return (h, w)


def same_padding(kernel_size, dilation) -> Sides:
    """Padding that keeps the size at stride 1; the odd extra goes bottom/right.

    Parameters
    ----------
    kernel_size, dilation : tuple of int

    Returns
    -------
    Sides
        ``total = dilation * (kernel - 1)`` per dimension, ``total // 2`` before
        and the rest after, exactly as torch splits it.
    """
    (kh, kw), (dh, dw) = kernel_size, dilation
    total_h, total_w = dh * (kh - 1), dw * (kw - 1)
    return Sides(total_h // 2, total_h - total_h // 2, total_w // 2, total_w - total_w // 2)


def padding_arg(padding, stride) -> tuple[int, int] | str:
    """Normalise ``padding``: a pair of ints, or the string 'same'/'valid'."""
    if isinstance(padding, str):
        if padding not in PADDING_STRINGS:
            raise ArgumentError("padding",
                f"Invalid padding string {padding!r}, should be 'same', 'valid', "
                "an int or a pair of ints"
            )
        if padding == "same" and stride != (1, 1):
            raise ArgumentError("padding",
                f"padding='same' is not supported for strided convolutions "
                f"(stride={stride}); use stride=1 or give the padding as numbers"
            )
        return padding
    return pair("padding", padding)


def conv_spec(kernel_size, stride=1, padding=0, dilation=1, groups=1,
              padding_mode="zeros") -> ConvSpec:
    """Check and normalise every Conv2d argument except the channel counts.

    Returns
    -------
    ConvSpec
    """
    if not is_int(groups):
        raise ArgumentTypeError("groups", f"groups must be an int, "
                                          f"got {type(groups).__name__} {groups!r}")
    if groups <= 0:
        raise ArgumentError("groups", f"groups must be a positive integer, got groups={groups}")
    if not isinstance(padding_mode, str) or padding_mode not in PADDING_MODES:
        raise ArgumentError("padding_mode",
            f"padding_mode must be one of {', '.join(map(repr, PADDING_MODES))}, "
            f"but got padding_mode={padding_mode!r}"
        )
    kernel_size = at_least_one("kernel_size", kernel_size,
                               "kernel size should be greater than zero")
    stride = at_least_one("stride", stride, "non-positive stride is not supported")
    dilation = at_least_one("dilation", dilation, "dilation should be greater than zero")
    padding = padding_arg(padding, stride)
    if padding == "same":
        sides = same_padding(kernel_size, dilation)
    elif padding == "valid":
        sides = Sides(0, 0, 0, 0)
    else:
        ph, pw = padding
        # torch crops with negative padding in the non-zero modes (it is F.pad),
        # but its convolution itself refuses it.
        if padding_mode == "zeros" and (ph < 0 or pw < 0):
            raise ArgumentError("padding",
                f"negative padding is not supported with padding_mode='zeros', "
                f"got padding=({ph}, {pw}); use padding >= 0"
            )
        sides = Sides(ph, ph, pw, pw)
    return ConvSpec(kernel_size, stride, padding, dilation, int(groups), padding_mode, sides)
