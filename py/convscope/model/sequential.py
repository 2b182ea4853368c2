"""``Sequential``: torch's container, its repr, forward in eval mode, and a summary.

A model's layers run in order; nested Sequentials are flattened for the summary and
for forward (a path such as ``features.3`` names each layer). The first layer that
cannot take what reaches it raises torch's message, prefixed with the layer's path
and repr, as a :class:`LayerError` (ValueError) or :class:`LayerTypeError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..kinds import kind_for_layer
from ..ops.arguments import ArgumentError, ArgumentTypeError
from .geometry import INPUT_FIELD, Window, next_field


class LayerError(ArgumentError):
    """A layer of a model refused its input: ``.path`` and ``.index`` say which."""

    def __init__(self, message: str, path: str, index: int):
        super().__init__("layer", message)
        self.path, self.index = path, index


class LayerTypeError(ArgumentTypeError):
    """As :class:`LayerError`, where torch's own error is a type error."""

    def __init__(self, message: str, path: str, index: int):
        super().__init__("layer", message)
        self.path, self.index = path, index


def window_of(layer, input_shape) -> Window | None:
    """The window of ``layer``'s output cells: its kind's (convscope's own layers) or its
    own (the model's simple layers answer ``window``)."""
    kind = kind_for_layer(layer)
    if kind is None:
        return layer.window(input_shape)
    window = kind.window(layer, input_shape)
    return None if window is None else Window(*window)


def macs_of(layer, input_shape) -> int:
    """Multiply-accumulates: conv ``out cells · in/groups · kH · kW``, linear ``out · in``,
    0 for layers without parameters."""
    counter = getattr(layer, "mac_count", None)
    return int(counter(input_shape)) if counter else 0


@dataclass(frozen=True)
class Row:
    """One layer of a summary (nested Sequentials flattened)."""

    index: int                 # position among the flattened layers, from 0
    path: str                  # torch's module path: "3", "features.0", "conv1"
    name: str                  # the layer's repr
    input_shape: tuple
    output_shape: tuple
    parameters: int            # trainable values
    macs: int
    receptive_field: tuple | None  # (h, w) input pixels; None once no window is shared
    jump: tuple | None             # (h, w) input pixels between neighbouring outputs
    start: tuple | None            # (h, w) centre of the first output's field

    def as_dict(self) -> dict:
        def listed(value):
            return list(value) if isinstance(value, tuple) else value
        return {key: listed(value) for key, value in self.__dict__.items()}


def _add_indent(text: str) -> str:
    """torch's ``_addindent``: every line after the first two spaces deeper."""
    first, *rest = text.split("\n")
    return "\n".join([first] + ["  " + line for line in rest])


class Sequential:
    """``torch.nn.Sequential`` of convscope layers: ``Sequential(a, b)`` or
    ``Sequential(OrderedDict(name=layer, ...))``."""

    def __init__(self, *layers):
        if len(layers) == 1 and isinstance(layers[0], dict):
            items = list(layers[0].items())
        else:
            items = [(str(i), layer) for i, layer in enumerate(layers)]
        for name, _ in items:
            if not isinstance(name, str) or not name or "." in name:
                raise ArgumentError("name", f"module name must be a non-empty string without "
                                            f"'.', got {name!r}")
        self._modules = dict(items)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def named_children(self):
        return list(self._modules.items())

    def _key(self, index: int) -> str:
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)):
            raise ArgumentTypeError("index", f"Sequential indices must be integers or slices, "
                                             f"not {type(index).__name__}")
        if not -len(self) <= index < len(self):
            raise ArgumentError("index", f"index {index} is out of range: the model has "
                                         f"{len(self)} layers")
        return list(self._modules)[index]

    def __getitem__(self, index):
        if isinstance(index, slice):
            return Sequential(dict(list(self._modules.items())[index]))
        return self._modules[self._key(index)]

    def __setitem__(self, index, layer):
        self._modules[self._key(index)] = layer

    def __getattr__(self, name):  # model.conv1, as torch allows
        modules = self.__dict__.get("_modules", {})
        if name in modules:
            return modules[name]
        raise AttributeError(f"'Sequential' object has no attribute {name!r}")

    def __repr__(self) -> str:
        if not self._modules:
            return "Sequential()"
        lines = [f"({name}): {_add_indent(repr(layer))}" for name, layer in self._modules.items()]
        return "Sequential(\n  " + "\n  ".join(lines) + "\n)"

    def layers(self, prefix: str = "") -> list[tuple[str, object]]:
        """Every layer with its path, nested Sequentials flattened (torch's module paths)."""
        flat = []
        for name, layer in self._modules.items():
            path = prefix + name
            if isinstance(layer, Sequential):
                flat.extend(layer.layers(path + "."))
            else:
                flat.append((path, layer))
        return flat

    @property
    def parameter_count(self) -> int:
        """Trainable values; a layer used twice counts once, as torch's parameters() do."""
        unique = {id(layer): layer for _, layer in self.layers()}
        return sum(int(getattr(layer, "parameter_count", 0)) for layer in unique.values())

    @staticmethod
    def _refused(error: Exception, index: int, path: str, layer) -> Exception:
        message = f"layer {path} ({repr(layer).splitlines()[0]}): {error}"
        cls = LayerTypeError if isinstance(error, TypeError) else LayerError
        return cls(message, path, index)

    def activations(self, x) -> list[np.ndarray]:
        """Every flattened layer's output for input ``x``, in order."""
        outputs = []
        for index, (path, layer) in enumerate(self.layers()):
            try:
                x = layer(x)
            except (ValueError, TypeError) as error:
                raise self._refused(error, index, path, layer) from error
            outputs.append(x)
        return outputs

    def __call__(self, x) -> np.ndarray:
        """Forward in eval mode (BatchNorm2d's running statistics, Dropout off)."""
        outputs = self.activations(x)
        return outputs[-1] if outputs else np.asarray(x)

    forward = __call__

    def summary(self, input_shape) -> list[Row]:
        """One :class:`Row` per flattened layer, from shapes alone (nothing is computed)."""
        shape = tuple(int(d) for d in input_shape)
        field = INPUT_FIELD if len(shape) >= 2 else None
        rows = []
        for index, (path, layer) in enumerate(self.layers()):
            try:
                out = tuple(int(d) for d in layer.output_shape(shape))
                macs = macs_of(layer, shape)
                window = window_of(layer, shape)
            except (ValueError, TypeError) as error:
                raise self._refused(error, index, path, layer) from error
            field = next_field(field, window)
            rows.append(Row(index, path, repr(layer).splitlines()[0], shape, out,
                            int(getattr(layer, "parameter_count", 0)), macs,
                            *(field if field else (None, None, None))))
            shape = out
        return rows


def totals(rows: list[Row], model: Sequential) -> dict:
    """The summary's last line: parameters (each layer once), MACs, output elements."""
    return {"parameters": model.parameter_count,
            "macs": sum(row.macs for row in rows),
            "activations": sum(math.prod(row.output_shape) for row in rows)}
