"""Every benchmark in one run, then one summary table (and build/bench.json).

    python build.py bench

Sections: the engine (CPython and Pyodide vs torch), the site's start-up and step
drawing in headless Chromium, what course-page widgets cost, start-up over a
throttled real link against the bare platform (bench_link), and Lighthouse's
accessibility and performance scores of index.html, mobile profile (bench_lighthouse). Every ratio is
measured within this run; none is a test.
"""

from __future__ import annotations

import json
import sys

import bench_embed
import bench_engine
import bench_lighthouse
import bench_link
import bench_site
from results import RESULTS, save


def link_rows(link):
    for summary in link.values():
        label = f"{summary['mbit']} Mbit/s" + (f", CPU x{summary['cpu']}" if summary["cpu"] > 1 else "")
        for kind, target in (("first", "<= 0.5x"), ("revisit", "<= 0.6x")):
            ours, bare = summary[f"convscope_{kind}"], summary[f"bare_{kind}"]
            yield (f"real link {label}: {kind} / bare",
                   f"{ours['ready_ms'] / bare['ready_ms']:.2f}x", target)
        first = summary["convscope_first"]
        yield (f"real link {label}: first visit ready", f"{first['ready_ms'] / 1000:.1f} s", "")
        yield (f"real link {label}: bytes before ready", f"{first['bytes_before_ready'] / 1e6:.1f} MB",
               "<= 8 MB")


def lighthouse_rows(lighthouse):
    yield "Lighthouse accessibility, index.html (mobile)", f"{lighthouse['accessibility']}", "100"
    yield "Lighthouse performance, index.html (mobile)", f"{lighthouse['performance']}", ""


def rows(engine, site, embed):
    medium = next(r for r in engine if r["layer"].startswith("medium"))
    yield "engine ready, cold (Chromium)", f"{site['chromium_cold_engine_ready_ms']:.0f} ms", "<= 2000 ms"
    yield "engine ready, warm (browser restart)", f"{site['chromium_warm_engine_ready_ms']:.0f} ms", "<= 1000 ms"
    warm = site["chromium_warm_stages_ms"]
    for stage, since in (("python_restored", "worker_running"),
                         ("packages_installed", "python_restored")):
        yield (f"  warm: {since} -> {stage}", f"{warm[stage] - warm[since]:.0f} ms", "")
    yield ("  warm: packages_installed -> engine ready",
           f"{site['chromium_warm_engine_ready_ms'] - warm['packages_installed']:.0f} ms", "")
    yield "first frame, cold", f"{site['chromium_cold_first_frame_ms']:.0f} ms", "<= 500 ms"
    yield "first frame, warm", f"{site['chromium_warm_first_frame_ms']:.0f} ms", ""
    yield "engine ready in Node.js", f"{site['node_engine_ready_ms']:.0f} ms", ""
    for name, cost in site["steps"].items():
        yield f"one step draw, {name}", f"{cost['draw_ms']:.2f} ms", "<= 4 ms"
    for row in engine:
        short = row["layer"].split(" ")[0]
        yield (f"{short} layer: CPython / torch", f"{row['ratio']:.2f}x",
               "<= 3x" if row is medium else "")
        yield f"{short} layer: Pyodide / CPython", f"{row['pyodide_ratio']:.1f}x", ""
    yield "GIF export, 5x5 sample (50 frames)", f"{site['gif_export_5x5_ms']:.0f} ms", "< 2000 ms"
    yield "dist/ size", f"{site['dist_mb']:.1f} MB", ""
    yield "first visit downloads", f"{site['first_visit_download_mb']:.1f} MB", ""
    yield "revisit downloads", f"{site['revisit_download_mb']:.2f} MB", ""
    yield "course page script before any widget starts", f"{embed['script_once_kb']:.1f} kB", ""
    yield "each idle widget, main thread", f"{embed['per_idle_widget_main_thread_ms']:.2f} ms", ""
    yield "each started widget, main thread", f"{embed['per_started_widget_main_thread_ms']:.1f} ms", ""


def main() -> int:
    for section in (bench_engine, bench_site, bench_embed, bench_link, bench_lighthouse):
        print()
        section.main()
    results = {name: json.loads((RESULTS / f"bench-{name}.json").read_text())
               for name in ("engine", "site", "embed", "link", "lighthouse")}
    table = [*rows(results["engine"], results["site"], results["embed"]),
             *link_rows(results["link"]), *lighthouse_rows(results["lighthouse"])]
    print("\nconvscope benchmark summary (this run)")
    print(f"{'measure':48} {'value':>12}  target")
    for measure, value, target in table:
        print(f"{measure:48} {value:>12}  {target}")
    save("all", {**results, "summary": [dict(measure=m, value=v, target=t) for m, v, t in table]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
