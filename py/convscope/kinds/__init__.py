"""Every layer kind the page, the URL, practice and export know, by torch's functional name.

Links without ``layer=`` are Conv2d links: they all predate the other kinds.
"""

from __future__ import annotations

from ..ops.arguments import ArgumentError
from .base import Argument, LayerKind, Run
from .conv2d import CONV2D
from .conv_transpose2d import CONV_TRANSPOSE2D
from .pool2d import AVG_POOL2D, MAX_POOL2D

KINDS: dict[str, LayerKind] = {kind.name: kind for kind in (CONV2D, CONV_TRANSPOSE2D, MAX_POOL2D,
                                                         AVG_POOL2D)}
DEFAULT_KIND = CONV2D.name


def register(kind: LayerKind) -> LayerKind:
    """Add a kind under its ``name``: the page's manifest, links, step tables, model mode
    and practice then know it, as they know the ones above."""
    if kind.name in KINDS:
        raise ValueError(f"a layer kind named {kind.name!r} is already registered")
    KINDS[kind.name] = kind
    return kind


def kind_for_layer(layer) -> LayerKind | None:
    """The kind that steps through ``layer`` (a convscope layer object), or None."""
    return next((kind for kind in KINDS.values() if type(layer) is kind.layer_class), None)


def weight_presets() -> tuple[str, ...]:
    """Every weights preset some kind offers, in the kinds' order (the data setting
    ``weights`` chooses among them)."""
    return tuple(dict.fromkeys(preset for kind in KINDS.values() for preset in kind.weight_presets))


def kind_named(name) -> LayerKind:
    """The kind whose URL value is ``name``; a clear error for anything else."""
    if not isinstance(name, str) or name not in KINDS:
        raise ArgumentError("layer", f"unknown layer {name!r}; one of {', '.join(KINDS)}")
    return KINDS[name]


def kind_of(config: dict) -> LayerKind:
    return kind_named(config.get("layer", DEFAULT_KIND))


def layer_from(config: dict, rng=None):
    """The convscope layer a page state (torch's argument names) describes."""
    return kind_of(config).layer(config, rng=rng)


def torch_line(config: dict) -> str:
    """The ``nn.Xxx(...)`` call a user would write for this page state."""
    return kind_of(config).torch_line(config)


__all__ = ["Argument", "LayerKind", "Run", "KINDS", "DEFAULT_KIND", "kind_named", "kind_of",
           "layer_from", "torch_line", "weight_presets", "register",
           "kind_for_layer"]
