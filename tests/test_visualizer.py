"""The visualizer page driven as a user would: controls, keys, errors, links, hover."""

import re
import urllib.parse

import pytest
from conftest import open_view, run_torch_script, screenshot
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

STEP_TEXT = re.compile(r"step (\d+) / (\d+)")


def step_number(page):
    return int(STEP_TEXT.search(page.get_by_test_id("step-index").inner_text()).group(1))


def expect_step(page, number):
    expect(page.get_by_test_id("step-index")).to_contain_text(f"step {number} /")


def set_field(page, name, value):
    field = page.locator(f"form.controls [name={name}]")
    field.fill(value)
    field.press("Enter")
    field.dispatch_event("change")


def test_default_view_is_the_tutorial_sample(watched_page, site):
    page = watched_page
    open_view(page, site)
    expect(page.get_by_test_id("torch-code")).to_have_text("nn.Conv2d(1, 2, 3, stride=1, padding=1)")
    expect(page.get_by_test_id("output-shape")).to_have_text("[1, 2, 5, 5]")
    expect(page.get_by_test_id("weight-shape")).to_have_text("[2, 1, 3, 3]")
    expect(page.get_by_test_id("parameter-count")).to_have_text("20")
    expect(page.get_by_test_id("formula-h")).to_contain_text("= 5")
    screenshot(page, "default-view")


def test_keys_and_buttons_step_through_the_output(watched_page, site):
    page = watched_page
    open_view(page, site)
    page.locator("canvas.scope").click()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect_step(page, 3)
    page.keyboard.press("ArrowLeft")
    expect_step(page, 2)
    page.keyboard.press("End")
    expect_step(page, 50)
    page.keyboard.press("Home")
    expect_step(page, 1)
    page.get_by_role("button", name="Step forward").click()
    expect_step(page, 2)
    page.get_by_role("button", name="Last step").click()
    expect_step(page, 50)
    page.get_by_role("button", name="Step back").click()
    expect_step(page, 49)
    page.get_by_role("button", name="First step").click()
    expect_step(page, 1)
    # play runs on its own; pause stops it
    page.locator(".speed input").fill("60")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => parseInt(document.querySelector('[data-testid=step-index]')"
                           ".textContent.slice(5)) >= 5")
    page.keyboard.press(" ")
    page.wait_for_timeout(200)  # a step already asked for may still arrive
    stopped = step_number(page)
    page.wait_for_timeout(300)
    assert step_number(page) == stopped > 1
    screenshot(page, "stepping")


def test_step_arithmetic_matches_the_output_value(watched_page, site):
    page = watched_page
    open_view(page, site, "#weights=ones&bias=false&step=12")
    expect_step(page, 13)
    equation = page.get_by_test_id("step-equation").inner_text()
    value = float(page.get_by_test_id("step-value").inner_text())
    products = [float(a) * float(b) for a, b in re.findall(r"(-?[\d.]+)×(-?[\d.]+)", equation)]
    assert len(products) == 9
    assert sum(products) == pytest.approx(value, abs=1e-5)
    assert equation.strip().endswith(f"= {page.get_by_test_id('step-value').inner_text()}")


def test_bad_setting_shows_engine_error_and_keeps_the_page(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=4&out_channels=4&kernel_size=3x5&step=7")
    kernel_before = page.locator("form.controls [name=kernel_size]").input_value()
    value_before = page.get_by_test_id("step-value").inner_text()
    set_field(page, "groups", "3")
    expect(page.get_by_test_id("error")).to_contain_text("divisible by groups")
    expect(page.locator('.field-error[data-field="groups"]')).to_be_visible()
    expect(page.locator("#app")).to_have_attribute("data-state", "error")
    # the last valid view stays and the other settings are kept
    assert page.get_by_test_id("step-value").inner_text() == value_before
    assert page.locator("form.controls [name=kernel_size]").input_value() == kernel_before
    screenshot(page, "error-groups")
    set_field(page, "groups", "2")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("error")).to_have_text("")
    expect(page.get_by_test_id("weight-shape")).to_have_text("[4, 2, 3, 5]")


@pytest.mark.parametrize("hash_, field, words", [
    ("#kernel_size=9&input_size=5x5&padding=1", "kernel_size", "can't be greater"),
    ("#padding=same&stride=2", "padding", "strided"),
    ("#padding=6&padding_mode=reflect", "padding", "reflect padding"),
])
def test_invalid_links_show_the_reason_at_the_control(watched_page, site, hash_, field, words):
    page = watched_page
    open_view(page, site, hash_, state="error")
    expect(page.get_by_test_id("error")).to_contain_text(words)
    expect(page.locator(f'.field-error[data-field="{field}"]')).to_be_visible()


def test_unparseable_input_is_flagged_without_losing_state(watched_page, site):
    page = watched_page
    open_view(page, site, "#out_channels=3")
    set_field(page, "kernel_size", "three")
    expect(page.locator('.field-error[data-field="kernel_size"]')).to_contain_text("3x5")
    assert "out_channels=3" in page.url
    expect(page.get_by_test_id("output-shape")).to_have_text("[1, 3, 5, 5]")


def test_malformed_link_values_fall_back_with_a_notice(watched_page, site):
    page = watched_page
    open_view(page, site, "#stride=banana&padding_mode=<b>x</b>&colour=red&out_channels=3")
    notices = page.get_by_test_id("notices")
    expect(notices).to_contain_text("stride")
    expect(notices).to_contain_text("colour")
    assert page.locator(".notices b").count() == 0  # a payload is text, never markup
    expect(page.get_by_test_id("torch-code")).to_have_text("nn.Conv2d(1, 3, 3, stride=1, padding=1)")


def test_controls_update_the_link_and_a_shared_link_restores_the_view(watched_page, site, browser):
    page = watched_page
    open_view(page, site)
    set_field(page, "in_channels", "3")
    set_field(page, "out_channels", "6")
    set_field(page, "padding", "same")
    set_field(page, "dilation", "2")
    page.locator("form.controls [name=padding_mode]").select_option("circular")
    expect(page.get_by_test_id("torch-code")).to_have_text(
        "nn.Conv2d(3, 6, 3, stride=1, padding='same', dilation=2, padding_mode='circular')")
    page.locator("canvas.scope").click()
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    expect_step(page, 5)
    page.wait_for_function("() => location.hash.includes('step=4')")
    shared = page.url
    assert "padding_mode=circular" in shared and "in_channels=3" in shared
    other = browser.new_page()
    try:
        open_view(other, site, "#" + shared.split("#", 1)[1])
        for testid in ("torch-code", "output-shape", "step-index", "step-value", "step-equation"):
            assert other.get_by_test_id(testid).inner_text() == page.get_by_test_id(testid).inner_text()
    finally:
        other.close()


def test_groups_walk_goes_from_standard_to_depthwise(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=4&out_channels=8")
    walk = page.locator("form.controls [name=groups_walk]")
    walk.fill(walk.get_attribute("max"))
    walk.dispatch_event("change")
    expect(page.locator(".groups-walk-label")).to_contain_text("depthwise")
    expect(page.get_by_test_id("weight-shape")).to_have_text("[8, 1, 3, 3]")
    expect(page.get_by_test_id("torch-code")).to_contain_text("groups=4")
    screenshot(page, "depthwise")


def test_hover_shows_receptive_field_and_the_outputs_an_input_feeds(watched_page, site):
    page = watched_page
    open_view(page, site, "#input_size=6x6&stride=2&padding=0")
    canvas = page.locator("canvas.scope")
    canvas.evaluate("c => c.scrollIntoView({block: 'start'})")
    box = canvas.bounding_box()
    # sweep the pointer across the canvas until each kind of highlight has been seen
    seen = set()
    for fraction_x in (0.05, 0.1, 0.15, 0.75, 0.8, 0.85):
        for fraction_y in (0.1, 0.15, 0.2):
            page.mouse.move(box["x"] + box["width"] * fraction_x, box["y"] + box["height"] * fraction_y)
            page.wait_for_timeout(60)
            text = canvas.get_attribute("data-hover") or ""
            if text.startswith("receptive field"):
                seen.add("output")
            if "feeds" in text:
                seen.add("input")
                assert re.search(r"feeds [1-9]\d* output cells", text)
    assert seen == {"output", "input"}


def test_large_inputs_stay_usable(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=8&out_channels=16&input_size=64x64&input=random&step=3000")
    expect(page.get_by_test_id("output-shape")).to_have_text("[1, 16, 64, 64]")
    expect_step(page, 3001)
    page.locator("canvas.scope").click(position={"x": 5, "y": 5})
    page.keyboard.press("ArrowRight")
    expect_step(page, 3002)
    screenshot(page, "large-64x64")


def test_reproduce_snippet_runs_under_torch(watched_page, site, tmp_path):
    pytest.importorskip("torch", reason="the `ref` extra (torch) is not installed")
    page = watched_page
    open_view(page, site, "#in_channels=2&out_channels=4&kernel_size=3x2&groups=2&padding=same"
                          "&padding_mode=reflect&input=random&input_size=6x7")
    page.get_by_text("Reproduce in PyTorch").click()
    code = page.get_by_test_id("reproduce-code")
    expect(code).to_contain_text("assert_close")
    output = run_torch_script(code.inner_text(), tmp_path)
    assert "PyTorch agrees with convscope: (1, 4, 6, 7)" in output


def cell_centre(page, row, col):
    """Page coordinates of padded-input cell (row, col) of input channel 0."""
    canvas = page.locator("canvas.scope")
    canvas.evaluate("c => c.scrollIntoView({block: 'start'})")  # the cells must be on screen
    box = canvas.bounding_box()
    cell = float(canvas.get_attribute("data-cell"))
    margin, label = 16, 18  # layout.js: MARGIN and LABEL
    return box["x"] + margin + (col + 0.5) * cell, box["y"] + margin + label + (row + 0.5) * cell


def test_typing_into_an_input_cell_changes_the_engine_input(watched_page, site):
    page = watched_page
    open_view(page, site, "#weights=ones&bias=false")
    x, y = cell_centre(page, 1, 1)  # input (0, 0): the padding ring is one cell wide
    page.mouse.dblclick(x, y)
    editor = page.locator(".cell-editor")
    expect(editor).to_be_visible()
    assert editor.input_value() == "0"
    editor.fill("2.5")
    editor.press("Enter")
    # step 1 sums input[0:2, 0:2] with ones: 2.5 + 1 + 5 + 6
    expect(page.get_by_test_id("step-value")).to_have_text("14.5")
    page.wait_for_function("() => location.hash.includes('input_edits=')")
    assert "input_edits=0.0.0.0:2.5" in urllib.parse.unquote(page.url)
    page.get_by_role("button", name="Reset edited cells").click()
    expect(page.get_by_test_id("step-value")).to_have_text("12")


def test_padding_cells_are_not_editable_and_bad_numbers_are_refused(watched_page, site):
    page = watched_page
    open_view(page, site, "#weights=ones&bias=false")
    page.mouse.dblclick(*cell_centre(page, 0, 0))  # padding: the mode makes it
    expect(page.locator(".cell-editor")).to_be_hidden()
    page.mouse.dblclick(*cell_centre(page, 2, 2))
    editor = page.locator(".cell-editor")
    editor.fill("lots")
    editor.press("Enter")
    expect(editor).to_have_attribute("aria-invalid", "true")
    editor.press("Escape")
    expect(page.get_by_test_id("step-value")).to_have_text("12")
