"""Practice mode: questions answered by the engine agree with torch; marking; the page."""

import itertools
import json
import random
import re

import pytest
from conftest import FIXTURES
from playwright.sync_api import expect

from convscope import methods
from convscope.practice.questions import (CONV2D_TOPICS, GENERATORS, TOPICS, LAYER_TOPICS, LEVELS,
                                          check, parse_answer, question, shape_text)
from convscope.practice.concepts import EFFECTS
from convscope.practice.exam import LENGTH, exam_question, plan, score_card
from convscope.kinds import KINDS as KIND_OF_LAYER
from convscope.kinds import torch_line
from convscope.page.session import Session

RECORDS = json.loads((FIXTURES / "practice.json").read_text())
TEST_RECORDS = [r for r in RECORDS if r.get("test")]


def test_fixture_sets_cover_every_kind_and_level():
    assert {r["topic"] for r in RECORDS} == set(TOPICS)
    assert {r["level"] for r in RECORDS} == set(LEVELS)


@pytest.mark.parametrize("record", RECORDS,
                         ids=[("test-" if r.get("test") else "")
                              + f"{r['seed']}-{r['level']}-{r['index']}-{r['topic']}"
                              for r in RECORDS])
def test_engine_answers_agree_with_torch(record):
    asked = (exam_question(record["seed"], record["index"]) if record.get("test")
             else question(record["seed"], record["index"], record["level"]))
    assert asked.prompt == record["prompt"]  # a seed gives the same set, always
    torch_says = record["torch"]
    if asked.topic == "validity":
        assert asked.answer == ("valid" if torch_says["valid"] else "invalid")
        return
    assert torch_says["valid"], "only validity questions may be about a layer torch refuses"
    layer = asked.layer
    if asked.topic == "output_shape":
        assert asked.answer == shape_text(torch_says["output_shape"])
    elif asked.topic == "weight_shape":
        assert asked.answer == shape_text(torch_says["weight_shape"])
    elif asked.topic == "parameter_count":
        assert asked.answer == str(torch_says["parameters"])
    elif asked.topic == "keep_padding":
        assert torch_says["output_shape"][2:] == layer["input_size"]
        assert asked.answer == str(layer["padding"])
    elif asked.topic == "target_stride":
        target = int(re.search(r"gives a (\d+)×", asked.prompt).group(1))
        assert torch_says["output_shape"][2:] == [target, target]
        assert asked.answer == str(layer["stride"])
    elif asked.topic == "constructor":
        assert asked.choices["abcd".index(asked.answer)] == torch_line(layer)
        assert any("kernel=" in choice for choice in asked.choices)
    elif asked.topic == "identify_problem":
        check_identified_problem(asked, record["variants"])
    elif asked.topic == "argument_effect":
        check_argument_effect(asked, record["variants"])
    elif asked.topic in ("transpose_output_shape", "pool_output_shape"):
        assert asked.answer == shape_text(torch_says["output_shape"])
        assert layer["layer"] in ("conv_transpose2d", "max_pool2d", "avg_pool2d")
        if asked.topic == "pool_output_shape":  # with and without ceil_mode, both torch's
            variants = record["variants"]
            assert variants["ceil" if layer["ceil_mode"] else "floor"] == torch_says
            other = variants["floor" if layer["ceil_mode"] else "ceil"]["output_shape"]
            assert f"with ceil_mode={not layer['ceil_mode']} it would be " \
                   f"{shape_text(other)}" in asked.explanation
    elif asked.topic == "transpose_reach_size":
        check_reached_size(asked, torch_says, record["variants"])
    else:
        raise AssertionError(f"no torch check for {asked.topic}")


def reach_target(asked):
    return int(re.search(r"give a (\d+)×|output_size=\[(\d+)", asked.prompt).group(
        1 if "give a" in asked.prompt else 2))


def check_reached_size(asked, torch_says, variants):
    """The output_padding marked right is the one torch gives the target with (or torch
    gives it with none of them); output_size=[...] chooses what the answer says."""
    target = reach_target(asked)
    if asked.answer_form == "int":  # which output_padding output_size chooses
        assert torch_says["output_shape"][2:] == [target, target]
        assert variants["chosen"]["output_shape"] == torch_says["output_shape"]
        assert asked.variants["chosen"]["output_padding"] == [int(asked.answer)] * 2
        return
    right = asked.choices["abcd".index(asked.answer)]
    reaching = [option for option, verdict in variants.items()
                if verdict["valid"] and verdict["output_shape"][2:] == [target, target]]
    assert reaching == ([right] if right.startswith("output_padding=") else [])
    if not reaching:  # the arithmetic's output_padding is there, and torch refuses it
        assert any(not verdict["valid"] for verdict in variants.values())
        sizes = [v["output_shape"][2] for v in variants.values() if v["valid"]]
        assert sizes and max(sizes) < target
    assert torch_says["valid"]  # the visualizer link opens a layer torch takes


def torch_size_and_parameters(verdict):
    return verdict["output_shape"][-1], verdict["parameters"]


def check_argument_effect(asked, torch_says):
    """The option marked right is the change torch's two outputs and counts show."""
    (size_before, params_before), (size_after, params_after) = (
        torch_size_and_parameters(torch_says[name]) for name in ("before", "after"))
    size = ("smaller" if size_after < size_before else
            "larger" if size_after > size_before else "same")
    weights = ("fewer" if params_after < params_before else
               "more" if params_after > params_before else "same")
    assert asked.choices["abcd".index(asked.answer)] == EFFECTS[(size, weights)]
    for mistake in asked.mistakes:  # each wrong option is named by what it gets wrong
        wrong_size, wrong_weights = next(key for key, text in EFFECTS.items()
                                         if text == asked.choices["abcd".index(mistake["answer"])])
        assert ("output size" in mistake["name"]) == (wrong_size != size)
        assert ("number of weights" in mistake["name"]) == (wrong_weights != weights)


def check_identified_problem(asked, torch_says):
    """torch gives the surprise the prompt reports, and the fix the solution gives works."""
    given, fixed = torch_says["as_given"], torch_says["fixed"]
    input_shape = asked.variants["as_given"]["input_shape"]
    if "raises an error" in asked.prompt:
        assert not given["valid"]
    else:
        assert given["valid"] and shape_text(given["output_shape"]) in asked.prompt
        if "keep the" in asked.prompt:
            assert given["output_shape"][2:] != input_shape[2:]
        else:
            assert len(given["output_shape"]) == 3
    assert fixed["valid"] and len(fixed["output_shape"]) == 4
    if "keep the" in asked.prompt:
        assert fixed["output_shape"][2:] == input_shape[2:]


def test_a_test_is_ten_questions_easy_to_hard_across_every_kind():
    tenths = set()
    for seed in range(30):
        levels = [level for _, level in plan(seed)]
        assert len(levels) == LENGTH and levels == sorted(levels, key=LEVELS.index)
        assert {"easy", "medium", "hard"} == set(levels)
        kinds = [kind for kind, _ in plan(seed)]
        # every Conv2d kind once, then one on another layer (ConvTranspose2d or a pool)
        assert set(kinds[:-1]) == set(CONV2D_TOPICS) and kinds[-1] in LAYER_TOPICS
        tenths.add(kinds[-1])
    assert tenths == set(LAYER_TOPICS)  # across tests, every kind comes
    assert [exam_question(7, n).prompt for n in range(LENGTH)] == \
        [exam_question(7, n).prompt for n in range(LENGTH)]  # a seed is a test to hand out
    assert plan(7) != plan(8)


def right_answer_from_torch(record, asked):
    """The right answer to a test question, from torch's fixture where it answers one."""
    torch_says = record["torch"]
    if asked.topic in ("output_shape", "weight_shape"):
        return "x".join(map(str, torch_says[asked.topic]))
    if asked.topic == "parameter_count":
        return str(torch_says["parameters"])
    if asked.topic == "validity":
        return "valid" if torch_says["valid"] else "invalid"
    return asked.answer  # the rest are checked against torch in the test above


def another_option(asked, right):
    """A wrong answer to a question with options: the next option round."""
    keys = asked.keys
    return keys[(keys.index(right) + 1) % len(keys)]


def test_score_card_counts_right_wrong_unreadable_and_hinted_answers():
    seed = 1
    records = sorted((r for r in TEST_RECORDS if r["seed"] == seed), key=lambda r: r["index"])
    assert len(records) == LENGTH
    asked = [exam_question(seed, n) for n in range(LENGTH)]
    answers = [right_answer_from_torch(r, q) for r, q in zip(records, asked)]
    wrong = {2: "99", 5: "no idea", 8: None}  # wrong-but-read, unreadable, left blank
    for number, text in wrong.items():
        answers[number] = another_option(asked[number], answers[number]) if text == "99" \
            and asked[number].answer_form in ("choice", "validity") else text
    hinted = [n in (0, 2) for n in range(LENGTH)]
    card = score_card(seed, answers, hinted)
    missed = sorted(n + 1 for n in wrong)
    assert card["right"] == LENGTH - len(wrong) and card["missed"] == missed
    assert card["hints"] == [1, 3]
    assert sum(t["total"] for t in card["by_level"]) == LENGTH
    assert sum(t["right"] for t in card["by_topic"]) == card["right"]
    for tally in card["by_level"]:
        levels = [q.level for q in asked]
        assert tally["total"] == levels.count(tally["level"])
        assert tally["right"] == sum(1 for n, q in enumerate(asked)
                                     if q.level == tally["level"] and n not in wrong)
    assert card["strong"] is False and "Nearly" in card["verdict"]
    rows = card["questions"]
    assert rows[5]["given_text"] == "no answer" and not rows[5]["answered"]
    lines = card["text"].splitlines()
    assert lines[0].endswith(f"{LENGTH - 3} / {LENGTH}")
    first = 4  # after the score, the verdict, and the level and kind tallies
    assert "hint used" in lines[first] and "missed" in lines[first + 2]
    assert "right" in lines[first] and "no answer" in lines[first + 5]
    assert score_card(seed, [q.answer for q in asked], [False] * LENGTH)["strong"]


@pytest.mark.parametrize("text, form, value", [
    ("[1, 6, 28, 28]", "shape", (1, 6, 28, 28)), ("1x6x28x28", "shape", (1, 6, 28, 28)),
    ("(1, 6, 28, 28)", "shape", (1, 6, 28, 28)), ("torch.Size([1, 6, 28, 28])", "shape",
                                                  (1, 6, 28, 28)),
    ("1 × 6 × 28 × 28", "shape", (1, 6, 28, 28)), ("shape please", "shape", None),
    (" 2 ", "int", 2), ("two", "int", None), ("B", "choice", "b"), ("(c)", "choice", "c"),
    ("3", "choice", "c"), ("e", "choice", None), ("Yes", "validity", "valid"),
    ("invalid", "validity", "invalid"), ("maybe", "validity", None),
])
def test_answers_are_read_in_natural_forms(text, form, value):
    assert parse_answer(text, form) == value


def test_marking_explains_with_the_formula_and_hides_nothing_it_should_not():
    asked = question(1, 0, "easy")
    assert asked.topic == "output_shape"
    right = check(asked, asked.answer.replace(", ", "x").strip("[]"))
    wrong = check(asked, "[1, 1, 1, 1]")
    assert right["correct"] and not wrong["correct"] and wrong["understood"]
    assert "H_out" in wrong["explanation"] and "W_out" in wrong["explanation"]
    shown = methods.answer(Session(), "practice", {"seed": 1, "level": "easy", "index": 0})
    assert "answer" not in shown and "explanation" not in shown  # not before an answer
    assert methods.answer(Session(), "practice", {"seed": 1, "level": "easy", "index": 0, "answer": "garbage"})["marking"]["understood"] is False
    assert methods.answer(Session(), "practice", {"seed": 1, "level": "legendary", "index": 0})["error"]["field"] == "level"


def answer(page, text):
    page.get_by_test_id("practice-answer").fill(text)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_practice_page_marks_right_and_wrong_answers_by_keyboard(watched_page, site):
    page = watched_page
    seed = 3
    records = {r["index"]: r for r in RECORDS
               if r["seed"] == seed and r["level"] == "easy" and not r.get("test")}
    page.goto(site.url + f"index.html#mode=practice&seed={seed}&level=easy")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    expect(page.get_by_test_id("practice-prompt")).to_have_text(records[0]["prompt"])
    # right, in another natural form than the engine writes it
    expected = records[0]["torch"]["output_shape"]
    answer(page, "x".join(map(str, expected)))
    feedback = page.get_by_test_id("practice-feedback")
    expect(feedback).to_have_attribute("data-correct", "true")
    expect(page.get_by_test_id("practice-score")).to_have_text("1 / 1")
    page.keyboard.press("Enter")  # on to the next question
    expect(page.get_by_test_id("practice-prompt")).to_have_text(records[1]["prompt"])
    expect(page.get_by_test_id("practice-feedback")).to_be_hidden()
    # wrong: the worked formula and a link to that layer in the visualizer
    answer(page, "99")
    expect(feedback).to_have_attribute("data-correct", "false")
    expect(page.get_by_test_id("practice-worked")).to_contain_text("H_out")
    expect(page.get_by_test_id("practice-score")).to_have_text("1 / 2")
    link = page.get_by_test_id("practice-visualize").get_attribute("href")
    assert "#in_channels=" in link and "padding=" in link
    # unreadable answers are not counted
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("practice-number")).to_contain_text("Question 3")
    answer(page, "no idea")
    expect(page.get_by_test_id("practice-answer")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("practice-score")).to_have_text("1 / 2")
    page.wait_for_function("() => location.hash.includes('question=2')")
    # the visualizer opens on exactly that layer
    page.goto(link)
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    asked = question(seed, 1, "easy")
    expect(page.get_by_test_id("torch-code")).to_have_text(torch_line(asked.layer))


@pytest.mark.browser
@pytest.mark.parametrize("where", ["embed", "component"])
def test_practice_runs_in_an_embed_and_in_a_course_page_widget(watched_page, site, where):
    page = watched_page
    if where == "embed":
        page.goto(site.url + "embed.html#mode=practice&seed=2&level=hard")
        root, asked = page, question(2, 0, "hard")
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    else:
        page.goto(site.url + "examples/tutorial.html")
        root, asked = page.locator("conv-scope#practice"), question(42, 0, "easy")
        root.scroll_into_view_if_needed()
        expect(root).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(root.get_by_test_id("practice-prompt")).to_have_text(asked.prompt)
    root.get_by_test_id("practice-answer").fill(asked.answer)
    root.get_by_test_id("practice-answer").press("Enter")
    expect(root.get_by_test_id("practice-feedback")).to_have_attribute("data-correct", "true")


def take_question(page, asked, text):
    """Answer as a user does: press the option's number, or type; then Enter."""
    if asked.answer_form in ("choice", "validity"):
        page.keyboard.press(str(asked.keys.index(text) + 1))
        expect(page.get_by_test_id(f"practice-option-{asked.keys.index(text) + 1}")).to_be_checked()
        page.keyboard.press("Enter")
    else:
        answer(page, text)


@pytest.mark.browser
def test_a_whole_test_by_keyboard_ends_in_a_score_card(watched_page, site):
    from conftest import screenshot

    page, seed = watched_page, 1
    records = sorted((r for r in TEST_RECORDS if r["seed"] == seed), key=lambda r: r["index"])
    asked = [exam_question(seed, n) for n in range(LENGTH)]
    page.goto(site.url + f"index.html#mode=practice&test=1&seed={seed}")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    number = page.get_by_test_id("practice-number")
    typed = [n for n, q in enumerate(asked) if q.answer_form in ("shape", "int")]
    with_mistake = next(n for n in typed if asked[n].mistakes)
    hinted, unreadable = 0, typed[-1]
    wrong = {with_mistake: asked[with_mistake].mistakes[0]}
    chosen = next(n for n, q in enumerate(asked) if q.answer_form == "choice" and n not in wrong)
    wrong[chosen] = asked[chosen].mistakes[0]
    for n in range(LENGTH):
        expect(number).to_contain_text(f"Question {n + 1} of {LENGTH}")
        expect(page.get_by_test_id("practice-prompt")).to_have_text(records[n]["prompt"])
        if n == hinted:  # a hint on request, before answering
            page.get_by_test_id("practice-hint-button").click()
            expect(page.get_by_test_id("practice-hint")).to_have_text(asked[n].hint)
        if n == unreadable:  # not counted: the question stays, the box says why
            answer(page, "no idea")
            expect(page.get_by_test_id("practice-answer")).to_have_attribute("aria-invalid", "true")
            expect(number).to_contain_text(f"Question {n + 1} of")
        if n == 5:  # halfway, the learner asks for feedback after each question
            page.get_by_test_id("practice-feedback-mode").select_option("each")
        take_question(page, asked[n], wrong[n]["answer"] if n in wrong
                      else right_answer_from_torch(records[n], asked[n]))
        feedback = page.get_by_test_id("practice-feedback")
        if n < 5:
            expect(feedback).to_be_hidden()  # no feedback until the end
            continue
        expect(feedback).to_have_attribute("data-correct", str(n not in wrong).lower())
        expect(page.get_by_test_id("practice-quick-check")).to_contain_text(asked[n].quick_check)
        if n in wrong:
            expect(page.get_by_test_id("practice-mistake")).to_contain_text(wrong[n]["name"])
        if n == 6:
            screenshot(page, "practice-test-feedback")
        page.keyboard.press("Enter")
    card = page.get_by_test_id("practice-score-card")
    expect(card).to_be_visible()
    right = LENGTH - len(wrong)
    expect(page.get_by_test_id("score-total")).to_have_text(f"{right} / {LENGTH}")
    levels = [q.level for q in asked]
    for level in LEVELS:
        right_here = sum(q.level == level and n not in wrong for n, q in enumerate(asked))
        expect(page.get_by_test_id("score-by-level").locator("tr", has_text=level)).to_contain_text(
            f"{right_here} / {levels.count(level)}")
    missed = page.get_by_test_id("score-missed").get_by_role("link")
    expect(missed).to_have_count(len(wrong))
    rows = page.get_by_test_id("score-question")
    expect(rows.nth(hinted)).to_contain_text("hint used")
    for n, mistake in wrong.items():
        expect(rows.nth(n)).to_have_attribute("data-correct", "false")
        expect(rows.nth(n)).to_contain_text(mistake["name"])
    expect(rows.nth(unreadable)).to_have_attribute("data-correct", "true")
    # a missed question's link opens its solution, and the page stays on the card
    missed.last.focus()
    page.keyboard.press("Enter")
    last_missed = rows.nth(max(wrong))
    expect(last_missed).to_be_focused()
    expect(last_missed.get_by_test_id("score-solution")).to_have_attribute("open", "")
    expect(card).to_be_visible()
    link = last_missed.get_by_role("link").get_attribute("href")
    assert "#in_channels=" in link
    text = page.get_by_test_id("score-text").text_content()
    assert text.splitlines()[0].endswith(f"{right} / {LENGTH}") and "hint used" in text
    for width, scheme in ((360, "dark"), (1280, "light")):
        page.set_viewport_size({"width": width, "height": 900})
        page.emulate_media(color_scheme=scheme)
        screenshot(page, f"practice-score-card-{width}-{scheme}")


def conv2d_only_question(seed, index, level):
    """Question ``index`` of a set as it was before the other layers came: the first nine
    in TOPICS order, then ``rng.choice`` among the Conv2d kinds."""
    rng = random.Random(f"convscope-practice:{seed}:{level}:{index}")
    kind = CONV2D_TOPICS[index] if index < len(CONV2D_TOPICS) else rng.choice(CONV2D_TOPICS)
    return GENERATORS[kind](rng, level)


def test_old_sets_keep_their_questions_and_later_ones_mostly_too():
    kept, later, new = 0, 0, set()
    for seed, level in itertools.product(range(6), LEVELS):
        for index in range(len(CONV2D_TOPICS)):  # the start of every set: as before
            assert question(seed, index, level) == conv2d_only_question(seed, index, level)
        for index in range(len(CONV2D_TOPICS), len(TOPICS)):  # then each new kind once
            assert question(seed, index, level).topic == TOPICS[index]
        for index in range(len(TOPICS), 40):
            asked = question(seed, index, level)
            later += 1
            if asked.topic in CONV2D_TOPICS:  # a Conv2d question is the one an old link gave
                assert asked == conv2d_only_question(seed, index, level)
                kept += 1
            else:
                new.add(asked.topic)
    assert new == set(LAYER_TOPICS) and 0.6 < kept / later < 0.9


def test_every_question_opens_its_own_kind_in_the_visualizer():
    for seed, level, index in itertools.product(range(4), LEVELS, range(len(TOPICS))):
        asked = question(seed, index, level)
        layer = asked.layer
        expected = {"transpose_output_shape": "conv_transpose2d",
                    "transpose_reach_size": "conv_transpose2d",
                    "pool_output_shape": ("max_pool2d", "avg_pool2d")}.get(asked.topic, "conv2d")
        assert layer["layer"] in expected
        kind = KIND_OF_LAYER[layer["layer"]]
        # the page state holds exactly the kind's arguments and the data settings (the
        # quiet ones, the backward pass's, only away from their defaults)
        assert {a.name for a in kind.arguments if not a.quiet} <= set(layer)
        assert set(layer) - {a.name for a in kind.arguments} <= {"layer", "input_size", "batch"}
        assert torch_line(layer).startswith(f"nn.{kind.title}(")


@pytest.mark.browser
@pytest.mark.parametrize("index, title", [(9, "ConvTranspose2d"), (11, "MaxPool2d")])
def test_a_question_on_another_layer_opens_that_layer_in_the_visualizer(watched_page, site,
                                                                        index, title):
    page, seed = watched_page, 3
    asked = question(seed, index, "easy")
    page.goto(site.url + f"index.html#mode=practice&seed={seed}&level=easy&question={index}")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    expect(page.get_by_test_id("practice-prompt")).to_have_text(asked.prompt)
    assert f"nn.{title}(" in asked.prompt
    answer(page, "[1, 1, 1, 1]")
    expect(page.get_by_test_id("practice-feedback")).to_have_attribute("data-correct", "false")
    link = page.get_by_test_id("practice-visualize").get_attribute("href")
    assert f"layer={asked.layer['layer']}" in link
    page.goto(link)
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    code = page.get_by_test_id("torch-code")
    expect(code).to_contain_text(f"nn.{title}(")
    expect(code).to_have_text(torch_line(asked.layer))
    expect(page.get_by_test_id("output-shape")).to_have_text(asked.answer)  # the answer, drawn


def test_a_question_on_another_layer_opens_in_the_visualizer_with_its_answer():
    """The page's engine (Session.compute, with its size limits) draws the question's layer
    and shows the answer as the output shape."""
    for seed, level in itertools.product(range(5), LEVELS):
        for index in range(len(CONV2D_TOPICS), len(TOPICS)):
            asked = question(seed, index, level)
            view = Session().compute(dict(input="arange", weights="random", seed=0,
                                          **asked.layer))
            assert "error" not in view, (asked.prompt, view)
            assert view["layer"] == asked.layer["layer"]
            assert view["torch_line"] == torch_line(asked.layer)
            if asked.answer_form == "shape":
                assert shape_text(view["output_shape"]) == asked.answer
            elif asked.answer_form == "int":  # output_size=[T, T]: T × T
                assert view["output_shape"][2:] == asked.layer["output_size"]
