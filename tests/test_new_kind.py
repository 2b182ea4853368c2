"""A layer kind is one module: a kind defined here, and nowhere else, reaches the page's
manifest and state, links, the step table, the payload contract, model mode and practice.

``SumPool2d`` (a k×k window summed, stride k) is no torch layer: it stands in for the
next kind. Its values are checked against a plain loop.
"""

import json
import math
import shutil
import subprocess

import numpy as np
import pytest

from convscope import methods
from convscope.kinds import KINDS, register
from convscope.kinds.base import Argument, LayerKind, Run, cells, pack, step_position, table_text
from convscope.kinds.payload import STEP, VIEW, problems
from convscope.model import parse_model
from convscope.page.link import defaults, format_link, parse_link
from convscope.page.session import Session
from convscope.page.settings import manifest
from convscope.practice import all_topics, generate, question
from convscope.text import number


class SumPool2d:
    """Each k×k window of each channel, summed; stride k, no padding."""

    parameter_count = 0

    def __init__(self, kernel_size=2):
        self.kernel_size = kernel_size

    def output_shape(self, input_shape):
        *lead, height, width = input_shape
        return (*lead, height // self.kernel_size, width // self.kernel_size)

    def __call__(self, x):
        k = self.kernel_size
        *lead, out_h, out_w = self.output_shape(x.shape)
        cut = x[..., :out_h * k, :out_w * k]
        return cut.reshape(*lead, out_h, k, out_w, k).sum(axis=(-3, -1))

    def mac_count(self, input_shape):
        return math.prod(self.output_shape(input_shape)) * self.kernel_size ** 2

    def __repr__(self):
        return f"SumPool2d(kernel_size={self.kernel_size})"


class SumRun(Run):
    def __init__(self, kind, config, layer, x):
        self.kind, self.config, self.layer, self.x = kind, config, layer, x
        self.output = layer(x)
        self.steps = self.output.size

    def view(self):
        k, (n, c, h, w) = self.layer.kernel_size, self.x.shape
        out = self.output.shape
        return {"layer": self.kind.name, "torch_line": self.kind.torch_line(self.config),
                "repr": repr(self.layer), "input_shape": list(self.x.shape),
                "output_shape": list(out), "weight_shape": None, "bias_shape": None,
                "parameter_count": 0, "mac_count": self.layer.mac_count(self.x.shape),
                "formula_h": f"H_out = ⌊H_in / k⌋ = ⌊{h} / {k}⌋ = {out[2]}",
                "formula_w": f"W_out = ⌊W_in / k⌋ = ⌊{w} / {k}⌋ = {out[3]}",
                "steps": self.steps, "input": pack(self.x), "padded": pack(self.x),
                "sides": [0, 0, 0, 0], "row_sources": list(range(h)),
                "col_sources": list(range(w)), "output": pack(self.output)}

    def window(self, index):
        n, c, y, x = step_position(index, self.output.shape)
        k = self.layer.kernel_size
        return (n, c, y, x), range(y * k, y * k + k), range(x * k, x * k + k)

    def step(self, index):
        (n, c, y, x), rows, cols = self.window(index)
        values = self.x[n, c, rows.start:rows.stop, cols.start:cols.stop]
        value = self.output[n, c, y, x]
        return {"index": int(index) % self.steps, "position": [n, c, y, x],
                "title": f"output[{n}, {c}, {y}, {x}]", "reads": cells([c], rows, cols),
                "writes": cells([c], [y], [x]), "value": float(value),
                "value_text": number(value),
                "equation": " + ".join(number(v) for v in values.ravel()) + f" = {number(value)}",
                "spoken": f"output[{n}, {c}, {y}, {x}] = {number(value)}: a window's sum"}

    def touching(self, channel, row, col):
        k = self.layer.kernel_size
        inside = row // k < self.output.shape[2] and col // k < self.output.shape[3]
        return cells([channel], [row // k] if inside else [], [col // k] if inside else [])

    def snippet(self):
        return f"# {self.kind.torch_line(self.config)} is no torch layer\n"

    def table(self, form):
        rows = []
        for index in range(self.steps):
            (n, c, y, x), _, _ = self.window(index)
            rows.append({"n": n, "c": c, "y": y, "x": x,
                         "value": self.output[n, c, y, x].item()})
        return table_text(rows, form)


class SumPoolKind(LayerKind):
    name = "sum_pool2d"
    title = "SumPool2d"
    summary = "the sum of each k×k window of each channel"
    layer_class = SumPool2d
    arguments = (Argument("kernel_size", "int", 2, positional=True),
                 Argument("in_channels", "int", 1, data=True))

    def layer(self, config, rng=None):
        return SumPool2d(config["kernel_size"])

    def torch_line(self, config):
        return f"nn.SumPool2d({config['kernel_size']})"

    def run(self, config, layer, x):
        return SumRun(self, config, layer, x)

    def check_work(self, layer, input_shape):
        pass  # a window of k×k sums: nothing a tab cannot take within the page's caps

    def window(self, layer, input_shape):
        k = layer.kernel_size
        return (k, k), (k, k), (0, 0), (1, 1)

    def practice_setup(self, rng, level):
        side = rng.choice([4, 6, 8, 9])
        return {"kernel_size": rng.choice([2, 3])}, (1, rng.choice([1, 3]), side, side)


def plain_sum_pool(x, k):
    """The reference: every window summed cell by cell."""
    n, c, h, w = x.shape
    out = np.zeros((n, c, h // k, w // k), x.dtype)
    for i in np.ndindex(out.shape):
        for dy in range(k):
            for dx in range(k):
                out[i] += x[i[0], i[1], i[2] * k + dy, i[3] * k + dx]
    return out


@pytest.fixture()
def sum_pool():
    kind = register(SumPoolKind())
    yield kind
    del KINDS[kind.name]


LINK = "#layer=sum_pool2d&kernel_size=3&in_channels=2&input_size=7x6&batch=2&input=random&seed=4"


def test_links_and_the_page_session(sum_pool):
    config = parse_link(LINK)
    assert config["layer"] == "sum_pool2d" and config["kernel_size"] == 3
    assert parse_link(format_link(config)) == config
    assert defaults("sum_pool2d")["kernel_size"] == 2
    session = Session()
    view = session.compute(config)
    x = np.random.default_rng(4).integers(-4, 5, (2, 2, 7, 6)).astype(np.float32)
    expected = plain_sum_pool(x, 3)
    output = np.frombuffer(view["output"]["data"]).reshape(view["output"]["shape"])
    np.testing.assert_array_equal(output, expected)
    assert problems(view, VIEW) == []
    last = session.step(-1)
    assert problems(last, STEP) == [] and last["value"] == expected[1, 1, 1, 1]
    assert session.touching(0, 4, 5) == {"channels": [0], "rows": [1], "cols": [1]}
    # the step table and the method table the worker and the kernel answer through
    table = json.loads(methods.answer(session, "table", {"format": "json"})["text"])
    assert len(table["rows"]) == expected.size and table["rows"][-1]["value"] == expected[1, 1, 1, 1]
    assert methods.answer(session, "table", {"format": "csv"})["text"].startswith("n,c,y,x,value")
    # the page's refusals work for it too
    assert "error" in Session().compute({**config, "in_channels": 99})


def test_the_pages_manifest_and_state(sum_pool, dist, tmp_path):
    """The build writes manifest() to js/kinds.js: with the kind in it, the page's own
    state.js (run in Node) knows its keys, defaults and links."""
    kinds = manifest()
    assert "sum_pool2d" in [kind["name"] for kind in kinds["kinds"]]
    js = tmp_path / "js"
    shutil.copytree(dist / "js", js)
    (js / "kinds.js").write_text(f"export default {json.dumps(kinds)};\n")
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify({defaults: "
              "m.defaults('sum_pool2d'), parsed: m.parseHash(process.argv[2])})))")
    page = subprocess.run(["node", "-e", script, (js / "state.js").as_uri(), LINK],
                          capture_output=True, text=True, timeout=60, check=True)
    answer = json.loads(page.stdout)
    assert answer["defaults"]["kernel_size"] == 2
    state = answer["parsed"]["state"]
    assert answer["parsed"]["notices"] == []
    assert (state["layer"], state["kernel_size"], state["input_size"]) == ("sum_pool2d", 3, [7, 6])


def test_model_mode(sum_pool):
    code = "nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.SumPool2d(2))"
    model = parse_model(code)
    rows = model.summary((1, 1, 8, 8))
    assert rows[-1].output_shape == (1, 2, 4, 4)
    assert rows[-1].receptive_field == (4, 4) and rows[-1].jump == (2, 2)
    session = Session()
    summary = methods.answer(session, "model", {"action": "summary", "code": code,
                                                "input_shape": [1, 1, 8, 8]})
    assert summary["rows"][-1]["steppable"] is True
    view = methods.answer(session, "model", {"action": "layer", "index": 2})
    assert view["layer"] == "sum_pool2d" and problems(view, VIEW) == []
    relu_output = session.held["model"].activations[1]
    output = np.frombuffer(view["output"]["data"]).reshape(view["output"]["shape"])
    np.testing.assert_allclose(output, plain_sum_pool(relu_output, 2), rtol=1e-6)


def test_practice(sum_pool):
    topic = "sum_pool2d_output_shape"
    assert all_topics()[-1] == topic
    asked = generate(topic, "medium", "any")
    k = asked.layer["kernel_size"]
    n, c, h, w = asked.layer["batch"], asked.layer["in_channels"], *asked.layer["input_size"]
    assert asked.answer == f"[{n}, {c}, {h // k}, {w // k}]"
    # the first round of a set reaches it, and the page asks it through the method table
    index = all_topics().index(topic)
    assert question(0, index, "easy").topic == topic
    shown = methods.answer(Session(), "practice", {"seed": 0, "level": "easy", "index": index,
                                                   "answer": question(0, index, "easy").answer})
    assert shown["marking"]["correct"] is True


def test_without_the_kind_nothing_knows_it():
    """The registry is the only place: the fixture above leaves nothing behind."""
    assert "sum_pool2d" not in KINDS and "sum_pool2d_output_shape" not in all_topics()
    with pytest.raises(ValueError):
        parse_link("#layer=sum_pool2d")
