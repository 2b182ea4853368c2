"""Embedding: the course page of <conv-scope> widgets, the iframe embed, the Embed button."""

import re

import pytest
from conftest import open_view, screenshot, serve_directory
from playwright.sync_api import expect
from reference import reference_output_shape

pytestmark = pytest.mark.browser

COURSE = "examples/tutorial.html"
# widget id -> (input shape, out_channels, kernel, stride, padding), as the page configures them
WIDGETS = {
    "rgb-16": ((1, 3, 8, 8), 16, 3, 1, 0),
    "gray-32": ((1, 1, 28, 28), 32, 5, 2, 2),
    "rect-kernel": ((1, 10, 8, 8), 20, (3, 5), 1, 0),
    "sample": ((1, 1, 5, 5), 2, 3, 1, 1),
    "padding": ((1, 3, 28, 28), 6, 5, 1, 2),
    "stride": ((1, 3, 28, 28), 16, 3, 2, 3),
    "kernel": ((1, 3, 32, 32), 6, 5, 1, 0),
}


def shape_text(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def widget_states(page):
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('conv-scope')]
                              .map(w => [w.id, w.dataset.state]))""")


def test_course_page_widgets_share_one_runtime_and_start_when_seen(watched_page, site):
    page = watched_page
    first = len(site.log)
    page.goto(site.url + COURSE)
    page.wait_for_selector("conv-scope#rgb-16[data-state=ready]", timeout=60_000)
    states = widget_states(page)
    assert states["kernel"] == "idle" and states["stride"] == "idle"  # far below the fold
    assert page.locator("conv-scope#kernel").get_by_test_id("output-shape").count() == 0
    screenshot(page, "course-top")
    for name, (input_shape, out_channels, kernel, stride, padding) in WIDGETS.items():
        widget = page.locator(f"conv-scope#{name}")
        widget.scroll_into_view_if_needed()
        expect(widget).to_have_attribute("data-state", "ready", timeout=60_000)
        expected = reference_output_shape(input_shape, out_channels, kernel, stride, padding)
        expect(widget.get_by_test_id("output-shape")).to_have_text(shape_text(expected))
    served = site.log[first:]
    assert sum(path.endswith("pyodide.asm.wasm.gz") for path in served) == 1
    assert sum(path.endswith("site-packages.tar.gz") for path in served) == 1
    assert sum(path.endswith("engine-worker.js") for path in served) == 1


def test_a_widget_starts_on_click_and_steps_with_keys_when_focused(watched_page, site):
    page = watched_page
    page.goto(site.url + COURSE)
    widget = page.locator("conv-scope#kernel")
    expect(widget).to_have_attribute("data-state", "idle")
    # the placeholder shows the configured setup before any Python runs
    expect(widget.locator(".placeholder-shape")).to_contain_text("[1, 3, 32, 32]")
    # click without scrolling it into view (which would start it anyway)
    widget.get_by_role("button", name="Start").dispatch_event("click")
    expect(widget).to_have_attribute("data-state", "ready", timeout=60_000)
    widget.focus()
    page.keyboard.press("ArrowRight")
    expect(widget.get_by_test_id("step-index")).to_contain_text("step 2 /")
    # other widgets did not move
    expect(page.locator("conv-scope#rgb-16").get_by_test_id("step-index")).to_contain_text("step 1 /")


def test_widget_attributes_update_a_started_widget(watched_page, site):
    page = watched_page
    page.goto(site.url + COURSE)
    widget = page.locator("conv-scope#rgb-16")
    expect(widget).to_have_attribute("data-state", "ready", timeout=60_000)
    widget.evaluate("w => w.setAttribute('stride', '2')")
    expect(widget.get_by_test_id("output-shape")).to_have_text(
        shape_text(reference_output_shape((1, 3, 8, 8), 16, 3, 2, 0)))
    widget.evaluate("w => w.setAttribute('groups', '2')")  # 3 channels: torch refuses
    expect(widget.get_by_test_id("error")).to_contain_text("divisible by groups")


HOST_PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>host</title>
<link rel="icon" href="data:,"></head><body>
<h1>Course notes on another site</h1>
<iframe id="scope" src="{site}embed.html#in_channels=1&out_channels=2&padding=1&panels=code,shapes,stage&locked=1"
        style="width: 900px; height: 200px; border: 0"></iframe>
<script src="{site}js/embed-resize.js"></script>
</body></html>"""


def test_iframe_embed_from_another_origin_resizes_and_ignores_stray_messages(watched_page, site,
                                                                             tmp_path):
    page = watched_page
    (tmp_path / "host.html").write_text(HOST_PAGE.format(site=site.url))
    host, host_url = serve_directory(tmp_path)
    try:
        assert host_url != site.url  # another port: another origin
        page.origins.append(host_url)
        page.goto(host_url + "host.html")
        frame = page.frame_locator("#scope")
        expect(frame.locator("#app")).to_have_attribute("data-state", "ready", timeout=60_000)
        expect(frame.get_by_test_id("output-shape")).to_have_text("[1, 2, 5, 5]")
        # the host script took the height the widget reported
        page.wait_for_function("() => document.getElementById('scope').getBoundingClientRect().height > 400")
        content = frame.locator("html").evaluate("e => e.getBoundingClientRect().height")
        height = page.evaluate("document.getElementById('scope').getBoundingClientRect().height")
        assert abs(height - content) <= 2
        # locked: the settings cannot be edited; panels: no controls shown
        expect(frame.locator("form.controls")).to_be_hidden()
        # messages it does not expect change nothing and raise nothing
        page.evaluate("""() => {
            const w = document.getElementById('scope').contentWindow;
            for (const m of [null, 'x', {type: 'convscope:evil'}, {type: 'convscope:height', height: 5},
                             {type: 'convscope:get-height'}, {nested: {a: 1}}]) w.postMessage(m, '*');
        }""")
        page.wait_for_timeout(300)
        expect(frame.get_by_test_id("output-shape")).to_have_text("[1, 2, 5, 5]")
        assert abs(page.evaluate("document.getElementById('scope').getBoundingClientRect().height")
                   - content) <= 2
        screenshot(page, "iframe-embed")
    finally:
        host.shutdown()
    origins = {re.match(r"(?:blob:)?(https?://[^/]+/)", url).group(1) for url in page.requests}
    assert origins <= {site.url, host_url}


def test_embed_button_gives_iframe_and_component_snippets(watched_page, site):
    page = watched_page
    open_view(page, site, "#in_channels=3&out_channels=6&kernel_size=5&padding=2&input_size=28x28")
    page.get_by_role("button", name="Embed").click()
    iframe = page.get_by_test_id("embed-iframe").inner_text()
    component = page.get_by_test_id("embed-component").inner_text()
    assert f'src="{site.url}embed.html#in_channels=3&amp;out_channels=6' in iframe
    assert "embed-resize.js" in iframe
    assert f'<script type="module" src="{site.url}js/convscope.js">' in component
    assert re.search(r'<conv-scope in-channels="3" out-channels="6" kernel-size="5".*'
                     r'padding="2".*input-size="28"', component)
    screenshot(page, "embed-dialog")


def test_site_works_under_a_sub_path(page, dist):
    server, url = serve_directory(dist, prefix="/course/convscope/")
    try:
        assert url.endswith("/course/convscope/")
        page.goto(url + "index.html#out_channels=3")
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
        expect(page.get_by_test_id("output-shape")).to_have_text("[1, 3, 5, 5]")
        page.goto(url + COURSE)
        expect(page.locator("conv-scope#rgb-16")).to_have_attribute("data-state", "ready",
                                                                     timeout=60_000)
        assert all(path.startswith("/course/convscope/") for path in server.request_log)
    finally:
        server.shutdown()
