"""A new user's machine: the README's serve command needs nothing of the interpreter
that runs it but the standard library and pip, and a warm rebuild needs no network.

CI's machine may be as dirty as a developer's, so the test makes the new user itself:
a ``python -m venv`` of the base interpreter (carrying only what venv puts there), an
empty HOME, a copy of the repository. In that venv's site-packages, setuptools, wheel
and their helpers are replaced by packages that log any import of them and fail, so a
build that takes its build backend (or anything else) from the running interpreter
fails here, whatever versions the machine happens to have.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import threading
import urllib.request
import zipfile

import pytest
from conftest import ROOT

import build

# what a build must never import from the interpreter that runs it
POISONED = ("setuptools", "pkg_resources", "_distutils_hack", "wheel")
# the pinned downloads, verified by hash on every build: seeded to save ~80 MB per run
SEEDED = [build.PINS[name]["tarball"] for name in ("pyodide", *build.VENDORED, "esbuild")] + [
    build.PINS["numpy"]["wheel"]]
UNREACHABLE = "http://127.0.0.1:9/"  # the discard port: nothing answers


@pytest.fixture(scope="module")
def new_user(tmp_path_factory, dist):
    """(python, repository copy, environment, poison log, site-packages) of a fresh user."""
    home = tmp_path_factory.mktemp("home")
    root = tmp_path_factory.mktemp("new-user")
    python_home = root / "python"
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(python_home)], check=True)
    python = python_home / "bin" / "python"
    site_packages = pathlib.Path(subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip())
    log = root / "reached.log"
    for pth in site_packages.glob("distutils-precedence.pth"):
        pth.unlink()  # it imports _distutils_hack at every start
    for name in POISONED:
        package = site_packages / name
        shutil.rmtree(package, ignore_errors=True)
        package.mkdir()
        (package / "__init__.py").write_text(
            f"open({str(log)!r}, 'a').write({name!r} + '\\n')\n"
            f"raise ImportError('the build imported {name} from the running interpreter')\n")

    repo = root / "repo"
    tracked = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split("\0")
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    (repo / "build" / "cache").mkdir(parents=True)
    for name in SEEDED:
        shutil.copy2(build.CACHE / name, repo / "build" / "cache" / name)

    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8"}
    return python, repo, env, log, site_packages


def listing(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                  if "__pycache__" not in p.parts)


def serve_until_ready(python, repo, env, timeout=600):
    """Run `build.py serve --port 0`; returns (process, base URL) once it serves."""
    process = subprocess.Popen([python, "build.py", "serve", "--port", "0"], cwd=repo, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    timer = threading.Timer(timeout, process.kill)
    timer.start()
    lines = []
    try:
        for line in process.stderr:
            lines.append(line)
            if line.startswith("convscope: http://"):
                return process, line.split()[1]
    finally:
        timer.cancel()
    process.wait()
    pytest.fail(f"build.py serve stopped ({process.returncode}) before serving:\n"
                + "".join(lines[-40:]))


def test_serve_builds_and_serves_with_nothing_but_pip_in_a_new_users_python(new_user):
    python, repo, env, log, site_packages = new_user
    before = listing(site_packages)
    process, base = serve_until_ready(python, repo, env)
    try:
        with urllib.request.urlopen(base + "index.html") as response:
            assert b"convscope" in response.read()
        with urllib.request.urlopen(base + "pyodide/pyodide-lock.json") as response:
            assert "convscope" in response.read().decode()
    finally:
        process.kill()
        process.wait()
    assert not log.exists(), f"the build imported {log.read_text().split()}"
    assert listing(site_packages) == before, "the build installed into the running interpreter"
    # the backend came from pyproject.toml's pin, downloaded into the project's own cache
    assert sorted(p.name for p in (repo / "build" / "cache" / "build-backend").iterdir()) == \
        sorted(name for name in build.PINS["build_backend"] if name != "_comment")


def test_a_warm_rebuild_of_changed_sources_needs_no_network(new_user):
    python, repo, env, log, _ = new_user
    if not (repo / "build" / "cache" / "build-backend").is_dir():
        pytest.fail("needs the cache of the serve test before it")
    marker = "# changed by test_fresh_machine\n"
    with open(repo / "py" / "convscope" / "__init__.py", "a") as source:
        source.write(marker)
    offline = {**env, "PIP_INDEX_URL": UNREACHABLE, "PIP_RETRIES": "0", "PIP_TIMEOUT": "2",
               "npm_config_registry": UNREACHABLE, "npm_config_offline": "true"}
    completed = subprocess.run([python, "build.py"], cwd=repo, env=offline,
                               capture_output=True, text=True, timeout=600)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert "pip wheel" in completed.stderr  # the changed sources were built into a new wheel
    wheel, = (repo / "dist" / "pyodide").glob("convscope-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        assert archive.read("convscope/__init__.py").decode().endswith(marker)
    assert not log.exists(), f"the build imported {log.read_text().split()}"


def test_pyproject_build_requires_are_exactly_the_pinned_backend_wheels():
    import tomllib

    requires = tomllib.loads(build.PYPROJECT.read_text())["build-system"]["requires"]
    pinned = sorted(name for name in build.PINS["build_backend"] if name != "_comment")
    # each requirement is pinned with == (a range would let the download drift from the pin)
    assert all("==" in requirement for requirement in requires), requires
    assert sorted("-".join(r.replace("-", "_").split("==")) for r in requires) == \
        sorted("-".join(name.split("-")[:2]) for name in pinned)


def test_unchanged_sources_reuse_the_cached_wheel(monkeypatch):
    first = build.convscope_wheel()
    monkeypatch.setattr(build, "run", lambda *a, **k: pytest.fail(f"rebuilt: {a}"))
    assert build.convscope_wheel() == first
