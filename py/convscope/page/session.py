"""A Session per view on the page: its setup and the traced run the page draws.

The visualizer's worker (through :mod:`convscope.methods`) calls :meth:`Session.compute`
with the page state (torch's argument names, as in the URL hash) and draws what comes
back; every number, shape and error message the page shows comes from here.
"""

from __future__ import annotations

import numpy as np

from ..kinds import kind_of
from ..limits import PAGE
from ..ops.arguments import ArgumentError, is_int, pair, positive_int
from .inputs import apply_edits, make_input
from .pictures import check_picture


def error_answer(error: Exception) -> dict:
    """A refusal for the page; convscope's errors name the argument, the control to flag."""
    return {"error": {"field": getattr(error, "argument", ""), "message": str(error)}}


def check_limits(config: dict) -> None:
    """Refuse settings too large for a browser tab, naming the cap."""
    for field, limit in PAGE.items():
        values = config.get(field)
        if isinstance(values, str) or values is None:
            continue
        values = values if isinstance(values, (tuple, list)) else (values,)
        if any(isinstance(v, int) and v > limit for v in values):
            raise ArgumentError(field, f"{field} is limited to {limit} on this page "
                                    f"(got {config[field]}) to keep the browser responsive")


def page_input_shape(config: dict, kind) -> tuple[int, int, int, int]:
    """The input shape ``(N, C, H, W)`` a page state asks for, its sizes and seed checked."""
    height, width = pair("input_size", config["input_size"])
    if height < 1 or width < 1:
        raise ArgumentError("input_size", f"input_size must be at least 1x1, "
                                          f"got {height}x{width}")
    batch = positive_int("batch", config["batch"])
    seed = config["seed"]
    if not is_int(seed) or not 0 <= seed < 2**32:
        raise ArgumentError("seed", f"seed must be a whole number from 0 to {2**32 - 1}, "
                                    f"got {seed!r}")
    return batch, positive_int("in_channels", kind.in_channels(config)), height, width


def page_input(config: dict, input_shape, picture=None) -> np.ndarray:
    """The input a page state describes: its preset at ``input_shape``, with the cells the
    user typed in (``picture``: the user's own, for the preset "picture")."""
    return apply_edits(make_input(config["input"], input_shape, config["seed"], picture),
                       config.get("input_edits", ()), "input_edits")


class Session:
    """The engine state behind one page: the current setup and its traced run."""

    def __init__(self):
        self.run = None
        self.config = None
        self.picture = None  # the user's own (rgba, width, height): input preset "picture"
        self.held = {}  # what higher layers keep for this view (model mode's parsed model)

    def compute(self, config: dict) -> dict:
        """Everything the page shows for a setup, or ``{"error": {field, message}}``.

        ``config`` holds ``layer`` (absent: conv2d), the kind's torch argument names, and
        the data settings: ``input_size`` (h, w), ``batch``, ``input`` and ``weights``
        presets, ``seed`` and typed-in cells.
        """
        try:
            return self._compute(config)
        except (ValueError, TypeError) as error:
            return error_answer(error)
        except KeyError as error:  # a setting the kind needs is not in the state
            name = str(error.args[0])
            return error_answer(ArgumentError(name, f"the setup has no {name}; give {name} "
                                                    f"(see nn.{kind_of(config).title}'s "
                                                    "arguments)"))

    def _compute(self, config: dict) -> dict:
        kind = kind_of(config)
        check_limits(config)
        layer = kind.layer(config)
        input_shape = page_input_shape(config, kind)
        kind.check_work(layer, input_shape)
        if kind.weight_presets:
            kind.set_weights(layer, config["weights"], config["seed"])
            layer.weight = apply_edits(layer.weight, config.get("weight_edits", ()),
                                       "weight_edits")
        x = page_input(config, input_shape, self.picture)
        return self.show(kind.run(config, layer, x), config)

    def show(self, run, config: dict) -> dict:
        """Make ``run`` (computed for page state ``config``) the view that steps, hovers and
        tables read, and answer its view."""
        self.run, self.config = run, dict(config)
        return run.view()

    def set_picture(self, rgba, width: int, height: int) -> dict:
        """Keep the user's picture (RGBA bytes, rows top to bottom) for input "picture".

        It stays in this session only: never in the page state, so never in a link.
        Answers ``{width, height}`` or ``{"error": ...}``; the next ``compute`` uses it.
        """
        try:
            pixels = check_picture(rgba, width, height)
        except ValueError as error:
            return error_answer(error)
        self.picture = (pixels.tobytes(), width, height)
        return {"width": width, "height": height}

    def _computed(self):
        if self.run is None:  # e.g. a restarted engine, asked before its first compute
            raise ArgumentError("", "nothing is computed yet: the view is being set up")
        return self.run

    def step(self, index: int) -> dict:
        """One step: the cells it reads and writes, its values and its arithmetic as text."""
        return self._computed().step(index)

    def snippet(self) -> str:
        """A runnable PyTorch script that rebuilds this view and checks its output."""
        return self._computed().snippet()

    def script(self) -> dict:
        """The page's form of :meth:`snippet`: {text} or {error} (nothing computed yet)."""
        try:
            return {"text": self.snippet()}
        except ValueError as error:
            return error_answer(error)

    def table(self, form: str) -> dict:
        """The step table of the current view as CSV or JSON text (``form``): {text} or
        {error}."""
        try:
            return {"text": self._computed().table(form)}
        except ValueError as error:
            return error_answer(error)

    def touching(self, channel: int, row: int, col: int) -> dict:
        """Output cells whose windows read input pixel ``(channel, row, col)``."""
        return self._computed().touching(channel, row, col)
