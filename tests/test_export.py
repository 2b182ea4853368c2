"""Exports: the step table (CSV/JSON) from the engine, and downloads from the page."""

import csv
import io
import json
import struct

import numpy as np
import pytest
from conftest import CASES, open_view
from fixture_check import case_arrays

import convscope
from convscope.export import MAX_PRODUCTS, table_csv, table_json

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


@pytest.mark.browser
def test_page_downloads_the_step_table_and_the_frame(watched_page, site, arrays, tmp_path):
    page = watched_page
    open_view(page, site, "#weights=ones&bias=false&step=7")
    with page.expect_download() as download:
        page.get_by_role("button", name="Step table (CSV)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    *_, expected = case_arrays(arrays, SAMPLE)
    values = [float(r["value"]) for r in parse_csv(path.read_text())]
    np.testing.assert_allclose(values, expected.ravel(), rtol=1e-5, atol=1e-5)
    with page.expect_download() as download:
        page.get_by_role("button", name="Frame (PNG)").click()
    png = tmp_path / download.value.suggested_filename
    download.value.save_as(png)
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    canvas = page.evaluate("() => { const c = document.querySelector('canvas.scope');"
                           " return [c.width, c.height]; }")
    assert [width, height] == canvas
    assert download.value.suggested_filename == "convscope-output-0-0-1-2.png"


@pytest.mark.browser
def test_gif_has_a_frame_per_step_matching_the_canvas(watched_page, site, tmp_path):
    from PIL import Image, ImageChops, ImageStat

    page = watched_page
    open_view(page, site, "#weights=ones&bias=false&step=6")
    page.locator("canvas.scope").click(position={"x": 2, "y": 2})
    page.keyboard.press("ArrowRight")  # step 8, reached from step 7: the stride arrow shows
    page.wait_for_function("() => document.querySelector('[data-testid=step-index]')"
                           ".textContent.startsWith('step 8 /')")
    with page.expect_download() as download:
        page.get_by_role("button", name="Frame (PNG)").click()
    frame_png = tmp_path / "frame.png"
    download.value.save_as(frame_png)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Animation (GIF)").click()
    gif_path = tmp_path / download.value.suggested_filename
    download.value.save_as(gif_path)
    assert download.value.suggested_filename == "convscope-steps-1-50.gif"
    expect_status = page.get_by_test_id("export-status").inner_text()
    assert "Saved" in expect_status
    with Image.open(gif_path) as gif, Image.open(frame_png) as canvas:
        assert gif.n_frames == 50
        assert gif.size == canvas.size
        gif.seek(7)  # the eighth step
        difference = ImageChops.difference(gif.convert("RGB"), canvas.convert("RGB"))
        # a 256-colour palette per frame: close, not identical
        assert max(ImageStat.Stat(difference).mean) < 3
        gif.seek(8)
        other = ImageChops.difference(gif.convert("RGB"), canvas.convert("RGB"))
        assert max(ImageStat.Stat(other).mean) > max(ImageStat.Stat(difference).mean)
