"""Practice on every layer kind that offers a typical setup (``LayerKind.practice_setup``):
the output shape of its layer on an input, answered and explained by the engine.

A kind gets its questions here without a change to practice; the kinds convscope ships
have topics of their own (:mod:`.layers`) and offer no setup, so their sets stay as
they were.
"""

from __future__ import annotations

import random
from functools import partial

import numpy as np

from ..kinds import KINDS
from ..page.settings import DATA_ARGUMENTS
from .common import Question, layer_state, shape_text


def topics() -> dict:
    """{topic: question generator (rng, level)}, one ``<kind>_output_shape`` per kind
    that offers a setup, in the kinds' order."""
    return {f"{kind.name}_output_shape": partial(output_shape, kind) for kind in KINDS.values()
            if kind.practice_setup(random.Random(0), "easy") is not None}


def output_shape(kind, rng, level: str) -> Question:
    """What shape does the kind's layer give for this input? The formulas are the view's."""
    config, input_shape = kind.practice_setup(rng, level)
    data = {argument.name: argument.default for argument in DATA_ARGUMENTS
            if argument.name not in ("input_size", "batch")}  # the input's, below
    state = layer_state({"layer": kind.name, **data, **kind.defaults(), **config,
                         "in_channels": input_shape[1]}, input_shape)
    layer = kind.layer(state, rng=0)
    answer = shape_text(layer.output_shape(tuple(input_shape)))
    view = kind.run(state, layer, np.zeros(input_shape, np.float32)).view()
    return Question(
        f"{kind.name}_output_shape", level,
        f"x has shape {shape_text(input_shape)}. What is the shape of {kind.torch_line(state)}(x)?",
        answer, "shape", "\n".join([view["formula_h"], view["formula_w"], f"output: {answer}"]),
        state, hint=kind.summary)
