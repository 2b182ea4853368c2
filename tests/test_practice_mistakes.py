"""Practice hints, quick checks and common mistakes: every mistake model gives the wrong
answer it claims (checked against plain formulas written here, not the engine), the
marking names it, and multiple-choice questions have four options in a seeded order."""

import itertools

import pytest
from reference import as_pair, padding_sides, reference_output_shape

from convscope import practice_mistakes as m
from convscope.practice import KINDS, LEVELS, check, generate, parse_answer, question
from convscope.practice_common import shape_text
from convscope.web import torch_line

QUESTIONS = [question(seed, index, level)
             for seed, level, index in itertools.product(range(12), LEVELS, range(len(KINDS)))]


def by_kind(kind):
    return [q for q in QUESTIONS if q.kind == kind]


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
    for asked in by_kind(kind):
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
    names = {mistake["name"] for asked in by_kind("output_shape") for mistake in asked.mistakes}
    assert {m.SWAPPED, m.NO_BATCH, m.SAME_SIZE, m.NO_PADDING, m.CEIL} <= names


def test_the_marking_names_the_mistake_a_wrong_answer_matches():
    asked = next(q for q in by_kind("output_shape")
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
    for asked in by_kind("constructor"):
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
        assert asked.hint and asked.quick_check, asked.kind
        assert asked.answer_form != "shape" or asked.answer not in asked.hint  # no give-away
        if asked.answer_form in ("shape", "int"):
            assert len(asked.explanation.splitlines()) >= 2, asked.kind


def test_hints_and_solutions_stay_hidden_until_an_answer():
    from convscope.web import Session

    for index in range(len(KINDS)):
        shown = Session().practice(4, "medium", index)
        assert shown["hint"] and shown["quick_check"]
        assert not {"answer", "explanation", "mistakes", "variants"} & set(shown)
