"""Property test: random valid configurations against the plain-loop reference."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import padding_sides, reference_conv2d

import convscope

MODES = ["zeros", "reflect", "replicate", "circular"]


@st.composite
def conv_setups(draw):
    groups = draw(st.sampled_from([1, 1, 2, 3]))
    channels = groups * draw(st.integers(1, 2))
    out_channels = groups * draw(st.integers(1, 2))
    kernel = (draw(st.integers(1, 4)), draw(st.integers(1, 4)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    mode = draw(st.sampled_from(MODES))
    height, width = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    if draw(st.booleans()):
        padding, stride = draw(st.sampled_from(["same", "valid"])), (1, 1)
    else:
        padding = (draw(st.integers(0, 3)), draw(st.integers(0, 3)))
        stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    if padding == "valid":
        stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    batch = draw(st.sampled_from([None, 1, 2]))  # None: unbatched
    shape = (channels, height, width) if batch is None else (batch, channels, height, width)
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape).astype(dtype)
    w = rng.standard_normal((out_channels, channels // groups) + kernel).astype(dtype)
    b = rng.standard_normal(out_channels).astype(dtype) if draw(st.booleans()) else None
    kwargs = dict(stride=stride, padding=padding, dilation=dilation, groups=groups,
                  padding_mode=mode)
    return x, w, b, kwargs


def is_valid(x, w, kwargs):
    """Validity from the definition: the mode can pad and the kernel fits."""
    top, bottom, left, right = padding_sides(kwargs["padding"], w.shape[2:],
                                             kwargs["dilation"])
    for size, before, after, k, d in ((x.shape[-2], top, bottom, w.shape[2],
                                       kwargs["dilation"][0]),
                                      (x.shape[-1], left, right, w.shape[3],
                                       kwargs["dilation"][1])):
        mode = kwargs["padding_mode"]
        if mode == "reflect" and max(before, after) >= size:
            return False
        if mode == "circular" and max(before, after) > size:
            return False
        if size + before + after < d * (k - 1) + 1:
            return False
    return True


def check_against_reference(setup):
    x, w, b, kwargs = setup
    if not is_valid(x, w, kwargs):
        with pytest.raises(ValueError):
            convscope.conv2d(x, w, b, **kwargs)
        return
    actual = convscope.conv2d(x, w, b, **kwargs)
    expected = reference_conv2d(x, w, b, **kwargs)
    assert actual.dtype == x.dtype
    tolerance = 1e-9 if x.dtype == np.float64 else 1e-5
    np.testing.assert_allclose(actual, expected, rtol=tolerance, atol=tolerance)
    step = convscope.trace(x, w, b, **kwargs)[-1]
    np.testing.assert_allclose(step.value, expected.reshape(-1)[-1],
                               rtol=tolerance, atol=tolerance)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_setups())
def test_conv2d_matches_plain_loop_reference(setup):
    check_against_reference(setup)


@pytest.mark.slow
@settings(max_examples=2500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(conv_setups())
def test_conv2d_matches_plain_loop_reference_long_run(setup):
    check_against_reference(setup)
