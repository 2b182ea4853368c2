"""200 setting changes in a row: JS heap and wasm memory stay bounded, no PyProxy piles up."""

import json

import pytest
from conftest import ARTIFACTS, open_view
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CHANGES = 200


def config(i):
    out_channels = 1 + i % 7
    kernel = 1 + 2 * (i % 3)
    return (f"#in_channels=2&out_channels={out_channels}&kernel_size={kernel}&padding=1"
            f"&input_size={8 + i % 5}x9&input=random&seed={i}&step={i % 11}"), out_channels


def measure(page, cdp):
    cdp.send("HeapProfiler.collectGarbage")
    heap = cdp.send("Runtime.getHeapUsage")["usedSize"]
    stats = page.evaluate("""async () => {
        const { EngineClient } = await import('./js/engine-client.js');
        return EngineClient.shared().stats();
    }""")
    return dict(stats, js_heap_bytes=heap)


def change(page, i):
    hash_, out_channels = config(i)
    page.evaluate("h => { location.hash = h; }", hash_)
    expect(page.get_by_test_id("torch-code")).to_contain_text(f"nn.Conv2d(2, {out_channels}, ")
    expect(page.get_by_test_id("step-index")).to_contain_text(f"step {i % 11 + 1} /")


def test_two_hundred_changes_keep_memory_bounded(watched_page, site):
    page = watched_page
    cdp = page.context.new_cdp_session(page)
    open_view(page, site)
    for i in range(20):  # warm-up: caches, compiled code, wasm memory reach their size
        change(page, i)
    before = measure(page, cdp)
    for i in range(20, 20 + CHANGES):
        change(page, i)
    after = measure(page, cdp)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "memory.json").write_text(json.dumps({"before": before, "after": after,
                                                       "changes": CHANGES}, indent=1))
    assert after["sessions"] == before["sessions"] == 1
    assert after["wasm_bytes"] <= before["wasm_bytes"] + 16 * 2**20
    assert after["python_objects"] <= before["python_objects"] + 100  # a leak adds ~2 per change
    assert after["js_heap_bytes"] <= before["js_heap_bytes"] * 1.25 + 2 * 2**20
