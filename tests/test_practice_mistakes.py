"""Practice hints, quick checks and common mistakes: every mistake model gives the wrong
answer it claims (checked against plain formulas written here, not the engine), the
marking names it, and multiple-choice questions have four options in a seeded order."""

import itertools
import re

import pytest
from reference import as_pair, padding_sides, reference_output_shape

from convscope import methods
from convscope.practice import mistakes as m
from convscope.practice.questions import TOPICS, LEVELS, check, generate, parse_answer, question
from convscope.practice.common import shape_text
from convscope.kinds import torch_line

QUESTIONS = [question(seed, index, level)
             for seed, level, index in itertools.product(range(12), LEVELS, range(len(TOPICS)))]


def by_topic(kind):
    return [q for q in QUESTIONS if q.topic == kind]


def plain_size(size, kernel, stride, before, after, dilation, rounding=lambda a, s: a // s):
    return rounding(size + before + after - dilation * (kernel - 1) - 1, stride) + 1


def ceil_div(a, s):
    return -(-a // s)


def plain_output_mistake(name, layer):
    """The shape a learner making mistake ``name`` writes down, by the documented formula."""
    n, c, (h, w) = layer["batch"], layer["in_channels"], layer["input_size"]
    out = layer["out_channels"]
    kernel, stride, dilation = (as_pair(layer[k]) for k in ("kernel_size", "stride", "dilation"))
    padding = layer["padding"]

    def shape(n=n, channels=out, padding=padding, stride=stride, dilation=dilation,
              rounding=lambda a, s: a // s):
        top, bottom, left, right = padding_sides(padding, kernel, dilation)
        return [n, channels,
                plain_size(h, kernel[0], stride[0], top, bottom, dilation[0], rounding),
                plain_size(w, kernel[1], stride[1], left, right, dilation[1], rounding)]
    return {
        m.SWAPPED: shape(channels=c),
        m.NO_BATCH: shape()[1:],
        m.NO_PADDING: shape(padding=0),
        m.SAME_SIZE: [n, out, h, w],
        m.NO_STRIDE: shape(stride=(1, 1)),
        m.NO_DILATION: shape(dilation=(1, 1)),
        m.CEIL: shape(rounding=ceil_div),
    }[name]


def plain_weight_mistake(name, layer):
    kh, kw = as_pair(layer["kernel_size"])
    out, c, groups = layer["out_channels"], layer["in_channels"], layer["groups"]
    return {m.NO_GROUPS: [out, c, kh, kw], m.SWAPPED: [c, out // groups, kh, kw],
            m.KERNEL_FLIPPED: [out, c // groups, kw, kh]}[name]


def plain_parameter_mistake(name, layer):
    kh, kw = as_pair(layer["kernel_size"])
    out, c, groups, bias = (layer[k] for k in ("out_channels", "in_channels", "groups", "bias"))
    return {m.NO_BIAS: out * c // groups * kh * kw,
            m.EXTRA_BIAS: out * c // groups * kh * kw + out,
            m.NO_GROUPS: out * c * kh * kw + (out if bias else 0),
            m.SWAPPED: c * out // groups * kh * kw + (c if bias else 0)}[name]


def plain_keep_padding_mistake(name, layer):
    k, d = layer["kernel_size"], layer["dilation"]
    return {m.NO_DILATION: (k - 1) // 2, m.BOTH_SIDES: d * (k - 1)}[name]


def plain_stride_mistake(name, layer, target):
    size, k, p = layer["input_size"][0], layer["kernel_size"], layer["padding"]
    rules = {m.NO_PADDING: lambda s: (size - k) // s + 1,
             m.CEIL: lambda s: ceil_div(size + 2 * p - k, s) + 1,
             m.KERNEL_IGNORED: lambda s: (size - 1) // s + 1}
    return next(s for s in range(1, size + 1) if rules[name](s) == target)


@pytest.mark.parametrize("kind", ["output_shape", "weight_shape", "parameter_count",
                                  "keep_padding", "target_stride"])
def test_every_mistake_model_gives_the_answer_plain_arithmetic_gives(kind):
    seen = set()
    for asked in by_topic(kind):
        layer = asked.layer
        for mistake in asked.mistakes:
            name, claimed = mistake["name"], mistake["answer"]
            seen.add(name)
            if kind == "output_shape":
                expected = shape_text(plain_output_mistake(name, layer))
            elif kind == "weight_shape":
                expected = shape_text(plain_weight_mistake(name, layer))
            elif kind == "parameter_count":
                expected = str(plain_parameter_mistake(name, layer))
            elif kind == "keep_padding":
                expected = str(plain_keep_padding_mistake(name, layer))
            else:
                target = int(asked.prompt.split("gives a ")[1].split("×")[0])
                expected = str(plain_stride_mistake(name, layer, target))
            assert claimed == expected, (asked.prompt, name)
            assert claimed != asked.answer  # a mistake is only listed where it misleads
    assert len(seen) >= 2, f"{kind}: the generated questions exercise too few mistakes"


def test_output_shape_mistakes_include_the_tutorials_list():
    names = {mistake["name"] for asked in by_topic("output_shape") for mistake in asked.mistakes}
    assert {m.SWAPPED, m.NO_BATCH, m.SAME_SIZE, m.NO_PADDING, m.CEIL} <= names


def test_the_marking_names_the_mistake_a_wrong_answer_matches():
    asked = next(q for q in by_topic("output_shape")
                 if any(x["name"] == m.NO_BATCH for x in q.mistakes))
    n, c, h, w = reference_output_shape(
        (asked.layer["batch"], asked.layer["in_channels"], *asked.layer["input_size"]),
        asked.layer["out_channels"], asked.layer["kernel_size"], asked.layer["stride"],
        asked.layer["padding"], asked.layer["dilation"])
    marking = check(asked, f"{c}x{h}x{w}")  # the batch left out, written another way
    assert not marking["correct"] and m.NO_BATCH in marking["mistake"]
    assert check(asked, f"{n}x{c}x{h}x{w}")["mistake"] is None  # right: no mistake
    assert check(asked, "[7, 7, 7, 7, 7]")["mistake"] is None   # wrong, but no known mistake


def test_constructor_options_are_the_mistakes_they_claim():
    for asked in by_topic("constructor"):
        layer = asked.layer
        right = torch_line(layer)
        assert asked.choices["abcd".index(asked.answer)] == right
        for mistake in asked.mistakes:
            option = asked.choices["abcd".index(mistake["answer"])]
            name = mistake["name"]
            if name == m.SWAPPED:
                assert option.startswith(f"nn.Conv2d({layer['out_channels']}, "
                                         f"{layer['in_channels']},")
            elif "kernel=" in name:
                assert option == right.replace(", ", ", kernel=", 2).replace(
                    ", kernel=", ", ", 1)
            elif "stride and padding" in name:
                assert option != right and "stride=" in option and "padding=" in option
            elif "before out_channels" in name:
                assert f", {layer['out_channels']}, stride=" in option
            else:
                assert ("bias=False" in option) == layer["bias"]


@pytest.mark.parametrize("kind", ["constructor", "identify_problem", "argument_effect"])
def test_multiple_choice_has_four_options_in_a_stable_seeded_order(kind):
    orders = set()
    for level, key in itertools.product(LEVELS, range(20)):
        asked = generate(kind, level, f"k{key}")
        again = generate(kind, level, f"k{key}")
        assert asked.choices == again.choices and asked.answer == again.answer
        assert len(set(asked.choices)) == 4 and asked.keys == list("abcd")
        assert sorted(x["answer"] for x in asked.mistakes) == sorted(
            set("abcd") - {asked.answer})  # every wrong option says which mistake it is
        assert parse_answer(str("abcd".index(asked.answer) + 1), "choice") == asked.answer
        orders.add(asked.answer)
    assert orders == set("abcd"), "the right option should not always sit in one place"


def test_every_question_has_a_hint_a_quick_check_and_steps():
    for asked in QUESTIONS:
        assert asked.hint and asked.quick_check, asked.topic
        assert asked.answer_form != "shape" or asked.answer not in asked.hint  # no give-away
        if asked.answer_form in ("shape", "int"):
            assert len(asked.explanation.splitlines()) >= 2, asked.topic


def test_hints_and_solutions_stay_hidden_until_an_answer():
    from convscope.page.session import Session

    for index in range(len(TOPICS)):
        shown = methods.answer(Session(), "practice", {"seed": 4, "level": "medium", "index": index})
        assert shown["hint"] and shown["quick_check"]
        assert not {"answer", "explanation", "mistakes", "variants"} & set(shown)


# --- the kinds on the other layers: ConvTranspose2d and the pools ---------------------------

LAYER_QUESTIONS = [generate(kind, level, f"layers-{key}")
                   for kind, level, key in itertools.product(
                       ("transpose_output_shape", "transpose_reach_size", "pool_output_shape"),
                       LEVELS, range(40))]


def layer_kind(kind):
    return [q for q in LAYER_QUESTIONS if q.topic == kind] + by_topic(kind)


def plain_transpose_size(size, k, s, p, op, d, pad_sides=2):
    return (size - 1) * s - pad_sides * p + d * (k - 1) + op + 1


def plain_transpose_mistake(name, layer):
    n, c, out = layer["batch"], layer["in_channels"], layer["out_channels"]
    k, s, p, op, d = (layer[key][0] for key in ("kernel_size", "stride", "padding",
                                                "output_padding", "dilation"))

    def shape(channels=out, **changed):
        args = dict(k=k, s=s, p=p, op=op, d=d) | changed
        return [n, channels] + [plain_transpose_size(size, **args)
                                for size in layer["input_size"]]
    return {
        m.CONV2D_FORMULA: [n, out] + [plain_size(size, k, s, p, p, d)
                                      for size in layer["input_size"]],
        m.NO_OUTPUT_PADDING: shape(op=0),
        m.PADDING_ONCE: shape(pad_sides=1),
        m.NO_DILATION: shape(d=1),
        m.SWAPPED: shape(channels=c),
    }[name]


def plain_pool_size(size, k, s, p, d, ceil, rule=True):
    span = d * (k - 1) + 1
    out = (size + 2 * p - span + (s - 1 if ceil else 0)) // s + 1
    if ceil and rule and (out - 1) * s >= size + p:
        out -= 1
    return out


def plain_pool_mistake(name, layer):
    n, c = layer["batch"], layer["in_channels"]
    k = layer["kernel_size"][0]
    s = k if layer["stride"] is None else layer["stride"][0]
    p, d, ceil = layer["padding"][0], layer.get("dilation", [1])[0], layer["ceil_mode"]

    def shape(**changed):
        args = dict(k=k, s=s, p=p, d=d, ceil=ceil) | changed
        extra = args.pop("extra", 0)
        return [n, c] + [plain_pool_size(size + extra, **args) for size in layer["input_size"]]
    return {
        m.CEIL_NO_RULE: shape(rule=False),
        m.FLOOR: shape(ceil=False),
        m.CEIL_OFF: shape(ceil=True),
        m.STRIDE_ONE: shape(s=1),
        m.NO_STRIDE: shape(s=1),
        m.NO_BATCH: shape()[1:],
        # one side padded: as if the input were p larger and unpadded (the rule reads H + p)
        m.PADDING_ONE_SIDE: shape(p=0, extra=p),
        m.NO_DILATION: shape(d=1),
    }[name]


@pytest.mark.parametrize("kind", ["transpose_output_shape", "pool_output_shape"])
def test_layer_shape_mistakes_give_what_plain_arithmetic_gives(kind):
    seen = set()
    for asked in layer_kind(kind):
        assert asked.mistakes, asked.prompt  # every question names at least one mistake
        plain = plain_transpose_mistake if kind == "transpose_output_shape" else \
            plain_pool_mistake
        for mistake in asked.mistakes:
            seen.add(mistake["name"])
            assert mistake["answer"] == shape_text(plain(mistake["name"], asked.layer)), \
                (asked.prompt, mistake["name"])
            assert mistake["answer"] != asked.answer
    expected = ({m.CONV2D_FORMULA, m.NO_OUTPUT_PADDING, m.PADDING_ONCE, m.NO_DILATION}
                if kind == "transpose_output_shape" else
                {m.CEIL_NO_RULE, m.FLOOR, m.CEIL_OFF, m.STRIDE_ONE, m.PADDING_ONE_SIDE})
    assert expected <= seen, f"{kind}: mistakes never exercised: {expected - seen}"


def reach_numbers(asked):
    """(target, smallest output, torch's limit max(stride, dilation)) by plain arithmetic."""
    layer = asked.layer
    k, s, p, d = (layer[key][0] for key in ("kernel_size", "stride", "padding", "dilation"))
    target = int(re.search(r"give a (\d+)×|output_size=\[(\d+)", asked.prompt).group(
        1 if "give a" in asked.prompt else 2))
    return target, plain_transpose_size(layer["input_size"][0], k, s, p, 0, d), max(s, d)


def plain_smallest_mistake(name, layer):
    k, s, p, d = (layer[key][0] for key in ("kernel_size", "stride", "padding", "dilation"))
    size = layer["input_size"][0]
    return {m.PADDING_ONCE: plain_transpose_size(size, k, s, p, 0, d, pad_sides=1),
            m.NO_DILATION: plain_transpose_size(size, k, s, p, 0, 1),
            m.CONV2D_FORMULA: plain_size(size, k, s, p, p, d)}[name]


def test_reach_size_answers_and_mistakes_by_plain_arithmetic():
    seen, refused = set(), 0
    for asked in layer_kind("transpose_reach_size"):
        target, smallest, limit = reach_numbers(asked)
        needed = target - smallest
        if asked.answer_form == "int":  # output_size=[T, T] chooses T − smallest
            assert asked.answer == str(needed) and 0 <= needed < asked.layer["stride"][0]
            for mistake in asked.mistakes:
                seen.add(mistake["name"])
                assert mistake["answer"] == str(target - plain_smallest_mistake(
                    mistake["name"], asked.layer)) != asked.answer
            continue
        option = dict(zip("abcd", asked.choices))
        none = next(text for text in asked.choices if text.startswith("none"))
        right = f"output_padding={needed}" if needed < limit else none
        refused += right == none
        assert option[asked.answer] == right
        assert sorted(x["answer"] for x in asked.mistakes) == sorted(set("abcd") - {asked.answer})
        for mistake in asked.mistakes:
            name, picked = mistake["name"], option[mistake["answer"]]
            seen.add(name.split(":")[0])
            if name == m.OUTPUT_PADDING_RULE:
                assert picked == f"output_padding={needed}" and needed >= limit
            elif name in (m.PADDING_ONCE, m.NO_DILATION, m.CONV2D_FORMULA):
                guess = target - plain_smallest_mistake(name, asked.layer)
                assert picked == (f"output_padding={guess}" if 0 <= guess < limit else none)
            elif name.startswith("miscounting"):
                value = int(picked.split("=")[1])
                size = smallest + value
                assert size != target
                assert (f"output_padding={value} gives {size}×{size}" in name if value < limit
                        else "refuses" in name and value > needed)
            else:
                assert picked == none and "refuses" in name
    assert refused >= 5, "too few questions where no output_padding reaches the size"
    assert {m.OUTPUT_PADDING_RULE, m.PADDING_ONCE, m.NO_DILATION, m.CONV2D_FORMULA,
            "miscounting"} <= seen


def test_layer_questions_end_their_solution_on_the_answer():
    for asked in LAYER_QUESTIONS + [q for q in QUESTIONS if q.topic in TOPICS[9:]]:
        last = asked.explanation.splitlines()[-1]
        if asked.answer_form == "shape":
            assert last == f"output: {asked.answer}"
        elif asked.answer_form == "int":
            assert last.endswith(f"= {asked.answer}")
        else:
            assert last == f"answer: {asked.choices['abcd'.index(asked.answer)]}"
        assert asked.hint and asked.quick_check
        again = generate(asked.topic, asked.level, "layers-0")  # deterministic per key
        assert again == generate(asked.topic, asked.level, "layers-0")


def test_the_marking_names_a_layer_mistake():
    asked = next(q for q in layer_kind("pool_output_shape")
                 if any(x["name"] == m.CEIL_NO_RULE for x in q.mistakes))
    wrong = next(x["answer"] for x in asked.mistakes if x["name"] == m.CEIL_NO_RULE)
    marking = check(asked, wrong.strip("[]").replace(", ", "x"))
    assert not marking["correct"] and m.CEIL_NO_RULE in marking["mistake"]
    assert "ceil_mode drops it" in asked.explanation
