"""The engine against outputs, reprs and errors recorded from real PyTorch."""

import pytest
from conftest import CASES, ERRORS
from fixture_check import check_error, check_functional, check_layer, check_trace

import convscope

LAYER_CASES = [c for c in CASES if c["api"] == "layer"]


def test_fixture_set_covers_the_issue():
    assert len(CASES) >= 200
    assert {c["padding_mode"] for c in CASES} == set(convscope.PADDING_MODES)
    assert {c["dtype"] for c in CASES} >= {"float32", "float64"}
    assert any(c["padding"] == "same" for c in CASES)
    assert any(c["groups"] > 1 and c["groups"] == c["in_shape"][-3] for c in CASES)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_functional_conv2d_matches_torch(config, arrays):
    check_functional(config, arrays)


@pytest.mark.parametrize("config", LAYER_CASES, ids=[c["name"] for c in LAYER_CASES])
def test_layer_matches_torch_output_repr_and_counts(config, arrays):
    check_layer(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_trace_values_are_the_torch_output(config, arrays):
    check_trace(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_raises_where_torch_raises(error):
    check_error(error)
