"""Prebuilt first frames: drawn before Python starts, the same numbers the live engine draws."""

import base64
import json

import numpy as np
import pytest
from conftest import open_view
from playwright.sync_api import expect
from reference import reference_conv2d

from convscope.page.link import parse_link
from convscope.page.session import Session

NEVER_READY_WORKER = "onmessage = () => {};  // Python never comes up"


def open_before_python(page, site):
    """The main page with a worker whose Python never comes up: its prebuilt frame."""
    page.route("**/js/engine-worker.js",
               lambda route: route.fulfill(body=NEVER_READY_WORKER,
                                           content_type="text/javascript"))
    page.goto(site.url + "index.html")
    expect(page.locator("#app")).to_have_attribute("data-frame", "prebuilt")


def decode(packed):
    """A frame's array: {shape, data: {float32: base64}} -> numpy array."""
    data = np.frombuffer(base64.b64decode(packed["data"]["float32"]), dtype=np.float32)
    return data.reshape(packed["shape"])


def frames(dist):
    index = json.loads((dist / "prebuilt" / "index.json").read_text())
    return {key: json.loads((dist / "prebuilt" / file).read_text()) for key, file in index.items()}


def test_prebuilt_frames_are_the_engines_views_of_their_links(dist):
    found = frames(dist)
    assert len(found) >= 10  # the main page's default view and the course page's widgets
    kinds = set()
    for key, frame in found.items():
        view = frame["view"]
        # Python's None must arrive as null, not vanish (the canvas once said "bias = undefined")
        assert "bias" in view and "weight" in view
        state = parse_link(key)
        kinds.add(state["layer"])
        session = Session()
        live = session.compute({k: v for k, v in state.items() if k != "step"})
        # Pyodide's NumPy (no BLAS) may sum in another order: float32 rounding apart
        np.testing.assert_allclose(decode(view["output"]), unpack(live["output"]), rtol=1e-5,
                                   atol=1e-5, err_msg=key)
        assert [step["index"] for step in frame["steps"]] == list(range(len(frame["steps"])))
        for index, step in enumerate(frame["steps"]):
            live_step = session.step(index)
            assert (step["title"], step["reads"], step["writes"]) == \
                (live_step["title"], live_step["reads"], live_step["writes"])
            assert step["value"] == pytest.approx(live_step["value"], rel=1e-5, abs=1e-5)
        if state["layer"] == "conv2d":  # and against the plain-loop reference
            assert "bias" in frame["steps"][0]
            x, w = decode(view["input"]), decode(view["weight"])
            b = decode(view["bias"]) if view["bias"] else None
            expected = reference_conv2d(x.astype(np.float64), w, b, state["stride"],
                                        state["padding"], state["dilation"], state["groups"],
                                        state["padding_mode"])
            np.testing.assert_allclose(decode(view["output"]), expected, rtol=1e-5, atol=1e-5,
                                       err_msg=key)
    assert kinds == {"conv2d", "max_pool2d", "conv_transpose2d"}


def unpack(packed):
    return np.frombuffer(packed["data"], dtype=np.float64).reshape(packed["shape"])


@pytest.mark.browser
def test_first_frame_comes_before_python_and_the_live_engine_redraws_the_same(watched_page,
                                                                              site):
    page = watched_page
    open_before_python(page, site)
    assert page.locator("#app").get_attribute("data-state") == "loading"
    prebuilt = {testid: page.get_by_test_id(testid).inner_text()
                for testid in ("output-shape", "torch-code", "step-value", "step-equation")}
    assert prebuilt["output-shape"] == "[1, 2, 5, 5]"
    page.unroute("**/js/engine-worker.js")
    open_view(page, site)  # a fresh load with the real engine
    expect(page.locator("#app")).to_have_attribute("data-frame", "live")
    live = {testid: page.get_by_test_id(testid).inner_text() for testid in prebuilt}
    assert live == prebuilt


@pytest.mark.browser
def test_every_course_widget_draws_a_prebuilt_frame_while_python_starts(page, site):
    page.route("**/js/engine-worker.js",
               lambda route: route.fulfill(body=NEVER_READY_WORKER,
                                           content_type="text/javascript"))
    page.goto(site.url + "examples/tutorial.html")
    for widget in page.locator("conv-scope:not([mode=practice])").all():
        widget.scroll_into_view_if_needed()
        expect(widget.locator(".app")).to_have_attribute("data-frame", "prebuilt")
        expect(widget.get_by_test_id("output-shape")).not_to_have_text("…")


def shown_step(page):
    return {testid: page.get_by_test_id(testid).inner_text()
            for testid in ("step-index", "step-value", "step-equation")}


@pytest.mark.browser
def test_the_default_view_plays_before_python_and_each_step_is_the_live_engines(watched_page,
                                                                                 site):
    page = watched_page
    open_before_python(page, site)
    steps = int(page.get_by_test_id("step-index").inner_text().split("/")[1].split()[0])
    assert steps == 50  # the default view: 2 filters over a 5x5 input
    page.locator("canvas.scope").click()
    prebuilt = [shown_step(page)]
    for index in range(1, steps):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("step-index")).to_contain_text(f"step {index + 1} / {steps}")
        prebuilt.append(shown_step(page))
    assert page.locator("#app").get_attribute("data-state") == "loading"
    # a setting changed now is kept, said to wait, and not drawn from a stale frame
    expect(page.get_by_test_id("pending")).to_be_hidden()
    page.get_by_label("out_channels").fill("3")
    page.get_by_label("out_channels").press("Tab")
    expect(page.get_by_test_id("pending")).to_be_visible()

    page.unroute("**/js/engine-worker.js")
    open_view(page, site)  # a fresh load with the real engine
    expect(page.locator("#app")).to_have_attribute("data-frame", "live")
    page.locator("canvas.scope").click()
    page.keyboard.press("Home")
    for index, expected in enumerate(prebuilt):
        expect(page.get_by_test_id("step-index")).to_contain_text(f"step {index + 1} / {steps}")
        assert shown_step(page) == expected, index
        page.keyboard.press("ArrowRight")
