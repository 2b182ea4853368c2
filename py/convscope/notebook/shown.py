"""What a widget (or a link) shows: the page state, a convscope layer with its weights, and
the input, resolved from what the user hands ``convscope.show``.

The state is the page's (the URL hash's keys, as :func:`convscope.page.link.parse_link` gives
them): the view's controls and torch line read it; the layer and the input are the numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..kinds import KINDS, kind_of
from ..page.link import fields, parse_link
from ..page.session import Session, page_input, page_input_shape
from .layers import as_array, copy_layer, layer_state, state_value
from .session import prepare_run

#: settings that describe the input, which an array ``x`` sets instead
INPUT_SETTINGS = ("batch", "input_size", "input", "seed", "input_edits")
#: settings that describe the weights, which a layer object brings itself
WEIGHT_SETTINGS = ("weights", "weight_edits")


@dataclass
class Shown:
    state: dict           #: the page state (layer arguments, data settings, step)
    layer: object         #: a convscope layer holding the weights the view shows
    x: np.ndarray         #: the input, (N, C, H, W)
    steps: int            #: how many steps the run has


def page_objects(state: dict):
    """The layer and input the page itself would make of ``state`` (presets, seed, typed
    cells): ``(layer, x)``; ValueError with the page's message for a state it refuses."""
    session = Session()
    answer = session.compute(state)
    if "error" in answer:
        raise ValueError(answer["error"]["message"])
    return session.run.layer, page_input(state, page_input_shape(state, kind_of(state)))


def _settings(kind_name: str, settings: dict, from_layer: bool, with_x: bool) -> dict:
    """Page settings given as keywords (``view="gather"``, ``input_size=7``), in the
    state's form; TypeError for a key that is not a data setting of this kind or that
    the layer or ``x`` already decides."""
    known = fields(kind_name)
    arguments = {argument.name for argument in KINDS[kind_name].arguments if not argument.data}
    normalised = {}
    for key, value in settings.items():
        if key not in known or key == "step":
            raise TypeError(f"unknown setting {key!r} for nn.{KINDS[kind_name].title}; "
                            f"one of: {', '.join(k for k in known if k not in arguments)}")
        if from_layer and (key in arguments or key in WEIGHT_SETTINGS):
            raise TypeError(f"{key} comes from the layer: set it on the layer itself")
        if with_x and (key in INPUT_SETTINGS or key == "in_channels"):
            raise TypeError(f"{key} comes from x: pass another array instead")
        normalised[key] = state_value(known[key], value)
    return normalised


def batched(x) -> np.ndarray:
    """``x`` as ``(N, C, H, W)``: an unbatched ``(C, H, W)`` input is one sample."""
    x = as_array(x)
    if x.ndim == 3:
        x = x[None]
    if x.ndim != 4:
        raise ValueError(f"x must be (N, C, H, W) or (C, H, W), got shape {tuple(x.shape)}")
    return x


def resolve(obj, x=None, settings=None) -> Shown:
    """A layer (convscope's or torch's), a page link or a ``#hash``, with an optional input
    ``x``, as what a view shows. Raises torch's errors (ValueError/TypeError) for a layer
    and input that do not fit, and the page's for settings it refuses."""
    from_layer = not isinstance(obj, str)
    state = layer_state(obj) if from_layer else parse_link(obj)
    kind = KINDS[state["layer"]]
    state.update(_settings(kind.name, dict(settings or {}), from_layer, x is not None))
    if x is not None:
        x = batched(x)
        state.update(batch=int(x.shape[0]), input_size=[int(x.shape[2]), int(x.shape[3])])
        if any(argument.name == "in_channels" and argument.data for argument in kind.arguments):
            state["in_channels"] = int(x.shape[1])  # a pool's: the data's, not the layer's
    if from_layer:
        layer = copy_layer(obj, state)
        if x is None:  # the page's input preset for this state (checked as the page does)
            x = page_objects(state)[1]
    else:
        layer, page_x = page_objects(state)
        x = page_x if x is None else x
    run, _ = prepare_run(state, layer, x)
    return Shown(state, layer, x, run.steps)
