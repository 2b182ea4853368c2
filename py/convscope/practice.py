"""Practice questions on Conv2d arithmetic, generated from a seed, answered by the engine.

Every expected answer comes from convscope itself (``Conv2d``, ``output_size``,
the errors it raises); the generator only picks setups. The same ``(seed, level,
index)`` always gives the same question, so a teacher can hand out a whole set.
"""

from __future__ import annotations

import random
import re
from dataclasses import asdict, dataclass, field

from .arguments import pair
from .layer import Conv2d
from .shapes import output_size
from .web import layer_from, size_formula, torch_line

LEVELS = ("easy", "medium", "hard")
KINDS = ("output_shape", "keep_padding", "target_stride", "weight_shape", "parameter_count",
         "constructor", "validity")


@dataclass
class Question:
    kind: str
    level: str
    prompt: str
    answer: str                 #: canonical text of the right answer
    answer_form: str            #: "shape", "int", "choice" or "validity"
    explanation: str            #: the worked formula or torch's reason, numbers filled in
    layer: dict                 #: page state that opens the visualizer on this layer
    choices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _layer_state(config: dict, input_shape) -> dict:
    """The visualizer's state (URL keys) for a layer on an input (N, C, H, W)."""
    n, _, h, w = input_shape
    return dict(config, input_size=[h, w], batch=n)


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


def _formulas(config: dict, size) -> str:
    layer = layer_from(config, rng=0)
    sides = layer._spec.sides
    (kh, kw), (sh, sw), (dh, dw) = layer.kernel_size, layer.stride, layer.dilation
    out_h, out_w = output_size(size, layer.kernel_size, layer.stride, layer.padding,
                               layer.dilation)
    return (size_formula("H", size[0], sides.top, sides.bottom, kh, sh, dh, out_h) + "\n"
            + size_formula("W", size[1], sides.left, sides.right, kw, sw, dw, out_w))


def shape_text(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def _output_shape(rng, level):
    while True:  # draw until the layer fits the input
        config = _random_config(rng, level)
        shape = _input_shape(rng, config, level)
        try:
            out = layer_from(config, rng=0).output_shape(shape)
        except ValueError:
            continue
        return Question(
            "output_shape", level,
            f"x has shape {shape_text(shape)}. What is the shape of "
            f"{torch_line(config)}(x)?",
            shape_text(out), "shape", _formulas(config, shape[2:]), _layer_state(config, shape))


def _keep_padding(rng, level):
    kernel = rng.choice([3, 5, 7]) if level != "easy" else rng.choice([3, 5])
    dilation = rng.choice([1, 2]) if level == "hard" else 1
    size = rng.choice([14, 28, 32])
    config = dict(in_channels=rng.choice([1, 3]), out_channels=rng.choice([6, 16]),
                  kernel_size=kernel, stride=1, padding=0, dilation=dilation, groups=1,
                  bias=True, padding_mode="zeros")
    # the engine answers: the padding whose output size equals the input size
    padding = next(p for p in range(0, dilation * kernel + 1)
                   if output_size(size, kernel, 1, p, dilation) == (size, size))
    solved = dict(config, padding=padding)
    described = f"a {kernel}×{kernel} kernel" + (f" with dilation {dilation}" if dilation > 1
                                                 else "")
    return Question(
        "keep_padding", level,
        f"A {size}×{size} input goes through nn.Conv2d with {described} and stride 1. "
        f"Which padding keeps the output {size}×{size}?",
        str(padding), "int", _formulas(solved, (size, size)),
        _layer_state(solved, (1, config["in_channels"], size, size)))


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
    return Question(
        "target_stride", level,
        f"nn.Conv2d(3, 8, {kernel}, padding={padding}) on a {size}×{size} input: which "
        f"stride (the smallest that works) gives a {target}×{target} output?",
        str(stride), "int", _formulas(config, (size, size)),
        _layer_state(config, (1, 3, size, size)))


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
    return Question("weight_shape", level, f"What is the shape of {torch_line(config)}.weight?",
                    shape_text(layer.weight_shape), "shape", _explain_weights(layer),
                    _layer_state(config, (1, config["in_channels"], 8, 8)))


def _parameter_count(rng, level):
    config = _grouped_config(rng, level)
    layer = layer_from(config, rng=0)
    return Question("parameter_count", level,
                    f"How many learnable parameters does {torch_line(config)} have?",
                    str(layer.parameter_count), "int", _explain_weights(layer),
                    _layer_state(config, (1, config["in_channels"], 8, 8)))


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
    swapped = torch_line(dict(config, in_channels=config["out_channels"],
                              out_channels=config["in_channels"]))
    keyword = right.replace(f", {_short_kernel(kernel)},", f", kernel={_short_kernel(kernel)},", 1)
    mixed = torch_line(dict(config, stride=config["padding"] or 1, padding=config["stride"]))
    choices = list(dict.fromkeys([right, swapped, keyword, mixed]))  # unique, in order
    rng.shuffle(choices)
    letter = "abcd"[choices.index(right)]
    return Question(
        "constructor", level, f"Which call builds a layer with {words}?", letter, "choice",
        f"{right}: in_channels comes first, then out_channels (the number of filters), then "
        "kernel_size; the keyword is kernel_size, not kernel.",
        _layer_state(config, (1, config["in_channels"], 16, 16)), choices)


def _plain(value) -> str:
    h, w = pair("value", value)
    return str(h) if h == w else f"{h}×{w}"


def _short_kernel(kernel) -> str:
    return str(kernel[0]) if kernel[0] == kernel[1] else str(tuple(kernel))


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
        answer, reason = "valid", "torch accepts it: " + _formulas(config, shape[2:])
    except (ValueError, TypeError) as error:
        answer, reason = "invalid", f"torch refuses it: {error}"
    return Question(
        "validity", level,
        f"Is {torch_line(config)} valid for an input of shape {shape_text(shape)}?",
        answer, "validity", reason, _layer_state(config, shape))


GENERATORS = {"output_shape": _output_shape, "keep_padding": _keep_padding,
              "target_stride": _target_stride, "weight_shape": _weight_shape,
              "parameter_count": _parameter_count, "constructor": _constructor,
              "validity": _validity}


def question(seed: int, index: int, level: str = "medium") -> Question:
    """Question ``index`` of the set ``seed`` at ``level``: the same inputs, the same question."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    rng = random.Random(f"convscope-practice:{seed}:{level}:{index}")
    kind = KINDS[index % len(KINDS)] if index < len(KINDS) else rng.choice(KINDS)
    return GENERATORS[kind](rng, level)


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


def check(q: Question, text: str) -> dict:
    """Mark an answer: {correct, understood, expected, explanation}."""
    given = parse_answer(text, q.answer_form)
    expected = parse_answer(q.answer, q.answer_form)
    return {"correct": given is not None and given == expected, "understood": given is not None,
            "expected": q.answer, "explanation": q.explanation}
