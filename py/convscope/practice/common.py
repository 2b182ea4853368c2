"""What every practice question shares: the record, and the text helpers the topics use.

The topics live in :mod:`.questions` (arithmetic), :mod:`.concepts` (reading a layer
call), :mod:`.layers` (the other layers) and :mod:`.kind_topics`; they build :class:`Question` records with these helpers so that a new topic is
one generator function, its mistakes and its tests.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..kinds import DEFAULT_KIND, layer_from
from ..kinds.sliding import size_formula
from ..ops.shapes import output_size

LEVELS = ("easy", "medium", "hard")


@dataclass
class Question:
    topic: str
    level: str
    prompt: str
    answer: str                 #: canonical text of the right answer
    answer_form: str            #: "shape", "int", "choice" or "validity"
    explanation: str            #: the solution in steps, numbers filled in, one step a line
    layer: dict                 #: page state that opens the visualizer on this layer
    choices: list[str] = field(default_factory=list)
    hint: str = ""              #: a nudge, shown on request before answering
    quick_check: str = ""       #: the one-line rule to check an answer against
    #: the common mistakes of this question: {"name", "answer"} (the wrong answer each
    #: produces, computed by the engine; for choices, the option's letter)
    mistakes: list[dict] = field(default_factory=list)
    #: setups the question compares ({"name": setup}), each torch's arguments plus
    #: ``input_shape``: an argument's two settings, or the fix each statement implies
    variants: dict = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        """What the learner sends for each option: a letter, or the word itself."""
        if self.answer_form == "validity":
            return list(self.choices)
        return list("abcd"[:len(self.choices)])

    def as_dict(self) -> dict:
        return dict(asdict(self), keys=self.keys)


def layer_state(config: dict, input_shape) -> dict:
    """The visualizer's state (URL keys) for a layer on an input (N, C, H, W), with its
    kind (``layer``: Conv2d's for the configs that predate the other kinds)."""
    n, _, h, w = input_shape
    return dict({"layer": DEFAULT_KIND}, **config, input_size=[h, w], batch=n)


def setup(config: dict, input_shape) -> dict:
    """A layer with the input it gets: torch's arguments plus ``input_shape``."""
    return dict(config, input_shape=list(input_shape))


def shape_text(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def formulas(config: dict, size) -> str:
    """Both output-size formulas of ``config`` on an ``(H, W)`` input, numbers filled in."""
    layer = layer_from(config, rng=0)
    sides = layer._spec.sides
    (kh, kw), (sh, sw), (dh, dw) = layer.kernel_size, layer.stride, layer.dilation
    out_h, out_w = output_size(size, layer.kernel_size, layer.stride, layer.padding,
                               layer.dilation)
    return (size_formula("H", size[0], sides.top, sides.bottom, kh, sh, dh, out_h) + "\n"
            + size_formula("W", size[1], sides.left, sides.right, kw, sw, dw, out_w))


def named_mistakes(right: str, produced) -> list[dict]:
    """``[(name, wrong answer or None)]`` -> the mistakes that give a wrong answer.

    A mistake that happens to give the right answer here, or cannot be made on this
    setup (None), is left out: the feedback only names mistakes that explain an answer.
    """
    return [{"name": name, "answer": answer} for name, answer in produced
            if answer is not None and answer != right]


def shuffled_options(rng, right: str, wrong: list[tuple[str, str]]):
    """Four options in a seeded order: (choices, letter of the right one, mistakes).

    ``wrong`` is ``[(option text, mistake name)]``, most telling first; the first three
    that differ from the right option and from each other are used.
    """
    picked = {}
    for text, name in wrong:
        if text != right and text not in picked:
            picked[text] = name
    picked = list(picked.items())[:3]
    if len(picked) < 3:
        raise ValueError("a multiple-choice question needs three distinct wrong options")
    choices = [right] + [text for text, _ in picked]
    rng.shuffle(choices)
    letters = "abcd"
    mistakes = [{"name": name, "answer": letters[choices.index(text)]} for text, name in picked]
    return choices, letters[choices.index(right)], mistakes
