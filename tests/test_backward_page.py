"""The backward pass on the page: chosen with the direction switch or a link, stepped with
the engine's numbers, said to be a transposed convolution, embedded with direction=backward."""

import re

import pytest
from conftest import engine_for, open_view
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LINKS = [
    "#in_channels=1&out_channels=2&kernel_size=3&stride=2&padding=1&input_size=6"
    "&direction=backward&gradient=weight",
    "#in_channels=1&out_channels=2&kernel_size=3&stride=3&padding=0&input_size=7"
    "&direction=backward&upstream=mse&target=random",
    "#layer=max_pool2d&input_size=6&input=random&kernel_size=3&stride=1"
    "&direction=backward&upstream=random",
]


@pytest.mark.parametrize("link", LINKS)
def test_backward_steps_show_the_engines_gradients(watched_page, site, link):
    page = watched_page
    session, view = engine_for(link)
    open_view(page, site, link)
    page.locator("canvas.scope").click(position={"x": 2, "y": 2})
    for index in (1, view["steps"] - 1):
        page.keyboard.press("End" if index == view["steps"] - 1 else "ArrowRight")
        step = session.step(index)
        expect(page.get_by_test_id("step-index")).to_have_text(
            f"step {index + 1} / {view['steps']} · {step['title']}")
        if "upstream=" in link:
            # float32 sums of non-dyadic gradients: Pyodide's NumPy (no BLAS) may add them in
            # another order than this CPython's, the last digit apart
            shown = float(page.get_by_test_id("step-value").text_content())
            assert shown == pytest.approx(step["value"], rel=1e-5, abs=1e-7)
            expect(page.get_by_test_id("step-equation")).to_contain_text(step["title"])
        else:
            expect(page.get_by_test_id("step-value")).to_have_text(step["value_text"])
            expect(page.get_by_test_id("step-equation")).to_have_text(step["equation"])
    expect(page.get_by_test_id("backward-note")).to_contain_text(view["upstream_text"])


def test_the_switch_turns_a_forward_view_backward_and_links_the_stamp_view(watched_page, site):
    page = watched_page
    open_view(page, site, "#kernel_size=3&stride=2&padding=1&input_size=7")
    expect(page.get_by_test_id("backward-note")).to_be_hidden()
    expect(page.locator("form.controls [name=gradient]")).to_be_hidden()
    page.locator("form.controls [name=direction]").select_option("backward")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    expect(page).to_have_url(re.compile(r"&direction=backward"))
    note = page.get_by_test_id("backward-note")
    expect(note).to_contain_text("transposed convolution")
    expect(page.get_by_test_id("step-index")).to_contain_text("input.grad[0, 0, 0, 0]")
    expect(note.locator("a")).to_have_attribute(
        "href", re.compile(r"^#layer=conv_transpose2d&in_channels=2&out_channels=1"))
    page.locator("form.controls [name=gradient]").select_option("input_stamps")
    expect(page.get_by_test_id("step-index")).to_contain_text(
        "grad_output[0, 0, 0, 0] → input.grad[0, 0]")
    page.locator("form.controls [name=gradient]").select_option("bias")
    expect(page.get_by_test_id("step-index")).to_contain_text("bias.grad[0]")
    # the target shows with the MSE upstream only
    expect(page.locator("form.controls [name=target]")).to_be_hidden()
    page.locator("form.controls [name=upstream]").select_option("mse")
    expect(page.locator("form.controls [name=target]")).to_be_visible()


def test_an_embed_opens_backward(page, site):
    page.goto(site.url + "embed.html#direction=backward&gradient=weight&input_size=5")
    expect(page.get_by_test_id("step-index")).to_contain_text("weight.grad[0, 0, 0, 0]",
                                                              timeout=90_000)


def test_choosing_a_grad_output_cell_makes_it_the_one_hot_upstream(watched_page, site):
    page = watched_page
    open_view(page, site, "#kernel_size=3&padding=1&input_size=5&direction=backward")
    page.locator("canvas.scope").focus()
    page.keyboard.press("i")        # the cell cursor on the drawn grad_output
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")    # Enter on a grad_output cell: that cell, one-hot
    expect(page).to_have_url(re.compile(r"upstream=onehot&onehot_cell=1&"))
    expect(page.get_by_test_id("backward-note")).to_contain_text("= 1 at output[0, 0, 1, 1]")
