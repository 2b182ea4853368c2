"""What a course page pays for convscope widgets, before and after they start.

    python build.py bench        (runs this after the other benchmarks)

Host pages with 0, 1 and 10 <conv-scope> widgets (placed below the fold) are served
from the site's origin. Main-thread time is Chromium's TaskDuration (CDP metrics);
bytes are what the server sent. Per-widget figures are (10 widgets - 1 widget) / 9,
so the one-time cost (the script, later the Python runtime) is counted apart.
"""

from __future__ import annotations

import pathlib
import shutil
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import build  # noqa: E402
from conftest import CHROMIUM_FLAGS, mirror_site, serve_directory  # noqa: E402
from results import save  # noqa: E402

RUNS = 3
PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>course</title>
<link rel="icon" href="data:,">{script}</head><body>
<h1>Lecture notes</h1>{filler}{widgets}</body></html>"""
FILLER = "<p>" + "Convolutions slide a filter over an image. " * 40 + "</p>"


def host_page(widgets: int) -> str:
    script = '<script type="module" src="js/convscope.js"></script>' if widgets else ""
    items = "".join(f'<conv-scope id="w{i}" in-channels="1" out-channels="2" kernel-size="3" '
                    f'padding="1" input-size="8x8"></conv-scope>' for i in range(widgets))
    return PAGE.format(script=script, filler=FILLER * 30, widgets=items)


def measure(playwright, server, url: str, start: bool) -> dict:
    browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                         args=CHROMIUM_FLAGS)
    page = browser.new_page(viewport={"width": 1200, "height": 800})
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    first = len(server.status_log)
    page.goto(url)
    page.wait_for_load_state("networkidle")
    if start:
        page.evaluate("document.querySelectorAll('conv-scope').forEach(w => w.start())")
        page.wait_for_function("() => [...document.querySelectorAll('conv-scope')]"
                               ".every(w => w.dataset.state === 'ready')", timeout=120_000)
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    browser.close()
    sent = server.status_log[first:]
    directory = pathlib.Path(server.RequestHandlerClass.directory)
    size = sum((directory / path.lstrip("/")).stat().st_size for path, code in sent
               if code == 200 and (directory / path.lstrip("/")).is_file())
    return {"main_thread_ms": metrics["TaskDuration"] * 1e3, "bytes": size}


def main() -> int:
    from playwright.sync_api import sync_playwright

    if not (build.DIST / "pyodide" / "pyodide-lock.json").exists():
        build.build()
    with tempfile.TemporaryDirectory() as scratch:
        site = mirror_site(build.DIST, pathlib.Path(scratch) / "site")
        for count in (0, 1, 10):
            (site / f"host-{count}.html").write_text(host_page(count))
        server, url = serve_directory(site)
        server.RequestHandlerClass.directory = str(site)
        results = {}
        with sync_playwright() as playwright:
            for count in (0, 1, 10):
                for start in ((False, True) if count else (False,)):
                    runs = [measure(playwright, server, f"{url}host-{count}.html", start)
                            for _ in range(RUNS)]
                    results[(count, start)] = {key: statistics.median(r[key] for r in runs)
                                               for key in runs[0]}
        server.shutdown()
    delta = lambda a, b, key: results[a][key] - results[b][key]  # noqa: E731
    summary = {
        "script_once_kb": (delta((1, False), (0, False), "bytes")
                           - delta((10, False), (1, False), "bytes") / 9) / 1e3,
        "per_idle_widget_kb": delta((10, False), (1, False), "bytes") / 9 / 1e3,
        "per_idle_widget_main_thread_ms": delta((10, False), (1, False), "main_thread_ms") / 9,
        "idle_page_main_thread_ms_0_1_10": [results[(n, False)]["main_thread_ms"]
                                            for n in (0, 1, 10)],
        "runtime_once_mb": delta((1, True), (1, False), "bytes") / 1e6,
        "per_started_widget_kb": delta((10, True), (1, True), "bytes") / 9 / 1e3,
        "per_started_widget_main_thread_ms": delta((10, True), (1, True), "main_thread_ms") / 9,
    }
    print(f"course page widgets, medians of {RUNS} (Chromium headless, localhost)")
    print(f"  before start: script once {summary['script_once_kb']:.1f} kB; each widget "
          f"{summary['per_idle_widget_kb']:.2f} kB and "
          f"{summary['per_idle_widget_main_thread_ms']:.2f} ms main thread "
          f"(page with 0/1/10 idle widgets: "
          + " / ".join(f"{v:.0f}" for v in summary["idle_page_main_thread_ms_0_1_10"]) + " ms)")
    print(f"  after start:  Python runtime once {summary['runtime_once_mb']:.1f} MB; each widget "
          f"{summary['per_started_widget_kb']:.2f} kB and "
          f"{summary['per_started_widget_main_thread_ms']:.1f} ms main thread")
    save("embed", summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
