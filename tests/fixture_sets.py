"""Every torch fixture set, found by convention, run alike in CPython and Pyodide.

Conv2d's set lives in ``tests/fixtures/`` with ``tests/fixture_check.py``; each further
layer kind keeps its own set in ``tests/fixtures/<kind>/``: ``cases.json``,
``errors.json``, ``arrays.npz`` and a ``check.py`` whose ``check_all(cases, errors,
arrays)`` returns ``(number of checks, failures)``. Adding a kind adds a folder; the
Pyodide runner (tests/node/pyodide_fixtures.mjs) and its test pick it up unchanged.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib

import numpy as np


def fixture_sets(tests: pathlib.Path) -> dict[str, tuple[pathlib.Path, pathlib.Path]]:
    """{name: (folder with cases/errors/arrays, its check module)}."""
    fixtures = tests / "fixtures"
    sets = {"conv2d": (fixtures, tests / "fixture_check.py")}
    for folder in sorted(fixtures.iterdir()):
        if (folder / "check.py").is_file():
            sets[folder.name] = (folder, folder / "check.py")
    return sets


def load_set(folder: pathlib.Path):
    """(cases, errors, arrays) of one set."""
    cases = json.loads((folder / "cases.json").read_text())
    errors = json.loads((folder / "errors.json").read_text())
    with np.load(folder / "arrays.npz") as data:
        arrays = {key: data[key] for key in data.files}
    return cases, errors, arrays


def load_check(name: str, path: pathlib.Path):
    """The check module of a set, imported from its file."""
    spec = importlib.util.spec_from_file_location(f"{name}_fixture_check", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_checks(cases, errors, arrays, checks_for, check_error):
    """Every check of every case (``checks_for(case)`` lists them) and every error case;
    returns ``(number of checks, failure descriptions)``, reporting all, not the first."""
    failures, count = [], 0
    for config in cases:
        for check in checks_for(config):
            count += 1
            try:
                check(config, arrays)
            except Exception as failure:
                failures.append(f"{check.__name__}[{config['name']}]: {failure!r}")
    for error in errors:
        count += 1
        try:
            check_error(error)
        except Exception as failure:
            failures.append(f"check_error[{error['name']}]: {failure!r}")
    return count, failures


def check_refused(error, call) -> Exception:
    """``call(error)`` (the call an error fixture describes, which torch refused) raises
    ValueError/TypeError, TypeError where torch did, with a clear message: no NumPy
    internals leaking through. Returns what it raised, for a set's further checks."""
    try:
        call(error)
    except (ValueError, TypeError) as raised:
        message = str(raised)
        assert len(message) > 20, message
        assert "broadcast" not in message, message
        if error["torch_error"] == "TypeError":
            assert isinstance(raised, TypeError), type(raised)
        return raised
    raise AssertionError(f"{error['name']}: convscope accepted a call torch refuses "
                         f"({error['torch_message']})")


def write_set(folder: pathlib.Path, cases, arrays, errors) -> None:
    """Write a set made with torch: cases.json, errors.json and arrays.npz."""
    import io
    import sys

    (folder / "cases.json").write_text(json.dumps(cases, indent=1) + "\n")
    (folder / "errors.json").write_text(json.dumps(errors, indent=1) + "\n")
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    (folder / "arrays.npz").write_bytes(buffer.getvalue())
    print(f"{len(cases)} cases, {len(errors)} error cases -> {folder}", file=sys.stderr)


def run_all(tests: pathlib.Path) -> dict:
    """{name: {count, failures, cases, errors}} for every set."""
    report = {}
    for name, (folder, check) in fixture_sets(tests).items():
        cases, errors, arrays = load_set(folder)
        count, failures = load_check(name, check).check_all(cases, errors, arrays)
        report[name] = {"count": count, "failures": failures, "cases": len(cases),
                        "errors": len(errors)}
    return report
