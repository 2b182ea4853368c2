"""With torch installed, regenerating the fixtures reproduces the committed ones."""

import json

import numpy as np
import pytest
from conftest import CASES, CONV2D, ERRORS
from fixture_sets import TOLERANCE, load_check

pytest.importorskip("torch", reason="the `ref` extra (torch==2.13.0) is not installed")
make_fixtures = load_check("conv2d_make", CONV2D / "make.py")  # torch-only: imported here


@pytest.fixture(scope="module")
def regenerated():
    return make_fixtures.build()


def test_regenerated_cases_match_committed(regenerated):
    cases, _, _ = regenerated
    assert json.loads(json.dumps(cases)) == CASES


def test_regenerated_arrays_match_committed(regenerated, arrays):
    _, fresh, _ = regenerated
    assert sorted(fresh) == sorted(arrays)
    dtype_of = {c["name"]: c["dtype"] for c in CASES}
    for key, value in fresh.items():
        tolerance = TOLERANCE[dtype_of[key.split("/")[0]]]
        np.testing.assert_allclose(value, arrays[key], rtol=tolerance, atol=tolerance,
                                   err_msg=key)


def test_regenerated_errors_match_committed(regenerated):
    _, _, errors = regenerated
    # messages that print a Python set vary with hash seeding; compare what is stable
    def stable(entries):
        return [(e["name"], e["torch_error"]) for e in entries]
    assert stable(errors) == stable(ERRORS)


def test_regenerated_practice_answers_match_committed():
    committed = json.loads(make_fixtures.PRACTICE.read_text())
    assert make_fixtures.practice_fixtures() == committed
