"""Every layer kind on the page: chosen from the selector or a link, drawn, stepped, with
the engine's own numbers and torch's line; old links stay Conv2d."""

import re

import pytest
from conftest import engine_for, open_view
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LINKS = [
    "#layer=max_pool2d&input_size=6&input=random&ceil_mode=true&padding=1&kernel_size=3",
    "#layer=avg_pool2d&input_size=5&padding=1&count_include_pad=false&in_channels=2",
    "#layer=conv_transpose2d&input_size=3&input=random",
    "#layer=conv_transpose2d&input_size=3&view=gather&in_channels=2&out_channels=2&groups=2",
    "#layer=conv_transpose2d&input_size=3&stride=2&padding=0&output_padding=0&output_size=8",
]


@pytest.mark.parametrize("link", LINKS)
def test_a_kind_link_draws_and_steps_with_the_engines_numbers(watched_page, site, link):
    page = watched_page
    session, view = engine_for(link)
    open_view(page, site, link)
    expect(page.get_by_test_id("torch-code")).to_have_text(view["torch_line"])
    expect(page.get_by_test_id("output-shape")).to_have_text(
        "[" + ", ".join(map(str, view["output_shape"])) + "]")
    page.locator("canvas.scope").click(position={"x": 2, "y": 2})
    for index in (1, 2, view["steps"] - 1):
        if index == view["steps"] - 1:
            page.keyboard.press("End")
        else:
            page.keyboard.press("ArrowRight")
        step = session.step(index)
        expect(page.get_by_test_id("step-index")).to_have_text(
            f"step {index + 1} / {view['steps']} · {step['title']}")
        expect(page.get_by_test_id("step-value")).to_have_text(step["value_text"])
        expect(page.get_by_test_id("step-equation")).to_have_text(step["equation"])
    expect(page).to_have_url(re.compile(re.escape(link.split("&")[0]) + "&"))


def test_choosing_a_kind_keeps_what_it_shares_and_writes_the_link(watched_page, site):
    page = watched_page
    open_view(page, site, "#kernel_size=3&stride=2&input_size=7")
    page.locator("form.controls [name=layer]").select_option("max_pool2d")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    # kernel_size and stride carry over; padding=1 is valid for a 3x3 pool too
    expect(page.get_by_test_id("torch-code")).to_have_text("nn.MaxPool2d(3, stride=2, padding=1)")
    expect(page).to_have_url(re.compile(r"#layer=max_pool2d&"))
    expect(page.locator("form.controls [name=ceil_mode]")).to_be_visible()
    expect(page.locator("form.controls [name=out_channels]")).to_have_count(0)
    expect(page.locator("form.controls [name=weights]")).to_be_hidden()
    page.locator("form.controls [name=layer]").select_option("conv2d")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("torch-code")).to_have_text(re.compile(r"^nn\.Conv2d\(1, 2, 3, stride=2"))
    # Conv2d links stay as they were: no layer= key
    expect(page).to_have_url(re.compile(r"#in_channels=1&out_channels=2&kernel_size=3&stride=2"))


def test_a_bad_kind_argument_is_flagged_and_the_view_kept(watched_page, site):
    page = watched_page
    open_view(page, site, "#layer=conv_transpose2d&input_size=3")
    field = page.locator("form.controls [name=output_padding]")
    field.fill("2")
    field.dispatch_event("change")
    expect(page.get_by_test_id("error")).to_contain_text("smaller than either stride or dilation")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("torch-code")).to_contain_text("output_padding=1")


def test_switching_the_transposed_view_redraws_the_same_output(watched_page, site):
    page = watched_page
    session, view = engine_for(LINKS[2])
    open_view(page, site, LINKS[2])
    expect(page.get_by_test_id("step-index")).to_contain_text(f"/ {view['steps']} ·")
    page.locator("form.controls [name=view]").select_option("gather")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    cells = view["output_shape"][1] * view["output_shape"][2] * view["output_shape"][3]
    expect(page.get_by_test_id("step-index")).to_contain_text(f"/ {cells} · output[0, 0, 0, 0]")
    expect(page).to_have_url(re.compile(r"&view=gather&"))


def test_a_widget_changes_kind_with_its_layer_attribute(watched_page, site):
    page = watched_page
    page.goto(site.url + "examples/tutorial.html")
    widget = page.locator("conv-scope#rgb-16")  # 3 channels, 8x8, kernel 3, padding 0
    expect(widget).to_have_attribute("data-state", "ready", timeout=60_000)
    widget.evaluate("w => w.setAttribute('layer', 'max_pool2d')")
    expect(widget.get_by_test_id("torch-code")).to_have_text("nn.MaxPool2d(3)")
    expect(widget.get_by_test_id("output-shape")).to_have_text("[1, 3, 2, 2]")
    # a Conv2d attribute the pool has no use for is named, not silently dropped
    expect(widget.get_by_test_id("notices")).to_contain_text("out-channels")


def test_the_iframe_embed_opens_a_kind(watched_page, site):
    page = watched_page
    page.goto(site.url + "embed.html#layer=avg_pool2d&kernel_size=3&padding=1&input_size=6"
              "&divisor_override=4&panels=code,stage")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    expect(page.get_by_test_id("torch-code")).to_have_text(
        "nn.AvgPool2d(3, padding=1, divisor_override=4)")
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("step-equation")).to_contain_text("/ 4")


def test_the_course_page_has_a_pool_and_a_transposed_widget(watched_page, site):
    page = watched_page
    page.goto(site.url + "examples/tutorial.html")
    for name, line, shape in (
            ("max-pool", "nn.MaxPool2d(2)", "[1, 1, 3, 3]"),
            ("transpose", "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)",
             "[1, 1, 6, 6]")):
        widget = page.locator(f"conv-scope#{name}")
        widget.scroll_into_view_if_needed()
        expect(widget).to_have_attribute("data-state", "ready", timeout=60_000)
        expect(widget.get_by_test_id("torch-code")).to_have_text(line)
        expect(widget.get_by_test_id("output-shape")).to_have_text(shape)


@pytest.mark.parametrize("link, steps", [(LINKS[0], 9), (LINKS[2], 9)])
def test_a_kind_exports_its_table_frame_and_animation(watched_page, site, tmp_path, link, steps):
    from PIL import Image

    page = watched_page
    session, view = engine_for(link)
    assert view["steps"] == steps
    open_view(page, site, link)

    def download(button):
        with page.expect_download(timeout=60_000) as started:
            page.get_by_role("button", name=button).click()
        path = tmp_path / started.value.suggested_filename
        started.value.save_as(path)
        return path

    table = download("Step table (JSON)")
    assert table.read_text() == session.table("json")["text"]
    frame = download("Frame (PNG)")
    width, height = page.evaluate("() => { const c = document.querySelector('canvas.scope');"
                                  " return [c.width, c.height]; }")
    with Image.open(frame) as png:
        assert png.size[0] == width and png.size[1] >= height
    with Image.open(download("Animation (GIF)")) as gif:
        assert gif.n_frames == steps
        gif.seek(0)
        first = gif.convert("RGB").tobytes()
        gif.seek(steps - 1)
        assert gif.convert("RGB").tobytes() != first  # the output filled in


@pytest.mark.parametrize("view_name, cell", [("scatter", "0.0.0.0"), ("gather", "0.0.2.2")])
def test_editing_a_filter_cell_edits_the_weight_it_shows(watched_page, site, view_name, cell):
    # the gather view shows the kernel flipped: its top-left cell is the weight's bottom-right
    page = watched_page
    open_view(page, site, f"#layer=conv_transpose2d&input_size=3&view={view_name}")
    canvas = page.locator("canvas.scope")
    canvas.focus()
    page.keyboard.press("w")
    expect(canvas).to_have_attribute("data-cursor", f"weight[{cell.replace('.', ', ')}]")
    page.keyboard.press("Enter")
    editor = page.locator(".cell-editor")
    expect(editor).to_be_focused()
    editor.fill("5")
    editor.press("Enter")
    expect(page).to_have_url(re.compile(rf"weight_edits={re.escape(cell)}%3A5"))
