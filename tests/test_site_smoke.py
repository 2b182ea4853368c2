"""Smoke test of the built site: Pyodide, NumPy and convscope load and give torch's values."""

import pathlib
import re

import numpy as np
import pytest
from conftest import CASES, SAMPLE, SNAPSHOT, mirror_site, open_view, screenshot, serve_directory
from playwright.sync_api import expect

pytestmark = pytest.mark.browser



def torch_output(arrays, name):
    case = next(c for c in CASES if c["name"] == name)
    return arrays[f"{case['name']}/output"]


def test_tutorial_sample_shows_torch_values_at_every_step(watched_page, site, arrays):
    page = watched_page
    open_view(page, site, SAMPLE)
    expect(page.get_by_test_id("output-shape")).to_have_text("[1, 2, 5, 5]")
    expected = torch_output(arrays, "tutorial_sample_arange_5x5_ones_nobias").ravel()
    page.locator("canvas.scope").click()  # focus the page, not a text field
    for index, value in enumerate(expected):
        expect(page.get_by_test_id("step-index")).to_contain_text(f"step {index + 1} / 50")
        shown = float(page.get_by_test_id("step-value").inner_text())
        assert shown == pytest.approx(float(value), rel=1e-5, abs=1e-5), index
        page.keyboard.press("ArrowRight")
    screenshot(page, "tutorial-sample-last-step")


def test_site_makes_no_request_outside_its_origin_and_no_stray_favicon(watched_page, site):
    page = watched_page
    before = len(site.log)
    open_view(page, site, SAMPLE)
    served = site.log[before:]
    assert "/favicon.ico" not in served
    # a first visit takes Pyodide's wasm and JS gzipped (hosts often send them raw)
    assert "/pyodide/pyodide.asm.wasm.gz" in served and "/pyodide/pyodide.asm.js.gz" in served
    # the engine gets NumPy and convscope as one archive of installed files, not as
    # wheels (the service worker, not the page, caches those for offline use)
    assert any(url.endswith("/pyodide/site-packages.tar.gz") for url in page.requests)
    assert not any(url.endswith(".whl") for url in page.requests)
    # every request the browser made went to the serving origin (checked by watched_page)
    assert page.requests and all(url.startswith((site.url, f"blob:{site.url}"))
                                 for url in page.requests)


# every change of the load indicator while it shows: [bar value, stage text, box height]
RECORD_LOAD = """window.loadStates = [];
new MutationObserver(() => {
  const load = document.querySelector(".load");
  if (!load || !load.offsetHeight) return;
  const state = [load.querySelector("progress").value,
                 load.querySelector(".load-stage").textContent, load.offsetHeight];
  if (JSON.stringify(window.loadStates.at(-1)) !== JSON.stringify(state)) window.loadStates.push(state);
}).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });"""


@pytest.mark.parametrize("width", [1280, 360])
def test_load_progress_only_moves_forward_and_the_page_does_not_jump(page, site, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.add_init_script(RECORD_LOAD)
    page.goto(site.url + "index.html")
    assert page.locator("#app").get_attribute("data-state") == "loading"
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    assert page.get_by_test_id("load-progress").evaluate("p => p.value") == 100
    assert np.isfinite(float(page.get_by_test_id("step-value").inner_text()))
    states = page.evaluate("window.loadStates")
    values, stages, heights = zip(*states)
    assert list(values) == sorted(values), states  # bytes, then the stages: never back
    assert any(stage.startswith("Downloading Python and NumPy (") for stage in stages), states
    assert stages[-1] == "Starting the engine…", states
    # the stage text's box keeps its size, so the controls below never move
    assert len(set(heights)) == 1, states


@pytest.fixture
def disk_page(disk_profile):
    return disk_profile.open()


def test_a_revisit_restores_python_from_the_snapshot_the_first_visit_cached(disk_page, site):
    page = disk_page
    before = len(site.log)
    page.goto(f"{site.url}index.html{SAMPLE}")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    # the first visit boots Python without the 21 MB snapshot, then caches it
    assert page.evaluate(SNAPSHOT) is False
    first = site.log[before:]
    assert "/pyodide/snapshot.bin.gz" not in first[:first.index("/pyodide/site-packages.tar.gz")]
    # warmNextVisit fetches the snapshot, then the plain JS: once that is asked for,
    # the snapshot is in the cache
    wait_for_path(site.log, "/pyodide/pyodide.asm.js", before)
    again = len(site.log)
    page.reload()
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    expect(page.get_by_test_id("step-value")).to_have_text("12")
    assert "/pyodide/pyodide.asm.wasm.gz" not in site.log[again:]
    assert page.evaluate(SNAPSHOT) is True


def test_a_cut_short_snapshot_still_gives_a_working_page(disk_page, dist, tmp_path):
    # the cached snapshot cannot be read (here: cut short): Python boots without it
    site_dir = mirror_site(dist, tmp_path / "site", skip={"snapshot.bin.gz"})
    whole = (dist / "pyodide" / "snapshot.bin.gz").read_bytes()
    (site_dir / "pyodide" / "snapshot.bin.gz").write_bytes(whole[:len(whole) // 2])
    server, url = serve_directory(site_dir)
    page = disk_page
    try:
        page.goto(f"{url}index.html{SAMPLE}")
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
        wait_for_path(server.request_log, "/pyodide/pyodide.asm.js")
        page.reload()
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
        expect(page.get_by_test_id("step-value")).to_have_text("12")
        assert page.evaluate(SNAPSHOT) is False
        # the revisit tried the snapshot (no second gzipped download), then booted
        assert server.request_log.count("/pyodide/pyodide.asm.wasm.gz") == 1
    finally:
        server.shutdown()


def wait_for_path(log, path, start=0, timeout=30):
    import time

    deadline = time.monotonic() + timeout
    while path not in log[start:]:
        assert time.monotonic() < deadline, f"{path} was never fetched"
        time.sleep(0.1)


def test_page_installs_from_the_wheels_without_its_site_packages_archive(page, dist, tmp_path):
    server, url = serve_directory(mirror_site(dist, tmp_path / "site",
                                              skip={"site-packages.tar.gz"}))
    try:
        page.goto(f"{url}index.html{SAMPLE}")
        page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
        expect(page.get_by_test_id("step-value")).to_have_text("12")
        assert "/pyodide/site-packages.tar.gz" in server.request_log
        assert any(re.search(r"numpy-2\.0\.2-.*\.whl$", path) for path in server.request_log)
    finally:
        server.shutdown()


CSP_PAGES = ["index.html", "embed.html", "examples/tutorial.html"]


def test_every_page_declares_the_same_strict_content_security_policy(dist):
    policies = set()
    for name in CSP_PAGES:
        found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"',
                          (dist / name).read_text())
        assert found, name
        policies.add(found.group(1))
    assert len(policies) == 1
    policy = policies.pop()
    assert "default-src 'self'" in policy and "script-src 'self' 'wasm-unsafe-eval'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval'" not in policy.replace("wasm-unsafe-eval'", "")
    for name in CSP_PAGES:  # no inline script for the policy to refuse
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", (dist / name).read_text()), name


def static_imports(dist, module):
    """Every module ``module`` imports, directly or not, by static relative import."""
    found, todo = set(), [module]
    while todo:
        path = todo.pop()
        source = (dist / path).read_text()
        for target in re.findall(r'^import [^;]*? from "(\./[^"]+)";', source, re.M):
            target = str(pathlib.PurePosixPath(path).parent / target[2:])
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


@pytest.mark.parametrize("page_name, entry", [("index.html", "js/main.js"),
                                              ("embed.html", "js/embed.js")])
def test_pages_preload_every_module_their_script_imports(dist, page_name, entry):
    html = (dist / page_name).read_text()
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', html))
    assert preloaded == static_imports(dist, entry)
    assert "js/scope-view.js" in preloaded


@pytest.mark.parametrize("path, ready", [
    ("index.html", "#app[data-state=ready]"),
    ("embed.html", "#app[data-state=ready]"),
    ("examples/tutorial.html", "conv-scope#rgb-16[data-state=ready]"),
    ("index.html#mode=model&example=dcgan", "#app[data-state=ready]"),
])
def test_pages_run_under_their_policy_without_violations(watched_page, site, path, ready):
    page = watched_page
    page.add_init_script("""window.__violations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));""")
    page.goto(site.url + path)
    page.wait_for_selector(ready, timeout=60_000)
    assert page.evaluate("window.__violations") == []
