"""The backward pass against torch autograd's recorded gradients and a plain-loop
reference written here: every gradient is the forward pass's products, differentiated
one by one."""

import collections
import itertools

import numpy as np
import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_check, load_set
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import convscope
from convscope import grad
from convscope.ops.padding import source_indices

FOLDER, CHECK_PATH = fixture_sets(ROOT / "tests")["backward"]
CASES, ERRORS, _ = load_set(FOLDER)
check = load_check("backward", CHECK_PATH)


@pytest.fixture(scope="module")
def arrays():
    return load_set(FOLDER)[2]


# --- torch fixtures ------------------------------------------------------------------------

def test_fixture_set_covers_the_issue():
    """>= 200 configurations across kinds, every padding mode, groups, dilation, stride
    leftovers, pool options, both dtypes and every upstream gradient."""
    assert len(CASES) >= 200
    kinds = collections.Counter(c["kind"] for c in CASES)
    assert set(kinds) == {"conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d",
                          "nn_grad_input", "nn_grad_weight"}
    conv = [c for c in CASES if c["kind"] == "conv2d"]
    assert {c["args"].get("padding_mode", "zeros") for c in conv} == set(
        convscope.PADDING_MODES)
    assert any(c["args"].get("groups", 1) > 1 for c in conv)
    assert any(c["args"].get("dilation", 1) not in (1, [1, 1]) for c in conv)
    assert {c["dtype"] for c in CASES} == {"float32", "float64"}
    assert {c["upstream"] for c in CASES} >= set(grad.UPSTREAMS)

    def leftover(c):  # rows or columns the forward pass never reads
        args = check.python_args(c)
        if not isinstance(args.get("padding", 0), (int, tuple)):
            return False
        pairs = [convscope.ops.arguments.pair(name, args.get(name, default)) for name, default in
                 (("kernel_size", 1), ("stride", 1), ("padding", 0), ("dilation", 1))]
        return any((size + 2 * p - d * (k - 1) - 1) % s for size, k, s, p, d in
                   zip(c["in_shape"][-2:], *pairs))
    assert sum(map(leftover, conv)) >= 20
    pools = [c["args"] for c in CASES if c["kind"].endswith("pool2d")]
    assert any(a.get("ceil_mode") for a in pools)
    assert any(a.get("count_include_pad") is False for a in pools)
    assert any(a.get("divisor_override") for a in pools)
    assert any(c["data"] == "ties" for c in CASES if c["kind"] == "max_pool2d")


@pytest.mark.parametrize("config", CASES, ids=[c["name"] for c in CASES])
def test_matches_torch_autograd(config, arrays):
    for run in check.checks_for(config):
        run(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_refuses_what_torch_refuses(error):
    check.check_error(error)


def test_grad_output_shape_error_names_both_shapes():
    layer = convscope.Conv2d(1, 2, 3, rng=0)
    with pytest.raises(ValueError, match=r"\[1, 2, 3, 4\].*\[1, 2, 3, 3\]"):
        layer.backward(np.zeros((1, 1, 5, 5), np.float32), np.zeros((1, 2, 3, 4)))


def test_float32_in_float32_grads_even_with_float64_upstream():
    layer = convscope.Conv2d(2, 2, 3, padding=1, padding_mode="circular", rng=1)
    result = layer.backward(np.ones((1, 2, 4, 4), np.float32), np.ones((1, 2, 4, 4)))
    assert {a.dtype for a in result} == {np.dtype(np.float32)}


# --- a plain-loop reference ----------------------------------------------------------------

def reference_conv2d_backward(x, weight, bias, grad_output, stride, padding, dilation, groups,
                              mode):
    """Every product ``padded[n, c, r, q] * weight[o, c', i, j]`` of the forward pass,
    one at a time: its gradient goes to the weight (times the padded value) and to the
    padded cell (times the weight), and a padded cell passes its gradient to the input
    cell it copies."""
    n_, channels, height, width = x.shape
    out_channels, group_channels, kh, kw = weight.shape
    (sh, sw), (ph, pw), (dh, dw) = stride, padding, dilation
    rows, cols = source_indices(height, ph, ph, mode), source_indices(width, pw, pw, mode)
    grad_x, grad_w = np.zeros(x.shape), np.zeros(weight.shape)
    per_group = out_channels // groups
    for n, o, y, xx in itertools.product(*map(range, grad_output.shape)):
        g = grad_output[n, o, y, xx]
        for cg, i, j in itertools.product(range(group_channels), range(kh), range(kw)):
            c = (o // per_group) * group_channels + cg
            r, q = rows[y * sh + i * dh], cols[xx * sw + j * dw]
            if r < 0 or q < 0:  # a zero of zero padding: no input, no gradient
                continue
            grad_w[o, cg, i, j] += g * x[n, c, r, q]
            grad_x[n, c, r, q] += g * weight[o, cg, i, j]
    grad_b = grad_output.sum(axis=(0, 2, 3)) if bias is not None else None
    return grad_x, grad_w, grad_b


@st.composite
def conv_setups(draw):
    groups = draw(st.sampled_from((1, 1, 2)))
    channels, out = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    mode = draw(st.sampled_from(convscope.PADDING_MODES))
    size = (draw(st.integers(2, 6)), draw(st.integers(2, 6)))
    limit = 1 if mode == "reflect" else 0  # reflect needs padding < size, circular <=
    p = tuple(draw(st.integers(0, min(2, n - limit))) for n in size)
    return dict(groups=groups, channels=channels, out=out, k=k, s=s, d=d, mode=mode,
                size=size, p=p, batch=draw(st.integers(1, 2)),
                seed=draw(st.integers(0, 2**16)), dtype=draw(st.sampled_from(("f4", "f8"))))


def assert_conv_backward_matches_reference(setup):
    for n, pad, dil, ker in zip(setup["size"], setup["p"], setup["d"], setup["k"]):
        if n + 2 * pad < dil * (ker - 1) + 1:
            return  # the kernel does not fit: nothing to differentiate
    rng = np.random.default_rng(setup["seed"])
    dtype = np.dtype(setup["dtype"])
    layer = convscope.Conv2d(setup["channels"], setup["out"], setup["k"], setup["s"],
                             setup["p"], setup["d"], setup["groups"],
                             padding_mode=setup["mode"], dtype=dtype, rng=rng)
    x = rng.standard_normal((setup["batch"], setup["channels"]) + setup["size"]).astype(dtype)
    grad_output = rng.standard_normal(layer.output_shape(x.shape)).astype(dtype)
    result = layer.backward(x, grad_output)
    expected = reference_conv2d_backward(
        x.astype(float), layer.weight.astype(float), layer.bias, grad_output.astype(float),
        layer.stride, layer.padding, layer.dilation, layer.groups, setup["mode"])
    tolerance = 1e-9 if dtype == np.float64 else 1e-5
    for actual, wanted in zip(result, expected):
        assert actual.dtype == dtype
        np.testing.assert_allclose(actual, wanted, rtol=tolerance, atol=tolerance)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_setups())
def test_conv_backward_matches_plain_loops(setup):
    assert_conv_backward_matches_reference(setup)


@pytest.mark.slow
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_setups())
def test_conv_backward_matches_plain_loops_long(setup):
    assert_conv_backward_matches_reference(setup)


def finite_difference(function, x, step=1e-6):
    """d sum(function(x) * w) / dx, central differences, for a fixed random w."""
    weights = np.random.default_rng(0).standard_normal(function(x).shape)
    grad_x = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        bumped = x.copy()
        bumped[index] += step
        up = (function(bumped) * weights).sum()
        bumped[index] -= 2 * step
        grad_x[index] = (up - (function(bumped) * weights).sum()) / (2 * step)
    return weights, grad_x


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(("max", "avg")), st.integers(1, 3), st.integers(1, 3),
       st.integers(0, 1), st.booleans(), st.integers(0, 2**16))
def test_pool_backward_matches_finite_differences(kind, k, s, p, ceil, seed):
    """Distinct inputs (no ties), so max pooling is differentiable where we probe."""
    p = min(p, k // 2)
    x = np.random.default_rng(seed).permutation(36).reshape(1, 1, 6, 6) / 7.0
    layer = (convscope.MaxPool2d(k, s, p, ceil_mode=ceil) if kind == "max"
             else convscope.AvgPool2d(k, s, p, ceil_mode=ceil, count_include_pad=bool(seed % 2)))
    weights, expected = finite_difference(layer, x)
    result = layer.backward(x, weights)
    assert result.grad_weight is None and result.grad_bias is None
    np.testing.assert_allclose(result.grad_input, expected, atol=1e-6)


def test_transpose_backward_matches_finite_differences():
    rng = np.random.default_rng(3)
    layer = convscope.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1,
                                      dilation=2, dtype=np.float64, rng=rng)
    x = rng.standard_normal((1, 2, 3, 3))
    weights, expected_x = finite_difference(layer, x)
    result = layer.backward(x, weights)
    np.testing.assert_allclose(result.grad_input, expected_x, atol=1e-6)

    def by_weight(w):
        layer.weight = w
        return layer(x)
    original = layer.weight.copy()
    _, expected_w = finite_difference(by_weight, original)
    np.testing.assert_allclose(result.grad_weight, expected_w, atol=1e-6)
