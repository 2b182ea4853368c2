"""`python -m convscope export` for every layer kind: figures drawn from the page's own
payloads (view and steps), checked pixel by pixel against the engine and the palette,
with the geometry of web/js/layout.js, the colours of colors.js and the palette and sizes of
convscope.figure.design, which the page's stylesheet and js/design.js are written from."""

import collections
import json
import shutil
import subprocess

import numpy as np
import pytest
from conftest import ROOT
from test_cli_export import run_cli

from convscope.page.link import parse_link
from convscope.figure import design
from convscope.figure.frames import (PADDING_ALPHA, THEMES, Picture, cell_text, compute_layout,
                                     real_cells, scale_of, unpack, value_color)
from convscope.page.inputs import make_input
from convscope.page.session import Session

PIL = pytest.importorskip("PIL", reason="the `export` extra (Pillow) is not installed")

LINKS = {
    "conv2d": "#in_channels=2&out_channels=2&input_size=5&input=random&seed=3",
    "scatter": "#layer=conv_transpose2d&input_size=3&input=random",
    "gather": "#layer=conv_transpose2d&view=gather&input_size=3&in_channels=2&out_channels=2"
              "&groups=2&input=random",
    "max_pool2d": "#layer=max_pool2d&input_size=6&input=random&ceil_mode=true&padding=1"
                  "&kernel_size=3",
    "avg_pool2d": "#layer=avg_pool2d&input_size=5&padding=1&count_include_pad=false"
                  "&in_channels=2&input=random&seed=5",
}
STEP = {"conv2d": 13, "scatter": 5, "gather": 21, "max_pool2d": 5, "avg_pool2d": 11}  # 1-based
THEME = {"gather": "dark"}  # the dark theme's zero differs from its background: fading shows


class Figure:
    """A link's engine run, and the Picture the CLI draws for it (same view, same options)."""

    def __init__(self, link, theme="light", numbers=False, caption=True):
        self.state = parse_link(link)
        self.config = {k: v for k, v in self.state.items() if k != "step"}
        self.session = Session()
        self.view = self.session.compute(self.config)
        assert "error" not in self.view, self.view
        self.theme = THEMES[theme]
        self.picture = Picture(self.view, theme=theme, numbers=numbers,
                               caption=self.view["torch_line"] if caption else "")
        self.layer = self.session.run.layer
        shape = self.view["input_shape"]
        self.x = make_input(self.config["input"], tuple(shape), self.config["seed"])

    def box(self, part, channel, row, col):
        return self.picture.cell_box(part, channel, row, col)


def patch_colour(image, box):
    """The commonest colour of the 7x7 pixels at a cell's centre (a dashed line or an
    arrow crossing it stays a minority)."""
    left, top, right, bottom = box
    cx, cy = (left + right) // 2, (top + bottom) // 2
    counts = collections.Counter(image.getpixel((x, y)) for x in range(cx - 3, cx + 4)
                                 for y in range(cy - 3, cy + 4))
    return counts.most_common(1)[0][0]


def blend(colour, under, alpha):
    return tuple(round(alpha * c + (1 - alpha) * u) for c, u in zip(colour, under))


def near(a, b, tolerance=1):
    return all(abs(x - y) <= tolerance for x, y in zip(a, b))


def corner(image, box, inset=1):
    """A pixel just inside a cell's top-left corner: on any outline drawn inside the cell."""
    return image.getpixel((box[0] + inset, box[1] + inset))


def expected_output(figure, kind, index):
    """(output values of sample 0 drawn after step ``index`` (NaN: not yet drawn), colour
    scale): from the engine's layers, not from the payload."""
    final = np.asarray(figure.layer(figure.x), np.float64)
    scale = scale_of(final)
    if kind == "scatter":  # running sums: the input cells stamped so far, through the layer
        mask = (np.arange(figure.x.size) <= index).reshape(figure.x.shape)
        return np.asarray(figure.layer(figure.x * mask), np.float64)[0], scale
    drawn = final[0].copy()
    drawn.reshape(-1)[index + 1:] = np.nan
    return drawn, scale


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """Each kind's PNG (its step, no numbers) and a three-step GIF, made by the CLI."""
    from PIL import Image

    made = {}
    for kind, link in LINKS.items():
        folder = tmp_path_factory.mktemp(kind)
        theme = THEME.get(kind, "light")
        png, gif = folder / "step.png", folder / "run.gif"
        done = run_cli(link, "-o", png, "--step", STEP[kind], "--no-numbers", "--theme", theme,
                       cwd=folder)
        assert done.returncode == 0, done.stderr
        done = run_cli(link, "-o", gif, "--steps", "1-3", "--no-numbers", "--theme", theme,
                       cwd=folder)
        assert done.returncode == 0, done.stderr
        with Image.open(png) as image:
            made[kind] = {"png": image.convert("RGB"), "format": image.format}
        with Image.open(gif) as image:
            frames = []
            for i in range(image.n_frames):
                image.seek(i)
                frames.append(image.convert("RGB"))
            made[kind].update(gif_frames=frames, gif_size=image.size)
    return made


@pytest.mark.parametrize("kind", LINKS)
def test_sizes_and_frames(exports, kind):
    figure = Figure(LINKS[kind], THEME.get(kind, "light"))
    layout = figure.picture.layout
    made = exports[kind]
    assert made["format"] == "PNG"
    assert made["png"].size == (layout.width, layout.height + figure.picture.top)
    assert figure.picture.top > 0  # the caption is on by default
    assert len(made["gif_frames"]) == 3 and made["gif_size"] == made["png"].size


@pytest.mark.parametrize("kind", LINKS)
def test_output_cells_have_the_palette_colour_of_the_engines_values(exports, kind):
    figure = Figure(LINKS[kind], THEME.get(kind, "light"))
    image = exports[kind]["png"]
    index = STEP[kind] - 1
    drawn, scale = expected_output(figure, kind, index)
    painted = 0
    for o, y, x in np.ndindex(drawn.shape):
        colour = patch_colour(image, figure.box("output", o, y, x))
        if np.isnan(drawn[o, y, x]):
            assert colour == figure.theme["background"], (o, y, x)
        else:
            painted += 1
            assert near(colour, value_color(figure.theme, drawn[o, y, x], scale)), (o, y, x)
    assert painted == (drawn.size if kind == "scatter" else index + 1)
    # the written cells carry the accent outline, no other output cell does
    step = figure.session.step(index)
    writes = step["writes"]
    written = {(o, y, x) for o in writes["channels"] for y in writes["rows"]
               for x in writes["cols"]}
    assert written
    for o, y, x in np.ndindex(drawn.shape):
        pixel = corner(image, figure.box("output", o, y, x))
        assert (pixel == figure.theme["accent"]) == ((o, y, x) in written), (o, y, x)


@pytest.mark.parametrize("kind", LINKS)
def test_input_is_faded_outside_the_real_cells_and_the_read_cells_are_outlined(exports, kind):
    figure = Figure(LINKS[kind], THEME.get(kind, "light"))
    image, theme = exports[kind]["png"], figure.theme
    padded = unpack(figure.view["padded"])[0]
    real = real_cells(figure.view)
    scale = scale_of(figure.x)  # padding adds no larger value in these links
    step = figure.session.step(STEP[kind] - 1)
    previous = figure.session.step(STEP[kind] - 2)
    reads = step["reads"]
    channel = reads["channels"][0]
    # a real cell shows the input value itself: the engine's input at its source position
    top, _, left, _ = figure.view["sides"]
    sources_r, sources_c = figure.view["row_sources"], figure.view["col_sources"]
    faded = 0
    for r, c in np.ndindex(real.shape):
        colour = patch_colour(image, figure.box("input", channel, r, c))
        if real[r, c]:
            value = figure.x[0, channel, sources_r[r], sources_c[c]]
            assert near(colour, value_color(theme, value, scale)), (r, c)
        else:
            faded += 1
            unfaded = value_color(theme, padded[channel, r, c], scale)
            want = blend(unfaded, theme["background"], PADDING_ALPHA)
            assert near(colour, want, 2), (r, c, colour, want)
            if not near(unfaded, theme["background"], 10):  # max pool's −∞, dark theme zeros
                assert not near(colour, unfaded, 4), (r, c)
    assert faded == (0 if kind == "scatter" else real.size - real.sum())
    # the read cells are outlined in the accent; cells away from the window and the
    # stride's arrow are not
    rows = reads["rows"] + previous["reads"]["rows"]
    for r, c in np.ndindex(real.shape):
        pixel = corner(image, figure.box("input", channel, r, c))
        if r in reads["rows"] and c in reads["cols"]:
            assert pixel == theme["accent"], (r, c)
        elif (r < min(rows) or r > max(rows)) and c <= reads["cols"][-1]:
            assert pixel != theme["accent"], (r, c)


@pytest.mark.parametrize("kind", LINKS)
def test_the_filter_column_shows_the_steps_filter(exports, kind):
    figure = Figure(LINKS[kind], THEME.get(kind, "light"))
    image, theme = exports[kind]["png"], figure.theme
    step = figure.session.step(STEP[kind] - 1)
    values = unpack(step["filter"]["values"])
    weight = figure.view.get("weight")
    scale = scale_of(unpack(weight) if weight else unpack(figure.view["padded"]))
    if kind in ("max_pool2d", "avg_pool2d"):  # the window of input values the step reads
        reads = step["reads"]
        padded = unpack(figure.view["padded"])[step["position"][0]]
        np.testing.assert_array_equal(
            values[0], padded[reads["channels"][0]][np.ix_(reads["rows"], reads["cols"])])
    for i, channel in enumerate(step["reads"]["channels"]):
        for r, c in np.ndindex(values.shape[1:]):
            colour = patch_colour(image, figure.box("filter", channel, r, c))
            assert near(colour, value_color(theme, values[i, r, c], scale)), (i, r, c)
    # the note under the last slice: text pixels where there were none
    grid = figure.picture.layout.filter_grid(step["reads"]["channels"][-1])
    left, _, _, bottom = figure.box("filter", step["reads"]["channels"][-1], grid.rows - 1, 0)
    band = image.crop((left, bottom + 6, left + 60, bottom + 20))
    has_note = step["filter"].get("note") is not None
    assert (theme["text"] in {c for _, c in band.getcolors(10_000)}) == has_note


def test_the_max_pool_winner_is_marked_and_is_the_output_value(exports):
    figure = Figure(LINKS["max_pool2d"])
    image, theme = exports["max_pool2d"]["png"], figure.theme
    index = STEP["max_pool2d"] - 1
    step = figure.session.step(index)
    values = unpack(step["filter"]["values"])[0]
    channel = step["reads"]["channels"][0]
    _, i, j = step["filter"]["mark"]
    n, c, y, x = step["position"]
    assert values[i, j] == np.asarray(figure.layer(figure.x))[n, c, y, x] == values.max()
    for r, col in np.ndindex(values.shape):
        pixel = corner(image, figure.box("filter", channel, r, col))
        assert (pixel == theme["text"]) == ((r, col) == (i, j)), (r, col)


def test_groups_are_marked_and_the_other_groups_channel_is_veiled(exports):
    figure = Figure(LINKS["gather"], "dark")
    image, theme = exports["gather"]["png"], figure.theme
    step = figure.session.step(STEP["gather"] - 1)
    assert step["reads"]["channels"] == [0]
    for c in (0, 1):
        left, top, _, _ = figure.box("input", c, 0, 0)
        assert image.getpixel((left - 6, top + 2)) == theme["groups"][c]
    # input[1] is not read: its real cells are under the veil
    real = real_cells(figure.view)
    r, col = map(int, np.argwhere(real)[4])
    value = unpack(figure.view["padded"])[0, 1, r, col]
    under = value_color(theme, value, scale_of(unpack(figure.view["padded"])))
    veil = theme["veil"]
    assert near(patch_colour(image, figure.box("input", 1, r, col)),
                blend(veil[:3], under, veil[3]), 2)


@pytest.mark.parametrize("kind", LINKS)
def test_gif_frames_follow_the_steps(exports, kind):
    figure = Figure(LINKS[kind], THEME.get(kind, "light"))
    theme = figure.theme
    for index, frame in enumerate(exports[kind]["gif_frames"]):
        drawn, scale = expected_output(figure, kind, index)
        for o, y, x in np.ndindex(drawn.shape):
            colour = patch_colour(frame, figure.box("output", o, y, x))
            if np.isnan(drawn[o, y, x]):  # the theme's colours are in the palette exactly
                assert colour == theme["background"], (index, o, y, x)
            else:  # values: the nearest of 256 colours
                want = value_color(theme, drawn[o, y, x], scale)
                assert near(colour, want, 12), (index, o, y, x, colour, want)
        writes = figure.session.step(index)["writes"]
        box = figure.box("output", writes["channels"][0], writes["rows"][0], writes["cols"][0])
        assert corner(frame, box) == theme["accent"]


def test_numbers_caption_and_title(tmp_path):
    from PIL import Image

    link = LINKS["max_pool2d"]
    plain, numbered = Figure(link, caption=False), Figure(link, numbers=True)
    done = run_cli(link, "-o", tmp_path / "plain.png", "--no-caption", "--no-numbers",
                   "--step", 9, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = run_cli(link, "-o", tmp_path / "numbered.png", "--step", 9, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with Image.open(tmp_path / "plain.png") as a, Image.open(tmp_path / "numbered.png") as b:
        a, b = a.convert("RGB"), b.convert("RGB")
    assert a.size == (b.size[0], b.size[1] - numbered.picture.top)
    theme = plain.theme
    # without a caption the band above the first label is empty; with one it holds text
    assert a.crop((0, 0, a.size[0], 14)).getcolors() == [(a.size[0] * 14, theme["background"])]
    caption = b.crop((0, 0, b.size[0], numbered.picture.top))
    assert len(caption.getcolors(100_000)) > 10
    # output cells: one colour without numbers, their number over it with them (the last
    # row is left out: the dashed line to the written cell crosses it)
    for y, x in np.ndindex(2, 3):
        def inner(image, figure):
            box = figure.box("output", 0, y, x)
            return image.crop((box[0] + 6, box[1] + 6, box[2] - 6, box[3] - 6))
        assert len(inner(a, plain).getcolors()) == 1
        assert len(inner(b, numbered).getcolors(10_000)) > 2


def test_the_page_and_the_cli_draw_with_one_palette_and_one_set_of_sizes(dist):
    """convscope.figure.design is the one source: the built stylesheet's variables and
    js/design.js are written from it, the source stylesheet declares no colour of its
    own, and the CLI's THEMES are read from it."""
    source = (ROOT / "web" / "css" / "convscope.css").read_text()
    built = (dist / "css" / "convscope.css").read_text()
    for colours in (design.PALETTE, design.MORE_CONTRAST):
        for name, colour in colours.items():
            assert f"--{name}: " not in source, name
            assert f"--{name}: {design.css_value(colour)};" in built, name
    assert built.count("--value-negative: ") == 1 and "/* palette" not in built
    assert (dist / "js" / "design.js").read_text() == design.design_module()
    assert THEMES["light"]["negative"] == (96, 165, 250)  # #60a5fa
    assert THEMES["dark"]["grid"] == (243, 244, 246, 0.12)
    assert PADDING_ALPHA == design.CANVAS["padding_alpha"]


def test_a_stylesheet_without_its_markers_is_refused():
    with pytest.raises(ValueError, match="palette"):
        design.stylesheet(".app { --radius: 8px; }")


def node_eval(script, *args):
    node = shutil.which("node")
    assert node, "Node.js is needed (python3 build.py test installs it)"
    done = subprocess.run([node, "-e", script, *args], capture_output=True, text=True,
                          timeout=60, check=True)
    return json.loads(done.stdout)


@pytest.mark.parametrize("kind", LINKS)
def test_geometry_is_layout_js(kind, dist):
    view = Figure(LINKS[kind]).view
    shapes = {"padded": {"shape": view["padded"]["shape"]}, "filter_shape": view["filter_shape"],
              "output": {"shape": view["output"]["shape"]}, "groups": view["groups"]}
    cells = [4, 9, 13, 32, 44]
    script = ("import(process.argv[1]).then(m => console.log(JSON.stringify("
              "JSON.parse(process.argv[3]).map(c => m.computeLayout(JSON.parse(process.argv[2]),"
              " c)))))")
    page = node_eval(script, (dist / "js" / "layout.js").as_uri(), json.dumps(shapes),
                     json.dumps(cells))
    for cell, theirs in zip(cells, page):
        ours = compute_layout(view, cell)
        assert (ours.width, ours.height, ours.filter_cell, ours.filter_x) == \
            (theirs["width"], theirs["height"], theirs["filterCell"], theirs["filterX"]), cell
        for grids, key in ((ours.inputs, "inputs"), (ours.outputs, "outputs")):
            assert [(g.x, g.y, g.rows, g.cols) for g in grids] == \
                [(g["x"], g["y"], g["rows"], g["cols"]) for g in theirs[key]], (cell, key)


def test_colours_and_cell_text_are_colors_js():
    values = [0, 1, -1, 0.5, -0.37, 2.5, 0.125, -0.125, 12.25, 150.5, 99999, 123456, -0.0004,
              0.001, 3e-7, 1e9, -2.675, 7.005, float("inf"), float("-inf")]
    theme = THEMES["light"]
    colours = {k: list(theme[k]) for k in ("negative", "zero", "positive")}
    script = ("import(process.argv[1]).then(m => { const v = JSON.parse(process.argv[2]);"
              " const c = JSON.parse(process.argv[3]); console.log(JSON.stringify("
              "v.map(x => [m.valueColor(c, x, 3).fill, m.cellText(x)]))); })")
    finite = [v for v in values if np.isfinite(v)]
    page = node_eval(script, (ROOT / "web" / "js" / "colors.js").as_uri(), json.dumps(finite),
                     json.dumps(colours))
    for value, (fill, text) in zip(finite, page):
        assert f"rgb({','.join(map(str, value_color(theme, value, 3)))})" == fill, value
        assert cell_text(value) == text, value
    assert (cell_text(float("inf")), cell_text(float("-inf")), cell_text(float("nan"))) == \
        ("∞", "−∞", "NaN")


@pytest.mark.parametrize("link, words", [
    ("#layer=max_pool2d&weights=ones", "not an argument of nn.MaxPool2d"),
    ("#layer=conv_transpose2d&view=sideways", "not a valid value"),
    ("#layer=avg_pool2d&kernel_size=2&padding=2", "padding"),
    ("#layer=unpool", "not one of"),
])
def test_bad_kind_links_end_with_the_reason(tmp_path, link, words):
    done = run_cli(link, "-o", tmp_path / "x.png", cwd=tmp_path)
    assert done.returncode == 2 and words in done.stderr, done.stderr
    assert not (tmp_path / "x.png").exists()


def test_steps_outside_the_run_are_refused(tmp_path):
    done = run_cli(LINKS["max_pool2d"], "-o", tmp_path / "x.png", "--step", 10, cwd=tmp_path)
    assert done.returncode == 2 and "--step must be 1 to 9" in done.stderr
    done = run_cli(LINKS["scatter"], "-o", tmp_path / "x.gif", "--steps", "2-10", cwd=tmp_path)
    assert done.returncode == 2 and "--steps must lie within 1-9" in done.stderr
    done = run_cli(LINKS["scatter"], "-o", tmp_path / "x.gif", "--steps", "two", cwd=tmp_path)
    assert done.returncode == 2 and "FIRST-LAST" in done.stderr
