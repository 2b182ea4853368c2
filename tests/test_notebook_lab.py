"""The widget in a real JupyterLab: started here on 127.0.0.1 (a temporary root, a token,
no user settings), driven by Debian chromium. The example notebook runs all its cells; the
widget draws the engine's numbers, follows ``w.step = ...`` from a cell, and its ▶ moves
``w.step`` in the kernel; no request leaves 127.0.0.1."""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest
from playwright.sync_api import expect

from notebook_kernel import EXAMPLE, kernel_env

pytestmark = pytest.mark.browser

# JupyterLab's own calls home, off: news, update checks (the settings a user would set)
QUIET_SETTINGS = {"@jupyterlab/apputils-extension/notification.jupyterlab-settings":
                  {"fetchNews": "false", "checkForUpdates": False}}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A JupyterLab server for this module: (base URL, token, root folder)."""
    home = tmp_path_factory.mktemp("lab-home")
    root = tmp_path_factory.mktemp("lab-root")
    shutil.copy(EXAMPLE, root / EXAMPLE.name)
    env = kernel_env(home)
    settings = home / "lab-settings"
    for name, values in QUIET_SETTINGS.items():
        (settings / name).parent.mkdir(parents=True, exist_ok=True)
        (settings / name).write_text(json.dumps(values))
    env.update(JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"))
    port, token = free_port(), secrets.token_hex(16)
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
         f"--port={port}", "--port-retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=(home / "server.log").open("w"))
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.3)
    # the notebook's kernel, started before the page opens it: the page attaches to this
    # session at once (no kernel dialog, no second kernel racing the widget manager)
    request = urllib.request.Request(
        f"{base}/api/sessions?token={token}", method="POST",
        data=json.dumps({"path": EXAMPLE.name, "type": "notebook", "name": EXAMPLE.name,
                         "kernel": {"name": "python3"}}).encode(),
        headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=30)
    yield base, token, root
    server.terminate()
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        server.kill()


def answer_kernel_dialogs(page):
    """JupyterLab sometimes misses the session made for the notebook and asks which kernel
    (before or after Run All): connect to that session's kernel, as a user would."""
    dialog = page.locator(".jp-Dialog")
    for _ in range(6):
        if not dialog.count():
            return
        choice = dialog.locator("select")
        existing = choice.locator("optgroup[label='Connect to Existing Kernel'] option")
        if existing.count():
            choice.select_option(value=existing.first.get_attribute("value"))
        dialog.locator(".jp-mod-accept").click()
        page.wait_for_timeout(1000)
    raise AssertionError("JupyterLab kept asking for a kernel")


def run_all_cells(page):
    """Run > Run All Cells, until the first code cell has run: a notebook whose kernel is
    still connecting can drop the request (its cells keep an empty prompt)."""
    first_prompt = page.locator(".jp-CodeCell .jp-InputPrompt").first
    for _ in range(4):
        answer_kernel_dialogs(page)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        page.wait_for_timeout(1000)
        answer_kernel_dialogs(page)
        try:
            expect(first_prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=10_000)
            return
        except AssertionError:
            continue
    raise AssertionError("Run All Cells did not run the notebook")


def run_new_cell(page, code: str) -> str:
    """Add a cell at the end of the notebook, run it, and return its output text."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    cells.last.click()
    page.keyboard.press("Escape")  # command mode
    page.keyboard.press("b")       # a cell below
    expect(cells).to_have_count(count + 1)
    cell = cells.nth(count)
    cell.locator(".cm-content").click()
    page.keyboard.type(code)
    page.keyboard.press("Shift+Enter")
    output = cell.locator(".jp-OutputArea-output")
    expect(output).not_to_have_count(0, timeout=30_000)
    return output.inner_text()


def test_the_example_notebook_in_jupyterlab(page, lab):
    base, token, _ = lab
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("websocket", lambda socket_: requests.append(socket_.url))
    console = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"uncaught: {error}"))
    page.set_viewport_size({"width": 1280, "height": 900})
    # Run All before the notebook's kernel connection is live makes JupyterLab ask for a
    # kernel: wait for the kernel's websocket to carry a message first
    with page.expect_websocket(lambda socket_: "/api/kernels/" in socket_.url,
                               timeout=60_000) as kernel_socket:
        page.goto(f"{base}/lab/tree/{EXAMPLE.name}?token={token}")
    kernel_socket.value.wait_for_event("framereceived", timeout=60_000)
    notebook = page.locator(".jp-Notebook")
    expect(notebook).to_be_visible(timeout=60_000)
    expect(page.locator(".jp-Notebook-ExecutionIndicator[data-status=idle]")).to_have_count(
        1, timeout=60_000)
    run_all_cells(page)

    # the 5×5 sample's widget: drawn by the site's renderer, with the engine's numbers
    cell = page.locator(".jp-Cell", has_text="w = convscope.show(sample, x)")
    view = cell.locator(".app")
    try:
        expect(view).to_have_attribute("data-state", "ready", timeout=60_000)
    except AssertionError:
        page.screenshot(path=str(artifact("notebook-widget-failed.png")))
        raise AssertionError("the widget did not draw; the console said:\n" + "\n".join(console))
    expect(view).to_have_attribute("data-frame", "live")
    # Python's `w.step = 7` (a later cell) moved it to output[0, 0, 1, 2]
    expect(view.get_by_test_id("step-index")).to_have_text("step 8 / 50 · output[0, 0, 1, 2]",
                                                          timeout=30_000)
    expected = engine_run().step(7)
    expect(view.get_by_test_id("step-value")).to_have_text(expected["value_text"])
    expect(view.get_by_test_id("step-equation")).to_have_text(expected["equation"])
    expect(view.get_by_test_id("output-shape")).to_have_text("[1, 2, 5, 5]")
    expect(view.get_by_test_id("torch-code")).to_have_text(
        "nn.Conv2d(1, 2, 3, stride=1, padding=1, bias=False)")
    colours = view.locator("canvas.scope").evaluate("""canvas => {
        const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
        const seen = new Set();
        for (let i = 0; i < data.length; i += 4 * 7) seen.add(data.slice(i, i + 4).join());
        return seen.size;
    }""")
    assert colours > 20  # cells, numbers, window: not a blank canvas
    view.locator(".viewport").screenshot(path=str(artifact("notebook-widget.png")))

    # every widget of the notebook drew (the torch layer's too)
    expect(page.locator(".app[data-state=ready]")).to_have_count(5, timeout=60_000)

    # hover: an output's receptive field (a step) and the outputs an input feeds (touching),
    # both asked of the kernel
    canvas = view.locator("canvas.scope")
    canvas.scroll_into_view_if_needed()
    grids, box = json.loads(canvas.get_attribute("data-grids")), canvas.bounding_box()

    def centre(kind, channel, row, col):
        x, y, cell = grids[kind][channel]
        return box["x"] + x + (col + 0.5) * cell, box["y"] + y + (row + 0.5) * cell

    page.mouse.move(*centre("outputs", 1, 2, 3))
    expect(canvas).to_have_attribute("data-hover", "receptive field of output[0, 1, 2, 3]")
    page.mouse.move(*centre("inputs", 0, 1, 1))  # the padded grid: input[0, 0, 0]
    fed = engine_run().touching(0, 0, 0)
    count = len(fed["channels"]) * len(fed["rows"]) * len(fed["cols"])
    expect(canvas).to_have_attribute("data-hover", f"input[0, 0, 0] feeds {count} output cells")
    page.mouse.move(0, 0)

    # Python -> view: a cell sets the step
    assert run_new_cell(page, "w.step = 12; print(w.step)").strip() == "12"
    expect(view.get_by_test_id("step-index")).to_have_text("step 13 / 50 · output[0, 0, 2, 2]")
    # view -> Python: ▶ plays; the kernel's w.step follows
    view.locator('[data-action="play"]').click()
    expect(view.get_by_test_id("step-index")).not_to_have_text(
        "step 13 / 50 · output[0, 0, 2, 2]", timeout=10_000)
    view.locator('[data-action="play"]').click()  # pause
    shown = int(view.locator("input.scrub").input_value())  # where the player stopped
    assert shown > 12
    expect(view.get_by_test_id("step-index")).to_contain_text(f"step {shown + 1} / 50 · ")
    # keys: → steps the clicked view (and only the view: the notebook keeps its cell)
    active = page.locator(".jp-Cell.jp-mod-active")
    active_before = active.inner_text()[:80]
    view.locator("canvas.scope").click(position={"x": 2, "y": 2})
    page.keyboard.press("ArrowRight")
    shown += 1
    expect(view.get_by_test_id("step-index")).to_contain_text(f"step {shown + 1} / 50 · ")
    assert active.inner_text()[:80] == active_before
    assert run_new_cell(page, "print(w.step)").strip() == str(shown)

    off_machine = [url for url in requests
                   if not url.split("//", 1)[-1].startswith("127.0.0.1:")
                   and not url.startswith(("data:", "blob:http://127.0.0.1:"))]
    assert off_machine == []


def engine_run():
    """The notebook's 5×5 sample as convscope in this process runs it."""
    import convscope
    from convscope.notebook.session import prepare_run
    from convscope.notebook.shown import resolve

    sample = convscope.Conv2d(1, 2, 3, padding=1, bias=False)
    sample.weight = np.ones(sample.weight_shape)
    shown = resolve(sample, np.arange(25, dtype=np.float32).reshape(1, 1, 5, 5))
    return prepare_run(shown.state, shown.layer, shown.x)[0]


def artifact(name):
    from conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / name
