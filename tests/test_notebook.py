"""The example notebook runs headless (nbclient), and the widget's Python side answers the
page's engine calls with convscope's numbers; its bundle is the one build.py makes now."""

import json
import shutil

import nbformat  # the test extra's nbclient brings it
import numpy as np
import pytest

import convscope
from notebook_kernel import EXAMPLE, kernel_env


def test_the_example_notebook_runs_headless_and_its_widgets_show_the_engines_numbers(
        tmp_path, monkeypatch):
    from nbclient import NotebookClient

    notebook = nbformat.read(EXAMPLE, as_version=4)
    for key, value in kernel_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = {index: cell.get("outputs", []) for index, cell in enumerate(notebook.cells)
               if cell.cell_type == "code"}
    errors = [output for cell in outputs.values() for output in cell
              if output.output_type == "error" or output.get("name") == "stderr"]
    assert not errors, errors
    widgets = [output for cell in outputs.values() for output in cell
               if "application/vnd.jupyter.widget-view+json" in output.get("data", {})]
    assert len(widgets) == 5  # rgb, the sample, padding, stride, the torch layer
    text = "".join(output.get("text", "") for cell in outputs.values() for output in cell)
    # the 5×5 sample with ones: output[0, 0, 1, 2] sums input rows 0-2, columns 1-3
    expected = sum(5 * row + col for row in range(3) for col in range(1, 4))
    assert f"step 7 of 50: output[0, 0, 1, 2] = {float(expected)}" in text
    assert "(1, 6, 28, 28) (28, 28)" in text and "(1, 16, 16, 16)" in text
    assert "largest difference from torch: " in text
    difference = float(text.split("largest difference from torch: ")[1].split()[0])
    assert difference < 1e-5


def test_the_widget_answers_the_pages_engine_calls_with_the_layers_own_numbers():
    from convscope.notebook.session import Dispatcher

    layer = convscope.Conv2d(2, 3, 3, padding=1, rng=4)
    x = np.random.default_rng(1).standard_normal((1, 2, 4, 5)).astype(np.float32)
    widget = convscope.show(layer, x)
    config = {key: value for key, value in widget._state.items() if key != "step"}
    dispatcher = Dispatcher(widget)
    answer, buffers = dispatcher.answer({"id": 1, "session": "v:1", "method": "compute",
                                         "params": config})
    view = answer["result"]
    # arrays travel as binary buffers: the output buffer is the layer's output (float64 bytes)
    output = np.frombuffer(buffers[view["output"]["data"]["$buffer"]], np.float64)
    np.testing.assert_array_equal(output.reshape(view["output"]["shape"]), layer(x))
    weight = np.frombuffer(buffers[view["weight"]["data"]["$buffer"]], np.float64)
    np.testing.assert_array_equal(weight.reshape(layer.weight_shape), layer.weight)
    answer, buffers = dispatcher.answer({"id": 2, "session": "v:1", "method": "step",
                                         "params": {"index": 7}})
    step = answer["result"]
    n, o, row, col = step["position"]
    assert (n, o, row, col) == (0, 0, 1, 2)  # raster order over (1, 3, 4, 5)
    assert step["value"] == pytest.approx(float(layer(x)[0, 0, 1, 2]), abs=0)
    # a session that computed nothing refuses in the page's words; bad methods too
    assert "nothing is computed" in dispatcher.answer(
        {"id": 3, "session": "v:2", "method": "step", "params": {"index": 0}})[0]["error"]["message"]
    assert "no engine method" in dispatcher.answer(
        {"id": 4, "session": "v:1", "method": "practice", "params": {}})[0]["error"]["message"]


def test_torch_modules_are_read_by_duck_typing_with_their_weights_copied():
    torch = pytest.importorskip("torch")
    from torch import nn

    torch.manual_seed(3)
    x = torch.randn(2, 4, 7, 6)
    modules = [nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=1, dilation=(1, 2), groups=2,
                         padding_mode="reflect"),
               nn.Conv2d(4, 2, 3, padding="same", bias=False),
               nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, bias=False),
               nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True),
               nn.AvgPool2d((2, 3), count_include_pad=False, divisor_override=5)]
    for module in modules:
        widget = convscope.show(module, x)
        with torch.no_grad():
            expected = module(x).numpy()
        np.testing.assert_allclose(widget.layer(widget.x), expected, rtol=1e-5, atol=1e-5)
        assert widget.steps == expected.size or module.__class__.__name__ == "ConvTranspose2d"
        with torch.no_grad():  # a copy: the module changing later does not move the view
            if getattr(module, "weight", None) is not None:
                module.weight.add_(1.0)
                assert not np.allclose(widget.layer.weight, module.weight.numpy())


def test_show_refuses_what_torch_refuses_and_what_it_cannot_read():
    layer = convscope.Conv2d(3, 4, 3)
    with pytest.raises(ValueError, match="channels"):  # torch: expected input to have 3 channels
        convscope.show(layer, np.zeros((1, 2, 5, 5), np.float32))
    with pytest.raises(TypeError, match="Input type \\(float64\\) and weight type"):
        convscope.show(layer, np.zeros((1, 3, 5, 5)))
    with pytest.raises(ValueError, match=r"\(N, C, H, W\) or \(C, H, W\)"):
        convscope.show(layer, np.zeros((5, 5), np.float32))
    with pytest.raises(TypeError, match="Linear"):
        convscope.show(type("Linear", (), {})())
    with pytest.raises(TypeError, match="comes from the layer"):
        convscope.show(layer, kernel_size=5)
    with pytest.raises(TypeError, match="comes from x"):
        convscope.show(layer, np.zeros((1, 3, 5, 5), np.float32), input_size=7)
    with pytest.raises(ValueError, match="input_size is limited"):
        convscope.show(layer, input_size=300)
    widget = convscope.show(layer)
    with pytest.raises(ValueError, match="out of range"):
        widget.step = widget.steps
    widget.step = -1
    assert widget.step == widget.steps - 1


def test_replacing_layer_or_x_recomputes_and_goes_back_to_step_zero():
    widget = convscope.show(convscope.Conv2d(1, 1, 3, rng=0), step=4)
    assert widget.step == 4 and widget.steps == 9  # the page's 5×5 input, no padding
    revision = widget._revision
    widget.x = np.ones((1, 1, 6, 6), np.float32)
    assert (widget.steps, widget.step, widget._state["input_size"]) == (16, 0, [6, 6])
    widget.layer = convscope.MaxPool2d(2)
    assert widget._state["layer"] == "max_pool2d" and widget.steps == 9
    assert widget._revision == revision + 2
    np.testing.assert_array_equal(widget.x, np.ones((1, 1, 6, 6)))


def test_a_link_rebuilds_the_same_numbers_on_the_page():
    from convscope.page.link import parse_link
    from convscope.notebook.shown import page_objects

    layer = convscope.Conv2d(1, 2, 3, padding=1, bias=False, rng=5)
    x = np.random.default_rng(2).integers(-3, 4, (1, 1, 4, 4)).astype(np.float32)
    text = convscope.link(layer, x, base="https://example.org/convscope")
    assert text.startswith("https://example.org/convscope/#in_channels=1&")
    page_layer, page_x = page_objects(parse_link(text))
    np.testing.assert_array_equal(page_layer.weight, layer.weight)
    np.testing.assert_array_equal(page_x, x)
    # a link of a page link is that link, presets and all
    hash_ = "#layer=max_pool2d&kernel_size=3&stride=None&padding=1&dilation=1&ceil_mode=false" \
            "&in_channels=2&input_size=6&batch=1&input=random&seed=4&step=0"
    assert convscope.link(hash_) == hash_
    # the page's own random weights (seed 0) need no cells; other ones with a bias cannot
    assert "weight_edits" not in convscope.link(convscope.Conv2d(1, 2, 3, padding=1, rng=0))
    with pytest.warns(UserWarning, match="bias"):
        convscope.link(convscope.Conv2d(1, 2, 3, padding=1, rng=1))


def test_the_widget_bundle_is_the_one_build_py_makes_from_web_js(dist, tmp_path):
    import build

    fresh = tmp_path / "convscope-widget.js"
    build.bundle_widget(dist, fresh)
    assert fresh.read_bytes() == build.WIDGET_BUNDLE.read_bytes(), (
        "py/convscope/notebook/convscope-widget.js is stale: run python3 build.py "
        "and commit it")
    # one self-contained module: no import of another file, nothing fetched
    text = fresh.read_text()
    assert "fetch(" not in text and "\nimport " not in text


def test_convscope_link_stays_the_function_beside_the_link_module():
    import importlib

    importlib.import_module("convscope.page.link")  # the module that reads links
    assert callable(convscope.link) and convscope.link("#padding=2").startswith("#in_channels=")
    from convscope.page.link import parse_link

    assert parse_link(convscope.link("#padding=2"))["padding"] == [2, 2]


def test_a_nan_that_wins_a_max_pool_travels_as_a_marker_json_can_carry():
    from convscope.notebook.session import Dispatcher

    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    x[0, 0, 0, 1] = np.nan
    widget = convscope.show(convscope.MaxPool2d(2), x)
    dispatcher = Dispatcher(widget)
    config = {key: value for key, value in widget._state.items() if key != "step"}
    dispatcher.answer({"id": 1, "session": "s", "method": "compute", "params": config})
    answer, _ = dispatcher.answer({"id": 2, "session": "s", "method": "step",
                                   "params": {"index": 0}})
    json.dumps(answer, allow_nan=False)  # what Jupyter's message packer demands
    assert answer["result"]["value"] == {"$float": "NaN"}


def test_python_writes_a_link_as_the_page_writes_it(dist):
    import subprocess

    node = shutil.which("node")
    assert node, "Node.js is needed (python3 build.py test installs it)"
    from convscope.page.link import format_link, parse_link

    hashes = [convscope.link(convscope.Conv2d(2, 1, (3, 2), stride=2, padding=1, bias=False,
                                              rng=3),
                             np.random.default_rng(0).standard_normal((1, 2, 3, 4))
                             .astype(np.float32)),
              convscope.link("#layer=conv_transpose2d&output_size=6&view=gather&input_size=3"),
              convscope.link(convscope.AvgPool2d(3, stride=1, padding=1, divisor_override=4))]
    # the page reads each link (state.js's parseHash) and writes it back (toHash) unchanged
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify("
              "JSON.parse(process.argv[2]).map(h => { const r = m.parseHash(h); "
              "return [m.toHash(r.state), r.notices]; }))))")
    page = subprocess.run([node, "-e", script, (dist / "js" / "state.js").as_uri(),
                           json.dumps(hashes)], capture_output=True, text=True, timeout=60,
                          check=True)
    for hash_, (again, notices) in zip(hashes, json.loads(page.stdout)):
        assert notices == [] and parse_link(again) == parse_link(hash_)
        assert format_link(parse_link(again)) == hash_


def test_the_widgets_link_is_its_view_on_the_page():
    from convscope.page.link import parse_link
    from convscope.notebook.shown import page_objects

    layer = convscope.Conv2d(1, 1, 3, bias=False, rng=2)
    widget = convscope.show(layer, input="digit", input_size=6)
    state = parse_link(widget.link("https://example.org/cs/").split("#", 1)[1])
    assert (state["input"], state["input_size"]) == ("digit", [6, 6])
    np.testing.assert_array_equal(page_objects(state)[0].weight, layer.weight)
    widget.x = np.full((1, 1, 4, 4), 0.5, np.float32)  # the input's settings give way to x
    page_layer, page_x = page_objects(parse_link(widget.link()))
    np.testing.assert_array_equal(page_x, widget.x)
