"""Draw convscope frames with Pillow, for the command line (``python -m convscope export``).

The same picture as the page's canvas (web/js/render.js, web/js/layout.js): the padded
input with its padding ring, the window's taps, the filter beside the channels it
reads, the output filling in, the current cell, an optional caption. Needs the
``export`` extra (Pillow).
"""

from __future__ import annotations

import math

import numpy as np

MARGIN, LABEL, CAPTION = 16, 18, 30
THEMES = {  # the page's CSS palette (web/css/convscope.css), light and dark
    "light": dict(negative=(96, 165, 250), zero=(248, 250, 252), positive=(248, 113, 113),
                  accent=(154, 52, 18), text=(31, 41, 55), muted=(75, 85, 99),
                  background=(255, 255, 255), grid=(220, 223, 227)),
    "dark": dict(negative=(37, 99, 235), zero=(55, 65, 81), positive=(220, 38, 38),
                 accent=(253, 186, 116), text=(243, 244, 246), muted=(156, 163, 175),
                 background=(31, 41, 55), grid=(65, 75, 90)),
}


def value_color(theme, value, scale):
    t = max(-1.0, min(1.0, value / scale))
    end = theme["negative"] if t < 0 else theme["positive"]
    return tuple(round(z + (e - z) * abs(t)) for z, e in zip(theme["zero"], end))


def cell_text(value) -> str:
    """Compact text for a cell, as the page writes it (colors.js cellText)."""
    if float(value).is_integer() and abs(value) < 1e5:
        return str(int(value))
    magnitude = abs(value)
    if magnitude >= 1e5 or 0 < magnitude < 1e-3:
        return f"{value:.0e}"
    text = f"{value:.{0 if magnitude >= 100 else 1 if magnitude >= 10 else 2}f}"
    if float(text) == 0:
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


class Picture:
    """Frames of one view: ``frame(step, previous)`` -> a PIL image."""

    def __init__(self, trace, cell: int = 32, theme: str = "light",
                 numbers: bool = True, caption: str = "", scale: int = 1):
        from PIL import ImageFont

        self.trace, self.theme, self.numbers, self.caption = trace, THEMES[theme], numbers, caption
        self.cell, self.scale = cell, scale
        n, channels, self.padded_h, self.padded_w = trace.padded.shape
        self.out_channels, self.group_channels, self.kh, self.kw = trace.call.weight.shape
        _, _, self.out_h, self.out_w = trace.output.shape
        self.sides = trace.call.spec.sides
        self.height, self.width = trace.call.batch.shape[2:]
        gap = max(12, round(cell * 0.6)) + LABEL
        column_gap = max(36, cell * 2)
        self.filter_cell = max(cell, min(28, self.padded_h * cell // self.kh, 160 // self.kw))
        self.filter_x = MARGIN + self.padded_w * cell + column_gap
        self.output_x = (self.filter_x + max(self.kw * self.filter_cell, 96) + column_gap)
        top = MARGIN + LABEL + (CAPTION if caption else 0)
        self.input_y = [top + c * (self.padded_h * cell + gap) for c in range(channels)]
        self.output_y = [top + o * (self.out_h * cell + gap) for o in range(self.out_channels)]
        self.size = (self.output_x + self.out_w * cell + MARGIN,
                     max(self.input_y[-1] + self.padded_h * cell,
                         self.output_y[-1] + self.out_h * cell,
                         self.input_y[-1] + self.kh * self.filter_cell + 3 * LABEL) + MARGIN)
        self.scales = {key: float(np.abs(a).max()) or 1.0 for key, a in
                       (("input", trace.padded), ("weight", trace.call.weight),
                        ("output", trace.output))}
        self.font = ImageFont.load_default(size=max(9, min(13, round(cell * 0.34))))
        self.label_font = ImageFont.load_default(size=12)

    def _cell(self, draw, x, y, size, value, scale_key, faint=False):
        color = value_color(self.theme, value, self.scales[scale_key])
        if faint:  # the padding ring: the value's colour, washed out
            color = tuple(round(c * 0.45 + b * 0.55)
                          for c, b in zip(color, self.theme["background"]))
        draw.rectangle([x, y, x + size - 1, y + size - 1], fill=color, outline=self.theme["grid"])
        if self.numbers and size >= 20:
            dark = 0.299 * color[0] + 0.587 * color[1] + 0.114 * color[2] < 140
            ink = ((255, 255, 255) if dark
                   else self.theme["muted"] if faint else self.theme["text"])
            draw.text((x + size / 2, y + size / 2), cell_text(value), fill=ink, font=self.font,
                      anchor="mm")

    def frame(self, step):
        from PIL import Image, ImageDraw

        theme, cell = self.theme, self.cell
        image = Image.new("RGB", self.size, theme["background"])
        draw = ImageDraw.Draw(image)
        if self.caption:
            draw.text((MARGIN, CAPTION / 2), self.caption, fill=theme["text"],
                      font=self.label_font, anchor="lm")
        n, o, y, x = step.position
        for c, top in enumerate(self.input_y):
            draw.text((MARGIN, top - 4), f"input[{c}]", fill=theme["text"],
                      font=self.label_font, anchor="lb")
            for r in range(self.padded_h):
                for col in range(self.padded_w):
                    inside = (self.sides.top <= r < self.sides.top + self.height
                              and self.sides.left <= col < self.sides.left + self.width)
                    self._cell(draw, MARGIN + col * cell, top + r * cell, cell,
                               float(self.trace.padded[n, c, r, col]), "input", not inside)
            draw.rectangle([MARGIN + self.sides.left * cell, top + self.sides.top * cell,
                            MARGIN + (self.sides.left + self.width) * cell,
                            top + (self.sides.top + self.height) * cell], outline=theme["text"])
        for i, channel in enumerate(step.channels):  # the filter, level with its channel
            top = self.input_y[channel]
            draw.text((self.filter_x, top - 4), f"weight[{o}, {i}]", fill=theme["text"],
                      font=self.label_font, anchor="lb")
            for r in range(self.kh):
                for col in range(self.kw):
                    self._cell(draw, self.filter_x + col * self.filter_cell,
                               top + r * self.filter_cell, self.filter_cell,
                               float(step.weights[i, r, col]), "weight")
            for r in step.padded_rows:  # the window's taps
                for col in step.padded_cols:
                    draw.rectangle([MARGIN + col * cell + 1, top + r * cell + 1,
                                    MARGIN + (col + 1) * cell - 2, top + (r + 1) * cell - 2],
                                   outline=theme["accent"], width=max(2, cell // 12))
        done = step.index - n * self.out_channels * self.out_h * self.out_w
        for oc, top in enumerate(self.output_y):
            draw.text((self.output_x, top - 4), f"output[{oc}]", fill=theme["text"],
                      font=self.label_font, anchor="lb")
            for r in range(self.out_h):
                for col in range(self.out_w):
                    local = (oc * self.out_h + r) * self.out_w + col
                    left, upper = self.output_x + col * cell, top + r * cell
                    if local <= done:
                        self._cell(draw, left, upper, cell,
                                   float(self.trace.output[n, oc, r, col]), "output")
                    else:
                        draw.rectangle([left, upper, left + cell - 1, upper + cell - 1],
                                       outline=theme["grid"])
        top = self.output_y[o]
        draw.rectangle([self.output_x + x * cell, top + y * cell,
                        self.output_x + (x + 1) * cell - 1, top + (y + 1) * cell - 1],
                       outline=theme["accent"], width=3)
        if self.scale != 1:
            image = image.resize((self.size[0] * self.scale, self.size[1] * self.scale),
                                 Image.Resampling.NEAREST)
        return image


def save_png(picture: Picture, step, path) -> None:
    picture.frame(step).save(path, "PNG")


def save_gif(picture: Picture, steps, path, delay_ms: int = 250) -> None:
    frames = [picture.frame(step) for step in steps]
    frames[0].save(path, "GIF", save_all=True, append_images=frames[1:],
                   duration=delay_ms, loop=0, optimize=False)


def fit_cell(columns: int) -> int:
    """A default cell size: numbers readable for small layers, modest images for big ones."""
    return max(6, min(32, math.floor(900 / max(1, columns))))
