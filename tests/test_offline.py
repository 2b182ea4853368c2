"""The service worker: after one visit the site works offline, from a cache named by the build."""

import json
import re

import build
import pytest
from conftest import open_view
from playwright.sync_api import expect
from reference import reference_output_shape

pytestmark = pytest.mark.browser


def build_id(dist):
    found = re.search(r'const BUILD = (\{.*?\});', (dist / "sw.js").read_text())
    return json.loads(found.group(1))


def test_service_worker_lists_every_file_of_this_build(dist):
    manifest = build_id(dist)
    files = {p.relative_to(dist).as_posix() for p in dist.rglob("*") if p.is_file()}
    # not kept: the fallbacks (the wheels; the rest of the libraries, for an import
    # outside the first visit's core) and the first visit's gzipped wasm and JS
    # (revisits, offline ones too, take them plain)
    not_kept = {name for name in files if name.endswith(".whl")} | {
        "pyodide/pyodide.asm.wasm.gz", "pyodide/pyodide.asm.js.gz",
        "pyodide/python_stdlib.zip", f"pyodide/{build.REST_PACKAGES}"}
    assert set(manifest["files"]) == (files - {"sw.js"} - not_kept) | {"./"}
    assert {"pyodide/pyodide.asm.wasm", "pyodide/snapshot.bin.gz"} <= set(manifest["files"])
    assert re.fullmatch(r"[0-9a-f]{16}", manifest["id"])


def test_after_one_visit_the_site_works_offline(watched_page, site, dist):
    page = watched_page
    open_view(page, site, "#out_channels=3&padding=2")
    page.wait_for_function("() => navigator.serviceWorker.ready.then(r => !!r.active)")
    caches = page.evaluate("() => caches.keys()")
    assert caches == [f"convscope-{build_id(dist)['id']}"]
    page.context.set_offline(True)
    try:
        page.reload()
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
        shape = reference_output_shape((1, 1, 5, 5), 3, 3, padding=2)
        expect(page.get_by_test_id("output-shape")).to_have_text(str(list(shape)))
        # another setup offline: the engine itself runs from the cache
        page.evaluate("h => { location.hash = h; }", "#out_channels=4&kernel_size=5")
        shape = reference_output_shape((1, 1, 5, 5), 4, 5, padding=1)
        expect(page.get_by_test_id("output-shape")).to_have_text(str(list(shape)))
    finally:
        page.context.set_offline(False)
