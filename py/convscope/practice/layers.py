"""Practice topics on the other layers: nn.ConvTranspose2d and the pools.

- ``transpose_output_shape``: the output shape of a transposed convolution.
- ``transpose_reach_size``: which output_padding reaches a size (or that none does, as
  torch's error says), or which output_padding ``output_size=[...]`` chooses.
- ``pool_output_shape``: MaxPool2d/AvgPool2d output shapes, with and without ceil_mode
  (and its rule: the last window must start inside the input or the left padding).

As in ``practice``, the generator only picks setups: every answer, every step's number
and every mistake's wrong answer comes from the engine (``layer_from(...)``'s output
shapes and errors), run on the setup as given or as the mistaken learner reads it.
"""

from __future__ import annotations

from ..kinds import layer_from, torch_line
from ..kinds.pool2d import size_formula as pool_formula
from ..kinds.stamp import size_formula as transpose_formula
from . import mistakes
from .common import Question, layer_state, named_mistakes, setup, shape_text, shuffled_options

TRANSPOSE = "conv_transpose2d"
#: Batch sizes and channel counts stay within what the visualizer opens (limits.PAGE:
#: batch 4, in_channels 16), so every question's link draws its layer.
BATCHES = (1, 1, 2, 4)


def _square(value: int) -> list[int]:
    return [value, value]


def _shape_or_error(config: dict, input_shape, output_size=None):
    """(output shape, None) or (None, the engine's error) of a layer call."""
    try:
        layer = layer_from(config, rng=0)
        if output_size is not None:
            return list(layer.output_shape(input_shape, output_size)), None
        return list(layer.output_shape(input_shape)), None
    except (ValueError, TypeError) as error:
        return None, error


# --- ConvTranspose2d ---------------------------------------------------------------------

def _transpose_config(rng, level) -> dict:
    stride = rng.choice([1, 2]) if level == "easy" else rng.choice([2, 2, 3])
    dilation = rng.choice([1, 2]) if level == "hard" else 1
    kernel = rng.choice([2, 3, 4]) if level == "easy" else rng.choice([2, 3, 4, 5])
    padding = rng.choice([0, 1]) if level == "easy" else rng.choice([0, 1, 2])
    output_padding = 0 if level == "easy" else rng.choice(range(max(stride, dilation)))
    return dict(layer=TRANSPOSE, in_channels=rng.choice([1, 3, 8, 16]),
                out_channels=rng.choice([1, 3, 6, 8, 16]), kernel_size=_square(kernel),
                stride=_square(stride), padding=_square(padding),
                output_padding=_square(output_padding), groups=1, bias=True,
                dilation=_square(dilation), output_size=None, view="scatter")


def _transpose_input(rng, config: dict, level: str) -> tuple:
    size = rng.choice([3, 4, 5, 7, 8]) if level == "easy" else rng.choice([4, 5, 7, 8, 14, 16])
    return (rng.choice(BATCHES), config["in_channels"], size,
            size if level != "hard" else rng.choice([size, 6, 9]))


def transpose_formulas(config: dict, size) -> str:
    """Both ConvTranspose2d size formulas of ``config`` on ``(H, W)``, numbers filled in."""
    layer = layer_from(config, rng=0)
    out = layer.output_shape((1, layer.in_channels, *size))[2:]
    return "\n".join(
        transpose_formula(axis, size[i], layer.kernel_size[i], layer.stride[i],
                          layer.padding[i], layer.output_padding[i], layer.dilation[i], out[i])
        for i, axis in enumerate("HW"))


def transpose_output_shape(rng, level):
    while True:  # draw until torch would accept the call
        config = _transpose_config(rng, level)
        shape = _transpose_input(rng, config, level)
        out, error = _shape_or_error(config, shape)
        if error is None:
            break
    answer = shape_text(out)
    steps = (f"batch: stays {shape[0]}\n"
             f"channels: out_channels = {config['out_channels']}\n"
             f"{transpose_formulas(config, shape[2:])}\n"
             f"output: {answer}")
    return Question(
        "transpose_output_shape", level,
        f"x has shape {shape_text(shape)}. What is the shape of {torch_line(config)}(x)?",
        answer, "shape", steps, layer_state(config, shape),
        hint=f"The batch stays {shape[0]} and the channels become out_channels. A transposed "
             "convolution grows H and W: each step of the input is stride steps of the output, "
             "the kernel adds its reach, padding crops.",
        quick_check="H_out = (H − 1)×stride − 2×padding + dilation×(k − 1) + output_padding + 1",
        mistakes=named_mistakes(answer, [(name, None if wrong is None else shape_text(wrong))
                                         for name, wrong in
                                         mistakes.transpose_output_shape_mistakes(config, shape)]))


def _reach_setup(rng, level):
    """A ConvTranspose2d without output_padding on an input, and its smallest output size."""
    while True:
        stride = 2 if level == "easy" else rng.choice([2, 3])
        dilation = rng.choice([1, 2]) if level == "hard" else 1
        config = dict(_transpose_config(rng, "medium"), stride=_square(stride),
                      dilation=_square(dilation), output_padding=[0, 0],
                      kernel_size=_square(rng.choice([3, 4, 5])))
        size = rng.choice([4, 5, 7, 8, 14])
        shape = (1, config["in_channels"], size, size)
        smallest = mistakes.smallest_transpose_size(config, shape)
        if smallest is not None and smallest[0] > 0:
            return config, shape, smallest[0]


def _padding_option(value: int) -> str:
    return f"output_padding={value}"


def _reach_output_padding(rng, level):
    config, shape, smallest = _reach_setup(rng, level)
    stride, dilation = config["stride"][0], config["dilation"][0]
    limit = max(stride, dilation)  # torch: output_padding < stride or < dilation
    reachable = level == "easy" or rng.random() < 0.7
    target = smallest + (rng.choice(range(limit)) if reachable else limit)
    needed = target - smallest  # what the arithmetic asks for; torch may refuse it
    none = f"none: no output_padding gives {target}×{target}"
    numbers = list(range(max(0, needed - 2), max(0, needed - 2) + 3))
    options = [_padding_option(v) for v in numbers] + [none]
    # the engine decides: each output_padding as torch would take it
    outcomes = {v: _shape_or_error(dict(config, output_padding=_square(v)), shape)
                for v in numbers}
    hits = [v for v, (out, _) in outcomes.items() if out is not None and out[2:] == [target] * 2]
    right = _padding_option(hits[0]) if hits else none
    refused = outcomes[needed][1]
    named = {}  # option -> the mistake that picks it, models first

    def pick(value, within):
        return _padding_option(value) if 0 <= value < within else none
    if refused is not None:
        named.setdefault(_padding_option(needed), mistakes.OUTPUT_PADDING_RULE)
    for name, size in mistakes.reach_mistake_sizes(config, shape):
        if size is not None:
            named.setdefault(pick(target - size[0], limit), name)
    for v, (out, error) in outcomes.items():  # the rest: what the engine says of them
        named.setdefault(_padding_option(v),
                         f"miscounting: output_padding={v} gives {out[2]}×{out[3]}"
                         if error is None else
                         f"miscounting: output_padding={v} is more than {needed}, and torch "
                         "refuses it besides")
    named.setdefault(none, f"thinking torch refuses it (output_padding may be up to "
                           f"max(stride, dilation) − 1 = {limit - 1})")
    choices, letter, wrong = shuffled_options(
        rng, right, [(option, named[option]) for option in options if option != right])
    plain = dict(config, output_padding=[0, 0])
    steps = [f"the smallest output (output_padding=0):\n{transpose_formulas(plain, shape[2:])}",
             f"output_padding adds rows at the bottom and columns at the right: "
             f"{target} − {smallest} = {needed}"]
    if refused is None:
        chosen = dict(config, output_padding=_square(needed))
        steps += [f"torch allows output_padding < stride or < dilation: {needed} < "
                  f"max({stride}, {dilation}) = {limit}",
                  transpose_formulas(chosen, shape[2:])]
    else:
        chosen = dict(config, output_padding=_square(limit - 1))  # the nearest torch allows
        steps += [f"{needed} is not below max(stride, dilation) = max({stride}, {dilation}) = "
                  f"{limit}; torch refuses it: {refused}"]
    steps.append(f"answer: {right}")
    return Question(
        "transpose_reach_size", level,
        f"x has shape {shape_text(shape)}. Which output_padding makes "
        f"{torch_line(config).removesuffix(')')}, output_padding=?)(x) give a "
        f"{target}×{target} output?",
        letter, "choice", "\n".join(steps), layer_state(chosen, shape), choices,
        hint="Work out the output without output_padding; output_padding adds the difference, "
             "but torch only takes output_padding smaller than stride or dilation.",
        quick_check="output_padding = target − ((H − 1)×stride − 2×padding + dilation×(k − 1) "
                    "+ 1), and it must be < stride or < dilation",
        mistakes=wrong,
        variants={option: setup(dict(config, output_padding=_square(v)), shape)
                  for option, v in zip(options, numbers)})


def _reach_output_size(rng, level):
    config, shape, smallest = _reach_setup(rng, level)
    stride = config["stride"][0]
    # torch's _output_padding: output_size may be smallest … smallest + stride − 1
    target = smallest + rng.choice(range(1, stride)) if rng.random() < 0.8 else smallest
    asked = dict(config, output_size=_square(target))
    chosen = layer_from(asked, rng=0).output_padding_for(shape, asked["output_size"])[0]
    plain = dict(config, output_padding=[0, 0])
    named = [(name, None if size is None or target - size[0] < 0 else str(target - size[0]))
             for name, size in mistakes.reach_mistake_sizes(config, shape)]
    steps = (f"output_size picks the output_padding: the smallest output (output_padding=0) "
             f"is\n{transpose_formulas(plain, shape[2:])}\n"
             f"output_size may add up to stride − 1 = {stride - 1} rows: {smallest} … "
             f"{smallest + stride - 1}, and {target} is among them\n"
             f"output_padding = {target} − {smallest} = {chosen}")
    return Question(
        "transpose_reach_size", level,
        f"x has shape {shape_text(shape)} and layer = {torch_line(config)}. Which "
        f"output_padding does layer(x, output_size=[{target}, {target}]) use?",
        str(chosen), "int", steps, layer_state(asked, shape),
        hint="output_size does not change the formula: torch subtracts the output without "
             "output_padding from it.",
        quick_check="output_padding = output_size − ((H − 1)×stride − 2×padding + "
                    "dilation×(k − 1) + 1), from 0 to stride − 1",
        mistakes=named_mistakes(str(chosen), named),
        variants={"output_size": setup(asked, shape),
                  "chosen": setup(dict(config, output_padding=_square(chosen)), shape)})


def transpose_reach_size(rng, level):
    if level != "easy" and rng.random() < 0.4:
        return _reach_output_size(rng, level)
    return _reach_output_padding(rng, level)


# --- MaxPool2d and AvgPool2d ---------------------------------------------------------------

def _pool_config(rng, level) -> dict:
    kind = rng.choice(["max_pool2d", "avg_pool2d"])
    kernel = rng.choice([2, 3]) if level == "easy" else rng.choice([2, 3, 4, 5])
    stride = None if level == "easy" else rng.choice([None, None, 2, 3] + [1] * (level == "hard"))
    dilation = rng.choice([1, 1, 2]) if level == "hard" and kind == "max_pool2d" else 1
    padding = 0 if level == "easy" else rng.choice([0] * (level == "medium") + [0, 1, 2])
    padding = min(padding, kernel // 2)
    ceil_mode = rng.random() < ({"easy": 0.3, "medium": 0.5, "hard": 0.8}[level])
    config = dict(layer=kind, kernel_size=_square(kernel),
                  stride=None if stride is None else _square(stride), padding=_square(padding),
                  ceil_mode=ceil_mode, in_channels=rng.choice([1, 3, 8, 16]))
    if kind == "max_pool2d":
        config["dilation"] = _square(dilation)
    else:
        config.update(count_include_pad=True, divisor_override=None)
    return config


def _pool_input(rng, config, level) -> tuple:
    sizes = [4, 6, 7, 8, 9, 14, 15] if level == "easy" else [5, 7, 9, 13, 15, 27, 28, 31]
    size = rng.choice(sizes)
    return (rng.choice(BATCHES), config["in_channels"], size,
            size if level != "hard" else rng.choice([size, 10, 11]))


def _ceil_matters(config, shape) -> tuple[bool, bool]:
    """(rounding up changes the size, ceil_mode's rule drops a window) on this setup."""
    floor, _ = _shape_or_error(dict(config, ceil_mode=False), shape)
    ceil, _ = _shape_or_error(dict(config, ceil_mode=True), shape)
    stride = layer_from(config).spec().stride
    n, c, h, w = shape
    no_rule, _ = _shape_or_error(dict(config, ceil_mode=False), (n, c, h + stride[0] - 1,
                                                                  w + stride[1] - 1))
    return ceil != floor, ceil != no_rule


def pool_output_shape(rng, level):
    want_rule = level == "hard" and rng.random() < 0.5
    while True:
        config = _pool_config(rng, level)
        shape = _pool_input(rng, config, level)
        out, error = _shape_or_error(config, shape)
        other, other_error = _shape_or_error(dict(config, ceil_mode=not config["ceil_mode"]),
                                             shape)
        if error is not None or other_error is not None:
            continue  # both settings must be calls torch takes: the solution compares them
        rounds, rule = _ceil_matters(config, shape)
        if config["ceil_mode"] and not rounds and level != "easy":
            continue  # ceil_mode that changes nothing asks nothing
        if want_rule and not (config["ceil_mode"] and rule):
            continue
        break
    answer = shape_text(out)
    layer = layer_from(config)
    spec = layer.spec()
    sizes = shape[2:]
    lines = [f"batch and channels stay: {shape[0]}, {shape[1]} (each channel is pooled alone)"]
    if config["stride"] is None:
        lines.append(f"no stride given: stride = kernel_size = {spec.kernel_size[0]}")
    for i, axis in enumerate("HW"):
        lines.append(pool_formula(axis, sizes[i], spec.padding[i], spec.kernel_size[i],
                                  spec.stride[i], spec.dilation[i], spec.ceil_mode, out[2 + i]))
    lines.append(f"(with ceil_mode={not config['ceil_mode']} it would be "
                 f"{shape_text(other)})")
    lines.append(f"output: {answer}")
    return Question(
        "pool_output_shape", level,
        f"x has shape {shape_text(shape)}. What is the shape of {torch_line(config)}(x)?",
        answer, "shape", "\n".join(lines), layer_state(config, shape),
        hint="Pooling keeps the batch and the channels; a stride not given is the kernel size. "
             "ceil_mode rounds up, but never starts a window in the right padding.",
        quick_check="H_out = ⌊(H + 2×padding − dilation×(k − 1) − 1) / stride⌋ + 1; with "
                    "ceil_mode ⌈…⌉ + 1, minus 1 if that last window would start at or past "
                    "H + padding",
        mistakes=named_mistakes(answer, [(name, None if wrong is None else shape_text(wrong))
                                         for name, wrong in
                                         mistakes.pool_output_shape_mistakes(config, shape)]),
        variants={"floor": setup(dict(config, ceil_mode=False), shape),
                  "ceil": setup(dict(config, ceil_mode=True), shape)})
