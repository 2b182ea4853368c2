"""Lighthouse's accessibility and performance scores of index.html, mobile profile.

    python benchmarks/bench_lighthouse.py      (bench_all runs it too)

Runs ``npx --yes lighthouse@12.2.3`` (Node 20) against dist/ served on 127.0.0.1, with
Debian's chromium (CHROME_PATH) and the flags the browser tests use (no request can leave
the machine). Lighthouse's default form factor is mobile: a Moto G Power sized screen,
simulated slow 4G and a 4x slower CPU. Leaves build/bench-lighthouse.json and the full
report as build/lighthouse-index.json.
"""

from __future__ import annotations

import json
import os
import pathlib
import shlex
import shutil
import subprocess
import sys
import threading

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import build  # noqa: E402
from conftest import CHROMIUM_FLAGS  # noqa: E402
from results import RESULTS, save  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"


def chrome_flags() -> str:
    """The browser tests' flags as one --chrome-flags string (values with spaces quoted)."""
    return " ".join(flag if " " not in flag else f'{flag.split("=", 1)[0]}="{flag.split("=", 1)[1]}"'
                    for flag in CHROMIUM_FLAGS)


def run_lighthouse(url: str, report: pathlib.Path) -> dict:
    chromium = shutil.which("chromium")
    if not chromium or not shutil.which("npx"):
        raise RuntimeError("Lighthouse needs npx (Node 20) and Debian's chromium on the PATH")
    command = ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--output=json",
               f"--output-path={report}", "--only-categories=accessibility,performance",
               "--form-factor=mobile", "--max-wait-for-load=90000",
               f"--chrome-flags={chrome_flags()}"]
    print("+", shlex.join(command), flush=True)
    subprocess.run(command, check=True, timeout=600, env={**os.environ, "CHROME_PATH": chromium})
    data = json.loads(report.read_text())
    audits = data["audits"]
    metric = lambda name: audits[name].get("numericValue")  # noqa: E731
    failing = [name for name, audit in audits.items()
               if audit.get("score") is not None and audit["score"] < 1
               and name in {ref["id"] for ref in data["categories"]["accessibility"]["auditRefs"]}]
    return {
        "lighthouse": data["lighthouseVersion"],
        "form_factor": data["configSettings"]["formFactor"],
        "accessibility": round(data["categories"]["accessibility"]["score"] * 100),
        "performance": round(data["categories"]["performance"]["score"] * 100),
        "first_contentful_paint_ms": metric("first-contentful-paint"),
        "largest_contentful_paint_ms": metric("largest-contentful-paint"),
        "total_blocking_time_ms": metric("total-blocking-time"),
        "cumulative_layout_shift": metric("cumulative-layout-shift"),
        "accessibility_audits_below_full_score": failing,
    }


def main() -> dict:
    dist = build.DIST
    if not (dist / "index.html").exists():
        build.build()
    server = build.make_server(dist, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
    try:
        result = run_lighthouse(url, RESULTS / "lighthouse-index.json")
    finally:
        server.shutdown()
    save("lighthouse", result)
    print(json.dumps(result, indent=1))
    return result


if __name__ == "__main__":
    main()
