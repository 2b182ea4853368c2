"""Shared test setup: import convscope from the source tree, load the torch fixtures."""

import json
import pathlib
import sys

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(FIXTURES))
sys.path.insert(0, str(ROOT))  # build.py: the site's build and static server

CASES = json.loads((FIXTURES / "cases.json").read_text())
ERRORS = json.loads((FIXTURES / "errors.json").read_text())


@pytest.fixture(scope="session")
def arrays():
    with np.load(FIXTURES / "arrays.npz") as data:
        return {key: data[key] for key in data.files}


@pytest.fixture(scope="session")
def dist():
    """The built site; built here when a bare `pytest` runs before any build."""
    import build

    if not (build.DIST / "pyodide" / "pyodide-lock.json").exists():
        build.build()
    return build.DIST


# --- browser tests: Debian chromium driven by Playwright ------------------------------------

CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync",
                  # any host but 127.0.0.1 fails to resolve: no request can leave this machine
                  "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
ARTIFACTS = ROOT / "test-artifacts"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import shutil

    chromium = shutil.which("chromium")
    if not chromium:
        pytest.fail("Debian chromium is needed: apt-get install chromium "
                    "(python3 build.py test installs it)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def site(dist):
    """dist/ served on 127.0.0.1; ``site.url`` is its base, ``site.log`` every path asked."""
    import threading
    import types

    import build

    server = build.make_server(dist, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield types.SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}/",
                                log=server.request_log)
    server.shutdown()


@pytest.fixture
def watched_page(page, site):
    """A page whose console errors, page errors and requests are recorded.

    After the test: no console error, no uncaught exception, no request off the site.
    """
    page.errors, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    assert page.errors == []
    assert [url for url in page.requests if not url.startswith(site.url)] == []


def open_view(page, site, hash_="", state="ready"):
    """Open the visualizer at ``hash_`` and wait until the engine drew it."""
    page.goto(site.url + "index.html" + hash_)
    page.wait_for_selector(f"#app[data-state={state}]", timeout=60_000)


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
