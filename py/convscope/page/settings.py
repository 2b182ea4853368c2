"""The page's settings beyond a layer kind's own: the data and view settings every kind
shares, and the manifest the page reads before Python runs."""

from __future__ import annotations

from ..kinds import DEFAULT_KIND, KINDS, Argument, weight_presets
from ..limits import LINK_EDITS, MAX_PICTURE_BYTES, MAX_PICTURE_SIDE
from .pictures import PICTURE_PRESETS

#: "picture" is the user's own (``Session.set_picture``): the only preset a link cannot carry.
INPUT_PRESETS = ("arange", "random", "digit", "edge", *PICTURE_PRESETS, "picture")

def data_arguments() -> tuple[Argument, ...]:
    """Settings of the data and the view, the same for every layer kind (after the kind's
    own); ``weights`` chooses among every registered kind's presets (asked each time, so a
    kind registered later brings its own)."""
    return (
        Argument("input_size", "pair", [5, 5], data=True),
        Argument("batch", "int", 1, data=True),
        Argument("input", "choice", "arange", choices=INPUT_PRESETS, data=True),
        Argument("weights", "choice", "random", choices=weight_presets(), data=True),
        Argument("seed", "int", 0, data=True),
        Argument("input_edits", "edits", [], data=True),   # n.c.row.col:value|...
        Argument("weight_edits", "edits", [], data=True),  # o.i.row.col:value|...
        Argument("step", "int", 0, data=True),
    )


#: The data settings of the kinds convscope ships (``data_arguments()`` as of import).
DATA_ARGUMENTS = data_arguments()


def manifest() -> dict:
    """Every kind's signature and the data settings: what the page reads before Python runs
    (the build writes it to js/kinds.js)."""
    return {"default": DEFAULT_KIND, "kinds": [kind.manifest() for kind in KINDS.values()],
            "data": [argument.as_dict() for argument in data_arguments()],
            "picture": {"max_side": MAX_PICTURE_SIDE, "max_file_bytes": MAX_PICTURE_BYTES},
            "link_edits": LINK_EDITS}
