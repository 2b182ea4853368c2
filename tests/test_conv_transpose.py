"""conv_transpose2d / ConvTranspose2d against torch's fixtures, a plain-loop reference, itself."""

import importlib.util
import json
import math

import numpy as np
import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_check, load_set
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_transpose import reference_conv_transpose2d

import convscope
from convscope.ops.conv_transpose import (gather_equivalent, gather_sides, prepare_transpose,
                                          stamp_window, transpose_spec)

FOLDER, CHECK_PATH = fixture_sets(ROOT / "tests")["conv_transpose2d"]
CASES, ERRORS, _ = load_set(FOLDER)
check = load_check("conv_transpose2d", CHECK_PATH)
LAYER_CASES = [c for c in CASES if c["api"] == "layer"]


@pytest.fixture(scope="module")
def arrays():
    return load_set(FOLDER)[2]


# --- torch's fixtures -----------------------------------------------------------------------

def test_fixture_set_covers_the_issue():
    assert len(CASES) >= 200
    assert sum(c["name"].startswith("random_") for c in CASES) >= 100
    pairs = lambda key: [c[key] for c in CASES if isinstance(c[key], list)]  # noqa: E731
    for key in ("stride", "padding", "output_padding", "dilation", "kernel_size"):
        values = [c[key] for c in CASES]
        assert any(isinstance(v, int) and v > (0 if key in ("padding", "output_padding") else 1)
                   for v in values), key
        assert any(v[0] != v[1] for v in pairs(key)), key
    assert any(c["groups"] > 1 and c["groups"] == c["in_shape"][-3] for c in CASES)  # depthwise
    assert {c["bias"] for c in CASES} == {True, False}
    assert {c["dtype"] for c in CASES} == {"float32", "float64", "int64"}
    assert any(e["dtypes"]["input"] == "int32" for e in ERRORS)  # torch refuses int32
    assert {c["api"] for c in CASES} == {"layer", "functional"}
    assert any(len(c["in_shape"]) == 3 for c in CASES)  # unbatched
    assert any(c["in_shape"][0] == 0 for c in CASES)    # empty batch
    assert any(c["in_shape"][-2:] == [1, 1] for c in CASES)
    assert any(max(np.broadcast_to(c["kernel_size"], 2)) > max(c["in_shape"][-2:])
               for c in CASES)  # kernel larger than the input
    sizes = [c["output_size"] for c in CASES if c["output_size"] is not None]
    assert {len(s) for s in sizes} == {2, 3, 4} and len(sizes) >= 15
    # output_padding allowed by dilation alone (stride 1)
    assert any(np.any(np.broadcast_to(c["output_padding"], 2) >= np.broadcast_to(c["stride"], 2))
               for c in CASES)


def test_error_set_covers_every_refusal():
    names = {e["name"] for e in ERRORS}
    assert len(ERRORS) >= 60
    for needle in ("output_padding_equals_stride", "output_padding_at_dilation", "padding_same",
                   "padding_mode", "output_size_too_large", "output_size_too_small",
                   "channels_mismatch", "weight_3d", "dtype_differs", "groups_zero",
                   "output_too_small", "bias_wrong_length"):
        assert any(needle in name for name in names), needle
    assert {e["torch_error"] for e in ERRORS} >= {"RuntimeError", "ValueError", "TypeError"}


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_functional_matches_torch(config, arrays):
    check.check_functional(config, arrays)


@pytest.mark.parametrize("config", LAYER_CASES, ids=[c["name"] for c in LAYER_CASES])
def test_layer_matches_torch_output_repr_and_counts(config, arrays):
    check.check_layer(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_gather_view_is_the_torch_output(config, arrays):
    check.check_gather_view(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_scatter_view_is_the_torch_output(config, arrays):
    check.check_scatter_view(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_raises_where_torch_raises(error):
    check.check_error(error)



# --- regenerating with torch ----------------------------------------------------------------

@pytest.fixture(scope="module")
def regenerated():
    pytest.importorskip("torch", reason="the `ref` extra (torch==2.13.0) is not installed")
    spec = importlib.util.spec_from_file_location("make_conv_transpose2d", FOLDER / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    return make.build()


def test_regenerated_fixtures_match_committed(regenerated, arrays):
    cases, fresh, errors = regenerated
    assert json.loads(json.dumps(cases)) == CASES
    assert sorted(fresh) == sorted(arrays)
    dtype_of = {c["name"]: c["dtype"] for c in CASES}
    for key, value in fresh.items():
        tolerance = check.TOLERANCE[dtype_of[key.split("/")[0]]]
        np.testing.assert_allclose(value, arrays[key], rtol=tolerance, atol=tolerance,
                                   err_msg=key)
    assert [(e["name"], e["torch_error"], e["torch_message"]) for e in errors] == \
        [(e["name"], e["torch_error"], e["torch_message"]) for e in ERRORS]


# --- the plain-loop reference ---------------------------------------------------------------

@st.composite
def transpose_setups(draw):
    """Random configurations, some of them invalid (output too small, output_padding too big)."""
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    channels, out_channels = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    padding = (draw(st.integers(0, 4)), draw(st.integers(0, 4)))
    output_padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
    height, width = draw(st.integers(1, 6)), draw(st.integers(1, 6))
    batch = draw(st.sampled_from([None, 1, 2]))  # None: unbatched
    shape = (channels, height, width) if batch is None else (batch, channels, height, width)
    dtype = draw(st.sampled_from([np.float64, np.float32, np.int64]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = (lambda s: rng.integers(-4, 5, s)) if np.dtype(dtype).kind == "i" else \
        rng.standard_normal
    x = values(shape).astype(dtype)
    w = values((channels, out_channels // groups) + kernel).astype(dtype)
    b = values(out_channels).astype(dtype) if draw(st.booleans()) else None
    return x, w, b, dict(stride=stride, padding=padding, output_padding=output_padding,
                         groups=groups, dilation=dilation)


def is_valid(x, w, kwargs):
    """torch's rules: output_padding < stride or dilation, and an output of at least 1x1."""
    for axis in (0, 1):
        s, d = kwargs["stride"][axis], kwargs["dilation"][axis]
        op, p, k = kwargs["output_padding"][axis], kwargs["padding"][axis], w.shape[2 + axis]
        if op >= s and op >= d:
            return False
        if (x.shape[-2 + axis] - 1) * s - 2 * p + d * (k - 1) + op + 1 < 1:
            return False
    return True


def check_against_reference(setup):
    x, w, b, kwargs = setup
    if not is_valid(x, w, kwargs):
        with pytest.raises(ValueError):
            convscope.conv_transpose2d(x, w, b, **kwargs)
        return
    actual = convscope.conv_transpose2d(x, w, b, **kwargs)
    expected = reference_conv_transpose2d(x, w, b, **kwargs)
    assert actual.dtype == x.dtype
    tolerance = {np.float64: 1e-9, np.float32: 1e-5}.get(x.dtype.type, 0)
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)
    call = prepare_transpose(x, w, b, **kwargs)
    gathered_input, gathered_weight = gather_equivalent(call)
    via_conv2d = convscope.conv2d(gathered_input, gathered_weight, call.bias,
                                  dilation=kwargs["dilation"], groups=kwargs["groups"])
    np.testing.assert_allclose(via_conv2d, expected, rtol=tolerance * 10, atol=tolerance * 10)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transpose_setups())
def test_conv_transpose2d_matches_plain_loop_reference(setup):
    check_against_reference(setup)


@pytest.mark.slow
@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transpose_setups())
def test_conv_transpose2d_matches_plain_loop_reference_long_run(setup):
    check_against_reference(setup)


# --- the views, the layer and the messages --------------------------------------------------

def test_stamp_window_is_stride_times_cell_minus_padding_plus_dilated_taps():
    spec = transpose_spec((3, 2), stride=(2, 3), padding=(1, 0), dilation=(2, 1))
    rows, cols = stamp_window(spec, 2, 1)
    np.testing.assert_array_equal(rows, [3, 5, 7])  # 2*2 - 1 + 2*i
    np.testing.assert_array_equal(cols, [3, 4])     # 1*3 - 0 + j


def test_gather_sides_crop_when_padding_exceeds_the_kernel_span():
    assert tuple(gather_sides(transpose_spec(3, padding=1, output_padding=(1, 0), stride=2))) \
        == (1, 2, 1, 1)
    assert tuple(gather_sides(transpose_spec(3, padding=3))) == (-1, -1, -1, -1)


def test_gather_equivalent_keeps_an_unbatched_call_unbatched():
    x, w = np.ones((2, 3, 3)), np.ones((2, 1, 2, 2))
    gathered_input, gathered_weight = gather_equivalent(prepare_transpose(x, w, stride=2))
    assert gathered_input.shape == (2, 7, 7) and gathered_weight.shape == (1, 2, 2, 2)


def test_int32_is_refused_like_torchs_cpu_kernel():
    x = np.arange(8, dtype=np.int32).reshape(2, 2, 2)
    w = np.ones((2, 1, 2, 2), np.int32)
    with pytest.raises(TypeError, match="int32"):
        convscope.conv_transpose2d(x, w, np.array([1], np.int32), stride=2)


def test_a_bias_of_another_float_dtype_is_cast_like_torch():
    x, w = np.ones((1, 1, 2, 2), np.float32), np.ones((1, 1, 1, 1), np.float32)
    out = convscope.conv_transpose2d(x, w, np.array([0.1]))  # float64 bias
    assert out.dtype == np.float32 and out[0, 0, 0, 0] == np.float32(1.1)
    with pytest.raises(TypeError, match="can't be cast"):
        convscope.conv_transpose2d(x.astype(np.int64), w.astype(np.int64), np.array([0.5]))


def test_layer_init_uses_fan_in_from_dim_1_like_torch():
    layer = convscope.ConvTranspose2d(16, 8, (3, 5), groups=4, rng=1, dtype=np.float64)
    assert layer.weight_shape == (16, 2, 3, 5)
    assert layer.fan_in == 8 // 4 * 3 * 5
    bound = 1 / math.sqrt(layer.fan_in)
    assert np.abs(layer.weight).max() <= bound and np.abs(layer.weight).max() > 0.9 * bound
    assert np.abs(layer.bias).max() <= bound


def test_layer_output_size_and_counts():
    layer = convscope.ConvTranspose2d(3, 4, 3, stride=2, padding=1, rng=0)
    assert layer.output_shape((2, 3, 5, 5)) == (2, 4, 9, 9)
    assert layer.output_shape((3, 5, 5), output_size=(10, 9)) == (4, 10, 9)
    assert layer.output_padding_for((2, 3, 5, 5), [2, 4, 10, 10]) == (1, 1)
    assert layer.parameter_count == 3 * 4 * 9 + 4
    assert layer.mac_count((2, 3, 5, 5)) == 2 * 3 * 5 * 5 * 4 * 9
    assert layer(np.zeros((3, 5, 5), np.float32), output_size=[10, 10]).shape == (4, 10, 10)


def test_layer_weight_and_bias_are_checked_on_assignment():
    layer = convscope.ConvTranspose2d(2, 6, 3, groups=2)
    with pytest.raises(ValueError, match=r"\(2, 3, 3, 3\) \(in_channels, out_channels / groups"):
        layer.weight = np.zeros((6, 1, 3, 3))
    with pytest.raises(ValueError, match=r"bias must have shape \(6,\)"):
        layer.bias = np.zeros(2)
    layer.bias = None
    assert repr(layer) == "ConvTranspose2d(2, 6, kernel_size=(3, 3), stride=(1, 1), groups=2, " \
                          "bias=False)"


@pytest.mark.parametrize("call, argument", [
    (lambda: convscope.ConvTranspose2d(1, 1, 3, padding_mode="reflect"), "padding_mode"),
    (lambda: convscope.ConvTranspose2d(1, 1, 3, padding="same"), "padding"),
    (lambda: convscope.ConvTranspose2d(1, 1, 3, output_padding=1), "output_padding"),
    (lambda: convscope.ConvTranspose2d(1, 1, 3, stride=2)(np.zeros((1, 4, 4), np.float32),
                                                         output_size=(12, 9)), "output_size"),
    (lambda: convscope.conv_transpose2d(np.zeros((1, 1, 1)), np.zeros((1, 1, 3, 3)), padding=2),
     "padding"),
    (lambda: convscope.conv_transpose2d(np.zeros((2, 4, 4)), np.zeros((3, 1, 3, 3))), "input"),
    (lambda: convscope.conv_transpose2d(np.zeros((2, 4, 4)), np.zeros((2, 1, 3, 3)), groups=0),
     "groups"),
])
def test_errors_name_the_argument_at_fault(call, argument):
    with pytest.raises((convscope.ArgumentError, convscope.ArgumentTypeError)) as raised:
        call()
    assert raised.value.argument == argument
