"""Model mode: parse_model against torch's recorded models (tests/fixtures/model/), the
receptive-field arithmetic against a plain-loop reference, and hostile code refused."""

import ast
import builtins
import json
import re
import time

import numpy as np
import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_check, load_set

from convscope import methods
import convscope
from convscope.model import LAYERS, LayerError, ModelCodeError, parse_model
from convscope.limits import MAX_CHARACTERS

FOLDER, CHECK_PATH = fixture_sets(ROOT / "tests")["model"]
CASES, ERRORS, _ = load_set(FOLDER)
check = load_check("model", CHECK_PATH)
IDS = [c["name"] for c in CASES]


@pytest.fixture(scope="module")
def arrays():
    return load_set(FOLDER)[2]


# --- torch fixtures ------------------------------------------------------------------------

def test_fixture_set_covers_the_issue():
    """>= 100 models, every supported layer, nested and named Sequentials, class models,
    and receptive fields measured by autograd on many rows (not only 1x1 ones)."""
    assert len(CASES) >= 100
    code = "\n".join(c["code"] for c in CASES)
    for name in LAYERS:
        assert f"nn.{name}(" in code, name
    assert "OrderedDict([" in code and code.count("nn.Sequential(") > len(CASES)
    for form in ("class Net(nn.Module)", "F.relu(", "torch.flatten(x, 1)",
                 "x.view(x.size(0), -1)"):
        assert form in code, form
    fields = [row["field"] for c in CASES for row in c["rows"] if row["field"]]
    assert sum(max(f["receptive_field"]) > 1 for f in fields) >= 100
    assert sum(max(f["jump"]) > 1 for f in fields) >= 50


@pytest.mark.parametrize("config", CASES, ids=IDS)
def test_rows_match_torch_shapes_parameters_and_macs(config, arrays):
    check.check_rows(config, arrays)
    check.check_repr(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=IDS)
def test_receptive_fields_match_autograd(config, arrays):
    check.check_fields(config, arrays)


@pytest.mark.parametrize("config", CASES, ids=IDS)
def test_forward_matches_torch(config, arrays):
    check.check_forward(config, arrays)


@pytest.mark.parametrize("error", ERRORS, ids=[e["name"] for e in ERRORS])
def test_first_refusing_layer_is_named(error):
    check.check_error(error)



# --- receptive fields: a plain-loop reference ---------------------------------------------

def reference_field(windows):
    """Follow one output cell back through (kernel, stride, pad, dilation) windows, one
    axis, by listing the input cells it reads: the textbook definition, no formula."""
    def cells(layer, position):
        if layer < 0:
            return {position}
        kernel, stride, pad, dilation = windows[layer]
        reads = set()
        for tap in range(kernel):
            reads |= cells(layer - 1, position * stride - pad + tap * dilation)
        return reads
    last = len(windows) - 1
    first, second = cells(last, 0), cells(last, 1)
    return (max(first) - min(first) + 1, min(second) - min(first),
            (max(first) + min(first)) / 2)


@pytest.mark.parametrize("windows", [
    [(5, 1, 0, 1), (2, 2, 0, 1), (5, 1, 0, 1), (2, 2, 0, 1)],   # LeNet-5
    [(7, 2, 3, 1), (3, 2, 1, 1)],                                # ResNet stem
    [(3, 1, 1, 2), (3, 2, 0, 3), (1, 1, 0, 1), (2, 3, 1, 1)],
])
def test_receptive_field_matches_listing_the_cells(windows):
    layers = ", ".join(f"nn.Conv2d(1, 1, {k}, stride={s}, padding={p}, dilation={d})"
                       for k, s, p, d in windows)
    row = parse_model(f"nn.Sequential({layers})").summary((1, 1, 200, 200))[-1]
    field, jump, start = reference_field(windows)
    assert row.receptive_field == (field, field)
    assert row.jump == (jump, jump)
    assert row.start == (start, start)


def test_clicked_cell_boxes_the_cells_it_reads_on_every_map():
    """The page's field boxes equal the cells the plain loop lists, layer by layer."""
    from convscope.model.page import ModelPage
    from convscope.page.session import Session

    windows = [(3, 2, 1, 1), (3, 1, 0, 2), (2, 2, 0, 1)]
    layers = ", ".join(f"nn.Conv2d(1, 1, {k}, stride={st}, padding={p}, dilation={d})"
                       for k, st, p, d in windows)
    page, session = ModelPage(), Session()
    answer = page.answer({"action": "summary", "code": f"[{layers}]",
                          "input_shape": [1, 1, 40, 40]}, session)
    out_h = answer["rows"][-1]["output_shape"][2]
    boxes = page.answer({"action": "field", "index": 2, "row": out_h - 1, "col": 3},
                        session)["boxes"]
    for depth in range(len(windows) + 1):  # the box on the input, then each layer's output
        rows = {r for r in reference_cells(windows[depth:], out_h - 1) if 0 <= r}
        cols = {c for c in reference_cells(windows[depth:], 3) if 0 <= c}
        size = 40 if depth == 0 else answer["rows"][depth - 1]["output_shape"][2]
        rows, cols = {r for r in rows if r < size}, {c for c in cols if c < size}
        assert boxes[depth] == [min(rows), max(rows), min(cols), max(cols)], depth


def reference_cells(windows, position):
    """The cells of the map before ``windows`` that ``position`` after them reads."""
    cells = {position}
    for kernel, stride, pad, dilation in reversed(windows):
        cells = {p * stride - pad + tap * dilation for p in cells for tap in range(kernel)}
    return cells


def test_layers_without_one_window_end_the_field():
    rows = parse_model("[nn.Conv2d(1, 2, 3), nn.Upsample(scale_factor=2), nn.Conv2d(2, 2, 3),"
                       " nn.Flatten(), nn.Linear(2 * 8 * 8, 3)]").summary((1, 1, 7, 7))
    assert [row.receptive_field for row in rows] == [(3, 3), None, None, None, None]


# --- Sequential ---------------------------------------------------------------------------

def test_sequential_indexing_and_assignment():
    model = parse_model("nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Linear(4, 2))")
    assert len(model) == 3 and repr(model[1]) == "ReLU()" and repr(model[-1]).startswith("Linear")
    model[0].weight = np.ones((2, 1, 3, 3))
    assert model[0].weight.dtype == np.float32 and model[0].weight.sum() == 18
    assert len(model[1:]) == 2
    with pytest.raises(ValueError, match="out of range"):
        model[3]


def test_same_seed_same_weights_other_seed_other_weights():
    code = "nn.Sequential(nn.Conv2d(1, 2, 3), nn.Linear(3, 2))"
    first, again, other = parse_model(code), parse_model(code), parse_model(code, seed=1)
    np.testing.assert_array_equal(first[0].weight, again[0].weight)
    assert not np.array_equal(first[0].weight, other[0].weight)
    assert not np.array_equal(first[0].weight.ravel()[:6], first[1].weight.ravel())


def test_layer_used_twice_counts_its_parameters_once():
    model = parse_model("""
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 2, 3, padding=1)

    def forward(self, x):
        return self.conv(F.relu(self.conv(x)))
""")
    assert [path for path, _ in model.layers()] == ["conv", "relu", "conv_2"]
    assert model.parameter_count == 2 * 2 * 9 + 2


# --- parse errors: where and what ---------------------------------------------------------

@pytest.mark.parametrize("code, line, column, words", [
    ("nn.Sequential(\n    nn.Conv2d(1, 2, 3),\n    nn.Conv3d(2, 2, 3),\n)", 3, 5, "Conv2d"),
    ("model = nn.Sequential(nn.Conv2d(1, 2, kernel_size=k))", 1, 51, "literal"),
    ("nn.Sequential(nn.Conv2d(1, 2, 3, paddin=1))", 1, 15, "paddin"),
    ("nn.Sequential(nn.Conv2d(1, 2, 0))", 1, 15, "kernel size"),
    ("nn.Sequential(nn.ReLU(),\n  nn.Conv2d(1, 2, 3)", 1, 14, "syntax"),
    ("x = 'é'; nn.Sequential(nn.Foo())", 1, 24, "expected a layer"),
])
def test_error_names_line_column_and_what_is_supported(code, line, column, words):
    with pytest.raises(ModelCodeError) as raised:
        parse_model(code)
    error = raised.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (line, column), str(error)
    assert words.lower() in str(error).lower()
    assert str(error).startswith(f"line {line}, column {column}:")


# --- hostile code -------------------------------------------------------------------------

HOSTILE = {
    "import": "import os\nos.system('touch /tmp/convscope-pwned')",
    "from import": "from subprocess import run",
    "dunder": "nn.Sequential(nn.ReLU().__class__.__bases__[0].__subclasses__())",
    "dunder in forward": ("class Net(nn.Module):\n    def __init__(self):\n        super()"
                          ".__init__()\n        self.a = nn.ReLU()\n    def forward(self, x):"
                          "\n        return x.__class__(x)"),
    "unknown call": "nn.Sequential(open('/etc/passwd'))",
    "eval": "model = eval('nn.ReLU()')",
    "builtins in argument": "nn.Sequential(nn.Conv2d(__import__('os').getpid(), 2, 3))",
    "lambda": "nn.Sequential((lambda: 1)())",
    "huge int": "nn.Sequential(nn.Conv2d(1, 10**100, 3))",
    "huge int literal": "nn.Sequential(nn.Conv2d(1, " + "9" * 4000 + ", 3))",
    "huge product": "nn.Sequential(nn.Conv2d(60000, 60000, 9))",
    "huge tuple": "nn.Sequential(nn.ZeroPad2d((" + "1, " * 10_000 + ")))",
    "huge string": "nn.Sequential(nn.Conv2d(1, 2, 3, padding_mode='" + "z" * 10_000 + "'))",
    "deep nesting": "nn.Sequential(" * 500 + ")" * 500,
    "deep brackets": "(" * 100_000 + ")" * 100_000,
    "long chain": "x = a" + ".b" * 40_000,
    "long sum": "nn.Sequential(nn.Conv2d(1, 2, " + "1 + " * 20_000 + "1))",
    "many layers": "nn.Sequential(" + "nn.ReLU(), " * 5_000 + ")",
    "1 MB": "# " + "x" * 1_000_000,
    "walrus": "nn.Sequential(nn.Conv2d((y := 1), 2, 3))",
    "for loop": "for i in range(10**9): pass",
    "class with other method": ("class Net(nn.Module):\n    def __init__(self):\n        "
                                "super().__init__()\n    def forward(self, x):\n        "
                                "return x\n    def __del__(self):\n        import os"),
}


def spy(name, original, calls):
    """``original`` recording its calls; ast.parse's compile(..., PyCF_ONLY_AST) gives a
    syntax tree, nothing runnable, and convscope's own relative imports are not the user's."""
    def recorded(*args, **kwargs):
        flags = args[3] if len(args) > 3 else kwargs.get("flags", 0)
        only_tree = name == "compile" and flags & ast.PyCF_ONLY_AST
        own = name == "__import__" and (len(args) > 4 and args[4] > 0)
        if not (only_tree or own):
            calls.append((name, args[:1]))
        return original(*args, **kwargs)
    return recorded


@pytest.mark.parametrize("code", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_code_is_refused_quickly_without_side_effects(code):
    names = ("eval", "exec", "compile", "__import__", "open")
    calls, originals = [], {name: getattr(builtins, name) for name in names}
    spies = {name: spy(name, original, calls) for name, original in originals.items()}
    started, refusal = time.perf_counter(), None
    try:
        for name, recorded in spies.items():
            setattr(builtins, name, recorded)
        parse_model(code)
    except ModelCodeError as error:
        refusal = error
    finally:
        for name, original in originals.items():
            setattr(builtins, name, original)
    elapsed = time.perf_counter() - started
    assert refusal is not None, "accepted"
    assert elapsed < 1.0, elapsed  # ~0.1 s unloaded; room for a busy machine
    assert calls == [], calls  # nothing evaluated, imported or opened
    assert re.match(r"line \d+, column \d+: .{15,}", str(refusal)), str(refusal)
    assert len(str(refusal)) < 2_000  # the refusal does not echo the payload


def test_size_limit_is_checked_before_parsing():
    assert MAX_CHARACTERS <= 100_000
    with pytest.raises(ModelCodeError, match="limited to 100,000 characters"):
        parse_model("x" * (MAX_CHARACTERS + 1))


def test_convscope_exports_model_mode_lazily():
    assert convscope.parse_model is parse_model
    assert "Sequential" in convscope.__all__
    shipped = json.loads(json.dumps(convscope.__all__))
    assert "parse_model" in shipped


def test_summary_refuses_with_the_failing_layer_index():
    model = parse_model("[nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(5, 2, 3)]")
    with pytest.raises(LayerError) as raised:
        model.summary((1, 3, 8, 8))
    assert raised.value.index == 2 and raised.value.path == "2"
    assert "expected input[1, 4, 6, 6] to have 5 channels" in str(raised.value)


# --- practice on the model in the editor ---------------------------------------------------

@pytest.mark.parametrize("config", CASES[:30], ids=IDS[:30])
def test_practice_answers_are_torchs(config):
    """Each kind of question on a recorded model has torch's answer (shape, parameters)
    or autograd's (receptive field, where measured)."""
    from convscope.model.practice import mark, model_question

    model = parse_model(config["code"])
    rows = model.summary(config["input_shape"])
    for index in range(9):
        asked = model_question(model, rows, tuple(config["input_shape"]), 3, index)
        layer = int(re.search(r"layer (\d+) ", asked["prompt"]).group(1)) \
            if "layer " in asked["prompt"] else None
        expected = config["rows"][layer] if layer is not None else None
        if asked["topic"] == "shape_after":
            answer = "x".join(map(str, expected["output_shape"]))
        elif asked["topic"] == "parameter_count":
            answer = str(expected["parameters"] if expected else 0)
        elif expected["field"] is None:
            continue  # autograd could not measure it (a clipped box)
        else:
            answer = "x".join(map(str, expected["field"]["receptive_field"]))
        assert mark(asked, answer)["correct"], (asked, answer)
        assert not mark(asked, answer + "1")["correct"]


def test_named_numbers_at_the_top_read_as_their_values():
    named = parse_model("nz, ngf = 100, 32\nnc = 3\n"
                        "g = nn.Sequential(nn.ConvTranspose2d(nz, ngf * 8, 4), "
                        "nn.ConvTranspose2d(ngf * 8, nc, 4))")
    written = parse_model("nn.Sequential(nn.ConvTranspose2d(100, 256, 4), "
                          "nn.ConvTranspose2d(256, 3, 4))")
    assert repr(named) == repr(written)
    with pytest.raises(ModelCodeError, match="line 2, column 28: only literal"):
        parse_model("a = 5\nnn.Sequential(nn.Conv2d(a, b, 3))")


def test_feature_maps_come_from_the_users_picture_when_given():
    """The model page runs the picture the visualizer would scale, not the test card."""
    from convscope.model.examples import BY_KEY
    from convscope.page.pictures import scale_picture
    from convscope.page.session import Session

    session = Session()
    rgba = np.random.default_rng(5).integers(0, 256, (20, 30, 4), dtype=np.uint8)
    assert "error" not in session.set_picture(rgba.tobytes(), 30, 20)
    example = BY_KEY["tiny_vgg"]
    answer = methods.answer(session, "model", {"action": "summary", "code": example.code,
                            "input_shape": list(example.input_shape)})
    assert answer["input_name"] == "your picture"
    expected = scale_picture(rgba.tobytes(), 30, 20, (64, 64), 3)[None]
    np.testing.assert_array_equal(session.held["model"].input, expected)
    model = parse_model(example.code)  # the same seeded weights: the same activations
    np.testing.assert_array_equal(session.held["model"].activations[-1], model(expected))


@pytest.mark.parametrize("step, shape", [
    ("torch.flatten(x)", (96,)), ("torch.flatten(x, 1)", (2, 48)),
    ("torch.flatten(x, start_dim=2)", (2, 3, 16)), ("x.flatten(1)", (2, 48)),
    ("x.flatten()", (96,)), ("x.view(x.size(0), -1)", (2, 48)),
])
def test_flatten_steps_in_forward_start_where_torch_starts(step, shape):
    model = parse_model("class Net(nn.Module):\n    def __init__(self):\n        super()"
                        ".__init__()\n        self.a = nn.ReLU()\n    def forward(self, x):\n"
                        f"        x = self.a(x)\n        return {step}\n")
    x = np.arange(96, dtype=np.float32).reshape(2, 3, 4, 4)
    assert model.summary(x.shape)[-1].output_shape == shape
    np.testing.assert_array_equal(model(x), x.reshape(shape))  # a flatten keeps the order
