"""Engine behaviour beyond the fixtures: forms, dtypes, init, shapes, messages."""

import math

import numpy as np
import pytest
from reference import reference_conv2d

import convscope


def test_same_padding_puts_extra_row_bottom_and_column_right():
    # an even kernel: total padding 1, which torch puts after (bottom/right)
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    w = np.zeros((1, 1, 2, 2))
    w[0, 0, 0, 0] = 1.0  # picks the top-left tap: output equals the unshifted input
    out = convscope.conv2d(x, w, padding="same")
    np.testing.assert_array_equal(out, x)


def test_unbatched_input_gives_unbatched_output():
    rng = np.random.default_rng(0)
    x, w = rng.standard_normal((2, 5, 5)), rng.standard_normal((3, 2, 3, 3))
    out = convscope.conv2d(x, w, padding=1)
    assert out.shape == (3, 5, 5)
    np.testing.assert_allclose(out, convscope.conv2d(x[None], w, padding=1)[0])


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int32, np.int64])
def test_output_keeps_the_input_dtype(dtype):
    x = np.arange(25).reshape(1, 1, 5, 5).astype(dtype)
    w = np.ones((2, 1, 3, 3), dtype)
    out = convscope.conv2d(x, w, np.ones(2, dtype), padding=1)
    assert out.dtype == dtype
    np.testing.assert_allclose(out, reference_conv2d(x, w, np.ones(2), padding=1))


def test_accepts_lists_for_tuples_and_nested_lists_for_arrays():
    out = convscope.conv2d([[[1.0, 2.0], [3.0, 4.0]]], [[[[1.0]]]], stride=[1, 1],
                           padding=[0, 0])
    np.testing.assert_array_equal(out, [[[1.0, 2.0], [3.0, 4.0]]])


def test_float16_input_is_refused_with_supported_dtypes_named():
    with pytest.raises(TypeError, match="float32, float64"):
        convscope.conv2d(np.zeros((1, 4, 4), np.float16), np.zeros((1, 1, 3, 3), np.float16))


def test_mixed_dtypes_are_refused_like_torch():
    with pytest.raises(TypeError, match=r"Input type \(float64\) and weight type \(float32\)"):
        convscope.conv2d(np.zeros((1, 4, 4)), np.zeros((1, 1, 3, 3), np.float32))
    layer = convscope.Conv2d(1, 1, 3)
    with pytest.raises(TypeError, match="astype"):
        layer(np.zeros((1, 1, 4, 4)))


def test_layer_defaults_to_float32_like_torch():
    layer = convscope.Conv2d(2, 3, 3, rng=0)
    assert layer.weight.dtype == np.float32 and layer.bias.dtype == np.float32
    assert layer(np.zeros((1, 2, 4, 4), np.float32)).dtype == np.float32


def test_init_is_uniform_within_one_over_sqrt_fan_in():
    layer = convscope.Conv2d(16, 64, (3, 5), groups=4, rng=1, dtype=np.float64)
    fan_in = 16 // 4 * 3 * 5
    bound = 1 / math.sqrt(fan_in)
    values = np.sort(layer.weight.ravel())
    assert values.min() >= -bound and values.max() <= bound
    # Kolmogorov-Smirnov distance to U(-bound, bound); 1.63/sqrt(n) is the 1% critical value
    expected_cdf = (values + bound) / (2 * bound)
    empirical = np.arange(1, values.size + 1) / values.size
    assert np.abs(empirical - expected_cdf).max() < 1.63 / math.sqrt(values.size)
    assert np.abs(layer.bias).max() <= bound
    assert np.abs(layer.bias).max() > bound / 2  # not collapsed to zero


def test_init_is_reproducible_from_a_seed_or_generator():
    a = convscope.Conv2d(3, 4, 3, rng=7)
    b = convscope.Conv2d(3, 4, 3, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a.weight, b.weight)
    np.testing.assert_array_equal(a.bias, b.bias)
    c = convscope.Conv2d(3, 4, 3, rng=8)
    assert not np.array_equal(a.weight, c.weight)


def test_weight_and_bias_are_assignable_and_checked():
    layer = convscope.Conv2d(2, 4, 3, groups=2)
    layer.weight = np.ones((4, 1, 3, 3))
    assert layer.weight.dtype == np.float32
    with pytest.raises(ValueError, match=r"shape \(4, 1, 3, 3\)"):
        layer.weight = np.ones((4, 2, 3, 3))
    with pytest.raises(ValueError, match=r"shape \(4,\)"):
        layer.bias = np.ones(3)
    layer.bias = None
    assert repr(layer).endswith("groups=2, bias=False)")
    assert layer.parameter_count == 36


def test_layer_exposes_torch_attribute_forms():
    layer = convscope.Conv2d(1, 2, (3, 5), stride=2, padding=(1, 2), dilation=[2, 1])
    assert layer.kernel_size == (3, 5) and layer.stride == (2, 2)
    assert layer.padding == (1, 2) and layer.dilation == (2, 1)
    assert convscope.Conv2d(1, 1, 3, padding="same").padding == "same"


def test_output_size_follows_the_formula_from_the_tutorial():
    assert convscope.output_size(32, 5) == (28, 28)
    assert convscope.output_size(28, 3, stride=2, padding=3) == (16, 16)
    assert convscope.output_size(28, 5, padding=2) == (28, 28)
    assert convscope.output_size((28, 20), (3, 5), padding="same") == (28, 20)
    assert convscope.output_size(7, 3, dilation=2, stride=2) == (2, 2)


def test_output_size_refuses_a_kernel_larger_than_the_padded_input():
    with pytest.raises(ValueError, match=r"padded input size per channel: \(4 x 4\)"):
        convscope.output_size(2, 5, padding=1)


def test_output_shape_without_data_matches_a_real_run():
    shape = convscope.output_shape((2, 6, 9, 9), (4, 3, 3, 3), stride=2, groups=2)
    out = convscope.conv2d(np.zeros((2, 6, 9, 9)), np.zeros((4, 3, 3, 3)), stride=2, groups=2)
    assert shape == out.shape


def count_multiplications(layer, input_shape):
    """MACs by walking every output and every tap, the long way."""
    out_shape = layer.output_shape(input_shape)
    per_output = sum(1 for _ in np.ndindex(layer.weight_shape[1:]))
    return sum(per_output for _ in np.ndindex(out_shape))


@pytest.mark.parametrize("args, input_shape", [
    ((3, 16, 3), (1, 3, 8, 8)),
    ((4, 8, 3, 2, 1, 1, 2), (2, 4, 7, 7)),
    ((6, 6, (3, 5), 1, "same", 1, 6), (6, 5, 6)),
])
def test_mac_count_equals_counted_multiplications(args, input_shape):
    layer = convscope.Conv2d(*args)
    assert layer.mac_count(input_shape) == count_multiplications(layer, input_shape)


def test_tutorial_parameter_counts():
    # torch: sum(p.numel() for p in Conv2d(...).parameters()), see the fixtures
    assert convscope.Conv2d(3, 16, 3).parameter_count == 16 * 3 * 9 + 16
    assert convscope.Conv2d(10, 20, (3, 5), bias=False).parameter_count == 20 * 10 * 15


def test_empty_batch_gives_empty_output():
    out = convscope.conv2d(np.zeros((0, 2, 5, 5)), np.zeros((3, 2, 3, 3)))
    assert out.shape == (0, 3, 3, 3)


@pytest.mark.parametrize("call, message", [
    (lambda: convscope.Conv2d(3, 4, 3, groups=2), "in_channels must be divisible by groups"),
    (lambda: convscope.Conv2d(4, 3, 3, groups=2), "out_channels must be divisible by groups"),
    (lambda: convscope.Conv2d(2, 2, 3, groups=0), "groups must be a positive integer"),
    (lambda: convscope.Conv2d(1, 1, 3, padding=-1), "negative padding"),
    (lambda: convscope.Conv2d(1, 1, 3, padding="full"), "should be 'same', 'valid'"),
    (lambda: convscope.Conv2d(1, 1, 3, padding="same", stride=2),
     "padding='same' is not supported for strided convolutions"),
    (lambda: convscope.Conv2d(1, 1, 3, padding_mode="mirror"), "'zeros', 'reflect'"),
    (lambda: convscope.Conv2d(1, 1, 0), "kernel size should be greater than zero"),
    (lambda: convscope.Conv2d(1, 1, 3, stride=0), "non-positive stride"),
    (lambda: convscope.Conv2d(1, 1, 3, dilation=(1, 0)), "dilation should be greater than zero"),
    (lambda: convscope.Conv2d(1, 1, (3, 3, 3)), "pair of ints"),
    (lambda: convscope.Conv2d(0, 1, 3), "in_channels must be a positive integer"),
    (lambda: convscope.Conv2d(1, 1, 3)(np.zeros((1, 2, 5, 5), np.float32)),
     "to have 1 channels, but got 2 channels"),
    (lambda: convscope.Conv2d(1, 1, 3)(np.zeros((5, 5), np.float32)),
     "Expected 3D \\(unbatched\\) or 4D \\(batched\\)"),
    (lambda: convscope.Conv2d(1, 1, 3, padding=5, padding_mode="reflect")(
        np.zeros((1, 1, 5, 5), np.float32)), "at most 4 here"),
    (lambda: convscope.Conv2d(1, 1, 3, padding=6, padding_mode="circular")(
        np.zeros((1, 1, 5, 5), np.float32)), "wraps around more than once"),
    (lambda: convscope.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((2, 1, 3, 3)), np.zeros(3)),
     "expected bias to be 1-dimensional with 2 elements"),
    (lambda: convscope.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((1, 3, 3))),
     "4-dimensional weight"),
])
def test_errors_say_what_is_wrong(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


@pytest.mark.parametrize("bad", [2.5, "3", None, True, (3,), (3, 3, 3), (3, 2.0)])
def test_bad_kernel_size_forms_raise_type_or_value_error(bad):
    with pytest.raises((TypeError, ValueError), match="kernel_size"):
        convscope.Conv2d(1, 1, bad)


@pytest.mark.parametrize("call, argument", [
    (lambda: convscope.Conv2d(3, 4, 3, groups=2), "groups"),
    (lambda: convscope.Conv2d(1, 1, 3, padding="same", stride=2), "padding"),
    (lambda: convscope.Conv2d(1, 1, 3, padding_mode="mirror"), "padding_mode"),
    (lambda: convscope.Conv2d(1, 1, 2.5), "kernel_size"),
    (lambda: convscope.output_size(4, 7), "kernel_size"),
    (lambda: convscope.conv2d(np.zeros((1, 1, 5, 5)), np.zeros((2, 1, 3, 3)),
                              padding=5, padding_mode="reflect"), "padding"),
])
def test_errors_name_the_argument_at_fault(call, argument):
    with pytest.raises((convscope.ArgumentError, convscope.ArgumentTypeError)) as raised:
        call()
    assert raised.value.argument == argument
