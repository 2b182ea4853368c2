"""`python -m convscope summary model.py --input ...`: the table for course repositories,
checked against torch's recorded rows (tests/fixtures/model/) in every format."""

import csv
import io
import json
import os
import subprocess
import sys

import pytest
from conftest import ROOT
from fixture_sets import fixture_sets, load_set

from convscope.model.examples import EXAMPLES
from convscope.model.report import summary_text

CASES = load_set(fixture_sets(ROOT / "tests")["model"][0])[0]
# a class model and a nested Sequential with fields measured by autograd
CLASS_CASE = next(c for c in CASES if c["style"] == "class" and any(r["field"] for r in c["rows"]))
NESTED_CASE = next(c for c in CASES if "OrderedDict([" in c["code"] and
                   sum(bool(r["field"]) for r in c["rows"]) >= 3)


def summary(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    return subprocess.run([sys.executable, "-m", "convscope", "summary", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=60)


def written(tmp_path, case):
    path = tmp_path / "model.py"
    path.write_text(case["code"])
    return path, ",".join(map(str, case["input_shape"]))


@pytest.mark.parametrize("case", [CLASS_CASE, NESTED_CASE], ids=["class", "nested"])
def test_json_rows_are_torchs(case, tmp_path):
    path, shape = written(tmp_path, case)
    done = summary(path, "--input", shape, "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert len(report["rows"]) == len(case["rows"])
    for row, expected in zip(report["rows"], case["rows"]):
        assert row["output_shape"] == expected["output_shape"]
        assert row["parameters"] == expected["parameters"]
        assert row["macs"] == expected["macs"]
        if expected["field"]:
            assert {key: row[key] for key in expected["field"]} == expected["field"]
    assert report["totals"]["parameters"] == case["parameters"]


def test_csv_has_a_row_per_layer_with_torchs_numbers(tmp_path):
    path, shape = written(tmp_path, NESTED_CASE)
    done = summary(path, "--input", shape, "--format", "csv", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [int(r["parameters"]) for r in rows] == [r["parameters"] for r in NESTED_CASE["rows"]]
    assert [r["output_shape"] for r in rows] == \
        ["x".join(map(str, r["output_shape"])) for r in NESTED_CASE["rows"]]


def test_markdown_and_table_show_every_layer_and_the_totals(tmp_path):
    path, shape = written(tmp_path, CLASS_CASE)
    total = f"{CLASS_CASE['parameters']:,}"
    for form in ("markdown", "table"):
        done = summary(path, "--input", shape, "--format", form, cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        for row in CLASS_CASE["rows"]:
            assert "[" + ", ".join(map(str, row["output_shape"])) + "]" in done.stdout
        assert f"Total parameters: {total}" in done.stdout
    markdown = summary(path, "--input", shape, "--format", "markdown", cwd=tmp_path).stdout
    table_rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(table_rows) == 1 + len(CLASS_CASE["rows"])  # the header and one per layer


def test_model_file_is_parsed_never_run(tmp_path):
    marker = tmp_path / "ran"
    path = tmp_path / "model.py"
    path.write_text(f"import os\nopen({str(marker)!r}, 'w')\nmodel = nn.Sequential(nn.ReLU())\n")
    done = summary(path, "--input", "1,1,4,4", cwd=tmp_path)
    assert done.returncode == 1
    assert "line 1, column 1" in done.stderr and "nothing is imported" in done.stderr
    assert not marker.exists()


def test_shape_torch_refuses_names_the_layer(tmp_path):
    path = tmp_path / "model.py"
    path.write_text("[nn.Conv2d(3, 4, 3), nn.ReLU(), nn.Conv2d(5, 2, 3)]\n")
    done = summary(path, "--input", "1,3,8,8", cwd=tmp_path)
    assert done.returncode == 1
    assert "layer 2 (Conv2d(5, 2" in done.stderr and "5 channels" in done.stderr


def test_bad_input_shape_is_a_usage_error(tmp_path):
    path, _ = written(tmp_path, CLASS_CASE)
    done = summary(path, "--input", "1,three", cwd=tmp_path)
    assert done.returncode == 2 and "--input must be whole numbers" in done.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.key for e in EXAMPLES])
def test_shipped_examples_parse_and_summarise(example):
    from convscope.model import parse_model

    report = json.loads(summary_text(parse_model(example.code), example.input_shape, "json"))
    assert report["rows"] and report["totals"]["parameters"] > 0


def test_convscope_summary_prints_the_table_and_shows_html_in_a_notebook():
    import convscope

    case = NESTED_CASE
    shown = convscope.summary(case["code"], case["input_shape"])
    assert [list(row.output_shape) for row in shown.rows] == [r["output_shape"] for r in case["rows"]]
    assert [row.parameters for row in shown.rows] == [r["parameters"] for r in case["rows"]]
    assert str(shown) == summary_text(convscope.parse_model(case["code"]), case["input_shape"])
    html = shown._repr_html_()
    assert html.count("<tr>") == len(case["rows"]) + 1  # the header and a row per layer
    assert f"{shown.totals['parameters']:,}" in html
