"""Practice questions on Conv2d arithmetic, generated from a seed, answered by the engine.

Every expected answer comes from convscope itself (``Conv2d``, ``output_size``,
the errors it raises); the generator only picks setups. The same ``(seed, level,
index)`` always gives the same question, so a teacher can hand out a whole set.
"""

from __future__ import annotations

import random
import re

from ..kinds import layer_from, torch_line
from ..nn.conv import Conv2d
from ..ops.arguments import pair
from ..ops.shapes import output_size
from . import concepts as practice_concepts
from . import kind_topics
from . import layers as practice_layers
from . import mistakes
from .common import (LEVELS, Question, formulas, layer_state, named_mistakes, shape_text,
                     shuffled_options)

__all__ = ["TOPICS", "LEVELS", "Question", "all_topics", "check", "parse_answer", "question",
           "shape_text"]

#: The topics of the questions. The first seven are the arithmetic every set has begun
#: with since practice mode came; the two that read a layer call come after them, so old
#: links keep their start; the topics on the other layers (ConvTranspose2d, the pools)
#: come last (and after them, one per layer kind that offers a setup: ``all_topics``).
TOPICS = ("output_shape", "keep_padding", "target_stride", "weight_shape", "parameter_count",
          "constructor", "validity", "identify_problem", "argument_effect",
         "transpose_output_shape", "transpose_reach_size", "pool_output_shape")
#: The topics of the Conv2d-only practice mode: the ones later questions of a set drew
#: from before the other layers came (see :func:`question`).
CONV2D_TOPICS = TOPICS[:9]
LAYER_TOPICS = TOPICS[len(CONV2D_TOPICS):]


def _random_config(rng: random.Random, level: str) -> dict:
    channels = rng.choice([1, 3, 4, 8, 16])
    out_channels = rng.choice([2, 6, 8, 16, 32])
    kernel = rng.choice([1, 3, 5, 7])
    config = dict(in_channels=channels, out_channels=out_channels, kernel_size=kernel, stride=1,
                  padding=0, dilation=1, groups=1, bias=True, padding_mode="zeros")
    if level in ("medium", "hard"):
        config.update(stride=rng.choice([1, 2, 2, 3]), padding=rng.choice([0, 1, 2, 3]))
    if level == "hard":
        config.update(kernel_size=[rng.choice([1, 3, 5]), rng.choice([3, 5, 7])],
                      dilation=rng.choice([1, 2]), padding=[rng.choice([0, 1, 2]),
                                                            rng.choice([1, 2, 3])])
        groups = rng.choice([1, 2, 4])
        if channels % groups == 0 and out_channels % groups == 0:
            config["groups"] = groups
    return config


def _input_shape(rng: random.Random, config: dict, level: str) -> tuple:
    size = rng.choice([8, 14, 28, 32]) if level == "easy" else rng.choice([15, 28, 32, 33, 64])
    return (rng.choice([1, 1, 4, 16]), config["in_channels"], size,
            size if level != "hard" else rng.choice([size, 20, 24]))


def _output_shape(rng, level):
    while True:  # draw until the layer fits the input
        config = _random_config(rng, level)
        shape = _input_shape(rng, config, level)
        try:
            out = layer_from(config, rng=0).output_shape(shape)
        except ValueError:
            continue
        break
    answer = shape_text(out)
    steps = (f"batch: stays {shape[0]}\n"
             f"channels: out_channels = {config['out_channels']}\n"
             f"{formulas(config, shape[2:])}\n"
             f"output: {answer}")
    return Question(
        "output_shape", level,
        f"x has shape {shape_text(shape)}. What is the shape of {torch_line(config)}(x)?",
        answer, "shape", steps, layer_state(config, shape),
        hint=f"The batch stays {shape[0]} and the channels become out_channels; only H and W "
             "need the size formula.",
        quick_check="[N, out_channels, H_out, W_out] with H_out = ⌊(H + pad_before + "
                    "pad_after − dilation×(k − 1) − 1) / stride⌋ + 1",
        mistakes=named_mistakes(answer, [(name, None if wrong is None else shape_text(wrong))
                                         for name, wrong in
                                         mistakes.output_shape_mistakes(config, shape)]))


def _keep_padding(rng, level):
    kernel = rng.choice([3, 5, 7]) if level != "easy" else rng.choice([3, 5])
    dilation = rng.choice([1, 2]) if level == "hard" else 1
    size = rng.choice([14, 28, 32])
    config = dict(in_channels=rng.choice([1, 3]), out_channels=rng.choice([6, 16]),
                  kernel_size=kernel, stride=1, padding=0, dilation=dilation, groups=1,
                  bias=True, padding_mode="zeros")
    # the engine answers: the padding whose output size equals the input size
    padding = mistakes.keeping_padding(size, kernel, dilation)
    solved = dict(config, padding=padding)
    described = f"a {kernel}×{kernel} kernel" + (f" with dilation {dilation}" if dilation > 1
                                                 else "")
    span = dilation * (kernel - 1) + 1
    steps = (f"the window covers dilation×(k − 1) + 1 = {dilation}×({kernel} − 1) + 1 = "
             f"{span} pixels, so without padding each axis loses {span - 1}\n"
             f"padding adds the {span - 1} back, half on each side: {span - 1} / 2 = {padding}\n"
             f"{formulas(solved, (size, size))}")
    return Question(
        "keep_padding", level,
        f"A {size}×{size} input goes through nn.Conv2d with {described} and stride 1. "
        f"Which padding keeps the output {size}×{size}?",
        str(padding), "int", steps,
        layer_state(solved, (1, config["in_channels"], size, size)),
        hint="Count how many rows the window loses without padding, then give them back on "
             "both sides.",
        quick_check="same size ⇔ padding = dilation×(k − 1) / 2 for stride 1",
        mistakes=named_mistakes(str(padding), [(name, str(wrong)) for name, wrong in
                                               mistakes.keep_padding_mistakes(size, kernel,
                                                                              dilation)]))


def _target_stride(rng, level):
    while True:
        kernel = rng.choice([3, 5])
        padding = rng.choice([0, 1, 2])
        size = rng.choice([28, 32, 64])
        stride = rng.choice([2, 3, 4])
        target = output_size(size, kernel, stride, padding)[0]
        # the smallest stride that reaches the target: ask for it only if it is this one
        smallest = next(s for s in range(1, size + 1)
                        if output_size(size, kernel, s, padding)[0] == target)
        if smallest == stride:
            break
    config = dict(in_channels=3, out_channels=8, kernel_size=kernel, stride=stride,
                  padding=padding, dilation=1, groups=1, bias=True, padding_mode="zeros")
    room = size + 2 * padding - kernel
    steps = (f"the window can move H + 2×padding − k = {size} + 2×{padding} − {kernel} = "
             f"{room} pixels down from its first position\n"
             f"stride {stride} gives ⌊{room} / {stride}⌋ + 1 = {target}; stride {stride - 1} "
             f"would give {output_size(size, kernel, stride - 1, padding)[0]}\n"
             f"{formulas(config, (size, size))}")
    wrong = mistakes.target_stride_mistakes(size, kernel, padding, target)
    return Question(
        "target_stride", level,
        f"nn.Conv2d(3, 8, {kernel}, padding={padding}) on a {size}×{size} input: which "
        f"stride (the smallest that works) gives a {target}×{target} output?",
        str(stride), "int", steps, layer_state(config, (1, 3, size, size)),
        hint=f"Try the size formula with stride 2, 3, 4 … until H_out is {target}.",
        quick_check="H_out = ⌊(H + 2×padding − k) / stride⌋ + 1 (dilation 1)",
        mistakes=named_mistakes(str(stride), [(name, None if w is None else str(w))
                                              for name, w in wrong]))


def _grouped_config(rng, level):
    config = _random_config(rng, level)
    if level != "easy":
        config["bias"] = rng.random() < 0.5
        groups = rng.choice([1, 2, 4]) if level == "medium" else config["groups"]
        if config["in_channels"] % groups == 0 and config["out_channels"] % groups == 0:
            config["groups"] = groups
    return config


def _explain_weights(layer: Conv2d) -> str:
    o, c, kh, kw = layer.weight_shape
    text = (f"weight: (out_channels, in_channels / groups, kH, kW) = "
            f"({layer.out_channels}, {layer.in_channels} / {layer.groups}, {kh}, {kw}) "
            f"= {shape_text(layer.weight_shape)}")
    bias = f" + {o} (bias)" if layer.bias is not None else " (no bias)"
    return text + f"\nparameters: {o}×{c}×{kh}×{kw}{bias} = {layer.parameter_count}"


def _weight_shape(rng, level):
    config = _grouped_config(rng, level)
    layer = layer_from(config, rng=0)
    answer = shape_text(layer.weight_shape)
    return Question(
        "weight_shape", level, f"What is the shape of {torch_line(config)}.weight?",
        answer, "shape", _explain_weights(layer),
        layer_state(config, (1, config["in_channels"], 8, 8)),
        hint="One filter per output channel; each filter sees in_channels / groups channels.",
        quick_check="weight = [out_channels, in_channels / groups, kH, kW]",
        mistakes=named_mistakes(answer, [(name, shape_text(wrong)) for name, wrong in
                                         mistakes.weight_shape_mistakes(config)]))


def _parameter_count(rng, level):
    config = _grouped_config(rng, level)
    layer = layer_from(config, rng=0)
    answer = str(layer.parameter_count)
    return Question(
        "parameter_count", level,
        f"How many learnable parameters does {torch_line(config)} have?",
        answer, "int", _explain_weights(layer),
        layer_state(config, (1, config["in_channels"], 8, 8)),
        hint="Multiply out the weight shape, then add one bias per output channel if there "
             "is a bias.",
        quick_check="parameters = out × (in / groups) × kH × kW (+ out with bias)",
        mistakes=named_mistakes(answer, [(name, None if wrong is None else str(wrong))
                                         for name, wrong in
                                         mistakes.parameter_count_mistakes(config)]))


def _constructor(rng, level):
    config = _random_config(rng, level)
    config["bias"] = rng.random() < 0.7
    kernel = pair("kernel_size", config["kernel_size"])
    words = (f"{config['in_channels']} input channels, {config['out_channels']} filters of "
             f"{kernel[0]}×{kernel[1]}, stride {_plain(config['stride'])}, padding "
             f"{_plain(config['padding'])}"
             + (f", dilation {_plain(config['dilation'])}" if config["dilation"] != 1 else "")
             + (f", {config['groups']} groups" if config["groups"] != 1 else "")
             + ("" if config["bias"] else ", no bias"))
    right = torch_line(config)
    short = _short_kernel(kernel)
    channels = f"({config['in_channels']}, {config['out_channels']}, {short},"
    # each wrong option is a mistake the tutorial lists, written out by the same torch_line
    wrong = [
        (torch_line(dict(config, in_channels=config["out_channels"],
                         out_channels=config["in_channels"])), mistakes.SWAPPED),
        (right.replace(f", {short},", f", kernel={short},", 1),
         "using kernel= instead of kernel_size="),
        (torch_line(dict(config, stride=config["padding"] or 1, padding=config["stride"])),
         "mixing up stride and padding"),
        (right.replace(channels, f"({config['in_channels']}, {short}, "
                                 f"{config['out_channels']},", 1),
         "putting kernel_size before out_channels"),
        (torch_line(dict(config, bias=not config["bias"])),
         "misreading bias (it is on unless bias=False)"),
    ]
    choices, letter, wrong_picks = shuffled_options(rng, right, wrong)
    return Question(
        "constructor", level, f"Which call builds a layer with {words}?", letter, "choice",
        f"in_channels comes first: {config['in_channels']}\n"
        f"then out_channels, the number of filters: {config['out_channels']}\n"
        f"then kernel_size (the keyword is kernel_size, not kernel): {short}\n"
        f"the rest by keyword: {right}",
        layer_state(config, (1, config["in_channels"], 16, 16)), choices,
        hint="The order is nn.Conv2d(in_channels, out_channels, kernel_size, ...).",
        quick_check="nn.Conv2d(in_channels, out_channels, kernel_size, stride=…, padding=…)",
        mistakes=wrong_picks)


def _plain(value) -> str:
    h, w = pair("value", value)
    return str(h) if h == w else f"{h}×{w}"


def _short_kernel(kernel) -> str:
    return str(kernel[0]) if kernel[0] == kernel[1] else str(tuple(kernel))


#: The rule a learner missed who calls a refused setup valid, by the argument the
#: engine's error names (convscope's errors say which argument is at fault).
RULES_MISSED = {
    "groups": "forgetting that groups must divide in_channels and out_channels",
    "kernel_size": "forgetting that the (dilated) kernel must fit in the padded input",
    "padding": "forgetting the padding rules ('same' needs stride 1; reflect padding must be "
               "smaller than the input)",
}


def _validity(rng, level):
    config = _random_config(rng, level)
    shape = _input_shape(rng, config, level)
    mistake = rng.choice(["none", "groups", "kernel", "same_stride", "reflect"])
    if mistake == "groups":
        config["groups"] = rng.choice([3, 5])
    elif mistake == "kernel":
        config.update(kernel_size=shape[2] + rng.choice([1, 3]), padding=0)
    elif mistake == "same_stride":
        config.update(padding="same", stride=2)
    elif mistake == "reflect":
        config.update(padding=shape[2], padding_mode="reflect")
    try:  # the engine decides, with torch's rules and words
        layer_from(config, rng=0).output_shape(shape)
        answer, reason = "valid", "torch accepts it:\n" + formulas(config, shape[2:])
        missed = []
    except (ValueError, TypeError) as error:
        answer, reason = "invalid", f"torch refuses it: {error}"
        rule = RULES_MISSED.get(getattr(error, "argument", ""), "missing one of torch's checks")
        missed = [{"name": rule, "answer": "valid"}]
    return Question(
        "validity", level,
        f"Is {torch_line(config)} valid for an input of shape {shape_text(shape)}?",
        answer, "validity", reason, layer_state(config, shape), ["valid", "invalid"],
        hint="Check groups against both channel counts, then whether the window fits the "
             "padded input.",
        quick_check="groups divide both channel counts · the dilated kernel fits the padded "
                    "input · padding='same' needs stride 1",
        mistakes=missed)


GENERATORS = {"output_shape": _output_shape, "keep_padding": _keep_padding,
              "target_stride": _target_stride, "weight_shape": _weight_shape,
              "parameter_count": _parameter_count, "constructor": _constructor,
              "validity": _validity, "identify_problem": practice_concepts.identify_problem,
              "argument_effect": practice_concepts.argument_effect,
              "transpose_output_shape": practice_layers.transpose_output_shape,
              "transpose_reach_size": practice_layers.transpose_reach_size,
              "pool_output_shape": practice_layers.pool_output_shape}


def all_topics() -> tuple[str, ...]:
    """Every topic: the ones above, then one per layer kind that offers a setup."""
    return (*TOPICS, *kind_topics.topics())


def layer_topics() -> tuple[str, ...]:
    """The topics on layers other than Conv2d."""
    return (*LAYER_TOPICS, *kind_topics.topics())


def generators() -> dict:
    """Every topic's question generator ``(rng, level) -> Question``."""
    return {**GENERATORS, **kind_topics.topics()}


def generate(topic: str, level: str, key: str) -> Question:
    """A question on ``topic`` at ``level``, drawn from the random stream named ``key``."""
    return generators()[topic](random.Random(key), level)


def question(seed: int, index: int, level: str = "medium") -> Question:
    """Question ``index`` of the set ``seed`` at ``level``: the same inputs, the same question."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    rng = random.Random(f"convscope-practice:{seed}:{level}:{index}")
    topics = all_topics()
    topic = topics[index] if index < len(topics) else _later_topic(rng, f"{seed}:{level}:{index}")
    return generators()[topic](rng, level)


def _later_topic(rng: random.Random, where: str) -> str:
    """The topic of a question after the first round, each topic as likely as another.

    Before the other layers came, these questions drew ``rng.choice`` from the Conv2d
    topics. A separate stream decides first whether the question is one of the new topics;
    when it is not, ``rng`` draws exactly as before, so the question is the one an old
    link gave.
    """
    picker = random.Random(f"convscope-practice-layer:{where}")
    if picker.randrange(len(all_topics())) < len(CONV2D_TOPICS):
        return rng.choice(CONV2D_TOPICS)
    return picker.choice(layer_topics())


def parse_answer(text: str, form: str):
    """A user's answer in any natural form -> a comparable value, or None."""
    text = text.strip().lower()
    if form == "shape":
        numbers = re.findall(r"-?\d+", text)
        if not numbers or re.search(r"[^\d\s,x×()\[\]*-]", text.replace("torch.size", "")):
            return None
        return tuple(int(n) for n in numbers)
    if form == "int":
        return int(text) if re.fullmatch(r"-?\d+", text) else None
    if form == "choice":
        match = re.fullmatch(r"\(?([a-d1-4])\)?", text)
        if not match:
            return None
        key = match.group(1)
        return "abcd"[int(key) - 1] if key.isdigit() else key
    if form == "validity":
        if text in ("valid", "yes", "y", "true", "ok"):
            return "valid"
        if text in ("invalid", "no", "n", "false", "error", "not valid"):
            return "invalid"
    return None


def expected_text(q: Question) -> str:
    """The right answer as the learner should read it: a choice with its option."""
    if q.answer_form == "choice":
        return f"{q.answer}) {q.choices['abcd'.index(q.answer)]}"
    return q.answer


def check(q: Question, text: str) -> dict:
    """Mark an answer: whether it is right, the solution, and the mistake it shows, if any.

    ``mistake`` names the common mistake whose wrong answer equals the learner's (each
    of ``mistakes`` says which answer it produces), so the feedback can say what went
    wrong rather than only what is right.
    """
    given = parse_answer(text, q.answer_form)
    expected = parse_answer(q.answer, q.answer_form)
    correct = given is not None and given == expected
    matched = [m["name"] for m in q.mistakes
               if not correct and given is not None
               and parse_answer(m["answer"], q.answer_form) == given]
    return {"correct": correct, "understood": given is not None, "expected": q.answer,
            "expected_text": expected_text(q), "explanation": q.explanation,
            "quick_check": q.quick_check, "hint": q.hint,
            "mistake": " or ".join(matched) if matched else None,
            "mistakes": [dict(m, answer_text=_option_text(q, m["answer"])) for m in q.mistakes]}


def _option_text(q: Question, answer: str) -> str:
    return expected_text(Question(**{**q.__dict__, "answer": answer}))
