"""The site in headless Chromium and Pyodide in Node: start-up, bytes, step drawing.

    python build.py bench        (runs this after the engine benchmark)

Cold = a fresh browser profile; warm = the same profile after a browser restart
(the realistic revisit: Chrome's wasm code cache and HTTP cache are on disk).
Times are from navigation start; medians of RUNS runs, all measured in this run.
"""

from __future__ import annotations

import json
import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import build  # noqa: E402
from conftest import CHROMIUM_FLAGS  # noqa: E402
from results import save  # noqa: E402

RUNS = 5
STEP_SETUPS = {
    "1x28x28, 8 filters 3x3": "#in_channels=1&out_channels=8&kernel_size=3&padding=1&input_size=28x28&input=digit",
    "3x32x32, 8 filters 3x3": "#in_channels=3&out_channels=8&kernel_size=3&padding=1&input_size=32x32&input=random",
}


# where start-up time goes: marks the page sets as the worker reports each stage
STAGES = {
    "worker_created": "convscope:engine-start",
    **{stage: f"convscope:engine {stage}"
       for stage in ("worker_running", "python_restored", "packages_installed")},
}


def stay_for_next_visit(page) -> None:
    """Keep a first visit open until it has prepared the next one (the files a revisit
    restores from, and the compiled code: web/js/code-cache.js), as a visitor who
    stays on the page lets it; a revisit prepares nothing."""
    page.wait_for_function("""() => performance.getEntriesByName("convscope:next-visit-ready")
        .length || performance.getEntriesByName("convscope:engine-ready")[0].detail.snapshot""",
                           timeout=300_000)


def timings(page) -> dict:
    marks = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType("mark")
        .map((mark) => [mark.name, mark.startTime]))""")
    return {"engine_ready": marks.get("convscope:engine-ready"),
            "first_frame": marks.get("convscope:first-frame"),
            "stages": {stage: marks.get(mark) for stage, mark in STAGES.items()}}


def visit(playwright, server, profile: str, url: str) -> dict:
    """One visit; bytes are what the server sent in full (200s), not 304s or cache hits."""
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS,
        viewport={"width": 1280, "height": 900})
    page = context.new_page()
    first = len(server.status_log)
    page.goto(url)
    page.wait_for_selector("#app[data-state=ready]", timeout=120_000)
    result = timings(page)
    stay_for_next_visit(page)
    context.close()
    sent = server.status_log[first:]
    result["bytes"] = sum((build.DIST / path.split("?")[0].split("#")[0].lstrip("/")).stat().st_size
                          for path, code in sent if code == 200)
    result["requests"] = len(sent)
    return result


def step_costs(playwright, url: str) -> dict:
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                         args=CHROMIUM_FLAGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.wait_for_selector("#app[data-state=ready]", timeout=120_000)
    page.locator("canvas.scope").click()
    latencies = []
    for index in range(1, 61):
        started = page.evaluate("performance.now()")
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            f"() => document.querySelector('[data-testid=step-index]').textContent"
            f".startsWith('step {index + 1} /')")
        latencies.append(page.evaluate("performance.now()") - started)
    draws = page.evaluate("performance.getEntriesByName('convscope:draw').map(e => e.duration)")
    browser.close()
    return {"draw_ms": statistics.median(draws[-60:]), "step_latency_ms": statistics.median(latencies)}


def gif_export_ms(playwright, url: str) -> float:
    """Time from the GIF button to the saved file, for the 5x5 sample (50 frames)."""
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                         args=CHROMIUM_FLAGS)
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(url + "#weights=ones&bias=false")
    page.wait_for_selector("#app[data-state=ready]", timeout=120_000)
    started = page.evaluate("performance.now()")
    with page.expect_download():
        page.get_by_role("button", name="Animation (GIF)").click()
    elapsed = page.evaluate("performance.now()") - started
    browser.close()
    return elapsed


def node_ready() -> float:
    completed = subprocess.run(["node", str(ROOT / "tests" / "node" / "pyodide_fixtures.mjs"),
                                str(build.DIST), str(ROOT / "tests")],
                               capture_output=True, text=True, timeout=300)
    return json.loads(completed.stdout.strip().splitlines()[-1])["ready_ms"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (build.DIST / "pyodide" / "pyodide-lock.json").exists():
        build.build()
    server = build.make_server(build.DIST, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    cold, warm = [], []
    with sync_playwright() as playwright:
        for _ in range(RUNS):
            with tempfile.TemporaryDirectory() as profile:
                cold.append(visit(playwright, server, profile, url))
                warm.append(visit(playwright, server, profile, url))
        steps = {name: step_costs(playwright, url + setup) for name, setup in STEP_SETUPS.items()}
        gif_ms = statistics.median(gif_export_ms(playwright, url) for _ in range(RUNS))
    server.shutdown()
    node = [node_ready() for _ in range(RUNS)]
    median = lambda runs, key: statistics.median(r[key] for r in runs)  # noqa: E731
    stages = lambda runs: {stage: statistics.median(r["stages"][stage] for r in runs)  # noqa: E731
                           for stage in STAGES}
    dist_bytes = sum(f.stat().st_size for f in build.DIST.rglob("*") if f.is_file())
    result = {
        "chromium_cold_engine_ready_ms": median(cold, "engine_ready"),
        "chromium_cold_first_frame_ms": median(cold, "first_frame"),
        "chromium_warm_engine_ready_ms": median(warm, "engine_ready"),
        "chromium_warm_first_frame_ms": median(warm, "first_frame"),
        "chromium_cold_stages_ms": stages(cold),
        "chromium_warm_stages_ms": stages(warm),
        "node_engine_ready_ms": statistics.median(node),
        "dist_mb": dist_bytes / 1e6,
        "first_visit_download_mb": median(cold, "bytes") / 1e6,
        "revisit_download_mb": median(warm, "bytes") / 1e6,
        "steps": steps,
        "gif_export_5x5_ms": gif_ms,
    }
    print(f"site, medians of {RUNS} (Chromium headless, localhost)")
    print(f"  engine ready   cold {result['chromium_cold_engine_ready_ms']:7.0f} ms   "
          f"warm {result['chromium_warm_engine_ready_ms']:7.0f} ms   "
          f"warm/cold {result['chromium_warm_engine_ready_ms'] / result['chromium_cold_engine_ready_ms']:.2f}")
    print(f"  first frame    cold {result['chromium_cold_first_frame_ms']:7.0f} ms   "
          f"warm {result['chromium_warm_first_frame_ms']:7.0f} ms   (target <= 500 ms)")
    for kind in ("cold", "warm"):
        marks = [*result[f"chromium_{kind}_stages_ms"].items(),
                 ("engine_ready", result[f"chromium_{kind}_engine_ready_ms"])]
        print(f"  {kind} start-up: " + ", ".join(f"{stage} {ms:.0f}" for stage, ms in marks))
    print(f"  Node.js engine ready {result['node_engine_ready_ms']:.0f} ms")
    print(f"  dist/ {result['dist_mb']:.1f} MB; first visit downloads "
          f"{result['first_visit_download_mb']:.1f} MB, a revisit {result['revisit_download_mb']:.2f} MB")
    for name, cost in steps.items():
        print(f"  one step, {name}: draw {cost['draw_ms']:.2f} ms (target <= 4), "
              f"key-to-text {cost['step_latency_ms']:.1f} ms")
    print(f"  GIF export of the 5x5 sample (50 frames): {gif_ms:.0f} ms (target < 2000)")
    save("site", result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
