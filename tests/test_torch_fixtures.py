"""The engine against outputs, reprs and errors recorded from real PyTorch."""

import numpy as np
import pytest
from conftest import CASES, ERRORS, assert_matches_torch, case_arrays

import convscope

LAYER_CASES = [c for c in CASES if c["api"] == "layer"]


def conv_kwargs(config):
    return {key: config[key] for key in ("stride", "padding", "dilation", "groups",
                                          "padding_mode")}


def build_layer(config, input, weight, bias):
    layer = convscope.Conv2d(input.shape[-3], config["out_channels"], config["kernel_size"],
                             bias=config["bias"], dtype=input.dtype, **conv_kwargs(config))
    layer.weight, layer.bias = weight, bias
    return layer


def test_fixture_set_covers_the_issue():
    assert len(CASES) >= 200
    assert {c["padding_mode"] for c in CASES} == set(convscope.PADDING_MODES)
    assert {c["dtype"] for c in CASES} >= {"float32", "float64"}
    assert any(c["padding"] == "same" for c in CASES)
    assert any(c["groups"] > 1 and c["groups"] == c["in_shape"][-3] for c in CASES)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_functional_conv2d_matches_torch(config, arrays):
    input, weight, bias, expected = case_arrays(arrays, config)
    actual = convscope.conv2d(input, weight, bias, **conv_kwargs(config))
    assert_matches_torch(actual, expected, config["dtype"])


@pytest.mark.parametrize("config", LAYER_CASES, ids=[c["name"] for c in LAYER_CASES])
def test_layer_matches_torch_output_repr_and_counts(config, arrays):
    input, weight, bias, expected = case_arrays(arrays, config)
    layer = build_layer(config, input, weight, bias)
    assert_matches_torch(layer(input), expected, config["dtype"])
    assert repr(layer) == config["repr"]
    assert layer.output_shape(input.shape) == tuple(config["output_shape"])
    assert layer.parameter_count == config["parameters"]


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_trace_values_are_the_torch_output(config, arrays):
    input, weight, bias, expected = case_arrays(arrays, config)
    trace = convscope.trace(input, weight, bias, **conv_kwargs(config))
    batched = expected[np.newaxis] if input.ndim == 3 else expected
    if len(trace):  # sample a few steps per case; test_trace.py walks whole traces
        for index in np.linspace(0, len(trace) - 1, 5).astype(int):
            step = trace[int(index)]
            tolerance = {"float64": 1e-9, "float32": 1e-5}.get(config["dtype"], 0)
            np.testing.assert_allclose(step.value, batched[step.position],
                                       rtol=tolerance, atol=tolerance)


def call_convscope(error):
    args = error["args"]
    if error["api"] == "layer":
        layer = convscope.Conv2d(**args)
        if error["input"] is not None:
            layer(np.zeros(error["input"], dtype=np.float32))
    else:
        bias = None if error["bias"] is None else np.zeros(error["bias"])
        convscope.conv2d(np.zeros(error["input"]), np.zeros(error["weight"]), bias, **args)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_raises_where_torch_raises(error):
    with pytest.raises((ValueError, TypeError)) as raised:
        call_convscope(error)
    # a clear message, never a NumPy internals error leaking through
    assert len(str(raised.value)) > 20
    assert "broadcast" not in str(raised.value)
    expected = TypeError if error["torch_error"] == "TypeError" else (ValueError, TypeError)
    assert isinstance(raised.value, expected)
