"""Read a visualizer link's hash (``#in_channels=1&kernel_size=3x5&...``) in Python.

The page's own parser is web/js/state.js; this one reads the same keys with the same
defaults (a test compares the two) so a link copied from the page drives the CLI.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

DEFAULTS = {
    "in_channels": 1, "out_channels": 2, "kernel_size": [3, 3], "stride": [1, 1],
    "padding": [1, 1], "dilation": [1, 1], "groups": 1, "bias": True, "padding_mode": "zeros",
    "input_size": [5, 5], "batch": 1, "input": "arange", "weights": "random", "seed": 0,
    "input_edits": [], "weight_edits": [], "step": 0,
}
PAIRS = ("kernel_size", "stride", "dilation", "input_size")
INTS = ("in_channels", "out_channels", "groups", "batch", "seed", "step")


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


def parse_link(text: str) -> dict:
    """A page link (or just its hash) -> the page state; raises ValueError on a bad value."""
    state = {key: (list(value) if isinstance(value, list) else value)
             for key, value in DEFAULTS.items()}
    for part in filter(None, text.split("#", 1)[-1].split("&")):
        key, _, value = part.partition("=")
        key, value = unquote(key), unquote(value)
        if key not in DEFAULTS:
            raise ValueError(f"unknown setting {key!r} in the link")
        try:
            if key in PAIRS:
                parsed = _pair(value)
            elif key == "padding":
                parsed = value if value in ("same", "valid") else _pair(value)
            elif key in INTS:
                parsed = int(value)
            elif key == "bias":
                parsed = {"true": True, "false": False, "1": True, "0": False}[value.lower()]
            elif key.endswith("_edits"):
                parsed = _edits(value)
            else:
                parsed = value
        except (ValueError, KeyError):
            parsed = None
        if parsed is None:
            raise ValueError(f"{key}: {value!r} is not a valid value")
        state[key] = parsed
    return state
