"""What "matches torch" means for one fixture, shared by CPython and Pyodide runs.

Plain functions that raise ``AssertionError``: pytest parametrises over them in
test_torch_fixtures.py, and tests/node/pyodide_fixtures.mjs runs them inside
real Pyodide. They need only NumPy, convscope and fixture_sets (from tests/).
"""

import numpy as np
from fixture_sets import check_refused, run_checks  # tests/ is on sys.path, in Pyodide too

import convscope

#: The fidelity bar: every value within this of torch's (absolute and relative).
TOLERANCE = {"float64": 1e-9, "float32": 1e-5, "int64": 0, "int32": 0}


def case_arrays(arrays, config):
    """(input, weight, bias or None, torch output) of one fixture case."""
    name = config["name"]
    return (arrays[f"{name}/input"], arrays[f"{name}/weight"],
            arrays.get(f"{name}/bias"), arrays[f"{name}/output"])


def conv_kwargs(config):
    return {key: config[key] for key in ("stride", "padding", "dilation", "groups",
                                          "padding_mode")}


def assert_matches_torch(actual, expected, dtype):
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    tolerance = TOLERANCE[dtype]
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)


def check_functional(config, arrays):
    input, weight, bias, expected = case_arrays(arrays, config)
    actual = convscope.conv2d(input, weight, bias, **conv_kwargs(config))
    assert_matches_torch(actual, expected, config["dtype"])


def check_layer(config, arrays):
    """nn.Conv2d cases: output, repr, output shape and parameter count."""
    input, weight, bias, expected = case_arrays(arrays, config)
    layer = convscope.Conv2d(input.shape[-3], config["out_channels"], config["kernel_size"],
                             bias=config["bias"], dtype=input.dtype, **conv_kwargs(config))
    layer.weight, layer.bias = weight, bias
    assert_matches_torch(layer(input), expected, config["dtype"])
    assert repr(layer) == config["repr"], (repr(layer), config["repr"])
    assert layer.output_shape(input.shape) == tuple(config["output_shape"])
    assert layer.parameter_count == config["parameters"]


def check_trace(config, arrays, samples=5):
    """A few steps spread over the output carry torch's values."""
    input, weight, bias, expected = case_arrays(arrays, config)
    trace = convscope.trace(input, weight, bias, **conv_kwargs(config))
    batched = expected[np.newaxis] if input.ndim == 3 else expected
    tolerance = TOLERANCE[config["dtype"]]
    assert len(trace) == batched.size
    for index in np.linspace(0, len(trace) - 1, samples).astype(int) if len(trace) else []:
        step = trace[int(index)]
        np.testing.assert_allclose(step.value, batched[step.position],
                                   rtol=tolerance, atol=tolerance)


def call_convscope(error):
    """Make the call an error fixture describes (torch raised on it)."""
    args = error["args"]
    if error["api"] == "layer":
        layer = convscope.Conv2d(**args)
        if error["input"] is not None:
            layer(np.zeros(error["input"], dtype=np.float32))
    else:
        bias = None if error["bias"] is None else np.zeros(error["bias"])
        convscope.conv2d(np.zeros(error["input"]), np.zeros(error["weight"]), bias, **args)


def check_error(error):
    """convscope raises ValueError/TypeError (TypeError where torch did) with a clear message."""
    check_refused(error, call_convscope)


def checks_for(config):
    checks = [check_functional, check_trace]
    if config["api"] == "layer":
        checks.append(check_layer)
    return checks


def check_all(cases, errors, arrays):
    """Run every check; return (number of checks, list of failure descriptions)."""
    return run_checks(cases, errors, arrays, checks_for, check_error)