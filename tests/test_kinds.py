"""Layer kinds through the page's Session: every kind's view, steps, hover answers, table
and PyTorch script, checked against plain-loop references and torch."""

import inspect
import itertools
import json

import numpy as np
import pytest
from conftest import run_torch_script
from reference_pool import reference_avg_pool2d, reference_max_pool2d
from reference_transpose import reference_conv_transpose2d

import convscope
from convscope.kinds import KINDS
from convscope.page.link import defaults, parse_link
from convscope.page.session import Session
from convscope.page.settings import manifest

LAYERS = {"conv2d": convscope.Conv2d, "conv_transpose2d": convscope.ConvTranspose2d,
          "max_pool2d": convscope.MaxPool2d,
          "avg_pool2d": convscope.AvgPool2d}


def unpack(packed):
    return np.frombuffer(packed["data"], dtype=np.float64).reshape(packed["shape"])


def config_of(layer, **changes):
    config = defaults(layer)
    config.pop("step")
    return {**config, **changes}


def test_every_kind_is_registered_with_a_layer_class():
    assert set(KINDS) == set(LAYERS)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_arguments_are_the_constructors_own(layer):
    # the page's controls are the constructor's parameters, by torch's names, in its order
    parameters = list(inspect.signature(LAYERS[layer]).parameters)
    constructor = [a.name for a in KINDS[layer].arguments if not a.data]
    assert constructor == [name for name in parameters if name in constructor]
    assert set(constructor) <= set(parameters)


@pytest.mark.parametrize("layer", list(LAYERS))
def test_arguments_are_torchs(layer):
    torch = pytest.importorskip("torch", reason="the `ref` extra (torch) is not installed")
    torch_class = getattr(torch.nn, KINDS[layer].title)
    parameters = list(inspect.signature(torch_class).parameters)
    constructor = [a.name for a in KINDS[layer].arguments if not a.data]
    assert constructor == [name for name in parameters if name in constructor]


def test_manifest_is_plain_json_with_every_kind():
    text = json.dumps(manifest())
    assert [kind["name"] for kind in json.loads(text)["kinds"]] == list(KINDS)


POOLS = [
    ("max_pool2d", dict(input="random", input_size=[6, 7])),
    ("max_pool2d", dict(input="random", input_size=[5, 5], kernel_size=[3, 2], stride=[2, 1],
                        padding=[1, 1], dilation=[1, 2], ceil_mode=True, in_channels=2,
                        batch=2)),
    ("max_pool2d", dict(input="edge", input_size=[7, 7], kernel_size=[3, 3], stride=[2, 2],
                        padding=[1, 1], ceil_mode=True)),
    ("avg_pool2d", dict(input="random", input_size=[6, 5])),
    ("avg_pool2d", dict(input="arange", input_size=[5, 5], padding=[1, 1], ceil_mode=True,
                        count_include_pad=False)),
    ("avg_pool2d", dict(input="random", input_size=[7, 6], kernel_size=[3, 2], stride=[2, 3],
                        padding=[1, 1], divisor_override=5, in_channels=3)),
]


def pool_reference(layer, x, config):
    if layer == "max_pool2d":
        output, _ = reference_max_pool2d(x, config["kernel_size"], config["stride"],
                                         config["padding"], config["dilation"],
                                         config["ceil_mode"])
        return output
    return reference_avg_pool2d(x, config["kernel_size"], config["stride"], config["padding"],
                                config["ceil_mode"], config["count_include_pad"],
                                config["divisor_override"])


@pytest.mark.parametrize("layer, changes", POOLS)
def test_pool_view_and_steps_are_the_reference_pool(layer, changes):
    config = config_of(layer, **changes)
    session = Session()
    view = session.compute(config)
    assert "error" not in view, view
    x = unpack(view["input"]).astype(np.float32)
    expected = pool_reference(layer, x, config)
    np.testing.assert_allclose(unpack(view["output"]), expected, rtol=1e-6)
    assert view["output_shape"] == list(expected.shape) and view["steps"] == expected.size
    top, _, left, _ = view["sides"]
    padded = unpack(view["padded"])
    for index in range(view["steps"]):
        step = session.step(index)
        n, c, y, x_ = step["position"]
        assert step["value"] == pytest.approx(float(expected[n, c, y, x_]), rel=1e-6)
        window = unpack(step["filter"]["values"])[0]
        reads = step["reads"]
        # the window shown is the padded cells the step reads
        np.testing.assert_array_equal(window, padded[n, c][np.ix_(reads["rows"], reads["cols"])])
        if layer == "max_pool2d":
            _, i, j = step["filter"]["mark"]
            assert window[i, j] == step["value"]
            assert "return_indices gives" in step["equation"]
        else:
            assert step["equation"].endswith(")") or "divisor" in step["equation"]
    assert top == config["padding"][0] and left == config["padding"][1]


@pytest.mark.parametrize("layer, changes", POOLS[1:3] + POOLS[4:])
def test_pool_hover_lists_exactly_the_outputs_whose_windows_read_a_pixel(layer, changes):
    session = Session()
    view = session.compute(config_of(layer, **changes))
    top, _, left, _ = view["sides"]
    reads = {}
    for index in range(view["steps"]):
        step = session.step(index)
        n, c, y, x = step["position"]
        if n == 0:
            for r, col in itertools.product(step["reads"]["rows"], step["reads"]["cols"]):
                reads.setdefault((c, r - top, col - left), set()).add((c, y, x))
    _, channels, height, width = view["input_shape"]
    for c, r, col in itertools.product(range(channels), range(height), range(width)):
        touching = session.touching(c, r, col)
        cells = set(itertools.product(touching["channels"], touching["rows"], touching["cols"]))
        assert cells == reads.get((c, r, col), set()), (c, r, col)


@pytest.mark.parametrize("layer, changes", [POOLS[1], POOLS[4], POOLS[5]])
def test_pool_table_rows_are_the_steps(layer, changes):
    session = Session()
    view = session.compute(config_of(layer, **changes))
    table = json.loads(session.table("json")["text"])
    assert len(table["rows"]) == view["steps"]
    for index in (0, view["steps"] // 2, view["steps"] - 1):
        row, step = table["rows"][index], session.step(index)
        assert [row[k] for k in "ncyx"] == step["position"]
        assert row["value"] == step["value"]
    csv_lines = session.table("csv")["text"].splitlines()
    assert csv_lines[0].split(",") == table["columns"] and len(csv_lines) == view["steps"] + 1


@pytest.mark.parametrize("layer, changes", [POOLS[1], POOLS[4], POOLS[5]])
def test_pool_script_reproduces_the_view_under_torch(tmp_path, layer, changes):
    pytest.importorskip("torch", reason="the `ref` extra (torch) is not installed")
    session = Session()
    view = session.compute(config_of(layer, **changes))
    output = run_torch_script(session.snippet(), tmp_path)
    assert f"PyTorch agrees with convscope: {tuple(view['output_shape'])}" in output


@pytest.mark.parametrize("layer, changes, field, words", [
    ("max_pool2d", dict(padding=[2, 2]), "padding", "at most half"),
    ("avg_pool2d", dict(divisor_override=0), "divisor_override", "not zero"),
    ("max_pool2d", dict(kernel_size=[9, 9]), "kernel_size", "too small"),
    ("max_pool2d", dict(in_channels=0), "in_channels", "positive"),
])
def test_pool_errors_name_the_control(layer, changes, field, words):
    result = Session().compute(config_of(layer, **changes))
    assert result["error"]["field"] == field, result
    assert words in result["error"]["message"]


@pytest.mark.parametrize("layer, repr_, line", [
    ("max_pool2d", "MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
     "nn.MaxPool2d(2)"),
    ("avg_pool2d", "AvgPool2d(kernel_size=2, stride=2, padding=0)", "nn.AvgPool2d(2)"),
])
def test_default_pool_reads_as_torch_writes_it(layer, repr_, line):
    view = Session().compute(config_of(layer))
    assert (view["repr"], view["torch_line"]) == (repr_, line)


def test_links_name_their_kind_and_old_links_are_conv2d():
    assert parse_link("#kernel_size=3")["layer"] == "conv2d"
    state = parse_link("#layer=avg_pool2d&kernel_size=3x2&divisor_override=4&stride=")
    assert (state["kernel_size"], state["divisor_override"], state["stride"]) == ([3, 2], 4, None)
    with pytest.raises(ValueError, match="not an argument of nn.MaxPool2d"):
        parse_link("#layer=max_pool2d&groups=2")
    with pytest.raises(ValueError, match="layer"):
        parse_link("#layer=conv3d")


TRANSPOSES = [
    dict(input="random", input_size=[3, 3]),
    dict(input="random", input_size=[3, 4], in_channels=2, out_channels=4, groups=2,
         kernel_size=[3, 2], stride=[2, 3], padding=[1, 0], output_padding=[1, 2],
         dilation=[1, 1], batch=2),
    dict(input="arange", input_size=[4, 3], stride=[1, 1], padding=[2, 1], output_padding=[0, 0],
         dilation=[2, 1], kernel_size=[3, 3], bias=False),
    dict(input="random", input_size=[3, 3], stride=[2, 2], padding=[0, 0], output_padding=[0, 0],
         output_size=[8, 7]),
]


def transpose_reference(view, config):
    x = unpack(view["input"])
    weight = unpack(view["weight"])
    bias = None if view["bias"] is None else unpack(view["bias"])
    spec = dict(stride=config["stride"], padding=config["padding"], groups=config["groups"],
                dilation=config["dilation"])
    out_h, out_w = view["output_shape"][2:]
    # output_padding as the view chose it (output_size picks it): what makes the shape
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = (config["kernel_size"], config["stride"],
                                             config["padding"], config["dilation"])
    output_padding = [out_h - ((x.shape[2] - 1) * sh - 2 * ph + dh * (kh - 1) + 1),
                      out_w - ((x.shape[3] - 1) * sw - 2 * pw + dw * (kw - 1) + 1)]
    return reference_conv_transpose2d(x, weight, bias, output_padding=output_padding, **spec)


@pytest.mark.parametrize("view_name", ["scatter", "gather"])
@pytest.mark.parametrize("changes", TRANSPOSES)
def test_transpose_views_are_the_reference_transposed_convolution(view_name, changes):
    config = config_of("conv_transpose2d", view=view_name, **changes)
    session = Session()
    view = session.compute(config)
    assert "error" not in view, view
    expected = transpose_reference(view, config)
    output = unpack(view["output"])
    np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-5)
    steps = [session.step(i) for i in range(view["steps"])]
    if view_name == "gather":
        # an ordinary convolution: one step per output cell, its value the output's
        assert view["steps"] == output.size
        for step in steps:
            assert step["value"] == pytest.approx(float(output[tuple(step["position"])]), abs=1e-5)
        return
    # scatter: one step per input cell and output channel of its group; the running
    # sums after the last step of each sample are the output
    n, channels, height, width = view["input_shape"]
    assert view["steps"] == n * channels * height * width * (view["output_shape"][1] // config["groups"])
    per_sample = view["steps"] // n
    for sample in range(n):
        last = steps[(sample + 1) * per_sample - 1]
        np.testing.assert_allclose(unpack(last["state"]), expected[sample], rtol=1e-5, atol=1e-5)
    x, weight = unpack(view["input"]), unpack(view["weight"])
    for step in steps[:12]:
        sample, c, y, x_, k = step["position"]
        assert step["value"] == x[sample, c, y, x_]
        np.testing.assert_array_equal(unpack(step["filter"]["values"])[0], weight[c, k])


@pytest.mark.parametrize("view_name", ["scatter", "gather"])
def test_transpose_hover_is_the_stamp_of_the_input_cell(view_name):
    config = config_of("conv_transpose2d", view=view_name, **TRANSPOSES[1])
    session = Session()
    view = session.compute(config)
    scatter = Session()
    scatter.compute(dict(config, view="scatter"))
    _, channels, height, width = view["input_shape"]
    for c, r, col in itertools.product(range(channels), range(height), range(width)):
        touching = session.touching(c, r, col)
        cells = set(itertools.product(touching["channels"], touching["rows"], touching["cols"]))
        # every step of that input cell (sample 0) writes inside the same cells
        written = set()
        for index in range(view["steps"] if view_name == "scatter" else 0):
            step = session.step(index)
            if step["position"][:4] == [0, c, r, col]:
                w = step["writes"]
                written |= set(itertools.product(w["channels"], w["rows"], w["cols"]))
        if view_name == "scatter":
            assert cells == written, (c, r, col)
        else:
            other = scatter.touching(c, r, col)
            assert cells == set(itertools.product(other["channels"], other["rows"], other["cols"]))


@pytest.mark.parametrize("changes", [TRANSPOSES[1], TRANSPOSES[3]])
def test_transpose_script_reproduces_the_view_under_torch(tmp_path, changes):
    pytest.importorskip("torch", reason="the `ref` extra (torch) is not installed")
    session = Session()
    view = session.compute(config_of("conv_transpose2d", **changes))
    output = run_torch_script(session.snippet(), tmp_path)
    assert f"PyTorch agrees with convscope: {tuple(view['output_shape'])}" in output


@pytest.mark.parametrize("changes, field, words", [
    (dict(output_padding=[2, 2]), "output_padding", "smaller than either stride or dilation"),
    (dict(output_size=[20, 20]), "output_size", "valid sizes range"),
    (dict(in_channels=2, groups=2, out_channels=3), "groups", "divisible by groups"),
])
def test_transpose_errors_name_the_control(changes, field, words):
    result = Session().compute(config_of("conv_transpose2d", **changes))
    assert result["error"]["field"] == field, result
    assert words in result["error"]["message"]


def test_transpose_reads_as_torch_writes_it():
    view = Session().compute(config_of("conv_transpose2d"))
    assert view["torch_line"] == "nn.ConvTranspose2d(1, 1, 3, stride=2, padding=1, output_padding=1)"
    assert view["repr"] == ("ConvTranspose2d(1, 1, kernel_size=(3, 3), stride=(2, 2), "
                            "padding=(1, 1), output_padding=(1, 1))")


@pytest.mark.parametrize("view_name", ["scatter", "gather"])
def test_transpose_table_has_a_row_per_step(view_name):
    session = Session()
    view = session.compute(config_of("conv_transpose2d", view=view_name, **TRANSPOSES[1]))
    table = json.loads(session.table("json")["text"])
    assert len(table["rows"]) == view["steps"]
    for index in (0, view["steps"] - 1):
        row, step = table["rows"][index], session.step(index)
        if view_name == "scatter":
            assert [row[k] for k in ("n", "c", "y", "x")] == step["position"][:4]
            np.testing.assert_allclose(row["products"],
                                       row["input"] * unpack(step["filter"]["values"]).ravel(),
                                       rtol=1e-6)
            writes = step["writes"]
            assert row["cells_written"] == len(writes["rows"]) * len(writes["cols"])
        else:
            assert row["value"] == step["value"]
