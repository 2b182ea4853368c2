"""The engine against outputs, reprs and errors recorded from real PyTorch."""

import numpy as np
import pytest
from conftest import CASES, CHECK, CONV2D, ERRORS
from fixture_sets import REASONS, check_refused, fixture_sets, load_set, reason_of

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
    CHECK.check_functional(config, arrays)


@pytest.mark.parametrize("config", LAYER_CASES, ids=[c["name"] for c in LAYER_CASES])
def test_layer_matches_torch_output_repr_and_counts(config, arrays):
    CHECK.check_layer(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_trace_values_are_the_torch_output(config, arrays):
    CHECK.check_trace(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_raises_where_torch_raises(error):
    CHECK.check_error(error)


def test_a_refusal_for_another_reason_fails():
    """An error fixture passes only when convscope refuses for torch's reason: here torch
    refused groups=0, and a call refused for its kernel size instead must not pass."""
    error = next(e for e in ERRORS if e["reason"] == "groups")
    kernel_too_large = lambda _: convscope.conv2d(np.zeros((1, 1, 2, 2)), np.zeros((1, 1, 3, 3)))  # noqa: E731
    with pytest.raises(AssertionError, match="torch refused because of groups"):
        check_refused(error, kernel_too_large)
    check_refused(error, CHECK.call_convscope)  # the fixture's own call gives the reason
    # a recorded reason that torch's message does not give is caught too
    with pytest.raises(AssertionError):
        check_refused({**error, "reason": "dtype"}, CHECK.call_convscope)


def test_every_error_fixture_records_torch_reason():
    for folder, _ in fixture_sets(CONV2D.parent.parent).values():
        for error in load_set(folder)[1]:
            assert error["reason"] == reason_of(error["torch_message"]) in REASONS, error["name"]
