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


@pytest.fixture(scope="session")
def arrays():
    with np.load(FIXTURES / "arrays.npz") as data:
        return {key: data[key] for key in data.files}
