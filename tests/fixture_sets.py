"""Every torch fixture set, found by convention, run alike in CPython and Pyodide.

Each set lives in its own folder, ``tests/fixtures/<name>/`` (``conv2d``,
``conv_transpose2d``, ``pool2d``, ``backward``, ``model``): ``cases.json``,
``errors.json``, ``arrays.npz`` and a ``check.py`` whose ``check_all(cases, errors,
arrays)`` returns ``(number of checks, failures)``. Adding a kind adds a folder; the
Pyodide runner (tests/node/pyodide_fixtures.mjs) and its test pick it up unchanged.
"""

from __future__ import annotations

import importlib.util
import json
import pathlib
import re

import numpy as np

#: Why torch refused a call, and how convscope must say the same: ``{reason: (what
#: torch's message says, what convscope's must say)}``, regular expressions matched
#: case-insensitively. An error fixture records the first reason whose torch pattern
#: matches torch's message (``reason_of``); ``check_refused`` then requires convscope's
#: message to match that reason's pattern, so a refusal for another reason fails.
REASONS = {
    "bool_argument": (r"must be bool, not", r"must be bool, not"),
    "dtype": (r"only Tensors of floating point dtype|expected scalar type|not implemented for"
              r"|can't be cast",
              r"dtype|should be the same|not implemented|can't be cast|expected grad_output of type"),
    "int_argument": (r"must be tuple of ints|failed to unpack|failed to match any schema"
                     r"|must be int, not",
                     r"must be an int or a pair of ints|must be tuple of ints|must be int, not"
                     r"|sequence of ints|takes padding as an int"),
    "value_count": (r"a list of \d+ values to match the convolution dimensions"
                    r"|must either be (omitted, )?a single int, or a tuple of two ints"
                    r"|must be either a single int",
                    r"got \d+ values|\d-dimensional weight|must either be|must be either"),
    "groups": (r"groups must be a positive integer|non-positive groups|groups to be greater than 0",
               r"groups must be a positive integer|non-positive groups"),
    "divisible_by_groups": (r"must be divisible by groups", r"must be divisible by groups"),
    "padding_string": (r"Invalid padding string", r"Invalid padding string"),
    "same_with_stride": (r"padding='same' is not supported for strided",
                         r"padding='same' is not supported for strided"),
    "padding_mode": (r"padding_mode must be one of|Only \"zeros\" padding mode",
                     r"padding_mode must be one of|Only \"zeros\" padding mode"),
    "negative_padding": (r"negative (output_)?padding is not supported|pad must be non-negative",
                         r"negative (output_)?padding is not supported|pad must be non-negative"),
    "positive_size": (r"non-positive stride|should be greater than zero|stride should not be zero",
                      r"non-positive stride|should be greater than zero"),
    "padding_too_large": (r"Padding size should be less than|wrapping around more than once"
                          r"|pad should be at most half|pad should be smaller than or equal to half",
                          r"padding \(\d+, \d+\) is too large|wraps around more than once"
                          r"|pad should be at most half|pad should be smaller than or equal to half"),
    "output_padding": (r"output padding must be smaller", r"output padding must be smaller"),
    "kernel_larger_than_input": (r"Kernel size can't be greater than actual input size",
                                 r"Kernel size can't be greater than actual input size"),
    "output_too_small": (r"Output size is too small", r"Output size is too small"),
    "output_size_range": (r"valid sizes range from", r"valid sizes range from"),
    "output_size_count": (r"output_size must have", r"output_size must have"),
    "channels": (r"to have \d+ channels", r"to have \d+ channels"),
    "bias_size": (r"expected bias to be 1-dimensional", r"expected bias to be 1-dimensional"),
    "weight_size": (r"expected weight to be (at least|divisible)|non-empty 2D or 4D weight",
                    r"expected weight to be (at least|divisible)|non-empty 2D or 4D weight"
                    r"|out_channels must be a positive integer"),
    "grad_output_shape": (r"Mismatch in shape|Expected a tensor of dimension"
                          r"|same number of dimensions",
                          r"Mismatch in shape"),
    "input_dimensions": (r"Expected 3D \(unbatched\) or 4D|Expected 3D or 4D|non-empty 3D or 4D"
                         r"|Dimension out of range|Expected \d-dimensional input|expected 4D input"
                         r"|Only 3D, 4D and 5D input",
                         r"Expected 3D|3D or 4D|\d-dimensional input|4 sizes >= 0|expected 4D input"
                         r"|Only 4D \(N, C, H, W\) input"),
    "zero_size_input": (r"Only zero batch or zero channel inputs",
                        r"Only zero batch or zero channel inputs"),
    "divisor": (r"divisor must be not zero", r"divisor must be not zero"),
    "linear_features": (r"mat1 and mat2 shapes cannot be multiplied",
                        r"mat1 and mat2 shapes cannot be multiplied"),
    "running_stats": (r"running_mean should contain", r"running_mean should contain"),
    "narrow": (r"narrow\(\): length must be non-negative", r"narrow\(\): length must be non-negative"),
}

#: The fidelity bar: every value within this of torch's (absolute and relative).
TOLERANCE = {"float64": 1e-9, "float32": 1e-5, "int64": 0, "int32": 0}


def case_arrays(arrays, config):
    """(input, weight, bias or None, torch output) of one fixture case."""
    name = config["name"]
    return (arrays[f"{name}/input"], arrays[f"{name}/weight"],
            arrays.get(f"{name}/bias"), arrays[f"{name}/output"])


def assert_matches_torch(actual, expected, dtype):
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    tolerance = TOLERANCE[dtype]
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)


def reason_of(torch_message: str) -> str | None:
    """The reason torch gave (see ``REASONS``), or None for a message none matches."""
    for reason, (torch_says, _) in REASONS.items():
        if re.search(torch_says, torch_message, re.IGNORECASE):
            return reason
    return None


def refusal(error: dict, torch_error: str, torch_message: str) -> dict:
    """An error fixture: the call ``error`` describes, what torch raised, and why."""
    reason = reason_of(torch_message)
    assert reason, f"{error['name']}: no reason in REASONS matches {torch_message!r}"
    return dict(error, torch_error=torch_error, torch_message=torch_message, reason=reason)


def check_reason(error, message: str) -> None:
    """convscope's ``message`` gives the reason torch gave for ``error`` (the fixture's
    recorded ``reason``, which must still be what torch's recorded message says)."""
    reason = error["reason"]
    assert reason_of(error["torch_message"]) == reason, (reason, error["torch_message"])
    assert re.search(REASONS[reason][1], message, re.IGNORECASE), \
        f"{error['name']}: torch refused because of {reason}, convscope said {message!r}"


def fixture_sets(tests: pathlib.Path) -> dict[str, tuple[pathlib.Path, pathlib.Path]]:
    """{name: (folder with cases/errors/arrays, its check module)}."""
    sets = {}
    for folder in sorted((tests / "fixtures").iterdir()):
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
    ValueError/TypeError, TypeError where torch did, with a clear message that gives
    torch's reason (``check_reason``): no NumPy internals leaking through. Returns what
    it raised, for a set's further checks."""
    try:
        call(error)
    except (ValueError, TypeError) as raised:
        message = str(raised)
        assert len(message) > 20, message
        assert "broadcast" not in message, message
        if error["torch_error"] == "TypeError":
            assert isinstance(raised, TypeError), type(raised)
        check_reason(error, message)
        return raised
    raise AssertionError(f"{error['name']}: convscope accepted a call torch refuses "
                         f"({error['torch_message']})")


def write_set(folder: pathlib.Path, cases, arrays, errors) -> None:
    """Write a set made with torch: cases.json, errors.json (each made by ``refusal``)
    and arrays.npz."""
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
