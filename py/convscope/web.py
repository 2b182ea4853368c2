"""The page's view of the engine: presets, and a Session per view on the page.

The visualizer's worker calls :meth:`Session.compute` with the page state
(torch's argument names, as in the URL hash) and draws what comes back; every
number, shape and error message the page shows comes from here.
"""

from __future__ import annotations

import numpy as np

from .arguments import ArgumentError, is_int, pair, positive_int
from .kinds import DEFAULT_KIND, KINDS, Argument, kind_of, layer_from, torch_line  # noqa: F401
from .kinds.conv2d import CONV2D
from .pictures import MAX_FILE_BYTES, MAX_SIDE, PICTURE_PRESETS, check_picture, preset_picture, \
    scale_picture
from .text import number  # noqa: F401  (the page's number format, used by tests and practice)

#: "picture" is the user's own (``Session.set_picture``): the only preset a link cannot carry.
INPUT_PRESETS = ("arange", "random", "digit", "edge", *PICTURE_PRESETS, "picture")

#: Settings of the data and the view, the same for every layer kind (after the kind's own).
DATA_ARGUMENTS = (
    Argument("input_size", "pair", [5, 5], data=True),
    Argument("batch", "int", 1, data=True),
    Argument("input", "choice", "arange", choices=INPUT_PRESETS, data=True),
    Argument("weights", "choice", "random", choices=CONV2D.weight_presets, data=True),
    Argument("seed", "int", 0, data=True),
    Argument("input_edits", "edits", [], data=True),   # n.c.row.col:value|...
    Argument("weight_edits", "edits", [], data=True),  # o.i.row.col:value|...
    Argument("step", "int", 0, data=True),
)

#: Largest settings the page accepts: beyond these a browser tab would stall.
LIMITS = {"in_channels": 16, "out_channels": 32, "batch": 4, "input_size": 128,
          "kernel_size": 15, "stride": 16, "padding": 32, "dilation": 16, "groups": 16,
          "output_padding": 16, "output_size": 512, "divisor_override": 10_000}

#: What a link may carry of typed-in cells: the edits text's length, and the digits of
#: each index (the page refuses longer ones before parsing).
LINK_EDITS = {"max_text": 4000, "index_digits": 4}


def manifest() -> dict:
    """Every kind's signature and the data settings: what the page reads before Python runs
    (the build writes it to js/kinds.js)."""
    return {"default": DEFAULT_KIND, "kinds": [kind.manifest() for kind in KINDS.values()],
            "data": [argument.as_dict() for argument in DATA_ARGUMENTS],
            "picture": {"max_side": MAX_SIDE, "max_file_bytes": MAX_FILE_BYTES},
            "link_edits": LINK_EDITS}


def make_input(kind: str, shape: tuple[int, ...], seed: int, picture=None) -> np.ndarray:
    """Input data ``(N, C, H, W)`` for a preset, as float32 (torch's default dtype).

    ``picture``: the user's own ``(rgba, width, height)`` for the preset "picture".
    A picture is one sample: the batch holds copies of it.
    """
    n, c, h, w = shape
    if kind in PICTURE_PRESETS:
        return np.broadcast_to(preset_picture(kind, (h, w), c), shape).astype(np.float32)
    if kind == "picture":
        if picture is None:
            raise ArgumentError("input", "input 'picture' needs a picture of your own (a link "
                                         "cannot carry one): choose, drop or paste a picture")
        return np.broadcast_to(scale_picture(*picture, (h, w), c), shape).astype(np.float32)
    if kind == "arange":  # the tutorial's sample: torch.arange(25.).reshape(1, 1, 5, 5)
        return np.arange(n * c * h * w, dtype=np.float32).reshape(shape)
    if kind == "random":  # small integers keep the arithmetic readable
        return np.random.default_rng(seed).integers(-4, 5, shape).astype(np.float32)
    rows, cols = np.mgrid[0:h, 0:w]
    if kind == "edge":  # a vertical edge: dark left half, bright right half
        plane = (cols >= w / 2).astype(np.float32)
    elif kind == "digit":  # a ring, like a hand-drawn zero
        radius = np.hypot((rows - (h - 1) / 2) / max(h / 2, 1),
                          (cols - (w - 1) / 2) / max(w / 2, 1))
        plane = ((radius > 0.45) & (radius < 0.85)).astype(np.float32)
    else:
        raise ArgumentError("input", f"unknown input preset {kind!r}; "
                                     f"one of {', '.join(INPUT_PRESETS)}")
    return np.broadcast_to(plane, shape).astype(np.float32)


def apply_edits(array: np.ndarray, edits, name: str) -> np.ndarray:
    """A copy of ``array`` with cells the user typed in: ``(*index, value)`` each.

    Edits that fall outside the array (the user made it smaller) are left out.
    """
    edited = array.copy()
    for edit in edits:
        *index, value = edit
        if len(index) != array.ndim or not all(isinstance(i, int) for i in index):
            raise ArgumentError(name, f"{name}: each edit is {array.ndim} indices and a value, "
                                      f"got {tuple(edit)}")
        if not np.isfinite(value):
            raise ArgumentError(name, f"{name}: cell {tuple(index)} must be a finite number, "
                                      f"got {value}")
        if all(0 <= i < size for i, size in zip(index, array.shape)):
            edited[tuple(index)] = value
    return edited


def error_answer(error: Exception) -> dict:
    """A refusal for the page; convscope's errors name the argument, the control to flag."""
    return {"error": {"field": getattr(error, "argument", ""), "message": str(error)}}


def check_limits(config: dict) -> None:
    """Refuse settings too large for a browser tab, naming the cap."""
    for field, limit in LIMITS.items():
        values = config.get(field)
        if isinstance(values, str) or values is None:
            continue
        values = values if isinstance(values, (tuple, list)) else (values,)
        if any(isinstance(v, int) and v > limit for v in values):
            raise ArgumentError(field, f"{field} is limited to {limit} on this page "
                                    f"(got {config[field]}) to keep the browser responsive")


class Session:
    """The engine state behind one page: the current setup and its traced run."""

    def __init__(self):
        self.run = None
        self.config = None
        self.picture = None  # the user's own (rgba, width, height): input preset "picture"

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
        height, width = pair("input_size", config["input_size"])
        if height < 1 or width < 1:
            raise ArgumentError("input_size", f"input_size must be at least 1x1, "
                                              f"got {height}x{width}")
        batch = positive_int("batch", config["batch"])
        seed = config["seed"]
        if not is_int(seed) or not 0 <= seed < 2**32:
            raise ArgumentError("seed", f"seed must be a whole number from 0 to {2**32 - 1}, "
                                        f"got {seed!r}")
        input_shape = (batch, positive_int("in_channels", kind.in_channels(config)),
                       height, width)
        kind.check_work(layer, input_shape)
        if kind.weight_presets:
            kind.set_weights(layer, config["weights"], seed)
            layer.weight = apply_edits(layer.weight, config.get("weight_edits", ()),
                                       "weight_edits")
        x = apply_edits(make_input(config["input"], input_shape, seed, self.picture),
                        config.get("input_edits", ()), "input_edits")
        run = kind.run(config, layer, x)
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

    def table(self, kind: str) -> dict:
        """The step table of the current view as CSV or JSON text: {text} or {error}."""
        try:
            return {"text": self._computed().table(kind)}
        except ValueError as error:
            return error_answer(error)

    def practice(self, seed: int, level: str, index: int, answer: str | None = None,
                 test: bool = False) -> dict:
        """Practice question ``index`` of set ``seed``; with ``answer``, also its marking.

        With ``test``, question ``index`` of the ten-question test ``seed`` (its levels
        are the test's own, ``level`` is not used).
        """
        from .practice import check, question  # loaded on first use: most pages never ask
        from .practice_exam import exam_question

        try:
            asked = exam_question(seed, index) if test else question(seed, index, level)
        except ValueError as error:
            return {"error": {"field": "question" if test else "level", "message": str(error)}}
        result = asked.as_dict()
        for secret in ("answer", "explanation", "mistakes", "variants"):
            del result[secret]  # revealed only with a marking
        if answer is not None:
            result["marking"] = check(asked, answer)
        return result

    def practice_result(self, seed: int, answers: list, hinted: list) -> dict:
        """The score card of test ``seed`` for these answers (see ``practice_exam``)."""
        from .practice_exam import score_card

        return score_card(seed, list(answers), list(hinted))

    def touching(self, channel: int, row: int, col: int) -> dict:
        """Output cells whose windows read input pixel ``(channel, row, col)``."""
        return self._computed().touching(channel, row, col)

    def model(self, request: dict) -> dict:
        """Model mode's requests (convscope.model.page): loaded on first use, so the
        visualizer's start-up never imports it."""
        from .model.page import ModelPage

        if getattr(self, "model_page", None) is None:
            self.model_page = ModelPage()
        return self.model_page.answer(dict(request), self)
