"""Start-up over a real link: the project's page against the bare platform, same run.

    python build.py bench            (this is its "real link" section)
    python benchmarks/bench_link.py  (this section alone)

A throttled server (benchmarks/link.py: one shared link, 40 ms per answer, no
compression, max-age=600) serves dist/; each visit uses a fresh Chromium profile
with a disk cache (first visit), then the same profile after a browser restart
(revisit). The bare page runs only loadPyodide + loadPackage('numpy') on the same
dist/. Pages alternate within each run; medians of RUNS.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time

from link import bytes_between, link_server, wait_until_idle

import bench_site
from conftest import CHROMIUM_FLAGS
from results import save

RUNS = 3
LINKS = [(20, 1), (5, 1), (20, 4)]  # Mbit/s, CPU slowdown (4: a mid-range phone)
PAGES = {
    "bare": ("bare/index.html", "body[data-state=ready]", "bare:ready"),
    "convscope": ("index.html", "#app[data-state=ready]", "convscope:engine-ready"),
}


def visit(playwright, server, profile, page_name, cpu):
    path, selector, mark = PAGES[page_name]
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS,
        viewport={"width": 1280, "height": 900})
    page = context.new_page()
    if cpu > 1:
        context.new_cdp_session(page).send("Emulation.setCPUThrottlingRate", {"rate": cpu})
    started = time.monotonic()
    page.goto(f"http://127.0.0.1:{server.server_address[1]}/{path}")
    page.wait_for_selector(selector, timeout=300_000)
    ready_at = time.monotonic()
    # a visitor stays: let what the page fetches after ready (caches) finish, and on
    # our first visit, until the page has prepared the next; the time that takes is
    # reported
    wait_until_idle(server)
    if page_name == "convscope":
        bench_site.stay_for_next_visit(page)
    marks = page.evaluate("""() => Object.fromEntries(performance.getEntriesByType("mark")
        .map((mark) => [mark.name, mark.startTime]))""")
    context.close()
    result = {"ready_ms": marks[mark], "bytes_before_ready": bytes_between(server, started, ready_at),
              "bytes_in_all": bytes_between(server, started, time.monotonic())}
    if page_name == "convscope":
        result["first_frame_ms"] = marks.get("convscope:first-frame")
        result["stages"] = {stage: marks.get(name) for stage, name in bench_site.STAGES.items()}
        result["next_visit_ready_ms"] = marks.get("convscope:next-visit-ready")
    return result


def measure(playwright, mbit, cpu):
    server = link_server(mbit)
    runs = {name: {"first": [], "revisit": []} for name in PAGES}
    for run in range(RUNS):
        order = list(PAGES) if run % 2 == 0 else list(reversed(PAGES))
        for name in order:
            with tempfile.TemporaryDirectory() as profile:
                runs[name]["first"].append(visit(playwright, server, profile, name, cpu))
                runs[name]["revisit"].append(visit(playwright, server, profile, name, cpu))
    server.shutdown()
    median = lambda visits, key: statistics.median(v[key] for v in visits)  # noqa: E731
    summary = {}
    for name, visits in runs.items():
        for kind, rows in visits.items():
            summary[f"{name}_{kind}"] = {key: median(rows, key) for key in
                                         ("ready_ms", "bytes_before_ready", "bytes_in_all")}
    ours = runs["convscope"]["first"]
    summary["convscope_first"]["stages"] = {
        stage: statistics.median(v["stages"][stage] or 0 for v in ours)
        for stage in bench_site.STAGES}
    summary["convscope_first"]["first_frame_ms"] = median(ours, "first_frame_ms")
    summary["convscope_first"]["next_visit_ready_ms"] = median(ours, "next_visit_ready_ms")
    return summary


def report(mbit, cpu, s):
    rate = mbit * 1e6 / 8
    print(f"  {mbit} Mbit/s, 40 ms, CPU x{cpu}   (medians of {RUNS})")
    for kind in ("first", "revisit"):
        bare, ours = s[f"bare_{kind}"], s[f"convscope_{kind}"]
        floor = ours["bytes_before_ready"] / rate
        print(f"    {kind:8} ready  convscope {ours['ready_ms'] / 1000:6.2f} s  bare "
              f"{bare['ready_ms'] / 1000:6.2f} s  ratio {ours['ready_ms'] / bare['ready_ms']:.2f}"
              f"   before ready {ours['bytes_before_ready'] / 1e6:5.1f} MB (bare "
              f"{bare['bytes_before_ready'] / 1e6:.1f}), floor {floor:.2f} s;"
              f" in all {ours['bytes_in_all'] / 1e6:.1f} MB (bare {bare['bytes_in_all'] / 1e6:.1f})")
    stages = s["convscope_first"]["stages"]
    print("    first visit stages: " + ", ".join(f"{k} {v / 1000:.2f} s" for k, v in stages.items())
          + f", first frame {s['convscope_first']['first_frame_ms'] / 1000:.2f} s")
    # what the revisit figure assumes: the first visit stayed this long (files for the
    # next visit fetched, compiled code cached)
    print(f"    first visit: next visit prepared at "
          f"{s['convscope_first']['next_visit_ready_ms'] / 1000:.1f} s")


def main() -> int:
    from playwright.sync_api import sync_playwright

    results = {}
    print("real link: convscope vs bare Pyodide+NumPy, same dist/, same run "
          "(targets: first visit <= 0.5x bare and <= 8 MB before ready; revisit <= 0.6x)")
    with sync_playwright() as playwright:
        for mbit, cpu in LINKS:
            summary = measure(playwright, mbit, cpu)
            results[f"{mbit}mbit_cpu{cpu}"] = {**summary, "mbit": mbit, "cpu": cpu}
            report(mbit, cpu, summary)
    save("link", results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
