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

from fixture_sets import load_check  # noqa: E402  (tests/ is on sys.path above)

#: Conv2d's torch fixtures (tests/fixtures/conv2d/) and their checks
CONV2D = FIXTURES / "conv2d"
CASES = json.loads((CONV2D / "cases.json").read_text())
ERRORS = json.loads((CONV2D / "errors.json").read_text())
CHECK = load_check("conv2d", CONV2D / "check.py")


def run_torch_script(code, directory):
    """Run a generated PyTorch script; returns its stdout (the test fails if it fails)."""
    import subprocess

    script = directory / "reproduce.py"
    script.write_text(code)
    completed = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                               timeout=120)
    assert completed.returncode == 0, completed.stderr[-2000:]
    return completed.stdout


@pytest.fixture(scope="session")
def arrays():
    with np.load(CONV2D / "arrays.npz") as data:
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


# a small page state: a 5x5 arange through two 3x3 filters of ones (step 0 reads 12)
SAMPLE = ("#in_channels=1&out_channels=2&kernel_size=3&padding=1&input_size=5x5&input=arange"
          "&weights=ones&bias=false")
# on the page: did the engine restore Python from the snapshot (a revisit)?
SNAPSHOT = "() => performance.getEntriesByName('convscope:engine-ready')[0].detail.snapshot"


class DiskProfile:
    """A browser profile with a disk cache, as a student's browser has (a Playwright
    context keeps its cache in memory and may drop a 5 MB file). ``open()`` starts the
    browser on it and gives a page; ``close()`` quits it (open again: a browser restart)."""

    def __init__(self, browser_type, launch_args, path):
        self.browser_type, self.launch_args, self.path = browser_type, launch_args, path
        self.context = None

    def open(self):
        self.close()
        self.context = self.browser_type.launch_persistent_context(self.path, **self.launch_args)
        return self.context.new_page()

    def close(self):
        if self.context:
            self.context.close()
            self.context = None


@pytest.fixture
def disk_profile(browser_type, browser_type_launch_args, tmp_path):
    profile = DiskProfile(browser_type, browser_type_launch_args, tmp_path / "profile")
    yield profile
    profile.close()


def serve_directory(directory, prefix="/"):
    """Serve ``directory`` on 127.0.0.1 in a thread; returns (server, base URL)."""
    import threading

    import build

    server = build.make_server(directory, quiet=True, prefix=prefix)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{server.prefix}"


def mirror_site(dist, target, skip=()):
    """A copy of the site made of symlinks, without the files named in ``skip``."""
    for item in dist.rglob("*"):
        destination = target / item.relative_to(dist)
        if item.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif item.name not in skip:
            destination.parent.mkdir(parents=True, exist_ok=True)
            destination.symlink_to(item)
    return target


@pytest.fixture(scope="session")
def site(dist):
    """dist/ served on 127.0.0.1; ``site.url`` is its base, ``site.log`` every path asked."""
    import types

    import build

    server, url = serve_directory(dist)
    yield types.SimpleNamespace(url=url, log=server.request_log, server=server)
    server.shutdown()
    # no page of the whole browser suite imported a module outside the first visit's
    # core (build.py's split): the fallback is for the unforeseen, not for a feature
    fallbacks = [path for path in server.request_log
                 if path.endswith(("/python_stdlib.zip", f"/{build.REST_PACKAGES}"))]
    assert not fallbacks, f"pages fetched the rest of the libraries: {fallbacks}"


@pytest.fixture
def watched_page(page, site):
    """A page whose console errors, page errors and requests are recorded.

    After the test: no console error, no uncaught exception, no request off the site
    (or off ``page.origins``, which a test may extend with a host page's origin).
    """
    page.errors, page.requests, page.origins = [], [], [site.url]
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    yield page
    assert page.errors == []
    # blob: URLs the site made itself (Pyodide's JS, inflated in the worker) stay on the site
    allowed = tuple(page.origins) + tuple(f"blob:{origin}" for origin in page.origins)
    assert [url for url in page.requests if not url.startswith(allowed)] == []


def open_view(page, site, hash_="", state="ready"):
    """Open the visualizer at ``hash_`` and wait until the engine drew it."""
    page.goto(site.url + "index.html" + hash_)
    page.wait_for_selector(f"#app[data-state={state}]", timeout=60_000)


def engine_for(link):
    """(session, view): what the engine computes for a page link, to compare the page with."""
    from convscope.page.link import parse_link
    from convscope.page.session import Session

    config = {key: value for key, value in parse_link(link).items() if key != "step"}
    session = Session()
    view = session.compute(config)
    assert "error" not in view, view
    return session, view


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
