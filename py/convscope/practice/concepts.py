"""Practice topics that read a layer call rather than do arithmetic on it.

- ``identify_problem``: a call whose result surprises (the output grows, shrinks, loses
  its batch, or torch refuses it): which statement explains it?
- ``argument_effect``: what does changing one argument (padding, stride, kernel size,
  dilation, groups) do to the output and the weights?

The engine decides every option: it runs the call as given and as changed or fixed,
so a statement is offered as the explanation only when it holds for that call, and a
distractor only when it does not.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from ..kinds import layer_from, torch_line
from .common import Question, layer_state, setup, shape_text, shuffled_options
from .mistakes import keeping_padding


class Outcome(NamedTuple):
    """What a layer call gives: an output shape, or torch's refusal."""

    shape: tuple | None
    error: str | None
    argument: str | None  #: the argument the engine's error names

    @property
    def text(self) -> str:
        return shape_text(self.shape) if self.shape else f"an error: {self.error}"


def outcome(config: dict, input_shape) -> Outcome:
    try:
        return Outcome(tuple(layer_from(config, rng=0).output_shape(input_shape)), None, None)
    except (ValueError, TypeError) as error:
        return Outcome(None, str(error), getattr(error, "argument", None))


def parameters(config: dict) -> int:
    return layer_from(config, rng=0).parameter_count


def _base(rng, channels=None) -> dict:
    return dict(in_channels=channels or rng.choice([1, 3, 4]), out_channels=rng.choice([8, 16]),
                kernel_size=3, stride=1, padding=0, dilation=1, groups=1, bias=True,
                padding_mode="zeros")


# --- identify the problem --------------------------------------------------------------

class Cause(NamedTuple):
    """One reason a call surprises: how to stage it, its statement, when it holds, its fix."""

    statement: str                                  #: the option the learner reads
    blamed: str                                     #: "blaming ..." names the mistake
    stage: Callable                                 #: (rng, level) -> (config, input_shape)
    holds: Callable                                 #: (config, input_shape, Outcome) -> bool
    fix: Callable                                   #: (config, input_shape) -> same, fixed


def _keep(config, shape) -> dict:
    kernel, dilation = config["kernel_size"], config["dilation"]
    return dict(config, padding=keeping_padding(shape[-1], kernel, dilation))


def _grows(config, shape, seen):
    return seen.shape is not None and seen.shape[-1] > shape[-1]


def _shrinks(config, shape, seen):
    return seen.shape is not None and seen.shape[-1] < shape[-1]


def _stage_padding(rng, level, extra):
    config = _base(rng)
    config["kernel_size"] = rng.choice([3, 5])
    config["padding"] = (config["kernel_size"] - 1) // 2 + extra(rng)
    size = rng.choice([14, 28, 32])
    return config, (rng.choice([1, 4]), config["in_channels"], size, size)


def _stage_no_padding(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    config["kernel_size"] = rng.choice([3, 5, 7])
    return dict(config, padding=0), shape


def _stage_stride(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    return dict(config, stride=rng.choice([2, 3] if level == "hard" else [2])), shape


def _stage_dilation(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    return dict(config, dilation=rng.choice([2, 3])), shape


def _stage_swapped(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    # the learner meant nn.Conv2d(C, out, ...) and wrote the two the other way round
    return dict(config, in_channels=config["out_channels"],
                out_channels=config["in_channels"]), shape


def _stage_kernel_too_big(rng, level):
    size = rng.choice([4, 5, 6])
    config = dict(_base(rng), kernel_size=size + rng.choice([1, 3]))
    return config, (1, config["in_channels"], size, size)


def _stage_same_stride(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    return dict(config, padding="same", stride=2), shape


def _stage_groups(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    config.update(in_channels=rng.choice([4, 8]), groups=3)
    return config, (shape[0], config["in_channels"], *shape[2:])


def _stage_no_batch(rng, level):
    config, shape = _stage_padding(rng, level, lambda r: 0)
    return config, shape[1:]


def _swap(config, shape):
    return dict(config, in_channels=config["out_channels"],
                out_channels=config["in_channels"]), shape


CAUSES = {
    "too_much_padding": Cause(
        "padding adds more rows and columns than the kernel takes away",
        "blaming too much padding",
        lambda rng, level: _stage_padding(rng, level, lambda r: r.choice([1, 2])),
        _grows, lambda c, s: (_keep(c, s), s)),
    "no_padding": Cause(
        "with padding=0 every window must fit inside the input, so the output loses "
        "kernel − 1 rows and columns",
        "blaming the missing padding", _stage_no_padding,
        lambda c, s, seen: _shrinks(c, s, seen) and c["padding"] == 0,
        lambda c, s: (_keep(c, s), s)),
    "stride": Cause(
        "a stride above 1 skips window positions, so there are fewer outputs",
        "blaming the stride", _stage_stride,
        lambda c, s, seen: _shrinks(c, s, seen) and c["stride"] != 1
        and outcome(dict(c, stride=1), s).shape != seen.shape,
        lambda c, s: (dict(c, stride=1), s)),
    "dilation": Cause(
        "dilation spreads the kernel's taps, so the padding no longer makes up for the "
        "window's size",
        "blaming the dilation", _stage_dilation,
        lambda c, s, seen: _shrinks(c, s, seen) and c["dilation"] != 1,
        lambda c, s: (_keep(c, s), s)),
    "swapped_channels": Cause(
        "in_channels and out_channels are swapped in the call",
        "blaming swapped channels", _stage_swapped,
        lambda c, s, seen: seen.shape is None and outcome(*_swap(c, s)).shape is not None,
        _swap),
    "kernel_too_big": Cause(
        "the kernel is larger than the (padded) input",
        "blaming the kernel size", _stage_kernel_too_big,
        lambda c, s, seen: seen.argument == "kernel_size",
        lambda c, s: (dict(c, kernel_size=3), s)),
    "same_with_stride": Cause(
        "padding='same' is refused together with a stride above 1",
        "blaming padding='same' with a stride", _stage_same_stride,
        lambda c, s, seen: seen.shape is None and c["padding"] == "same" and c["stride"] != 1,
        lambda c, s: (dict(c, stride=1), s)),
    "groups": Cause(
        "groups does not divide both in_channels and out_channels",
        "blaming groups", _stage_groups,
        lambda c, s, seen: seen.argument == "groups",
        lambda c, s: (dict(c, groups=1), s)),
    "no_batch": Cause(
        "x has no batch dimension, so torch treats it as one unbatched image",
        "blaming a missing batch dimension", _stage_no_batch,
        lambda c, s, seen: len(s) == 3,
        lambda c, s: (c, (1, *s))),
}
CAUSES_BY_LEVEL = {
    "easy": ("too_much_padding", "no_padding", "swapped_channels", "no_batch"),
    "medium": ("too_much_padding", "no_padding", "swapped_channels", "no_batch", "stride",
               "same_with_stride", "groups"),
    "hard": tuple(CAUSES),
}


def as_expected(expectation: str, input_shape, seen: Outcome) -> bool:
    """Did the call give what the learner expected: a batch, of the input's size if asked?"""
    if seen.shape is None or len(seen.shape) != 4:
        return False
    return expectation != "same size" or seen.shape[2:] == tuple(input_shape[-2:])


def _expectation(shape, seen: Outcome) -> tuple[str, str]:
    """(what the learner expected, the prompt's words for it and for what happened)."""
    if seen.shape is None:
        return "runs", "to work, but it raises an error"
    if len(shape) == 3:
        return "batched", (f"to give a batch of images (4 dimensions), but it gives "
                           f"{shape_text(seen.shape)}")
    return "same size", (f"to keep the {shape[-2]}×{shape[-1]} size, but it gives "
                         f"{shape_text(seen.shape)}")


def identify_problem(rng, level):
    name = rng.choice(CAUSES_BY_LEVEL[level])
    cause = CAUSES[name]
    config, shape = cause.stage(rng, level)
    seen = outcome(config, shape)
    expectation, story = _expectation(shape, seen)
    fixed_config, fixed_shape = cause.fix(config, shape)
    fixed = outcome(fixed_config, fixed_shape)
    # the staging guarantees these; checking them keeps a wrong question from being asked
    assert cause.holds(config, shape, seen) and not as_expected(expectation, shape, seen)
    assert as_expected(expectation, fixed_shape, fixed), (name, config, shape, fixed)
    false_causes = [other for key, other in CAUSES.items()
                    if key != name and not other.holds(config, shape, seen)]
    rng.shuffle(false_causes)
    choices, letter, wrong = shuffled_options(
        rng, cause.statement, [(other.statement, f"{other.blamed}: it is not at work here")
                               for other in false_causes])
    call = torch_line(config)
    return Question(
        "identify_problem", level,
        f"x has shape {shape_text(shape)}. Someone expected {call}(x) {story}. Which "
        "statement explains it?",
        letter, "choice",
        f"what happens: {call}(x) on {shape_text(shape)} gives {seen.text}\n"
        f"why: {cause.statement}\n"
        f"fix: {torch_line(fixed_config)}(x) on {shape_text(fixed_shape)} gives {fixed.text}",
        layer_state(fixed_config, fixed_shape if len(fixed_shape) == 4 else (1, *fixed_shape)),
        choices,
        hint="Compare the output with x axis by axis; if torch refuses, ask which argument "
             "it would complain about.",
        quick_check="stride 1: output larger ⇔ 2×padding > dilation×(k − 1); same size ⇔ "
                    "padding = dilation×(k − 1) / 2",
        mistakes=wrong,
        variants={"as_given": setup(config, shape), "fixed": setup(fixed_config, fixed_shape)})


# --- what does this argument do ----------------------------------------------------------

#: Every (output size, number of weights) change an argument can make, as the option reads.
EFFECTS = {
    ("smaller", "same"): "the output gets smaller; the number of weights stays the same",
    ("larger", "same"): "the output gets larger; the number of weights stays the same",
    ("same", "fewer"): "the output keeps its size; the layer has fewer weights",
    ("same", "more"): "the output keeps its size; the layer has more weights",
    ("smaller", "more"): "the output gets smaller and the layer has more weights",
    ("same", "same"): "neither the output shape nor the number of weights changes",
}
ROLES = {
    "padding": "padding adds rows and columns around the input; the filter is untouched",
    "stride": "stride is the step between window positions; the filter is untouched",
    "kernel_size": "kernel_size is the filter's height and width: it sets the number of "
                   "weights and how far each window reaches",
    "dilation": "dilation spaces the filter's taps apart: the window reaches further with the "
                "same weights",
    "groups": "groups splits the channels: each filter sees in_channels / groups of them",
}


def _compare(before: int, after: int, words=("smaller", "same", "larger")) -> str:
    return words[(after > before) - (after < before) + 1]


def effect(before: dict, after: dict) -> tuple[str, str]:
    """The engine's (output size, weights) change between two setups of ``setup()``."""
    def measure(s):
        config = {k: v for k, v in s.items() if k != "input_shape"}
        return outcome(config, s["input_shape"]).shape[-1], parameters(config)
    (size_before, params_before), (size_after, params_after) = measure(before), measure(after)
    return (_compare(size_before, size_after),
            _compare(params_before, params_after, ("fewer", "same", "more")))


def _changes(rng, level):
    """(argument, config before, the setting after) for a level."""
    config = _base(rng, channels=rng.choice([4, 8]))
    config["padding"] = rng.choice([0, 1])
    options = [("padding", config["padding"] + rng.choice([1, 2])), ("stride", 2),
               ("kernel_size", 5)]
    if level != "easy":
        options += [("dilation", 2), ("groups", rng.choice([2, 4]))]
    argument, setting = rng.choice(options)
    if level == "hard" and argument in ("kernel_size", "dilation") and rng.random() < 0.5:
        config["padding"] = "same"  # then the size holds and only the weights can tell
    if argument == "padding" and rng.random() < 0.5:
        config["padding"], setting = setting, config["padding"]  # less padding, too
    return argument, config, setting


def argument_effect(rng, level):
    argument, config, setting = _changes(rng, level)
    size = rng.choice([14, 16, 28, 32])
    shape = (1, config["in_channels"], size, size)
    changed = dict(config, **{argument: setting})
    before, after = setup(config, shape), setup(changed, shape)
    right = effect(before, after)
    others = [key for key in EFFECTS if key != right]
    rng.shuffle(others)

    def mistake(key):
        wrong = []
        if key[0] != right[0]:
            wrong.append(f"misjudging what {argument} does to the output size")
        if key[1] != right[1]:
            verb = "does not change" if right[1] != "same" else "changes"
            wrong.append(f"thinking {argument} {verb} the number of weights")
        return " and ".join(wrong)
    choices, letter, wrong = shuffled_options(rng, EFFECTS[right],
                                              [(EFFECTS[key], mistake(key)) for key in others])
    old, new = outcome(config, shape), outcome(changed, shape)
    return Question(
        "argument_effect", level,
        f"x has shape {shape_text(shape)} and goes through {torch_line(config)}. What "
        f"happens when {argument}={config[argument]!r} becomes {argument}={setting!r}?",
        letter, "choice",
        f"{ROLES[argument]}\n"
        f"before: {torch_line(config)} gives {old.text}, {parameters(config)} parameters\n"
        f"after: {torch_line(changed)} gives {new.text}, {parameters(changed)} parameters\n"
        f"so {EFFECTS[right]}",
        layer_state(changed, shape), choices,
        hint=f"Work out the output size and the weight shape twice: with {argument}="
             f"{config[argument]!r}, then with {setting!r}.",
        quick_check="padding, stride and dilation move the windows (output size); "
                    "kernel_size and groups shape the weights",
        mistakes=wrong, variants={"before": before, "after": after})
