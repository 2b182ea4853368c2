"""Shared test setup: import convscope from the source tree, load the torch fixtures."""

import json
import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(FIXTURES))

CASES = json.loads((FIXTURES / "cases.json").read_text())
ERRORS = json.loads((FIXTURES / "errors.json").read_text())

#: The fidelity bar: every value within this of torch's (absolute and relative).
TOLERANCE = {"float64": 1e-9, "float32": 1e-5, "int64": 0, "int32": 0}


@pytest.fixture(scope="session")
def arrays():
    with np.load(FIXTURES / "arrays.npz") as data:
        return {key: data[key] for key in data.files}


def case_arrays(arrays, config):
    """(input, weight, bias or None, torch output) of one fixture case."""
    name = config["name"]
    return (arrays[f"{name}/input"], arrays[f"{name}/weight"],
            arrays.get(f"{name}/bias"), arrays[f"{name}/output"])


def assert_matches_torch(actual, expected, dtype):
    assert actual.dtype == expected.dtype
    assert actual.shape == expected.shape
    tolerance = TOLERANCE[dtype]
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)
