"""The page with a picture as input: chosen, dropped or pasted, scaled by the engine exactly
as convscope.page.pictures does; refusals, links, the shipped pictures, screenshots."""

import ast
import base64
import io
import re

import numpy as np
import pytest
from conftest import open_view, screenshot
from playwright.sync_api import expect

from convscope.page.pictures import preset_picture, scale_picture

pytestmark = pytest.mark.browser

CHOOSER = ".picture-input input[type=file]"


def png_bytes(pixels):
    from PIL import Image

    out = io.BytesIO()
    Image.fromarray(pixels).save(out, format="PNG")
    return out.getvalue()


def edge_picture(height=23, width=37):
    """Dark left, bright right, with a ramp and some colour: every output pixel of a
    fractional scale mixes different values."""
    pixels = np.zeros((height, width, 4), np.uint8)
    pixels[..., 3] = 255
    pixels[:, width // 2:, :3] = 200
    pixels[..., 0] += np.arange(height, dtype=np.uint8)[:, None] % 50  # a vertical red ramp
    pixels[::5, ::3, 2] = 90                                        # blue specks
    return pixels


def landscape(height=200, width=300):
    """A photo-like picture for the screenshots: sky, sun, hills."""
    rows, cols = np.mgrid[0:height, 0:width] / height
    rgb = np.stack([0.45 + 0.4 * rows, 0.65 + 0.3 * rows, np.full_like(rows, 0.95)], axis=2)
    sun = np.hypot(rows - 0.3, cols - 1.05) < 0.14
    rgb[sun] = [1.0, 0.85, 0.3]
    hills = rows > 0.62 + 0.12 * np.sin(cols * 5.0)
    rgb[hills] = [0.2, 0.45, 0.2]
    pixels = np.concatenate([np.round(rgb * 255), np.full((height, width, 1), 255)], axis=2)
    return pixels.astype(np.uint8)


def engine_input(page):
    """The input the engine computed with, as its Reproduce script writes it (exact)."""
    details = page.locator("details.reproduce")
    code = page.get_by_test_id("reproduce-code")
    if details.get_attribute("open") is not None:
        details.locator("summary").click()  # closed and opened again: the script is rewritten
    code.evaluate("element => { element.textContent = ''; }")  # not to read the last one
    details.locator("summary").click()
    expect(code).to_contain_text("assert_close")
    literal = re.search(r"^x = torch\.tensor\((.*), dtype=torch\.float32\)$", code.inner_text(),
                        re.MULTILINE).group(1)
    return np.array(ast.literal_eval(literal), dtype=np.float32)


def file_handle(page, data, name, kind):
    """A DataTransfer holding one file, made in the page (as a drop or a paste brings it)."""
    return page.evaluate_handle(
        """([b64, name, type]) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], name, { type }));
            return transfer;
        }""", [base64.b64encode(data).decode(), name, kind])


def paste(page, transfer):
    page.evaluate("""(transfer) => document.dispatchEvent(
        new ClipboardEvent("paste", { clipboardData: transfer, bubbles: true }))""", transfer)


def wait_ready(page):
    expect(page.locator("#app")).to_have_attribute("data-state", "ready", timeout=30_000)


def wait_computed(page, name):
    """Until the view on screen is the engine's answer for picture ``name`` (the state
    alone is still "ready" from the view before)."""
    expect(page.locator("#app")).to_have_attribute("data-picture", name, timeout=30_000)
    wait_ready(page)


def test_a_chosen_file_is_the_input_scaled_by_the_engine(watched_page, site):
    page = watched_page
    open_view(page, site, "#input_size=6x5&weights=sobel")
    page.locator("form.controls [name=input]").select_option("picture")
    expect(page.locator('.field-error[data-field="input"]')).to_contain_text(
        "choose, drop or paste a picture")
    expect(page.locator(".picture-input")).to_be_visible()
    pixels = edge_picture()
    page.set_input_files(CHOOSER, files=[{"name": "edge.png", "mimeType": "image/png",
                                          "buffer": png_bytes(pixels)}])
    wait_computed(page, "edge.png")
    expect(page.get_by_test_id("picture-name")).to_contain_text("edge.png (37×23)")
    expect(page.locator(".picture-thumb")).to_be_visible()
    expect(page.get_by_test_id("error")).to_have_text("")
    x = engine_input(page)
    assert x.shape == (1, 1, 6, 5)
    np.testing.assert_array_equal(x[0], scale_picture(pixels.tobytes(), 37, 23, (6, 5), 1))
    assert x[0, 0, :, 0].max() < 0.1 and x[0, 0, :, -1].min() > 0.7  # dark left, bright right
    page.wait_for_function("() => location.hash.includes('input=picture')")  # the name, only
    # RGB: the same pixels, three channels, into every sample of the batch
    page.locator("form.controls [name=in_channels]").fill("3")
    page.locator("form.controls [name=in_channels]").dispatch_event("change")
    page.locator("form.controls [name=batch]").fill("2")
    page.locator("form.controls [name=batch]").dispatch_event("change")
    expect(page.get_by_test_id("input-shape")).to_have_text("[2, 3, 6, 5]")
    wait_ready(page)
    x = engine_input(page)
    expected = scale_picture(pixels.tobytes(), 37, 23, (6, 5), 3)
    np.testing.assert_array_equal(x[0], expected)
    np.testing.assert_array_equal(x[1], expected)
    # a picture gives 1 or 3 channels: anything else is refused at in_channels
    page.locator("form.controls [name=in_channels]").fill("2")
    page.locator("form.controls [name=in_channels]").dispatch_event("change")
    expect(page.locator('.field-error[data-field="in_channels"]')).to_contain_text(
        "set in_channels to 1 or 3")


def test_a_dropped_or_pasted_picture_becomes_the_input(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=3&out_channels=3&input_size=9x7")
    pixels = edge_picture(12, 40)
    dropped = file_handle(page, png_bytes(pixels), "dropped.png", "image/png")
    page.dispatch_event(".viewport", "dragover", {"dataTransfer": dropped})
    expect(page.locator(".viewport.dropping")).to_have_count(1)
    page.dispatch_event(".viewport", "drop", {"dataTransfer": dropped})
    expect(page.locator("form.controls [name=input]")).to_have_value("picture")
    expect(page.get_by_test_id("picture-name")).to_contain_text("dropped.png")
    expect(page.locator(".viewport.dropping")).to_have_count(0)
    wait_computed(page, "dropped.png")
    np.testing.assert_array_equal(engine_input(page)[0],
                                  scale_picture(pixels.tobytes(), 40, 12, (9, 7), 3))
    # a paste on the page replaces it; an RGBA picture's transparent parts lie over white
    pasted = np.zeros((8, 8, 4), np.uint8)
    pasted[:4, :, 3] = 255
    paste(page, file_handle(page, png_bytes(pasted), "image.png", "image/png"))
    expect(page.get_by_test_id("picture-name")).to_contain_text("image.png (8×8)")
    wait_computed(page, "image.png")
    x = engine_input(page)
    np.testing.assert_array_equal(x[0], scale_picture(pasted.tobytes(), 8, 8, (9, 7), 3))
    assert x[0, :, 0].max() == 0 and x[0, :, -1].min() == 1
    # text pasted into a field is left alone
    page.locator("form.controls [name=seed]").focus()
    page.evaluate("""() => { const transfer = new DataTransfer();
        transfer.setData("text/plain", "7");
        document.activeElement.dispatchEvent(new ClipboardEvent("paste",
            { clipboardData: transfer, bubbles: true, cancelable: true })); }""")
    expect(page.get_by_test_id("picture-name")).to_contain_text("image.png")


def test_a_restarted_engine_gets_the_picture_again(watched_page, site):
    page = watched_page
    open_view(page, site, "#input_size=5x7")
    pixels = edge_picture()
    paste(page, file_handle(page, png_bytes(pixels), "edge.png", "image/png"))
    wait_computed(page, "edge.png")
    # the page's own engine client (the same module instance main.js uses): a new worker
    # holds none of the old one's sessions
    page.evaluate("""async () => {
        const { EngineClient } = await import(new URL("js/engine-client.js", location.href));
        EngineClient.shared().restart();
    }""")
    expect(page.locator("#app")).not_to_have_attribute("data-state", "ready")  # restarting
    wait_ready(page)
    expect(page.get_by_test_id("error")).to_have_text("")
    np.testing.assert_array_equal(engine_input(page)[0],
                                  scale_picture(pixels.tobytes(), 37, 23, (5, 7), 1))


@pytest.mark.parametrize("name, kind, data, words", [
    ("notes.txt", "text/plain", b"not a picture", "is not a PNG, JPEG or WebP picture"),
    ("broken.png", "image/png", b"\x89PNG\r\n\x1a\n garbage", "could not be read as a picture"),
    ("anim.gif", "image/gif", b"GIF89a", "is not a PNG, JPEG or WebP picture"),
])
def test_a_file_that_is_no_picture_is_refused_and_the_view_kept(watched_page, site, name, kind,
                                                                  data, words):
    page = watched_page
    open_view(page, site, "#input=test_card&input_size=8x8&step=4")
    before = {testid: page.get_by_test_id(testid).inner_text()
              for testid in ("step-value", "step-equation", "input-shape")}
    hash_before = page.url.split("#")[1]
    page.set_input_files(CHOOSER, files=[{"name": name, "mimeType": kind, "buffer": data}]) \
        if page.locator(".picture-input").is_visible() else \
        paste(page, file_handle(page, data, name, kind))
    error = page.locator('.field-error[data-field="input"]')
    expect(error).to_contain_text(words)
    expect(error).to_contain_text(name)
    for testid, text in before.items():
        assert page.get_by_test_id(testid).inner_text() == text
    expect(page.locator("form.controls [name=input]")).to_have_value("test_card")
    assert page.url.split("#")[1] == hash_before
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")


def test_a_picture_file_over_the_size_cap_is_refused(watched_page, site):
    page = watched_page
    open_view(page, site, "#input=picture", state="error")
    page.evaluate("""() => { const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(20_000_001)], "huge.png", { type: "image/png" }));
        document.dispatchEvent(new ClipboardEvent("paste", { clipboardData: transfer })); }""")
    expect(page.locator('.field-error[data-field="input"]')).to_contain_text(
        "“huge.png” is 20.0 MB; pictures up to 20.0 MB are read")


def test_a_link_keeps_input_picture_and_says_it_cannot_carry_the_picture(watched_page, site,
                                                                          browser):
    page = watched_page
    open_view(page, site, "#input_size=4x4")
    page.get_by_role("button", name="Copy link").click()  # another input: nothing to say
    page.set_input_files(CHOOSER, files=[{"name": "edge.png", "mimeType": "image/png",
                                          "buffer": png_bytes(edge_picture())}]) \
        if page.locator(".picture-input").is_visible() else \
        paste(page, file_handle(page, png_bytes(edge_picture()), "edge.png", "image/png"))
    wait_computed(page, "edge.png")
    expect(page.get_by_test_id("notices")).to_have_text("")
    page.get_by_role("button", name="Copy link").click()
    expect(page.get_by_test_id("notices")).to_contain_text("cannot carry the picture itself")
    page.wait_for_function("() => location.hash.includes('input=picture')")
    other = browser.new_page()
    try:
        open_view(other, site, "#" + page.url.split("#", 1)[1], state="error")
        expect(other.get_by_test_id("notices")).to_contain_text("this link used a picture of its own")
        expect(other.locator('.field-error[data-field="input"]')).to_contain_text(
            "a link cannot carry one")
        expect(other.locator(".picture-input")).to_be_visible()
        expect(other.get_by_test_id("picture-name")).to_contain_text("none yet")
    finally:
        other.close()


@pytest.mark.parametrize("name, channels", [("drawn_digit", 1), ("test_card", 3)])
def test_the_shipped_pictures_render_as_presets(watched_page, site, name, channels):
    page = watched_page
    open_view(page, site, f"#in_channels={channels}&out_channels=2&input={name}"
                          f"&input_size=28x28&weights=sobel")
    expect(page.get_by_test_id("input-shape")).to_have_text(f"[1, {channels}, 28, 28]")
    expect(page.locator(".picture-input")).to_be_hidden()
    np.testing.assert_array_equal(engine_input(page)[0], preset_picture(name, (28, 28), channels))
    page.get_by_role("button", name="Last step").click()  # every output filled in
    expect(page.get_by_test_id("step-index")).to_contain_text(f"step {2 * 28 * 28} /")
    screenshot(page, f"picture-preset-{name}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_with_a_picture(watched_page, site, scheme):
    page = watched_page
    page.emulate_media(color_scheme=scheme)  # before the canvas reads its palette
    page.set_viewport_size({"width": 1280, "height": 900})
    open_view(page, site, "#in_channels=1&out_channels=2&input_size=28x28&weights=sobel")
    pixels = landscape()
    paste(page, file_handle(page, png_bytes(pixels), "photo.png", "image/png"))
    wait_computed(page, "photo.png")
    expect(page.get_by_test_id("picture-name")).to_contain_text("photo.png (300×200)")
    page.get_by_role("button", name="Last step").click()  # every output filled in
    expect(page.get_by_test_id("step-index")).to_contain_text(f"step {2 * 28 * 28} /")
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)  # the canvas lays itself out again on resize
        screenshot(page, f"picture-input-{width}-{scheme}")
