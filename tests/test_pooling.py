"""Max and average pooling against torch's recorded fixtures, a plain-loop reference,
and the pieces the visualizer's step reads."""

import importlib.util
import json
import time

import numpy as np
import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_check, load_set
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference_pool import as_pair, output_length, reference_avg_pool2d, reference_max_pool2d

import convscope
from convscope.ops import pool as pooling

FOLDER, CHECK_PATH = fixture_sets(ROOT / "tests")["pool2d"]
CASES, ERRORS, _ = load_set(FOLDER)
check = load_check("pool2d", CHECK_PATH)
LAYER_CASES = [c for c in CASES if c["api"] == "layer"]


@pytest.fixture(scope="module")
def arrays():
    return load_set(FOLDER)[2]


# --- torch fixtures ------------------------------------------------------------------------

def _geometry(config):
    """Per axis (size, kernel, stride, pad, dilation) of a case, as Python ints."""
    args = check.python_args(config)
    k = as_pair(args["kernel_size"])
    stride = args.get("stride")
    s = k if stride is None or stride in ((), []) else as_pair(stride)
    p, d = as_pair(args.get("padding", 0)), as_pair(args.get("dilation", 1))
    return list(zip(config["in_shape"][-2:], k, s, p, d))


def _drops_last_window(config):
    """ceil_mode's rule removed a window that would start past the input."""
    if not config["args"].get("ceil_mode"):
        return False
    for size, k, s, p, d in _geometry(config):
        rounded_up = -(-(size + 2 * p - d * (k - 1) - 1) // s) + 1
        if rounded_up != output_length(size, k, s, p, d, True):
            return True
    return False


def _last_window_at_border(config):
    """ceil_mode's last window starts exactly on the last input cell."""
    return bool(config["args"].get("ceil_mode")) and any(
        (config["output_shape"][-2 + axis] - 1) * s - p == size - 1
        for axis, (size, k, s, p, d) in enumerate(_geometry(config)))


def test_fixture_set_covers_the_issue():
    assert len(CASES) >= 150 and len(ERRORS) >= 50
    kinds = {kind: [c for c in CASES if c["kind"] == kind] for kind in ("max", "avg")}
    for kind, cases in kinds.items():
        args = [c["args"] for c in cases]
        assert len(cases) >= 60, kind
        assert any(a.get("ceil_mode") for a in args) and any(not a.get("ceil_mode") for a in args)
        assert any(_drops_last_window(c) for c in cases), kind
        assert any(_last_window_at_border(c) for c in cases), kind
        assert any(max(p for _, k, _, p, _ in _geometry(c)) > 0 and
                   all(p == k // 2 for _, k, _, p, _ in _geometry(c)) for c in cases), kind
        assert any("stride" not in a for a in args) and any(a.get("stride") == [] for a in args)
        assert any("stride" in a and a["stride"] is None for a in args)
        assert any(c["lists"] for c in cases) and any(c["api"] == "layer" for c in cases)
        assert any(len(c["in_shape"]) == 3 for c in cases)
        assert any(c["in_shape"][0] == 0 for c in cases)
        assert {"float32", "float64", "float16", "int64"} <= {c["dtype"] for c in cases}
        assert {"ties", "nan", "negative", "neginf"} <= {c["data"] for c in cases}
        assert sum(c["name"].startswith("random_") for c in cases) >= 50
    max_args = [c["args"] for c in kinds["max"]]
    assert any(a.get("dilation", 1) not in (1, [1, 1]) for a in max_args)
    assert any(a.get("return_indices") for a in max_args)
    assert any(c["args"].get("return_indices") and c["api"] == "layer" for c in kinds["max"])
    assert {"int32", "int16", "int8", "uint8"} <= {c["dtype"] for c in kinds["max"]}
    avg_args = [c["args"] for c in kinds["avg"]]
    assert any(a.get("count_include_pad") is False for a in avg_args)
    divisors = {a.get("divisor_override") for a in avg_args}
    assert any(d and d > 1 for d in divisors) and any(d and d < 0 for d in divisors)
    assert {e["torch_error"] for e in ERRORS} >= {"RuntimeError", "TypeError"}


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_functional_matches_torch(config, arrays):
    check.check_functional(config, arrays)


@pytest.mark.parametrize("config", LAYER_CASES, ids=[c["name"] for c in LAYER_CASES])
def test_layer_matches_torch_output_repr_and_shape(config, arrays):
    check.check_layer(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_step_pieces_give_torch_output(config, arrays):
    check.check_steps(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_raises_where_torch_raises(error):
    check.check_error(error)



# --- regeneration --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def regenerated():
    pytest.importorskip("torch", reason="the `ref` extra (torch==2.13.0) is not installed")
    spec = importlib.util.spec_from_file_location("pool2d_make", FOLDER / "make.py")
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    return make.build()


def test_regenerated_cases_match_committed(regenerated):
    cases, _, _ = regenerated
    assert json.loads(json.dumps(cases)) == CASES


def test_regenerated_arrays_match_committed(regenerated, arrays):
    _, fresh, _ = regenerated
    assert sorted(fresh) == sorted(arrays)
    by_name = {c["name"]: c for c in CASES}
    for key, value in fresh.items():
        name, part = key.rsplit("/", 1)
        tolerance = check.tolerance_of(by_name[name]) if part == "output" else 0
        assert value.dtype == arrays[key].dtype, key
        np.testing.assert_allclose(value, arrays[key], rtol=tolerance, atol=tolerance,
                                   err_msg=key)


def test_regenerated_errors_match_committed(regenerated):
    _, _, errors = regenerated
    assert errors == ERRORS


# --- the plain-loop reference --------------------------------------------------------------

@st.composite
def pool_setups(draw):
    kind = draw(st.sampled_from(["max", "avg"]))
    k = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    args = dict(kernel_size=k, padding=(draw(st.integers(0, k[0] // 2)),
                                        draw(st.integers(0, k[1] // 2))),
                stride=draw(st.sampled_from([None, 1, 2, 3, (1, 2), (3, 1)])),
                ceil_mode=draw(st.booleans()))
    if kind == "max":
        args["dilation"] = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
        dtypes = ["float64", "float32", "int64", "int32", "uint8", "float16"]
    else:
        args["count_include_pad"] = draw(st.booleans())
        args["divisor_override"] = draw(st.sampled_from([None, None, 1, 3, -2]))
        dtypes = ["float64", "float32", "int64"]
    batch = draw(st.sampled_from([None, 1, 2]))  # None: unbatched
    size = (draw(st.integers(1, 3)), draw(st.integers(1, 8)), draw(st.integers(1, 8)))
    shape = size if batch is None else (batch,) + size
    dtype = np.dtype(draw(st.sampled_from(dtypes)))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    values = (rng.integers(-3, 4, shape).astype(np.float64) if draw(st.booleans())
              else rng.standard_normal(shape))
    if dtype.kind == "f" and draw(st.booleans()):
        values[rng.random(shape) < 0.15] = draw(st.sampled_from([np.nan, -np.inf, np.inf]))
    if dtype.kind == "u":
        values = np.abs(values)
    return kind, values.astype(dtype), args


def check_against_reference(setup):
    kind, x, args = setup
    stride = args["stride"] or args["kernel_size"]
    stride = (stride, stride) if isinstance(stride, int) else stride
    dilation = args.get("dilation", (1, 1))
    valid = all(output_length(size, k, s, p, d, args["ceil_mode"]) >= 1 for size, k, s, p, d in
                zip(x.shape[-2:], args["kernel_size"], stride, args["padding"], dilation))
    function = convscope.max_pool2d if kind == "max" else convscope.avg_pool2d
    if not valid:
        with pytest.raises(ValueError, match="Output size is too small"):
            function(x, **args)
        return
    if kind == "max":
        output, indices = convscope.max_pool2d(x, **args, return_indices=True)
        expected, expected_indices = reference_max_pool2d(x, **args)
        assert output.dtype == x.dtype and indices.dtype == np.int64
        np.testing.assert_array_equal(output, expected)
        np.testing.assert_array_equal(indices, expected_indices)
        return
    output = convscope.avg_pool2d(x, **args)
    expected = reference_avg_pool2d(x, **args)
    assert output.dtype == x.dtype
    tolerance = {"float64": 1e-9, "float32": 1e-5, "int64": 0}[x.dtype.name]
    np.testing.assert_allclose(output, expected, rtol=tolerance, atol=tolerance)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_setups())
def test_pooling_matches_plain_loop_reference(setup):
    check_against_reference(setup)


@pytest.mark.slow
@settings(max_examples=4000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pool_setups())
def test_pooling_matches_plain_loop_reference_long_run(setup):
    check_against_reference(setup)


# --- the visualizer's pieces ---------------------------------------------------------------

def ones_call(shape=(1, 1, 4, 4), mode="avg", **args):
    spec = (pooling.max_pool_spec if mode == "max" else pooling.avg_pool_spec)(**args)
    return pooling.prepare_pool(np.ones(shape), mode, spec)


def test_spec_normalises_forms_like_torch():
    spec = pooling.max_pool_spec([3], stride=[], padding=(1, 0), dilation=[2])
    assert spec == pooling.PoolSpec((3, 3), (3, 3), (1, 0), (2, 2), False, True, None)
    assert pooling.avg_pool_spec(2, divisor_override=np.int64(-3)).divisor_override == -3
    assert pooling.avg_pool_spec((2, 3), stride=None).stride == (2, 3)


def test_errors_name_the_argument_and_say_what_is_right():
    with pytest.raises(convscope.ArgumentError, match="use padding <= 1") as raised:
        convscope.max_pool2d(np.ones((1, 1, 5, 5)), 3, padding=2)
    assert raised.value.argument == "padding"
    with pytest.raises(convscope.ArgumentError, match="undilated kernel"):
        convscope.max_pool2d(np.ones((1, 1, 9, 9)), 3, padding=2, dilation=2)
    with pytest.raises(convscope.ArgumentTypeError, match="int64") as raised:
        convscope.avg_pool2d(np.ones((1, 1, 5, 5), np.int32), 2)
    assert raised.value.argument == "input"
    with pytest.raises(convscope.ArgumentError, match=r"Calculated output size: \(1x0x0\)"):
        convscope.avg_pool2d(np.ones((1, 5, 5)), 6)


def test_ceil_mode_windows_read_padding_beyond_the_input():
    call = ones_call(kernel_size=3, stride=2, padding=1, ceil_mode=True)
    assert call.output_shape == (1, 1, 3, 3)
    sides = pooling.pool_sides(call)
    assert sides == (1, 2, 1, 2)  # the last window reaches one row/column past the padding
    padded = pooling.pad_for_pool(call)
    assert padded.shape == (1, 1, 7, 7) and padded[0, 0, 1:5, 1:5].all()
    assert padded.sum() == 16  # avg pads with zeros
    # torch: count_include_pad counts the padding, not the overhang
    np.testing.assert_array_equal(pooling.avg_divisors(call), [[9, 9, 6], [9, 9, 6], [6, 6, 4]])
    excluded = ones_call(kernel_size=3, stride=2, padding=1, ceil_mode=True,
                         count_include_pad=False)
    np.testing.assert_array_equal(pooling.avg_divisors(excluded),
                                  [[4, 6, 2], [6, 9, 3], [2, 3, 1]])


def test_max_pads_with_the_lowest_value():
    call = ones_call(mode="max", kernel_size=3, padding=1)
    assert pooling.pad_for_pool(call)[0, 0, 0, 0] == -np.inf
    spec = pooling.max_pool_spec(3, padding=1)
    call = pooling.prepare_pool(np.ones((1, 4, 4), np.int8), "max", spec)
    assert pooling.pad_for_pool(call)[0, 0, 0, 0] == -128


def test_windows_are_a_read_only_view_of_every_tap():
    x = np.arange(2 * 3 * 6 * 7, dtype=np.float64).reshape(2, 3, 6, 7)
    spec = pooling.max_pool_spec((2, 3), stride=(2, 1), padding=(1, 1), dilation=(2, 1))
    call = pooling.prepare_pool(x, "max", spec)
    padded = pooling.pad_for_pool(call)
    windows = pooling.pool_windows(padded, call)
    assert windows.shape == (2, 3, 2, 3) + call.output_shape[2:]
    assert not windows.flags.writeable and np.shares_memory(windows, padded)
    for n, c, i, j, y, x_ in [(1, 2, 1, 2, 2, 4), (0, 0, 0, 0, 0, 0), (1, 1, 1, 0, 2, 6)]:
        assert windows[n, c, i, j, y, x_] == padded[n, c, y * 2 + i * 2, x_ + j]


def test_max_winner_is_the_first_maximum_and_the_last_nan():
    x = np.array([[[[1.0, 3.0, 3.0], [3.0, 2.0, 3.0]]]])
    call = pooling.prepare_pool(x, "max", pooling.max_pool_spec(2, stride=1))
    winners = pooling.max_winners(pooling.pad_for_pool(call), call)
    # both windows hold three 3s: the first in row-by-row order wins, here both at (0, 1)
    np.testing.assert_array_equal(winners.index, [[[[1, 1]]]])
    np.testing.assert_array_equal(winners.i, [[[[0, 0]]]])
    np.testing.assert_array_equal(winners.j, [[[[1, 0]]]])
    np.testing.assert_array_equal(winners.value, [[[[3.0, 3.0]]]])
    with_nan = np.array([[[[1.0, 3.0, 3.0], [3.0, np.nan, 2.0], [np.nan, 0.0, 3.0]]]])
    output, indices = convscope.max_pool2d(with_nan, 3, return_indices=True)
    assert np.isnan(output).all() and indices.item() == 6  # the last NaN


def test_max_winner_of_a_window_that_reads_no_input():
    call = pooling.prepare_pool(np.arange(4.0).reshape(1, 1, 2, 2), "max",
                                pooling.max_pool_spec(2, stride=1, padding=1, dilation=3))
    winners = pooling.max_winners(pooling.pad_for_pool(call), call)
    # torch: -inf and its first candidate (row 2, col 2) of a 2 x 2 plane
    assert winners.value.item() == -np.inf and winners.index.item() == 6
    assert (winners.i.item(), winners.j.item()) == (1, 1)


def test_avg_terms_divide_to_the_output():
    x = np.arange(25, dtype=np.int64).reshape(1, 1, 5, 5) - 12
    spec = pooling.avg_pool_spec(2, padding=1, ceil_mode=True, divisor_override=-3)
    call = pooling.prepare_pool(x, "avg", spec)
    terms = pooling.avg_terms(pooling.pad_for_pool(call), call)
    assert terms.total.dtype == np.int64 and (terms.divisor == -3).all()
    # C division truncates toward zero: -12 / -3 = 4, -11 / -3 = 3
    assert terms.total[0, 0, 0, 0] == -12
    assert pooling.avg_output(terms, x.dtype)[0, 0, 0, 0] == 4
    assert pooling.avg_output(pooling.AvgTerms(np.array([-11]), np.array([-3])),
                              np.int64)[0] == 3


def test_float16_sums_in_float32_like_torch():
    call = pooling.prepare_pool(np.full((1, 1, 4, 4), 1000, np.float16), "avg",
                                pooling.avg_pool_spec(4))
    terms = pooling.avg_terms(pooling.pad_for_pool(call), call)
    assert terms.total.dtype == np.float32 and terms.total.item() == 16000
    assert convscope.avg_pool2d(call.batch, 4).dtype == np.float16


# --- the layers ----------------------------------------------------------------------------

def test_layers_keep_the_forms_given():
    layer = convscope.MaxPool2d(2)
    assert (layer.kernel_size, layer.stride, layer.padding, layer.dilation) == (2, 2, 0, 1)
    assert convscope.MaxPool2d([2, 3], stride=()).stride == ()
    assert repr(convscope.MaxPool2d([2, 3], stride=(1, 2), return_indices=True, ceil_mode=True)
                ) == ("MaxPool2d(kernel_size=[2, 3], stride=(1, 2), padding=0, dilation=1, "
                      "ceil_mode=True)")
    assert repr(convscope.AvgPool2d(3, 1, 1, True, False, 2)) == \
        "AvgPool2d(kernel_size=3, stride=1, padding=1)"
    assert convscope.AvgPool2d(2).parameter_count == 0


def test_layers_check_their_arguments_at_construction():
    # torch waits for the first call; convscope fails where the layer is written
    with pytest.raises(ValueError, match="kernel size should be greater than zero"):
        convscope.MaxPool2d(0)
    with pytest.raises(TypeError, match="divisor_override"):
        convscope.AvgPool2d(2, divisor_override=2.5)


def test_layer_output_shape_and_return_indices():
    layer = convscope.MaxPool2d(3, stride=2, padding=1, return_indices=True)
    assert layer.output_shape((2, 3, 16, 16)) == (2, 3, 8, 8)
    assert layer.output_shape((3, 15, 15)) == (3, 8, 8)
    output, indices = layer(np.ones((3, 15, 15), np.float32))
    assert output.shape == (3, 8, 8) and indices.dtype == np.int64
    assert layer.forward is not None and convscope.AvgPool2d(2)(np.ones((1, 4, 4))).shape == \
        (1, 2, 2)


def test_pooling_is_vectorised():
    x = np.random.default_rng(0).standard_normal((4, 16, 128, 128)).astype(np.float32)
    started = time.perf_counter()
    convscope.max_pool2d(x, 3, stride=1, padding=1, return_indices=True)
    convscope.avg_pool2d(x, 3, stride=1, padding=1, ceil_mode=True)
    assert time.perf_counter() - started < 5  # a Python loop per output would take minutes
