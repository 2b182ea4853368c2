"""Draw convscope frames with Pillow, for the command line (``python -m convscope export``).

The page's canvas picture (web/js/render.js, web/js/layout.js), drawn from the same
generic payloads: the view (``Session.compute`` -> ``Run.view()``) and its steps
(``Run.step(i)``), so every layer kind draws. The padded input with its non-real cells
faded (padding, a transposed convolution's inserted zeros and border) and a frame around
the real ones, the step's read cells, the filter beside the channels it reads (weights,
or a pool's window with its winner marked, and the note under it), the output filling
in (or the running sums a step carries), the written cells, an optional caption (the
torch line and the step's title). The palette and the sizes are the page's own
(:mod:`.design`); the geometry mirrors layout.js. Needs the ``export`` extra (Pillow).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

import numpy as np

from .design import CANVAS, PALETTE

# the page's sizes (convscope.figure.design, which the build writes into js/design.js)
MARGIN, LABEL = CANVAS["margin"], CANVAS["label"]
MIN_CELL, MAX_CELL = CANVAS["min_cell"], CANVAS["max_cell"]
FILTER_MIN_WIDTH = CANVAS["filter_min_width"]
NUMBERS_FROM = CANVAS["numbers_from"]  # smaller cells show colour only
PADDING_ALPHA = CANVAS["padding_alpha"]  # cells that are not real input, washed out
# the caption line (as the page's export); the CLI's step title is a second line under it
CAPTION, TITLE = CANVAS["caption"], 18


def rgb(colour: str) -> tuple:
    """A CSS colour of the palette as (r, g, b), or (r, g, b, alpha 0-1) for rgba()."""
    if colour.startswith("#"):
        return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))
    values = colour[colour.index("(") + 1:colour.index(")")].split(",")
    channels = tuple(int(value) for value in values[:3])
    return channels if len(values) == 3 else (*channels, float(values[3]))


def theme(index: int) -> dict:
    """The palette of the light (0) or dark (1) theme, as the CLI draws with it."""
    def pick(name):
        colour = PALETTE[name]
        return rgb(colour if isinstance(colour, str) else colour[index])
    names = {"negative": "value-negative", "zero": "value-zero", "positive": "value-positive",
             "accent": "accent", "hover": "hover", "text": "text", "muted": "muted",
             "background": "canvas-bg", "grid": "grid-line", "veil": "veil"}
    return {**{key: pick(name) for key, name in names.items()},
            "groups": tuple(pick(f"group-{i}") for i in range(4))}


THEMES = {"light": theme(0), "dark": theme(1)}


def unpack(packed) -> np.ndarray:
    """A packed array of the payload (``{"shape", "data": float64 bytes}``) as NumPy."""
    if packed is None:
        return None
    return np.frombuffer(packed["data"], np.float64).reshape(packed["shape"])


def scale_of(values) -> float:
    """The largest finite |value| (1 if none): a panel's colour scale (colors.js scaleOf)."""
    values = np.abs(np.asarray(values, np.float64))
    values = values[np.isfinite(values)]
    return float(values.max()) if values.size and values.max() > 0 else 1.0


def value_color(theme, value, scale):
    """The diverging colour of ``value`` on a panel of ``scale`` (colors.js valueColor)."""
    value = float(value)
    t = 0.0 if math.isnan(value) else max(-1.0, min(1.0, value / scale))
    end = theme["negative"] if t < 0 else theme["positive"]
    return tuple(_round(z + (e - z) * abs(t)) for z, e in zip(theme["zero"], end))


def is_dark(color) -> bool:
    r, g, b = color[:3]
    return 0.299 * r + 0.587 * g + 0.114 * b < 140


def _round(value: float) -> int:
    """JavaScript's Math.round: halves go up."""
    return math.floor(value + 0.5)


def cell_text(value) -> str:
    """Compact text for a cell, as the page writes it (colors.js cellText)."""
    value = float(value)
    if not math.isfinite(value):
        return "NaN" if math.isnan(value) else "∞" if value > 0 else "−∞"
    if value.is_integer() and abs(value) < 1e5:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1e5 or 0 < magnitude < 1e-3:
        mantissa, exponent = f"{value:.0e}".split("e")
        return f"{mantissa}e{int(exponent):+d}"  # JavaScript's toExponential(0): 1e+5
    digits = 0 if magnitude >= 100 else 1 if magnitude >= 10 else 2
    # toFixed: the nearer of two neighbours, halves away from zero
    text = str(Decimal(value).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))
    if float(text) == 0:
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


# --- layout.js ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Grid:
    """A grid of cells at (x, y) in layout pixels (before the caption and the scale)."""

    x: int
    y: int
    rows: int
    cols: int
    cell: int


@dataclass(frozen=True)
class Shapes:
    batch: int
    channels: int
    padded_h: int
    padded_w: int
    out_channels: int
    group_channels: int
    kernel_h: int
    kernel_w: int
    out_h: int
    out_w: int
    groups: int


@dataclass(frozen=True)
class Layout:
    cell: int
    filter_cell: int
    shapes: Shapes
    inputs: tuple
    outputs: tuple
    filter_x: int
    width: int
    height: int

    def filter_grid(self, channel: int) -> Grid:
        """The filter slice for input channel ``channel`` sits level with that channel."""
        s = self.shapes
        return Grid(self.filter_x, self.inputs[channel].y, s.kernel_h, s.kernel_w,
                    self.filter_cell)


def shapes_of(view) -> Shapes:
    batch, channels, padded_h, padded_w = view["padded"]["shape"]
    group_channels, kernel_h, kernel_w = view["filter_shape"]
    _, out_channels, out_h, out_w = view["output"]["shape"]
    return Shapes(batch, channels, padded_h, padded_w, out_channels, group_channels, kernel_h,
                  kernel_w, out_h, out_w, view.get("groups", 1))


def column_gap(cell: int) -> int:
    return max(36, cell * 2)


def filter_cell_size(s: Shapes, cell: int) -> int:
    """Filters are small: drawn larger than the input when there is room beside a channel."""
    room = (s.padded_h * cell) // s.kernel_h
    return max(cell, min(28, room, 160 // s.kernel_w))


def compute_layout(view, cell: int) -> Layout:
    """Where every grid goes (layout.js computeLayout): input channels (padded) on the
    left, the filter beside the channels a step reads, output channels on the right."""
    s = shapes_of(view)
    gap = max(12, _round(cell * 0.6)) + LABEL
    filter_cell = filter_cell_size(s, cell)
    filter_x = MARGIN + s.padded_w * cell + column_gap(cell)
    output_x = filter_x + max(s.kernel_w * filter_cell, FILTER_MIN_WIDTH) + column_gap(cell)
    top = MARGIN + LABEL
    inputs = tuple(Grid(MARGIN, top + c * (s.padded_h * cell + gap), s.padded_h, s.padded_w, cell)
                   for c in range(s.channels))
    outputs = tuple(Grid(output_x, top + o * (s.out_h * cell + gap), s.out_h, s.out_w, cell)
                    for o in range(s.out_channels))
    filter_bottom = inputs[-1].y + s.kernel_h * filter_cell + 3 * LABEL
    bottom = max(inputs[-1].y + s.padded_h * cell, outputs[-1].y + s.out_h * cell,
                 filter_bottom)
    return Layout(cell, filter_cell, s, inputs, outputs, filter_x,
                  width=output_x + s.out_w * cell + MARGIN, height=bottom + MARGIN + LABEL)


def fit_cell(view, width: int = 900) -> int:
    """A default cell size: numbers readable for small layers, modest images for big ones."""
    s = shapes_of(view)
    return max(6, min(32, math.floor(width / max(1, s.padded_w + s.out_w))))


def real_cells(view) -> np.ndarray:
    """(paddedH, paddedW) booleans: which drawn input cells hold real input values (the
    rest is padding, or a transposed convolution's inserted zeros and border)."""
    _, _, padded_h, padded_w = view["padded"]["shape"]
    if view.get("real_rows") is not None:
        rows = np.isin(np.arange(padded_h), view["real_rows"])
        cols = np.isin(np.arange(padded_w), view["real_cols"])
    else:
        top, _, left, _ = view["sides"]
        _, _, height, width = view["input"]["shape"]
        rows = (np.arange(padded_h) >= top) & (np.arange(padded_h) < top + height)
        cols = (np.arange(padded_w) >= left) & (np.arange(padded_w) < left + width)
    return rows[:, np.newaxis] & cols[np.newaxis, :]


# --- fonts ----------------------------------------------------------------------------------

FONT_FILES = {"sans": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf",
              "italic": "DejaVuSans-Oblique.ttf", "mono": "DejaVuSansMono.ttf"}


@lru_cache(maxsize=64)
def font(size: int, style: str = "sans"):
    """DejaVu when the system has it (system-ui's stand-in), else Pillow's own font."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT_FILES[style], size)
    except OSError:
        return ImageFont.load_default(size=size)


# --- drawing in layout pixels ---------------------------------------------------------------

class Pen:
    """Canvas-like drawing on a Pillow image, in layout pixels: shifted down by ``top``
    (the caption) and multiplied by ``scale`` (as the page draws at a pixel ratio)."""

    def __init__(self, image, scale: int, top: int):
        from PIL import ImageDraw

        self.image, self.s, self.top = image, scale, top
        self.draw = ImageDraw.Draw(image, "RGBA")

    def px(self, x: float, y: float) -> tuple[int, int]:
        return _round(x * self.s), _round((y + self.top) * self.s)

    @staticmethod
    def ink(color, alpha: float = 1.0):
        base = color[3] if len(color) == 4 else 1.0
        return (*color[:3], _round(255 * base * alpha))

    def fill_rect(self, x, y, w, h, color, alpha=1.0):
        x0, y0 = self.px(x, y)
        x1, y1 = self.px(x + w, y + h)
        if x1 > x0 and y1 > y0:
            self.draw.rectangle([x0, y0, x1 - 1, y1 - 1], fill=self.ink(color, alpha))

    def stroke_rect(self, x, y, w, h, color, width, alpha=1.0, dash=None):
        """strokeRect: a line of ``width`` centred on the rectangle's edge."""
        if dash:
            corners = [(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
            for start, end in zip(corners, corners[1:]):
                self.line(*start, *end, color, width, alpha, dash)
            return
        half = width / 2
        x0, y0 = self.px(x - half, y - half)
        x1, y1 = self.px(x + w + half, y + h + half)
        self.draw.rectangle([x0, y0, x1 - 1, y1 - 1], outline=self.ink(color, alpha),
                            width=max(1, _round(width * self.s)))

    def stroke_cell(self, grid: Grid, row, col, color, width, alpha=1.0):
        """A cell outlined inside its own edge (render.js strokeCell)."""
        x, y = grid.x + col * grid.cell, grid.y + row * grid.cell
        x0, y0 = self.px(x, y)
        x1, y1 = self.px(x + grid.cell, y + grid.cell)
        self.draw.rectangle([x0, y0, x1 - 1, y1 - 1], outline=self.ink(color, alpha),
                            width=max(1, _round(width * self.s)))

    def line(self, x0, y0, x1, y1, color, width, alpha=1.0, dash=None):
        ink, thickness = self.ink(color, alpha), max(1, _round(width * self.s))
        if not dash:
            self.draw.line([self.px(x0, y0), self.px(x1, y1)], fill=ink, width=thickness)
            return
        length = math.hypot(x1 - x0, y1 - y0)
        on, off = dash
        position = 0.0
        while position < length:
            end = min(position + on, length)
            a, b = position / length, end / length
            self.draw.line([self.px(x0 + (x1 - x0) * a, y0 + (y1 - y0) * a),
                            self.px(x0 + (x1 - x0) * b, y0 + (y1 - y0) * b)],
                           fill=ink, width=thickness)
            position = end + off

    def polygon(self, points, color):
        self.draw.polygon([self.px(x, y) for x, y in points], fill=self.ink(color))

    def text(self, x, y, text, color, size, style="sans", anchor="la", alpha=1.0):
        self.draw.text(self.px(x, y), text, fill=self.ink(color, alpha),
                       font=font(max(1, _round(size * self.s)), style), anchor=anchor)

    def grid_lines(self, grid: Grid, color):
        """render.js gridLines: one translucent path, so crossings are not darker."""
        from PIL import Image, ImageDraw

        if grid.cell < 6:
            return
        x0, y0 = self.px(grid.x, grid.y)
        x1, y1 = self.px(grid.x + grid.cols * grid.cell, grid.y + grid.rows * grid.cell)
        mask = Image.new("L", (x1 - x0 + 1, y1 - y0 + 1), 0)
        lines = ImageDraw.Draw(mask)
        width = max(1, _round(self.s))
        for r in range(grid.rows + 1):
            y = self.px(0, grid.y + r * grid.cell)[1] - y0
            lines.rectangle([0, y - width // 2, x1 - x0, y - width // 2 + width - 1], fill=255)
        for c in range(grid.cols + 1):
            x = self.px(grid.x + c * grid.cell, 0)[0] - x0
            lines.rectangle([x - width // 2, 0, x - width // 2 + width - 1, y1 - y0], fill=255)
        alpha = color[3] if len(color) == 4 else 1.0
        mask = mask.point(lambda v: _round(v * alpha))
        self.image.paste(color[:3], (x0, y0, x1 + 1, y1 + 1), mask)


# --- the picture ----------------------------------------------------------------------------

class Picture:
    """Frames of one view: ``frame(step, previous)`` -> a PIL image.

    ``view`` and the steps are the page's payloads (``Session.compute`` and
    ``Session.step``). ``layout``, ``top`` (the caption's height) and ``scale`` say where
    everything is; ``cell_box`` gives a cell's pixels in the frame.
    """

    def __init__(self, view: dict, cell: int | None = None, theme: str = "light",
                 numbers: bool = True, caption: str = "", scale: int = 1):
        self.view, self.theme, self.numbers, self.caption = view, THEMES[theme], numbers, caption
        self.scale = scale
        self.layout = compute_layout(view, cell or fit_cell(view))
        self.top = CAPTION + TITLE if caption else 0
        self.size = (math.ceil(self.layout.width * scale),
                     math.ceil((self.layout.height + self.top) * scale))
        self.padded = unpack(view["padded"])
        self.output = unpack(view["output"])
        self.real = real_cells(view)
        self.steps = view["steps"]
        input_scale = scale_of(self.padded)
        # a filter of weights has their scale; one of input values (a pool's window), the input's
        self.scales = {"input": input_scale,
                       "weight": scale_of(unpack(view["weight"])) if view.get("weight")
                       else input_scale,
                       "output": scale_of(self.output)}
        self._base = None     # (n, image): inputs and empty outputs of sample n
        self._painted = None  # (n, last raster index painted, image)

    # where things are, in the frame's pixels ---------------------------------------------
    def grid(self, part: str, channel: int) -> Grid:
        """``part`` is input, filter (the slice beside input ``channel``) or output."""
        if part == "filter":
            return self.layout.filter_grid(channel)
        return (self.layout.inputs if part == "input" else self.layout.outputs)[channel]

    def cell_box(self, part: str, channel: int, row: int, col: int) -> tuple[int, int, int, int]:
        """(left, top, right, bottom) pixels of a cell in the frame, right/bottom exclusive."""
        grid = self.grid(part, channel)
        x, y = grid.x + col * grid.cell, grid.y + row * grid.cell
        s, top = self.scale, self.top
        return (_round(x * s), _round((y + top) * s), _round((x + grid.cell) * s),
                _round((y + grid.cell + top) * s))

    def cell_centre(self, part: str, channel: int, row: int, col: int) -> tuple[int, int]:
        left, top, right, bottom = self.cell_box(part, channel, row, col)
        return (left + right) // 2, (top + bottom) // 2

    # drawing -------------------------------------------------------------------------------
    def _number(self, pen, grid, row, col, value, color, faint=False):
        if grid.cell < NUMBERS_FROM or not self.numbers:
            return
        ink = (255, 255, 255) if not faint and is_dark(color) else self.theme["text"]
        pen.text(grid.x + (col + 0.5) * grid.cell, grid.y + (row + 0.5) * grid.cell + 0.5,
                 cell_text(value), ink, min(13, _round(grid.cell * 0.34)),
                 "italic" if faint else "sans", anchor="mm", alpha=0.7 if faint else 1.0)

    def _fill(self, pen, grid, row, col, value, scale_key, alpha=1.0, faint=False):
        color = value_color(self.theme, value, self.scales[scale_key])
        pen.fill_rect(grid.x + col * grid.cell, grid.y + row * grid.cell, grid.cell, grid.cell,
                      color, alpha)
        self._number(pen, grid, row, col, value, color, faint)

    def _label(self, pen, text, x, y, bold=False):
        pen.text(x, y - 4, text, self.theme["text"], 12, "bold" if bold else "sans",
                 anchor="ld")

    def _base_image(self, n: int):
        """Sample n's inputs (padding faded, the real input framed) and empty outputs."""
        from PIL import Image

        if self._base and self._base[0] == n:
            return self._base[1]
        theme, layout, view = self.theme, self.layout, self.view
        s = layout.shapes
        image = Image.new("RGB", self.size, theme["background"])
        pen = Pen(image, self.scale, self.top)
        if self.caption:
            pen.text(MARGIN, -self.top + CAPTION / 2, self.caption, theme["text"], 13, "mono",
                     anchor="lm")
        top, bottom, left, right = view["sides"]
        _, _, height, width = view["input"]["shape"]
        cell = layout.cell
        for c, grid in enumerate(layout.inputs):
            for r in range(s.padded_h):
                for col in range(s.padded_w):
                    real = bool(self.real[r, col])
                    self._fill(pen, grid, r, col, self.padded[n, c, r, col], "input",
                               1.0 if real else PADDING_ALPHA, faint=not real)
            pen.grid_lines(grid, theme["grid"])
            pen.stroke_rect(grid.x + left * cell, grid.y + top * cell,
                            (s.padded_w - left - right) * cell, (s.padded_h - top - bottom) * cell,
                            theme["text"], 1.5)
            input = view.get("input_name") or "input"  # the backward pass: grad_output
            name = f"{input}[{n}, {c}]" if s.batch > 1 else f"{input}[{c}]"
            how = (f", {view['input_label']}" if view.get("input_label")
                   else " + padding" if top or left else "")
            self._label(pen, f"{name}  {height}×{width}{how}", grid.x, grid.y, c == 0)
        for o, grid in enumerate(layout.outputs):
            pen.grid_lines(grid, theme["grid"])
            pen.stroke_rect(grid.x, grid.y, grid.cols * cell, grid.rows * cell, theme["muted"], 1)
            output = view.get("output_name") or "output"
            name = (view["output_names"][o] if view.get("output_names") else
                    f"{output}[{n}, {o}]" if s.batch > 1 else f"{output}[{o}]")
            self._label(pen, f"{name}  {s.out_h}×{s.out_w}", grid.x, grid.y, o == 0)
        self._base = (n, image)
        self._painted = None
        return image

    def _with_output(self, step):
        """A copy of the base with the output as far as ``step``: its running sums
        (``state``) whole, else cells up to its raster index (all of them when the view's
        outputs are not one step each)."""
        n = step["position"][0]
        base = self._base_image(n)
        s = self.layout.shapes
        if step.get("state") is not None:
            image = base.copy()
            pen = Pen(image, self.scale, self.top)
            state = unpack(step["state"])
            for o, grid in enumerate(self.layout.outputs):
                for y in range(s.out_h):
                    for x in range(s.out_w):
                        self._fill(pen, grid, y, x, state[o, y, x], "output")
            return image
        per_sample = s.out_channels * s.out_h * s.out_w
        first = n * per_sample
        last = (first + per_sample - 1 if self.view.get("output_steps") is False
                else min(step["index"], first + per_sample - 1))
        if not self._painted or self._painted[0] != n or self._painted[1] > last:
            self._painted = (n, first - 1, base.copy())
        _, done, image = self._painted
        pen = Pen(image, self.scale, self.top)
        flat = self.output.reshape(-1)
        for i in range(done + 1, last + 1):
            o, y, x = np.unravel_index(i - first, (s.out_channels, s.out_h, s.out_w))
            self._fill(pen, self.layout.outputs[o], y, x, flat[i], "output")
        self._painted = (n, max(done, last), image)
        return image.copy()

    def frame(self, step: dict, previous: dict | None = None):
        """One step as the page draws it; ``previous`` adds the stride's ghost and arrow."""
        image = self._with_output(step)
        pen = Pen(image, self.scale, self.top)
        theme, layout = self.theme, self.layout
        s, cell = layout.shapes, layout.cell
        if s.groups > 1:
            in_per_group, out_per_group = s.channels // s.groups, s.out_channels // s.groups
            for c, grid in enumerate(layout.inputs):
                self._group_mark(pen, grid, c // in_per_group,
                                 c not in step["reads"]["channels"])
            for o, grid in enumerate(layout.outputs):
                self._group_mark(pen, grid, o // out_per_group,
                                 o // out_per_group != step.get("group"))
        if step.get("filter"):
            self._filter(pen, step)
        if previous:
            self._stride(pen, previous, step)
        self._window(pen, step, theme["accent"], 2.5)
        writes = step["writes"]
        for o in writes["channels"]:
            for y in writes["rows"]:
                for x in writes["cols"]:
                    pen.stroke_cell(layout.outputs[o], y, x, theme["accent"],
                                    max(2, min(3, cell / 6)))
        if cell < 10:
            self._guides(pen, step)
        self._link(pen, step)
        if self.caption and step.get("title"):
            pen.text(MARGIN, -self.top + CAPTION + TITLE / 2 - 4,
                     f"step {step['index'] + 1} / {self.steps} · {step['title']}",
                     theme["muted"], 12, anchor="lm")
        return image

    def _group_mark(self, pen, grid, group, dimmed):
        groups = self.theme["groups"]
        pen.fill_rect(grid.x - 8, grid.y, 4, grid.rows * grid.cell, groups[group % len(groups)])
        if dimmed:
            pen.fill_rect(grid.x, grid.y, grid.cols * grid.cell, grid.rows * grid.cell,
                          self.theme["veil"])

    def _filter(self, pen, step):
        """The step's filter (a conv's weights, a pool's window), one slice beside each
        channel read, its mark outlined, its note under the last slice."""
        theme, layout = self.theme, self.layout
        filt, channels = step["filter"], step["reads"]["channels"]
        values = unpack(filt["values"])
        mark = filt.get("mark")
        for i, channel in enumerate(channels):
            grid = layout.filter_grid(channel)
            for r in range(grid.rows):
                for c in range(grid.cols):
                    self._fill(pen, grid, r, c, values[i, r, c], "weight")
            pen.grid_lines(grid, theme["grid"])
            pen.stroke_rect(grid.x, grid.y, grid.cols * grid.cell, grid.rows * grid.cell,
                            theme["accent"], 2)
            if mark and mark[0] == i:
                pen.stroke_cell(grid, mark[1], mark[2], theme["text"], 3)
            self._label(pen, filt["labels"][i], grid.x, grid.y, i == 0)
        note = filt.get("note")
        if note and channels:
            last = layout.filter_grid(channels[-1])
            value = "" if note.get("value") is None else f" = {cell_text(note['value'])}"
            pen.text(last.x, last.y + last.rows * last.cell + 6, f"{note['label']}{value}",
                     theme["text"], 12, anchor="la")

    def _window(self, pen, step, color, width, box=True, alpha=1.0):
        """The taps of a step's window on each input channel it reads."""
        cell = self.layout.cell
        reads = step["reads"]
        rows, cols = reads["rows"], reads["cols"]
        for channel in reads["channels"]:
            grid = self.layout.inputs[channel]
            for r in rows:
                for c in cols:
                    pen.stroke_cell(grid, r, c, color, width, alpha)
            if box and rows and cols:
                r0, r1, c0, c1 = rows[0], rows[-1], cols[0], cols[-1]
                pen.stroke_rect(grid.x + c0 * cell - 2, grid.y + r0 * cell - 2,
                                (c1 - c0 + 1) * cell + 4, (r1 - r0 + 1) * cell + 4, color, 1,
                                alpha, dash=(4, 3))

    def _stride(self, pen, previous, step):
        """The previous window as a ghost, and an arrow for the move the stride made."""
        theme, cell = self.theme, self.layout.cell
        if not step["reads"]["channels"] or not previous["reads"]["channels"]:
            return  # a backward step for a cell no window read: no window to move
        grid = self.layout.inputs[step["reads"]["channels"][0]]

        def corner(st):
            return (grid.x + (st["reads"]["cols"][0] + 0.5) * cell,
                    grid.y + (st["reads"]["rows"][0] + 0.5) * cell)

        (x0, y0), (x1, y1) = corner(previous), corner(step)
        if (x0, y0) == (x1, y1):
            return
        self._window(pen, previous, theme["muted"], 1, box=False, alpha=0.55)
        pen.line(x0, y0, x1, y1, theme["accent"], 1.5)
        angle = math.atan2(y1 - y0, x1 - x0)
        head = max(5, cell / 4)
        pen.polygon([(x1, y1),
                     (x1 - head * math.cos(angle - 0.45), y1 - head * math.sin(angle - 0.45)),
                     (x1 - head * math.cos(angle + 0.45), y1 - head * math.sin(angle + 0.45))],
                    theme["accent"])

    def _guides(self, pen, step):
        """With tiny cells, cross-hairs lead the eye to the window and the output cell."""
        cell, accent = self.layout.cell, self.theme["accent"]
        reads, writes = step["reads"], step["writes"]

        def centre(values):
            return (values[0] + values[-1] + 1) / 2

        def cross(grid, row, col):
            pen.line(grid.x, grid.y + row * cell, grid.x + grid.cols * cell, grid.y + row * cell,
                     accent, 1, 0.6)
            pen.line(grid.x + col * cell, grid.y, grid.x + col * cell, grid.y + grid.rows * cell,
                     accent, 1, 0.6)

        for channel in reads["channels"]:
            cross(self.layout.inputs[channel], centre(reads["rows"]), centre(reads["cols"]))
        if writes["rows"] and writes["cols"]:
            for o in writes["channels"]:
                cross(self.layout.outputs[o], centre(writes["rows"]), centre(writes["cols"]))

    def _link(self, pen, step):
        """A faint line from the window to the output cell it produces."""
        cell = self.layout.cell
        reads, writes = step["reads"], step["writes"]
        if not writes["rows"] or not writes["cols"] or not writes["channels"]:
            return  # a stamp cropped away whole
        if not reads["channels"]:
            return  # nothing read: a backward step's unread cell
        grid = self.layout.inputs[reads["channels"][0]]
        out = self.layout.outputs[writes["channels"][0]]
        y, x = (writes["rows"][0] + writes["rows"][-1]) / 2, writes["cols"][0]
        pen.line(grid.x + (reads["cols"][-1] + 1) * cell + 2,
                 grid.y + (reads["rows"][0] + reads["rows"][-1] + 1) * cell / 2,
                 out.x + x * cell, out.y + (y + 0.5) * cell, self.theme["accent"], 1, 0.5,
                 dash=(2, 4))


def save_png(picture: Picture, step, path, previous=None) -> None:
    picture.frame(step, previous).save(path, "PNG")


def save_gif(picture: Picture, steps, path, delay_ms: int = 250) -> None:
    """Steps in order (each frame shows the stride from the one before), on one palette
    made from a few frames across the run (colours do not flicker between frames) that
    holds the theme's own colours exactly. Frames are drawn one at a time and kept as
    palette images only."""
    from PIL import Image

    steps = list(steps)

    def frame(i):
        return picture.frame(steps[i], steps[i - 1] if i else None)

    picks = sorted({round(i * (len(steps) - 1) / 7) for i in range(8)})
    width, height = picture.size
    sheet = Image.new("RGB", (width, height * len(picks)))
    for row, pick in enumerate(picks):
        sheet.paste(frame(pick), (0, row * height))
    theme = picture.theme
    exact = [theme[key] for key in ("background", "text", "muted", "accent", "zero",
                                    "negative", "positive")] + [(255, 255, 255)]
    found = sheet.quantize(256 - len(exact), method=Image.Quantize.MEDIANCUT,
                           dither=Image.Dither.NONE).getpalette()[:3 * (256 - len(exact))]
    del sheet
    indexer = Indexer(np.array([v for c in exact for v in c] + found).reshape(-1, 3))
    frames = (indexer(frame(i)) for i in range(len(steps)))
    next(frames).save(path, "GIF", save_all=True, append_images=frames, duration=delay_ms,
                      loop=0, optimize=False)


class Indexer:
    """Frames as P images on one palette: each colour goes to the nearest palette entry
    (exact matches kept: Pillow's own mapping is coarser), remembered across frames."""

    def __init__(self, palette: np.ndarray):
        self.palette = np.asarray(palette, np.int32)
        self.known = np.zeros(1 << 24, bool)
        self.index = np.zeros(1 << 24, np.uint8)

    def __call__(self, frame):
        from PIL import Image

        pixels = np.asarray(frame, np.int32)
        packed = (pixels[..., 0] << 16) | (pixels[..., 1] << 8) | pixels[..., 2]
        new = np.unique(packed[~self.known[packed]])
        if new.size:
            colours = np.stack([new >> 16, (new >> 8) & 255, new & 255], axis=1)
            distance = ((colours[:, np.newaxis, :] - self.palette[np.newaxis]) ** 2).sum(axis=2)
            self.index[new] = distance.argmin(axis=1)
            self.known[new] = True
        image = Image.fromarray(self.index[packed], "P")
        image.putpalette(self.palette.astype(np.uint8).ravel().tolist())
        return image
