"""Exports: the step table (CSV/JSON) from the engine, and downloads from the page."""

import csv
import io
import json
import struct

import numpy as np
import pytest
from conftest import CASES, open_view
from playwright.sync_api import expect
from fixture_sets import case_arrays

import convscope
from convscope.kinds.window_table import table_csv, table_json
from convscope.limits import MAX_TABLE_VALUES as MAX_PRODUCTS

SAMPLE = next(c for c in CASES if c["name"] == "tutorial_sample_arange_5x5_ones_nobias")


def parse_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("kwargs", [dict(padding=1), dict(stride=2, padding=(2, 1), dilation=2),
                                    dict(groups=2, padding="same", padding_mode="reflect")])
def test_table_rows_are_the_trace_steps(kwargs):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((2, 4, 6, 7)).astype(np.float32)
    w = rng.standard_normal((4, 4 // kwargs.get("groups", 1), 3, 2)).astype(np.float32)
    b = rng.standard_normal(4).astype(np.float32)
    trace = convscope.trace(x, w, b, **kwargs)
    rows = parse_csv(table_csv(trace))
    assert len(rows) == len(trace)
    for row, step in zip(rows, trace):
        assert (int(row["n"]), int(row["o"]), int(row["y"]), int(row["x"])) == step.position
        assert (int(row["window_row"]), int(row["window_col"])) == (step.rows[0], step.cols[0])
        products = np.array(row["products"].split(), dtype=np.float32)
        np.testing.assert_array_equal(products, step.products.ravel())
        assert np.float32(row["value"]) == np.float32(step.value)  # 9 digits: exact float32
        assert float(row["sum"]) + float(row["bias"]) == pytest.approx(step.value, abs=1e-5)
    as_json = json.loads(table_json(trace))
    assert [r["value"] for r in as_json["rows"]] == [float(np.float32(r["value"])) for r in rows]


def test_sample_table_values_are_torch_values(arrays):
    x, w, b, expected = case_arrays(arrays, SAMPLE)
    rows = parse_csv(table_csv(convscope.trace(x, w, b, padding=1)))
    np.testing.assert_allclose([float(r["value"]) for r in rows], expected.ravel(),
                               rtol=1e-5, atol=1e-5)


def test_tables_too_large_to_download_are_refused():
    x = np.zeros((1, 16, 64, 64), np.float32)
    w = np.zeros((32, 16, 3, 3), np.float32)
    with pytest.raises(convscope.ArgumentError, match=f"{MAX_PRODUCTS:,}"):
        table_csv(convscope.trace(x, w, padding=1))


def set_export_options(page, scale="1", theme="", numbers=True, caption=False, steps=("", "")):
    page.locator("[name=export-scale]").select_option(scale)
    page.locator("[name=export-theme]").select_option(theme)
    page.locator("[name=export-numbers]").set_checked(numbers)
    page.locator("[name=export-caption]").set_checked(caption)
    page.locator("[name=export-from]").fill(steps[0])
    page.locator("[name=export-to]").fill(steps[1])


def download(page, button, folder, timeout=30_000):
    with page.expect_download(timeout=timeout) as started:
        page.get_by_role("button", name=button).click()
    path = folder / started.value.suggested_filename
    started.value.save_as(path)
    return path


@pytest.mark.browser
def test_page_downloads_the_step_table_and_frames_with_options(watched_page, site, arrays,
                                                               tmp_path):
    from PIL import Image

    page = watched_page
    open_view(page, site, "#weights=ones&bias=false&step=7")
    table = download(page, "Step table (CSV)", tmp_path)
    *_, expected = case_arrays(arrays, SAMPLE)
    values = [float(r["value"]) for r in parse_csv(table.read_text())]
    np.testing.assert_allclose(values, expected.ravel(), rtol=1e-5, atol=1e-5)
    width, height = page.evaluate("() => { const c = document.querySelector('canvas.scope');"
                                  " return [c.width, c.height]; }")
    set_export_options(page, scale="1")
    plain = download(page, "Frame (PNG)", tmp_path)
    assert plain.name == "convscope-output-0-0-1-2.png"
    assert plain.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", plain.read_bytes()[16:24]) == (width, height)
    set_export_options(page, scale="2", theme="dark", caption=True, numbers=False)
    (tmp_path / "styled").mkdir()
    styled = download(page, "Frame (PNG)", tmp_path / "styled")
    with Image.open(styled) as dark, Image.open(plain) as light:
        assert dark.size == (2 * width, 2 * (height + 30))  # scale 2, a 30 px caption line
        assert dark.convert("L").getpixel((2, 2 * 30 + 2)) < 80  # the dark theme's background
        assert light.convert("L").getpixel((2, 2)) > 200


@pytest.mark.browser
def test_gif_has_a_frame_per_step_matching_the_frame_export(watched_page, site, tmp_path):
    from PIL import Image, ImageChops, ImageStat

    page = watched_page
    open_view(page, site, "#weights=ones&bias=false&step=6")
    page.locator("canvas.scope").click(position={"x": 2, "y": 2})
    page.keyboard.press("ArrowRight")  # step 8, reached from step 7: the stride arrow shows
    page.wait_for_function("() => document.querySelector('[data-testid=step-index]')"
                           ".textContent.startsWith('step 8 /')")
    set_export_options(page, scale="1", caption=False)
    frame = tmp_path / "canvas.png"
    page.locator("canvas.scope").screenshot(path=str(frame))  # what the page shows
    whole = download(page, "Animation (GIF)", tmp_path, timeout=60_000)
    assert whole.name == "convscope-steps-1-50.gif"
    assert "Saved" in page.get_by_test_id("export-status").inner_text()
    with Image.open(whole) as gif, Image.open(frame) as screenshot:
        # the element's box rounds up a fractional CSS height by a pixel at most
        assert gif.n_frames == 50
        assert 0 <= screenshot.width - gif.width <= 1 and 0 <= screenshot.height - gif.height <= 1
        still = screenshot.crop((0, 0, *gif.size))
        gif.seek(7)  # the eighth step
        same = max(ImageStat.Stat(ImageChops.difference(gif.convert("RGB"),
                                                        still.convert("RGB"))).mean)
        gif.seek(8)
        other = max(ImageStat.Stat(ImageChops.difference(gif.convert("RGB"),
                                                         still.convert("RGB"))).mean)
    assert same < 3 and same < other  # a 256-colour palette: close, not identical
    set_export_options(page, steps=("3", "12"))
    part = download(page, "Animation (GIF)", tmp_path)
    assert part.name == "convscope-steps-3-12.gif"
    with Image.open(part) as gif:
        assert gif.n_frames == 10


@pytest.mark.browser
def test_webm_holds_the_run_at_the_players_speed(watched_page, site, tmp_path, browser):
    import base64

    page = watched_page
    open_view(page, site, "#weights=ones&bias=false")
    page.locator(".speed input").fill("10")  # 100 ms a step
    set_export_options(page, steps=("1", "20"))
    video = download(page, "Video (WebM)", tmp_path, timeout=60_000)
    assert video.name == "convscope-steps-1-20.webm"
    data = video.read_bytes()
    assert data[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in data[:64]  # EBML header, webm doctype
    # the browser itself reads it back (on a blank page: the site's CSP allows no blob: media)
    # 20 steps at 100 ms
    blank = browser.new_page()
    duration = blank.evaluate("""async (encoded) => {
        const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
        const video = document.createElement('video');
        video.src = URL.createObjectURL(new Blob([bytes], {type: 'video/webm'}));
        await new Promise((ok, fail) => { video.onloadedmetadata = ok; video.onerror = fail; });
        return video.duration;
    }""", base64.b64encode(data).decode())
    blank.close()
    assert duration == pytest.approx(2.0, abs=0.15)


@pytest.mark.browser
def test_a_long_export_shows_progress_and_can_be_cancelled(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=4&out_channels=8&input_size=48x48&input=random")
    page.get_by_role("button", name="Animation (GIF)").click()
    expect(page.locator(".export-progress")).to_be_visible()
    expect(page.get_by_test_id("export-status")).to_contain_text("Encoding frame")
    page.get_by_role("button", name="Cancel").click()
    expect(page.get_by_test_id("export-status")).to_have_text("Export cancelled")
    expect(page.locator(".export-progress")).to_be_hidden()
