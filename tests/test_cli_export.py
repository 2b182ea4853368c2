"""`python -m convscope export`: course figures from CPython, without a browser."""

import json
import os
import shutil
import subprocess
import sys

import pytest
from conftest import ROOT

from convscope.kinds import KINDS
from convscope.page.link import defaults, parse_link

PIL = pytest.importorskip("PIL", reason="the `export` extra (Pillow) is not installed")


def run_cli(*args, cwd):
    env = {**os.environ, "PYTHONPATH": str(ROOT / "py")}
    return subprocess.run([sys.executable, "-m", "convscope", "export", *map(str, args)],
                          capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def test_gif_has_a_frame_per_step_of_the_range(tmp_path):
    from PIL import Image

    done = run_cli("#weights=ones&bias=false", "-o", tmp_path / "run.gif", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "run.gif") as gif:
        assert gif.n_frames == 50
        size = gif.size
    done = run_cli("#weights=ones&bias=false", "-o", tmp_path / "part.gif", "--steps", "3-12",
                   "--scale", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "part.gif") as gif:
        assert gif.n_frames == 10 and gif.size == (2 * size[0], 2 * size[1])


def test_png_of_one_step_from_a_full_page_link(tmp_path):
    from PIL import Image

    link = ("http://127.0.0.1:8000/index.html#in_channels=2&out_channels=4&groups=2"
            "&padding_mode=reflect&input=random&step=7")
    done = run_cli(link, "-o", tmp_path / "frame.png", "--theme", "dark", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "frame.png") as image:
        assert image.format == "PNG"
        assert image.convert("L").getpixel((1, 1)) < 80  # the dark theme


@pytest.mark.parametrize("link, words", [("#groups=2", "divisible by groups"),
                                         ("#colour=red", "unknown setting"),
                                         ("#kernel_size=three", "not a valid value")])
def test_bad_links_end_with_the_reason(tmp_path, link, words):
    done = run_cli(link, "-o", tmp_path / "x.png", cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr


def test_link_defaults_are_the_pages_defaults(dist):
    node = shutil.which("node")
    assert node, "Node.js is needed (python3 build.py test installs it)"
    # the built state.js: it reads the kinds the build wrote (js/kinds.js)
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify("
              "Object.fromEntries(Object.keys(m.KINDS).map(k => [k, m.defaults(k)])))))")
    page = subprocess.run([node, "-e", script, (dist / "js" / "state.js").as_uri()],
                          capture_output=True, text=True, timeout=60, check=True)
    assert json.loads(page.stdout) == {layer: defaults(layer) for layer in KINDS}
    assert parse_link("#kernel_size=3x5&padding=same&input_edits=0.0.1.1:2.5")["kernel_size"] \
        == [3, 5]
