"""Practice mode: questions answered by the engine agree with torch; marking; the page."""

import json
import re

import pytest
from conftest import FIXTURES
from playwright.sync_api import expect

from convscope.practice import KINDS, LEVELS, check, parse_answer, question, shape_text
from convscope.web import Session, torch_line

RECORDS = json.loads((FIXTURES / "practice.json").read_text())


def test_fixture_sets_cover_every_kind_and_level():
    assert {r["kind"] for r in RECORDS} == set(KINDS)
    assert {r["level"] for r in RECORDS} == set(LEVELS)


@pytest.mark.parametrize("record", RECORDS,
                         ids=[f"{r['seed']}-{r['level']}-{r['index']}-{r['kind']}" for r in RECORDS])
def test_engine_answers_agree_with_torch(record):
    asked = question(record["seed"], record["index"], record["level"])
    assert asked.prompt == record["prompt"]  # a seed gives the same set, always
    torch_says = record["torch"]
    if asked.kind == "validity":
        assert asked.answer == ("valid" if torch_says["valid"] else "invalid")
        return
    assert torch_says["valid"], "only validity questions may be about a layer torch refuses"
    layer = asked.layer
    if asked.kind == "output_shape":
        assert asked.answer == shape_text(torch_says["output_shape"])
    elif asked.kind == "weight_shape":
        assert asked.answer == shape_text(torch_says["weight_shape"])
    elif asked.kind == "parameter_count":
        assert asked.answer == str(torch_says["parameters"])
    elif asked.kind == "keep_padding":
        assert torch_says["output_shape"][2:] == layer["input_size"]
        assert asked.answer == str(layer["padding"])
    elif asked.kind == "target_stride":
        target = int(re.search(r"gives a (\d+)×", asked.prompt).group(1))
        assert torch_says["output_shape"][2:] == [target, target]
        assert asked.answer == str(layer["stride"])
    elif asked.kind == "constructor":
        assert asked.choices["abcd".index(asked.answer)] == torch_line(layer)
        assert any("kernel=" in choice for choice in asked.choices)


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
    assert asked.kind == "output_shape"
    right = check(asked, asked.answer.replace(", ", "x").strip("[]"))
    wrong = check(asked, "[1, 1, 1, 1]")
    assert right["correct"] and not wrong["correct"] and wrong["understood"]
    assert "H_out" in wrong["explanation"] and "W_out" in wrong["explanation"]
    shown = Session().practice(1, "easy", 0)
    assert "answer" not in shown and "explanation" not in shown  # not before an answer
    assert Session().practice(1, "easy", 0, "garbage")["marking"]["understood"] is False
    assert Session().practice(1, "legendary", 0)["error"]["field"] == "level"


def answer(page, text):
    page.get_by_test_id("practice-answer").fill(text)
    page.keyboard.press("Enter")


@pytest.mark.browser
def test_practice_page_marks_right_and_wrong_answers_by_keyboard(watched_page, site):
    page = watched_page
    seed = 3
    records = {r["index"]: r for r in RECORDS if r["seed"] == seed and r["level"] == "easy"}
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
