"""Read a visualizer link's hash (``#layer=max_pool2d&kernel_size=3x5&...``) in Python.

The page's own parser is web/js/state.js; both read the keys each layer kind declares
(``convscope.kinds``) with the same defaults (a test compares the two), so a link
copied from the page drives the CLI. A link without ``layer=`` is a Conv2d link.
"""

from __future__ import annotations

import copy
import re

import numpy as np

from ..kinds import DEFAULT_KIND, KINDS
from .settings import data_arguments


def fields(layer: str = DEFAULT_KIND) -> dict:
    """{key: Argument} of a kind's link: its arguments, then the data settings."""
    kind = KINDS[layer]
    found = {argument.name: argument for argument in kind.arguments}
    for argument in data_arguments():
        if argument.name in ("weights", "weight_edits") and not kind.weight_presets:
            continue
        found[argument.name] = argument
    return found


def defaults(layer: str = DEFAULT_KIND) -> dict:
    return {"layer": layer, **{key: copy.deepcopy(argument.default)
                               for key, argument in fields(layer).items()}}


def _pair(text: str):
    parts = re.split(r"[x×,]", text.strip("() "))
    if len(parts) == 1:
        parts = parts * 2
    return [int(p) for p in parts] if len(parts) == 2 else None


def _edits(text: str):
    edits = []
    for part in filter(None, text.split("|")):
        index, value = part.split(":")
        edits.append([*map(int, index.split(".")), float(value)])
    return edits


def _none(text: str) -> bool:
    return text == "" or text.lower() == "none"


PARSERS = {
    "int": int,
    "pair": _pair,
    "padding": lambda text: text if text in ("same", "valid") else _pair(text),
    "bool": lambda text: {"true": True, "false": False, "1": True, "0": False}[text.lower()],
    "edits": _edits,
    "optional_pair": lambda text: None if _none(text) else _pair(text),
    "optional_int": lambda text: None if _none(text) else int(text),
}
INVALID = object()


def _parse(argument, value: str):
    if argument.form == "choice":
        return value if value in argument.choices else INVALID
    try:
        parsed = PARSERS[argument.form](value)
    except (ValueError, KeyError):
        return INVALID
    return INVALID if parsed is None and not argument.form.startswith("optional") else parsed


def parse_link(text: str) -> dict:
    """A page link (or just its hash) -> the page state; raises ValueError on a bad value."""
    # imported here: `import convscope` loads this module, and the page's worker (which
    # imports convscope at every start) never reads a link
    from urllib.parse import unquote

    parts = [part.partition("=") for part in filter(None, text.split("#", 1)[-1].split("&"))]
    entries = [(unquote(key), unquote(value)) for key, _, value in parts]
    layer = dict(entries).get("layer", DEFAULT_KIND)
    if layer not in KINDS:
        raise ValueError(f"layer: {layer!r} is not one of {', '.join(KINDS)}")
    known = fields(layer)
    state = defaults(layer)
    everywhere = {key for name in KINDS for key in fields(name)}
    for key, value in entries:
        if key == "layer":
            continue
        if key not in known:
            if key in everywhere:
                raise ValueError(f"{key} is not an argument of nn.{KINDS[layer].title}")
            raise ValueError(f"unknown setting {key!r} in the link")
        parsed = _parse(known[key], value)
        if parsed is INVALID:
            raise ValueError(f"{key}: {value!r} is not a valid value")
        state[key] = parsed
    return state


def format_value(value) -> str:
    """A state value as the page writes it in a link (web/js/state.js's formatValue)."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)) and not value:  # no typed-in cells
        return ""
    if isinstance(value, (list, tuple)) and isinstance(value[0], (list, tuple)):
        return "|".join(".".join(str(i) for i in edit[:-1]) + f":{_edit_number(edit[-1])}"
                        for edit in value)
    if isinstance(value, (list, tuple)):
        return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"
    return str(value)


def _edit_number(value) -> str:
    """A typed-in value as short as it reads back exactly (as a float32, the page's type)."""
    if float(value).is_integer():
        return str(int(value))
    return np.format_float_positional(np.float32(value), unique=True, trim="-")


def format_link(state: dict) -> str:
    """The page state as a link's hash, key for key as the page writes it (``toHash``):
    ``layer`` only when it is not Conv2d, cell edits only when there are some, a quiet
    setting (the backward pass's) only away from its default."""
    from urllib.parse import quote  # here, as in parse_link

    parts = []
    for key, argument in fields(state["layer"]).items():
        if argument.form == "edits" and not state.get(key):
            continue
        if argument.quiet and format_value(state.get(key, argument.default)) == \
                format_value(argument.default):
            continue
        parts.append(f"{key}={quote(format_value(state[key]), safe=URI_SAFE)}")
    layer = [] if state["layer"] == DEFAULT_KIND else [f"layer={state['layer']}"]
    return "#" + "&".join(layer + parts)


#: what JavaScript's encodeURIComponent leaves as it is (besides letters, digits, -_.~)
URI_SAFE = "!*'()"
