"""A first visit downloads only the modules the engine imports; anything else is
fetched on its first import (build.py's split, py/import_fallback.py)."""

import gzip
import io
import json
import shutil
import subprocess
import tarfile
import zipfile

import build
import pytest
from conftest import ROOT, mirror_site, serve_directory
from playwright.sync_api import expect

RUNNER = ROOT / "tests" / "node" / "first_visit_python.mjs"

# modules no page imports: from the full standard library (a package the core lacks,
# and a submodule of a package the core has), and from NumPy's other files
ELSEWHERE = """
import json, sys
import xml.dom.minidom, encodings.cp437, email.mime.text
import numpy as np
p = np.polynomial.Polynomial([1, 2, 3])  # numpy.polynomial: not in the core
found = [xml.dom.minidom.parseString("<a>1</a>").documentElement.tagName,
         b"\\x80".decode("cp437"), float(p(2.0)), float(np.fft.fft([1.0, 0.0])[0].real)]
json.dumps({"found": found,
            "fallbacks": sum(type(f).__name__ == "RestOfTheLibraries" for f in sys.meta_path)})
"""


def first_visit_python(dist, code, *options):
    completed = subprocess.run([shutil.which("node"), str(RUNNER), str(dist), *options],
                               input=code, capture_output=True, text=True, timeout=300)
    lines = completed.stdout.strip().splitlines()
    return completed, json.loads(lines[-1]) if completed.returncode == 0 and lines else None


def test_an_import_outside_the_core_fetches_the_rest_once_and_works(dist):
    completed, result = first_visit_python(dist, ELSEWHERE, "--fallback")
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert result == {"found": ["a", "Ç", 17.0, 1.0], "fallbacks": 1}
    assert completed.stderr.count("fetching the rest") == 1


def test_a_module_that_exists_nowhere_fails_at_once_without_fetching(dist):
    # "try: import optional_thing" is common (NumPy's own __init__ does it)
    code = ("import json\ntry:\n    import no_such_module_anywhere\nexcept ImportError as e:\n"
            "    missing = e.name\nimport numpy._distributor_init\njson.dumps(missing)")
    completed, result = first_visit_python(dist, code, "--fallback")
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert result == "no_such_module_anywhere"
    assert "fetching the rest" not in completed.stderr


def test_without_the_fallback_those_imports_fail(dist):
    # proof the core is cut: the test above exercises the fallback, not a full library
    for module in ("xml.dom.minidom", "encodings.cp437", "numpy.polynomial"):
        completed, _ = first_visit_python(dist, f"import {module}\n'{{}}'")
        assert completed.returncode != 0
        assert "ModuleNotFoundError" in completed.stderr, completed.stderr[-2000:]


def test_the_engine_runs_on_the_core_alone(dist):
    # the build's own check (tools/prebake.mjs computes every prebuilt frame on the
    # core) made this dist/; here the whole workload, with no fallback installed
    workload = (ROOT / "tools" / "engine_workload.py").read_text()
    code = f"STATIC_IMPORTS = []\n{workload}\n'{{\"done\": true}}'"
    completed, result = first_visit_python(dist, code)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert result == {"done": True}


def tar_files(path):
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(path.read_bytes()))) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def test_core_and_rest_split_the_packages_without_loss_or_overlap(dist):
    runtime = dist / "pyodide"
    wheels = sorted(runtime.glob("*.whl"), key=lambda wheel: "convscope" in wheel.name)
    core, rest = tar_files(runtime / "site-packages.tar.gz"), tar_files(runtime / build.REST_PACKAGES)
    assert not set(core) & set(rest)
    assert {**core, **rest} == build.wheels_files(wheels)
    assert all(name.startswith("numpy") for name in rest)
    assert "numpy/_core/_multiarray_umath.cpython-312-wasm32-emscripten.so" in core
    assert "convscope/practice/exam.pyc" in core  # all of convscope
    assert len(rest) > 50


def test_core_stdlib_is_the_official_zip_cut_down_plus_the_fallback(dist):
    runtime = dist / "pyodide"
    with zipfile.ZipFile(runtime / "python_stdlib.zip") as full, \
            zipfile.ZipFile(runtime / build.CORE_STDLIB) as core:
        names = set(core.namelist()) - {"import_fallback.pyc", "import_fallback_modules.txt"}
        rest = set(core.read("import_fallback_modules.txt").decode().split())
        assert {"xml.dom.minidom", "encodings.cp437", "numpy.polynomial"} <= rest
        assert not {"json", "csv", "numpy", "numpy.random"} & rest
        # bytecode only (the next test checks it is the official sources' bytecode)
        assert all(name.endswith(".pyc") for name in names)
        sources = {name.removesuffix("c") for name in names}
        assert sources <= set(full.namelist())
        assert {"json/__init__.py", "csv.py", "dataclasses.py"} <= sources
        assert len(names) < len(full.namelist()) / 2


# in Pyodide's own Python: each .pyc of the core is what that Python compiles from the
# official source (the fallback's from py/import_fallback.py), checked by nothing at run
# time (unchecked hash-based), where zipimport finds it
SAME_BYTECODE = """
import importlib.util, io, json, marshal, sys, zipfile
place = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
full = zipfile.ZipFile(io.BytesIO(read_file("python_stdlib.zip").to_bytes()))
core = zipfile.ZipFile(place.rstrip("/"))
sources = {name: full.read(name) for name in full.namelist()}
sources["import_fallback.py"] = FALLBACK.encode()
wrong = []
for name in core.namelist():
    if not name.endswith(".pyc"):
        continue
    source, pyc = sources[name.removesuffix("c")], core.read(name)
    expected = compile(source, place + name.removesuffix("c"), "exec", dont_inherit=True)
    if (pyc[:4] != importlib.util.MAGIC_NUMBER or int.from_bytes(pyc[4:8], "little") != 0b01
            or pyc[8:16] != importlib.util.source_hash(source)
            or marshal.loads(pyc[16:]) != expected):
        wrong.append(name)
json.dumps({"compiled": sum(name.endswith(".pyc") for name in core.namelist()), "wrong": wrong})
"""


def test_core_stdlib_bytecode_is_compiled_from_the_official_sources(dist):
    fallback = (ROOT / "py" / "import_fallback.py").read_text()
    code = f"FALLBACK = {fallback!r}\n{SAME_BYTECODE}"
    completed, result = first_visit_python(dist, code, "--fallback")
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert result["wrong"] == []
    assert result["compiled"] > 100


def test_static_imports_name_imports_inside_functions_too(tmp_path):
    (tmp_path / "a.py").write_text("import json\nfrom x.y import z\ndef f():\n    import csv\n"
                                   "    from . import local\n")
    assert build.static_imports(tmp_path) == ["csv", "json", "x.y", "x.y.z"]


@pytest.mark.browser
def test_in_the_browser_a_module_missing_from_the_core_is_fetched_and_the_page_works(
        page, dist, tmp_path):
    # as if the build had left csv (which convscope imports at start) out of the
    # core: the worker's fallback fetches the full zip with a synchronous request and
    # the engine starts
    site = mirror_site(dist, tmp_path / "site", skip={build.CORE_STDLIB})
    with zipfile.ZipFile(dist / "pyodide" / build.CORE_STDLIB) as core, \
            zipfile.ZipFile(site / "pyodide" / build.CORE_STDLIB, "w") as cut:
        for info in core.infolist():
            if info.filename == "import_fallback_modules.txt":
                cut.writestr(info, core.read(info) + b"csv\n")
            elif info.filename != "csv.pyc":
                cut.writestr(info, core.read(info))
    server, url = serve_directory(site)
    try:
        page.goto(f"{url}index.html#kernel_size=2&step=3")
        expect(page.locator("#app")).to_have_attribute("data-state", "ready", timeout=60_000)
        expect(page.get_by_test_id("torch-code")).to_contain_text("nn.Conv2d(")
        assert "/pyodide/python_stdlib.zip" in server.request_log
        assert f"/pyodide/{build.REST_PACKAGES}" in server.request_log
    finally:
        server.shutdown()
