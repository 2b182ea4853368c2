"""How the engine writes numbers, pairs and arrays for people: exact and short."""

from __future__ import annotations

import numpy as np

from .ops.arguments import pair


def number(value, dtype=np.float32) -> str:
    """The shortest text that reads back as exactly this float32/float64 value."""
    value = dtype(value)
    if not np.isfinite(value):
        return str(float(value))
    if value == 0 or 1e-4 <= abs(value) < 1e7:
        return np.format_float_positional(value, trim="-")
    return np.format_float_scientific(value, trim="-")


def short(value) -> str:
    """An int, a string, or a pair written as torch users write it: 1, 'same', (1, 2)."""
    if isinstance(value, str):
        return repr(value)
    h, w = pair("value", value)
    return str(h) if h == w else f"({h}, {w})"


def nested(array) -> str:
    """An array as nested Python lists of exact float32/float64 literals."""
    dtype = array.dtype.type
    if array.ndim == 0:
        return number(array, dtype)
    return "[" + ", ".join(nested(item) for item in array) + "]"


def tensor(array) -> str:
    """A ``torch.tensor(...)`` literal holding exactly this array."""
    return f"torch.tensor({nested(array)}, dtype=torch.{array.dtype.name})"


def shape_text(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"
