"""Everything the page's worker asks of the engine, once: run in Pyodide at build time
(tools/find_imports.mjs) to learn which modules of the standard library and of NumPy a
visit imports. Those go into the archives a first visit downloads; the rest stays on
the server and is fetched only if something imports it (convscope.import_fallback).

``STATIC_IMPORTS`` (set by the tool before this runs): every module named by an import
statement anywhere in convscope's source, found by build.py with ``ast``, so an import
inside a function that this workload does not reach is covered too.
"""

import importlib
import pkgutil

import convscope
from convscope.kinds import KINDS
from convscope.methods import answer
from convscope.page.session import Session
from convscope.page.settings import DATA_ARGUMENTS, manifest
from convscope.page.warm_up import exercise, kind_defaults, warm_up

for name in [*STATIC_IMPORTS, *(info.name for info in pkgutil.walk_packages(  # noqa: F821
        convscope.__path__, "convscope."))]:
    try:
        importlib.import_module(name)
    except ImportError:
        pass  # not in a browser (e.g. the notebook widget's anywidget): never imported there

manifest()
# what the code-cache worker runs after a first visit (web/js/code-cache.js)
assert warm_up(rounds=1) == 2 * len(KINDS)


for kind in KINDS.values():
    arguments = (*kind.arguments, *DATA_ARGUMENTS)
    defaults = {**kind_defaults(kind), "batch": 2, "input_size": [6, 7],
                "input_edits": [[0, 0, 0, 0, 1.5]]}
    assert exercise(Session(), defaults), kind.name
    picture = Session()
    picture.set_picture(bytes(range(256)) * 4, 16, 16)
    assert exercise(picture, {**defaults, "input": "picture"}), kind.name
    # every choice of every setting, one at a time, with the settings it applies with
    # (``when``): padding modes, presets, the backward pass's gradients and upstreams,
    # and any setting a kind adds, unchanged
    for argument in arguments:
        for choice in argument.choices:
            exercise(Session(), {**defaults, **dict(argument.when), argument.name: choice})
    # a refusal, as the page shows it
    assert "error" in Session().compute({**defaults, "input_size": [0, 0]})

session = Session()
for level in ("easy", "medium", "hard"):
    for index in range(12):
        answer(session, "practice", {"seed": 1, "level": level, "index": index, "answer": "3"})
answers = []
for index in range(10):
    answer(session, "practice", {"seed": 2, "index": index, "answer": "1, 2", "test": True})
    answers.append("1")
answer(session, "practice_result", {"seed": 2, "answers": answers, "hinted": [False] * 10})

# model mode: every shipped example summarised (its feature maps), a field, practice,
# and each steppable layer's visualizer on its real input
session = Session()


def model(request: dict) -> dict:
    return answer(session, "model", request)


examples = model({"action": "examples"})["examples"]
for example in examples:
    summary = model({"action": "summary", "code": example["code"],
                     "input_shape": example["input_shape"]})
    assert "error" not in summary and "code_error" not in summary, example["key"]
    model({"action": "field", "index": 0, "row": 0, "col": 0})
    for index in range(len(summary["rows"])):
        if "error" not in model({"action": "layer", "index": index}):
            session.step(0)
            session.touching(0, 0, 0)
            session.script()
    model({"action": "practice", "seed": 1, "index": 0, "answer": "1"})
assert "code_error" in model({"action": "summary", "code": "nn.Conv2d(1,",
                              "input_shape": [1, 1, 8, 8]})
