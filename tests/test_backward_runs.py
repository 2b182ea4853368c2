"""The backward pass as the page steps through it: every step's numbers against the
engine's gradients (checked against torch in test_backward.py) and its own products."""

import numpy as np
import pytest

from convscope.page.session import Session
from convscope.page.link import defaults, format_link, parse_link
from convscope.kinds import kind_of


def computed(layer="conv2d", **settings):
    session = Session()
    config = dict(defaults(layer), direction="backward", **settings)
    view = session.compute(config)
    assert "error" not in view, view
    return session, view


def products_sum(step):
    products = step["products"]
    if isinstance(products, dict):
        products = np.frombuffer(products["data"])
    return float(np.sum(products))


def layer_gradients(session):
    run = session.run
    return run.layer.backward(run.x, run.grad_output)


CONV = dict(in_channels=2, out_channels=4, kernel_size=[3, 2], stride=[2, 3], padding=[1, 1],
            groups=2, batch=2, input_size=[7, 8], input="random", padding_mode="reflect")


def test_weight_grad_steps_are_the_input_sliding_against_grad_output():
    session, view = computed(gradient="weight", upstream="random", **CONV)
    grads = layer_gradients(session)
    assert view["steps"] == grads.grad_weight.size
    assert view["output"]["shape"] == [1, 4, 3, 2]
    for index in range(view["steps"]):
        step = session.step(index)
        a, b, i, j = np.unravel_index(index, grads.grad_weight.shape)
        assert step["value"] == pytest.approx(float(grads.grad_weight[a, b, i, j]), abs=1e-5)
        assert products_sum(step) == pytest.approx(step["value"], rel=1e-5, abs=1e-4)
        # tap (i, j) reads padded rows i + y·stride for every output row y
        assert step["reads"]["rows"] == [i + 2 * y for y in range(4)]
        assert step["reads"]["cols"] == [j + 3 * x for x in range(3)]
        assert step["reads"]["channels"] == [a // 2]  # groups: filter a reads its group
        assert step["writes"] == {"channels": [a * 1 + b], "rows": [i], "cols": [j]}


def test_input_grad_steps_hold_every_sender_and_equal_the_engine():
    session, view = computed(gradient="input", upstream="random", **CONV)
    grads = layer_gradients(session)
    assert view["output"]["shape"] == list(grads.grad_input.shape)
    assert view["input_name"] == "grad_output" and view["output_name"] == "input.grad"
    for index in range(view["steps"]):
        step = session.step(index)
        expected = float(grads.grad_input.ravel()[index])
        assert step["value"] == pytest.approx(expected, abs=1e-5)
        assert products_sum(step) == pytest.approx(expected, rel=1e-5, abs=1e-4)


def test_reflect_padding_sends_gradient_through_the_padded_copy():
    # input row 1 is copied to padded row 0 by reflect: tap 0 of window 0 reads it there
    session, _ = computed(gradient="input", upstream="ones", kernel_size=[3, 3],
                          padding=[1, 1], padding_mode="reflect", input_size=[4, 4])
    step = session.step(1 * 4 + 1)
    assert "via padded (0, 0)" in step["equation"]
    assert [0, 0, 0] in step["senders"]["rows"]


def test_stride_leftovers_get_zero_and_say_why():
    # 7 rows, kernel 3, stride 3: windows read rows 0-5, row 6 never
    session, view = computed(gradient="input", upstream="ones", kernel_size=[3, 3],
                             stride=[3, 3], padding=[0, 0], input_size=[7, 7], out_channels=1)
    step = session.step(6 * 7 + 2)
    assert step["value"] == 0
    assert "stride leftovers" in step["equation"]
    assert step["reads"]["channels"] == []


def test_onehot_upstream_reaches_only_the_cells_that_window_read():
    session, view = computed(gradient="input", upstream="onehot", onehot_channel=1,
                             onehot_cell=[2, 1], kernel_size=[3, 3], padding=[1, 1],
                             input_size=[5, 5])
    grad_input = np.frombuffer(view["output"]["data"]).reshape(view["output"]["shape"])
    touched = np.argwhere(grad_input[0, 0] != 0)
    assert touched.size and touched[:, 0].min() >= 1 and touched[:, 0].max() <= 3
    assert touched[:, 1].min() >= 0 and touched[:, 1].max() <= 2


def test_bias_grad_steps_are_sums_of_grad_output():
    session, view = computed(gradient="bias", upstream="mse", target="ones", **CONV)
    grads = layer_gradients(session)
    for o in range(view["steps"]):
        step = session.step(o)
        assert step["value"] == pytest.approx(float(grads.grad_bias[o]), abs=1e-6)
        assert step["reads"]["channels"] == [o]


def test_bias_grad_refused_without_bias():
    view = Session().compute(dict(defaults("conv2d"), direction="backward",
                                      gradient="bias", bias=False))
    assert view["error"]["field"] == "gradient"


@pytest.mark.parametrize("gradient", ["input", "weight", "bias"])
def test_transpose_backward_steps_equal_the_engine(gradient):
    session, view = computed("conv_transpose2d", gradient=gradient, upstream="random",
                             in_channels=2, out_channels=2, input_size=[3, 4])
    grads = layer_gradients(session)
    expected = {"input": grads.grad_input, "weight": grads.grad_weight,
                "bias": grads.grad_bias}[gradient]
    assert view["steps"] == expected.size
    for index in range(view["steps"]):
        assert session.step(index)["value"] == pytest.approx(float(expected.ravel()[index]),
                                                             abs=1e-5)


@pytest.mark.parametrize("layer, settings", [
    ("max_pool2d", dict(kernel_size=[3, 3], stride=[1, 1], input="random", input_size=[6, 6])),
    ("avg_pool2d", dict(kernel_size=[3, 3], stride=[2, 2], padding=[1, 1], ceil_mode=True,
                        count_include_pad=False, input_size=[6, 7])),
])
def test_pool_backward_steps_equal_the_engine(layer, settings):
    session, view = computed(layer, upstream="random", **settings)
    grads = layer_gradients(session)
    assert grads.grad_weight is None
    for index in range(view["steps"]):
        step = session.step(index)
        assert step["value"] == pytest.approx(float(grads.grad_input.ravel()[index]), abs=1e-6)
        assert step["title"].startswith("input.grad[")


@pytest.mark.parametrize("layer, gradient", [("conv2d", "weight"), ("conv_transpose2d", "input"),
                                             ("max_pool2d", "input")])
def test_the_backward_script_runs_in_torch_and_agrees(layer, gradient):
    pytest.importorskip("torch")
    session, _ = computed(layer, gradient=gradient, upstream="mse", target="random")
    printed = []
    exec(session.snippet(), {"print": lambda *args: printed.append(args)})  # noqa: S102
    assert printed[-1] == ("PyTorch agrees with convscope",)
    assert any(args[0] == "x.grad =" for args in printed)


def test_backward_tables_have_a_row_per_step():
    session, view = computed(gradient="weight", **CONV)
    text = session.table("csv")["text"]
    lines = text.strip().split("\n")
    assert lines[0] == "a,b,i,j,products,value"
    assert len(lines) == view["steps"] + 1


def test_forward_links_and_defaults_are_unchanged():
    config = parse_link("#in_channels=1&out_channels=2&kernel_size=3")
    assert config["direction"] == "forward"
    assert kind_of(config).name == "conv2d"
    backward = parse_link("#layer=max_pool2d&direction=backward&upstream=onehot"
                               "&onehot_cell=1x0")
    assert backward["direction"] == "backward" and backward["onehot_cell"] == [1, 0]
    # Python writes links as the page does: quiet settings only away from their default
    assert "direction" not in format_link(config)
    written = format_link(backward)
    assert "direction=backward&gradient=input&upstream=onehot" not in written  # gradient: default
    assert "direction=backward" in written and "onehot_cell=1x0" in written
    assert parse_link(written) == backward


def test_input_grad_stamp_by_stamp_sums_to_the_engines_input_grad():
    session, view = computed(gradient="input_stamps", upstream="random", in_channels=2,
                             out_channels=4, groups=2, stride=[2, 3], input_size=[7, 8])
    grads = layer_gradients(session)
    assert view["transpose_link"].startswith("#layer=conv_transpose2d&in_channels=4")
    last = session.step(view["steps"] - 1)
    state = np.frombuffer(last["state"]["data"]).reshape(last["state"]["shape"])
    np.testing.assert_allclose(state, grads.grad_input[0], atol=1e-6)
    first = session.step(0)
    assert first["title"] == "grad_output[0, 0, 0, 0] → input.grad[0, 0]"
    assert first["equation"].startswith("grad_output[0, 0, 0, 0] = ")
    assert session.table("csv")["text"].startswith("n,o,y,x,c,grad_output,")


def test_input_grad_stamps_need_zero_padding():
    view = Session().compute(dict(defaults("conv2d"), direction="backward",
                                      gradient="input_stamps", padding_mode="circular"))
    assert view["error"]["field"] == "gradient"
