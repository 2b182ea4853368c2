"""convscope.page.session, the page's side of the engine, in CPython: views, steps, errors, snippets."""

import itertools

import numpy as np
import pytest
from conftest import run_torch_script
from reference import reference_conv2d, reference_output_shape

from convscope.limits import PAGE as LIMITS
from convscope.page.session import Session

SAMPLE = dict(in_channels=1, out_channels=2, kernel_size=3, stride=1, padding=1, dilation=1,
              groups=1, bias=False, padding_mode="zeros", input_size=[5, 5], batch=1,
              input="arange", weights="ones", seed=0)


def unpack(packed):
    return np.frombuffer(packed["data"], dtype=np.float64).reshape(packed["shape"])


def test_sample_view_matches_the_plain_loop_reference():
    view = Session().compute(SAMPLE)
    x, w = unpack(view["input"]), unpack(view["weight"])
    np.testing.assert_array_equal(x.ravel(), np.arange(25))
    np.testing.assert_allclose(unpack(view["output"]), reference_conv2d(x, w, padding=1))
    assert view["output_shape"] == [1, 2, 5, 5]
    assert view["torch_line"] == "nn.Conv2d(1, 2, 3, stride=1, padding=1, bias=False)"
    assert view["formula_h"].endswith("= 5")


@pytest.mark.parametrize("config", [
    dict(SAMPLE, in_channels=4, out_channels=6, groups=2, weights="random", bias=True,
         padding="same", padding_mode="reflect", input="random", input_size=[6, 7]),
    dict(SAMPLE, kernel_size=[3, 2], stride=[2, 1], dilation=2, padding=2,
         padding_mode="circular", input="digit", weights="sobel", batch=2),
    dict(SAMPLE, in_channels=3, out_channels=3, groups=3, weights="identity", input="edge"),
    dict(SAMPLE, weights="blur", padding="valid", padding_mode="replicate", input_size=[7, 4]),
])
def test_every_view_is_the_reference_conv_of_its_own_arrays(config):
    session = Session()
    view = session.compute(config)
    x, w = unpack(view["input"]), unpack(view["weight"])
    b = unpack(view["bias"]) if view["bias"] else None
    expected = reference_conv2d(x, w, b, config["stride"], config["padding"],
                                config["dilation"], config["groups"], config["padding_mode"])
    np.testing.assert_allclose(unpack(view["output"]), expected, rtol=1e-5, atol=1e-5)
    assert tuple(view["output_shape"]) == reference_output_shape(
        x.shape, config["out_channels"], config["kernel_size"], config["stride"],
        config["padding"], config["dilation"])
    step = session.step(view["steps"] - 1)
    assert float(step["value_text"]) == pytest.approx(expected.ravel()[-1], rel=1e-5, abs=1e-5)
    assert step["equation"].endswith(f"= {step['value_text']}")


def test_identity_weights_copy_each_input_channel_like_torch_dirac():
    view = Session().compute(dict(SAMPLE, in_channels=2, out_channels=2, input="random",
                                  weights="identity"))
    np.testing.assert_array_equal(unpack(view["output"]), unpack(view["input"]))


def test_touching_lists_exactly_the_outputs_whose_windows_read_a_pixel():
    config = dict(SAMPLE, in_channels=2, out_channels=4, groups=2, stride=2, kernel_size=3,
                  padding=2, padding_mode="reflect", input_size=[6, 5])
    session = Session()
    view = session.compute(config)
    _, out_channels, out_h, out_w = view["output_shape"]
    reads = {}  # input pixel -> output cells, by walking every step's taps
    trace = session.run.trace  # a Conv2d view's run keeps its trace
    for o, y, x in itertools.product(range(out_channels), range(out_h), range(out_w)):
        step = trace.at(0, o, y, x)
        for c, r, col in itertools.product(step.channels, step.source_rows, step.source_cols):
            reads.setdefault((c, int(r), int(col)), set()).add((o, y, x))
    for c, r, col in itertools.product(range(2), range(6), range(5)):
        touching = session.touching(c, r, col)
        cells = set(itertools.product(touching["channels"], touching["rows"],
                                      touching["cols"]))
        assert cells == reads.get((c, r, col), set()), (c, r, col)


def test_edits_override_preset_cells_and_ignore_cells_outside():
    view = Session().compute(dict(SAMPLE, input_edits=[[0, 0, 0, 0, 100], [0, 0, 9, 9, 1]],
                                  weight_edits=[[0, 0, 1, 1, 2.5]]))
    assert unpack(view["input"])[0, 0, 0, 0] == 100
    assert unpack(view["weight"])[0, 0, 1, 1] == 2.5
    assert unpack(view["weight"])[1, 0, 1, 1] == 1


@pytest.mark.parametrize("change, field, words", [
    (dict(groups=2), "groups", "divisible by groups"),
    (dict(kernel_size=9), "kernel_size", "can't be greater"),
    (dict(padding="same", stride=2), "padding", "strided"),
    (dict(padding=6, padding_mode="reflect"), "padding", "reflect padding"),
    (dict(input_size=[LIMITS["input_size"] + 1, 5]), "input_size", "limited to"),
    (dict(out_channels=LIMITS["out_channels"] + 1), "out_channels", "limited to"),
    (dict(weights="mystery"), "weights", "unknown weights preset"),
    (dict(in_channels=16, out_channels=32, kernel_size=15, padding=7, input_size=[128, 128]),
     "input_size", "multiply-accumulates"),
    (dict(batch=0), "batch", "positive integer"),
    (dict(seed=-1), "seed", "from 0 to"),
    (dict(input_edits=[[0, 0, float("nan")]]), "input_edits", "indices and a value"),
])
def test_bad_settings_come_back_as_messages_naming_the_control(change, field, words):
    session = Session()
    good = session.compute(SAMPLE)
    result = session.compute(dict(SAMPLE, **change))
    assert result["error"]["field"] == field
    assert words in result["error"]["message"]
    # the last good trace stays for stepping
    assert session.step(good["steps"] - 1)["position"] == [0, 1, 4, 4]


def test_snippet_reproduces_the_view_under_torch(tmp_path):
    pytest.importorskip("torch", reason="the `ref` extra (torch) is not installed")
    session = Session()
    session.compute(dict(SAMPLE, in_channels=2, out_channels=4, groups=2, kernel_size=[3, 2],
                         padding="same", padding_mode="circular", input="random",
                         weights="random", bias=True, input_size=[4, 6]))
    output = run_torch_script(session.snippet(), tmp_path)
    assert "PyTorch agrees with convscope: (1, 4, 4, 6)" in output


def test_a_fresh_session_says_nothing_is_computed_yet():
    # a restarted engine may be asked for a script or a step before its first compute
    session = Session()
    assert "nothing is computed yet" in session.script()["error"]["message"]
    assert "nothing is computed yet" in session.table("csv")["error"]["message"]
    with pytest.raises(ValueError, match="nothing is computed yet"):
        session.step(0)
