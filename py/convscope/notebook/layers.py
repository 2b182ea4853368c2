"""Layers the notebook widget shows, read by duck typing: a convscope layer or a torch module.

torch is never imported: a module is recognised by its class name (``Conv2d``,
``ConvTranspose2d``, ``MaxPool2d``, ``AvgPool2d``, each kind's ``title``) and read
through the attributes torch and convscope share (``kernel_size``, ``stride``, ...,
``weight``, ``bias``). The result is a fresh convscope layer with the same arguments
and a copy of the weights, so what the kernel computes is convscope's, and a later
change to the torch module does not move the view.
"""

from __future__ import annotations

import numpy as np

from ..kinds import KINDS
from ..nn.conv import layer_dtype
from ..page.link import defaults


def kinds_by_title() -> dict:
    """Every layer kind by its class name, which torch's and convscope's layers share
    (asked each time: a kind registered later too)."""
    return {kind.title: kind for kind in KINDS.values()}


def as_array(value) -> np.ndarray:
    """A NumPy array of ``value``: an array, a nested list, or a torch tensor (detached,
    moved to the CPU: its values copied, torch not imported)."""
    if hasattr(value, "detach") and hasattr(value, "cpu"):
        value = value.detach().cpu().numpy()
    return np.array(value)


def kind_for(obj):
    """The layer kind of a convscope layer or torch module; TypeError for anything else."""
    name = type(obj).__name__
    titles = kinds_by_title()
    if name in titles:
        return titles[name]
    if name == "Sequential":
        raise TypeError("a Sequential is a model: show one of its layers, e.g. "
                        "convscope.show(model[0], x)")
    raise TypeError(f"convscope.show takes a layer ({', '.join(kinds_by_title())}), a page "
                    f"link or a '#...' hash; got {name}")


def state_value(argument, value):
    """A layer attribute in the page state's form (lists for pairs, bool for bias)."""
    if argument.name == "bias":
        return value is not None and value is not False  # an array (or Parameter): True
    if argument.form in ("pair", "padding", "optional_pair") and value is not None \
            and not isinstance(value, str):
        pair = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
        return [int(pair[0]), int(pair[1])]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    return value


def layer_state(obj) -> dict:
    """The page state of ``obj``'s layer: its kind's defaults, with the constructor's
    arguments read from the object (the data settings keep their defaults)."""
    kind = kind_for(obj)
    state = defaults(kind.name)
    for argument in kind.arguments:
        if argument.data:
            continue
        if not hasattr(obj, argument.name):
            raise TypeError(f"{type(obj).__name__} has no attribute {argument.name!r}: "
                            f"not a layer convscope can read")
        state[argument.name] = state_value(argument, getattr(obj, argument.name))
    return state


def copy_layer(obj, state: dict):
    """A convscope layer built from ``state`` (convscope's checks, torch's errors) that holds
    a copy of ``obj``'s weight and bias, in their own dtype (float32 or float64)."""
    kind = kind_for(obj)
    layer = kind.layer(state)
    weight = getattr(obj, "weight", None)
    if kind.weight_presets and weight is not None:
        weight = as_array(weight)
        layer.dtype = layer_dtype(weight.dtype)
        layer.weight = weight
        bias = getattr(obj, "bias", None)
        layer.bias = None if bias is None else as_array(bias)
    return layer
