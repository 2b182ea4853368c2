"""The step trace: every step is consistent with the conv output and the padding mode."""

import numpy as np
import pytest
from reference import padding_sides, reference_conv2d, reference_pad

import convscope

CONFIGS = [
    dict(stride=1, padding=1),
    dict(stride=2, padding=(2, 1), dilation=(1, 2)),
    dict(padding="same", dilation=2, padding_mode="reflect"),
    dict(padding=2, padding_mode="replicate", stride=(2, 1)),
    dict(padding=(1, 3), padding_mode="circular"),
    dict(padding="same", groups=2),
    dict(padding="valid", groups=4, stride=3),
]


def make_inputs(config, seed=0):
    rng = np.random.default_rng(seed)
    groups = config.get("groups", 1)
    x = rng.standard_normal((2, 4, 6, 7))
    w = rng.standard_normal((4, 4 // groups, 3, 2))
    return x, w, rng.standard_normal(4)


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_every_step_equals_the_conv_output_exactly(config):
    x, w, b = make_inputs(config)
    trace = convscope.trace(x, w, b, **config)
    output = convscope.conv2d(x, w, b, **config)
    assert len(trace) == output.size
    for step in trace:
        assert step.value == output[step.position]  # exactly, not approximately
        assert step.channel_sums.sum() + step.bias == pytest.approx(step.value, abs=1e-12)
        np.testing.assert_array_equal(step.products, step.inputs * step.weights)


@pytest.mark.parametrize("config", CONFIGS, ids=str)
def test_steps_read_what_the_reference_padding_holds(config):
    x, w, b = make_inputs(config)
    trace = convscope.trace(x, w, b, **config)
    mode = config.get("padding_mode", "zeros")
    sides = padding_sides(config.get("padding", 0), w.shape[2:],
                          np.broadcast_to(config.get("dilation", 1), 2))
    padded = reference_pad(x, sides, mode)
    for step in trace:
        n, _, _, _ = step.position
        channels = list(step.channels)
        expected = padded[n][np.ix_(channels, step.padded_rows, step.padded_cols)]
        np.testing.assert_array_equal(step.inputs, expected)
        inside = ~step.in_padding
        rows, cols = np.meshgrid(step.rows, step.cols, indexing="ij")
        # taps inside the input read the input itself
        np.testing.assert_array_equal(step.inputs[:, inside],
                                      x[n][np.ix_(channels)][:, rows[inside], cols[inside]])
        # taps in the padding: zero, or a copy of the input pixel the mode names
        src_rows, src_cols = np.meshgrid(step.source_rows, step.source_cols, indexing="ij")
        if mode == "zeros":
            assert (step.inputs[:, step.in_padding] == 0).all()
            assert ((src_rows[step.in_padding] == -1) | (src_cols[step.in_padding] == -1)).all()
        else:
            copied = x[n][np.ix_(channels)][:, src_rows, src_cols]
            np.testing.assert_array_equal(step.inputs, copied)


def test_steps_are_in_raster_order_over_n_o_y_x():
    x, w, b = make_inputs({})
    trace = convscope.trace(x, w, b, padding=1)
    positions = [trace.position(i) for i in range(len(trace))]
    assert positions == sorted(positions)
    assert trace[len(trace) - 1].position == trace.at(*positions[-1]).position
    assert trace[-1].index == len(trace) - 1


def test_groups_say_which_input_channels_feed_an_output():
    x, w, b = make_inputs(dict(groups=2))
    trace = convscope.trace(x, w, b, groups=2)
    assert trace.at(0, 0, 0, 0).channels == (0, 1)
    assert trace.at(0, 3, 0, 0).channels == (2, 3)
    assert trace.at(0, 3, 0, 0).group == 1


def test_unbatched_trace_uses_batch_index_zero_and_matches_reference():
    x, w, b = make_inputs({})
    trace = convscope.trace(x[0], w, b, padding=1)
    expected = reference_conv2d(x[0], w, b, padding=1)
    assert trace.at(0, 2, 3, 4).value == pytest.approx(expected[2, 3, 4], abs=1e-12)


def test_trace_without_bias_reports_none():
    x, w, _ = make_inputs({})
    step = convscope.trace(x, w)[0]
    assert step.bias is None
    assert step.channel_sums.sum() == pytest.approx(step.value, abs=1e-12)


@pytest.mark.parametrize("index", [10**9, -10**9, 2.0, "3", True])
def test_bad_step_indices_raise_clear_errors(index):
    x, w, b = make_inputs({})
    trace = convscope.trace(x, w, b)
    with pytest.raises((ValueError, TypeError), match="step"):
        trace[index]


def test_out_of_range_output_index_is_a_value_error():
    x, w, b = make_inputs({})
    with pytest.raises(ValueError, match="outside the output"):
        convscope.trace(x, w, b).at(0, 9, 0, 0)


def test_a_64x64_input_with_16_filters_answers_steps_cheaply():
    layer = convscope.Conv2d(3, 16, 3, padding=1, rng=0)
    x = np.random.default_rng(0).standard_normal((1, 3, 64, 64)).astype(np.float32)
    trace = layer.trace(x)
    assert len(trace) == 16 * 64 * 64
    output = layer(x)
    for index in range(0, len(trace), 4099):  # speed is for the benchmark, values here
        step = trace[index]
        assert step.value == output[step.position]
        assert step.inputs.shape == (3, 3, 3)
