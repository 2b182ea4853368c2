"""The engine inside real Pyodide (Node.js), loaded from the built dist/."""

import json
import os
import shutil
import subprocess

import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_check, load_set

RUNNER = ROOT / "tests" / "node" / "pyodide_fixtures.mjs"


def run_in_node(dist_dir):
    node = shutil.which("node")
    assert node, "Node.js is needed: apt-get install nodejs (python3 build.py test does it)"
    completed = subprocess.run([node, str(RUNNER), str(dist_dir), str(ROOT / "tests")],
                               capture_output=True, text=True, timeout=300)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from Node (exit {completed.returncode}): {completed.stderr[-2000:]}"
    return json.loads(lines[-1])


@pytest.fixture(scope="module")
def report(dist):
    return run_in_node(dist)


SETS = fixture_sets(ROOT / "tests")


@pytest.mark.parametrize("name", list(SETS))
def test_every_torch_fixture_matches_inside_pyodide(report, name):
    assert "error" not in report, report.get("error")
    result = report["sets"][name]
    assert result["failures"] == []
    cases, errors, _ = load_set(SETS[name][0])
    assert (result["cases"], result["errors"]) == (len(cases), len(errors))
    # every check CPython runs of the set (its checks_for each case, one per error case),
    # each once: the CPython tests parametrise over the same checks
    checks = load_check(name, SETS[name][1]).checks_for
    assert result["count"] == sum(len(checks(case)) for case in cases) + len(errors)


def test_pyodide_runs_the_pinned_python_and_numpy(report):
    assert report["python"].startswith("3.12.")
    assert report["numpy"] == "2.0.2"


def test_no_request_leaves_dist(report):
    assert report["offsite"] == []


def test_a_missing_wheel_is_caught_not_fetched_from_a_cdn(dist, tmp_path):
    # same site but without the convscope wheel: Pyodide in Node would quietly
    # fetch it from a CDN; the guard must see that request and refuse it
    broken = tmp_path / "dist"
    (broken / "pyodide").mkdir(parents=True)
    for item in (dist / "pyodide").iterdir():
        if not item.name.startswith("convscope-"):
            os.symlink(item, broken / "pyodide" / item.name)
    report = run_in_node(broken)
    assert report["offsite"], "the refused CDN request was not reported"
    assert all(url.endswith(".whl") for url in report["offsite"])
    assert "error" in report


def test_site_lock_is_a_valid_pyodide_lock_with_true_hashes(dist):
    import hashlib

    from pyodide_lock import PyodideLockSpec

    lock = PyodideLockSpec.from_json(dist / "pyodide" / "pyodide-lock.json")
    assert set(lock.packages) == {"numpy", "convscope"}
    assert lock.packages["convscope"].depends == ["numpy"]
    assert lock.info.version == "0.27.7"
    for package in lock.packages.values():
        data = (dist / "pyodide" / package.file_name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == package.sha256
