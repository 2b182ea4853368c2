"""``convscope.link``: a visualizer link that opens the same view on the site.

A link carries a layer's settings and, as typed-in cells, its weights and input (the
page's ``weight_edits`` / ``input_edits`` over a preset). It cannot carry a bias other
than the presets' (random from the seed, or zero) nor more cells than the page reads
from a link: then it keeps the setup with the page's weights or input and warns.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..limits import LINK_EDITS
from ..page.link import format_link, format_value
from .shown import page_objects, resolve

#: the longest edits value, and the largest index, the page reads from a link
MAX_EDITS_TEXT = LINK_EDITS["max_text"]
MAX_EDIT_INDEX = 10 ** LINK_EDITS["index_digits"] - 1


def cell_edits(wanted: np.ndarray, preset: np.ndarray) -> list | None:
    """Cells where ``wanted`` differs from ``preset`` as the page's edits, or None when the
    page could not read them back (too long a link, too large an index)."""
    differ = np.argwhere(wanted != preset)
    if differ.size and differ.max() > MAX_EDIT_INDEX:
        return None
    edits = [[*map(int, index), float(wanted[tuple(index)])] for index in differ]
    return edits if len(format_value(edits)) <= MAX_EDITS_TEXT else None


def link(obj, x=None, base: str = "", **settings) -> str:
    """A link to the visualizer page showing ``obj`` (a layer, a link or a hash) on ``x``.

    Parameters
    ----------
    obj : convscope layer, torch module (Conv2d, ConvTranspose2d, MaxPool2d, AvgPool2d),
        page link or ``#hash``
    x : array or tensor, optional
        ``(N, C, H, W)`` or ``(C, H, W)``; None keeps the page's input preset.
    base : str
        The page's address, e.g. ``"https://example.org/convscope/"``; empty: the hash alone.
    **settings
        Page settings of the view (``view="gather"``, ``input_size=7``, ...).

    Returns
    -------
    str
        ``base + "#..."``: the page rebuilds the same numbers where a link can carry them
        (see the module docstring; a ``UserWarning`` says when it cannot).
    """
    shown = resolve(obj, x, settings)
    state = dict(shown.state)
    page_layer, page_x = page_objects(state)
    if getattr(shown.layer, "weight", None) is not None and not (
            np.array_equal(page_layer.weight, shown.layer.weight)
            and _same_bias(page_layer.bias, shown.layer.bias)):
        state = _carry_weights(state, shown.layer)
    if not np.array_equal(page_x, shown.x):
        edits = cell_edits(shown.x, page_objects({**state, "input_edits": []})[1])
        if edits is None:
            warnings.warn("the input has too many cells for a link: the link keeps its shape "
                          "with the page's input preset", UserWarning, stacklevel=2)
        else:
            state["input_edits"] = edits
    if base and not base.endswith(("/", ".html")):
        base += "/"
    return f"{base}{format_link(state)}"


def _same_bias(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None
                                         and np.array_equal(a, b))


def _carry_weights(state: dict, layer) -> dict:
    """``state`` with the layer's weights as edits over the ``ones`` preset (whose bias is
    zero), or unchanged with a warning when a link cannot carry them."""
    if layer.bias is not None and np.any(layer.bias != 0):
        warnings.warn("a link cannot carry a bias other than the page's presets': it keeps "
                      "the layer's setup with the page's random weights", UserWarning,
                      stacklevel=3)
        return state
    ones = {**state, "weights": "ones", "weight_edits": []}
    edits = cell_edits(layer.weight, page_objects(ones)[0].weight)
    if edits is None:
        warnings.warn("the layer has too many weights for a link: it keeps the layer's "
                      "setup with the page's random weights", UserWarning, stacklevel=3)
        return state
    return {**ones, "weight_edits": edits}
