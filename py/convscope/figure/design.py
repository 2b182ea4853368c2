"""One drawing for the page and the CLI: the palette and the canvas's sizes, written once.

The build writes them into the site (tools/prebake.mjs, as it writes js/kinds.js): the
palette as css/convscope.css's custom properties, where the stylesheet holds the
``/* palette */`` and ``/* palette: more contrast */`` markers, and the sizes as
js/design.js, which the canvas modules import. :mod:`convscope.figure.frames` draws the
CLI's figures with the same values. It needs nothing beyond the standard library.
"""

from __future__ import annotations

import json

#: Every colour as ``(light, dark)`` (CSS's ``light-dark()``), or one colour for both.
#: Every text colour reaches WCAG AA (4.5:1) on bg, panel and code-bg; the diverging
#: scale is blue for negative, near-white (dark: slate) for zero, red for positive, its
#: ends light in the light theme and dark in the dark one (tests/test_accessibility.py).
PALETTE = {
    "bg": ("#f7f7f5", "#111827"),
    "panel": ("#ffffff", "#1f2937"),
    "text": ("#1f2937", "#f3f4f6"),
    "muted": ("#4b5563", "#9ca3af"),
    "border": ("#e5e7eb", "#374151"),
    "accent": ("#9a3412", "#fdba74"),
    "hover": ("#164e63", "#a5f3fc"),
    "error": ("#b91c1c", "#fca5a5"),
    "error-bg": ("#fef2f2", "#3b1d1d"),
    "notice-bg": ("#fffbeb", "#3a2f12"),
    "code-bg": ("#f3f4f6", "#111827"),
    "canvas-bg": ("#ffffff", "#1f2937"),
    "grid-line": ("rgba(31, 41, 55, 0.14)", "rgba(243, 244, 246, 0.12)"),
    "veil": ("rgba(255, 255, 255, 0.72)", "rgba(31, 41, 55, 0.75)"),
    "value-negative": ("#60a5fa", "#2563eb"),
    "value-zero": ("#f8fafc", "#374151"),
    "value-positive": ("#f87171", "#dc2626"),
    "group-0": "#0d9488",
    "group-1": "#d97706",
    "group-2": "#7c3aed",
    "group-3": "#db2777",
}

#: ``prefers-contrast: more``: text and accent at 7:1 or more (WCAG AAA) on every panel,
#: firmer borders; the colours not named keep the palette's.
MORE_CONTRAST = {
    "bg": ("#ffffff", "#030712"),
    "panel": ("#ffffff", "#111827"),
    "text": ("#030712", "#ffffff"),
    "muted": ("#374151", "#d1d5db"),
    "border": ("#4b5563", "#9ca3af"),
    "accent": ("#7c2d12", "#fed7aa"),
    "error": ("#991b1b", "#fecaca"),
    "error-bg": ("#fef2f2", "#2a1010"),
    "notice-bg": ("#fffbeb", "#2a220b"),
    "code-bg": ("#f3f4f6", "#030712"),
    "canvas-bg": ("#ffffff", "#111827"),
    "grid-line": ("rgba(3, 7, 18, 0.3)", "rgba(255, 255, 255, 0.3)"),
}

#: The canvas's sizes, in CSS px: the margin round the picture and a grid's label
#: line, the smallest and largest cell, the filter column's least width, the smallest
#: cell that still shows its number, an export's caption line; and how washed out the
#: cells that are not real input (padding, inserted zeros) are drawn.
CANVAS = {"margin": 16, "label": 18, "min_cell": 3, "max_cell": 44, "filter_min_width": 96,
          "numbers_from": 20, "caption": 30, "padding_alpha": 0.45}

#: The stylesheet's markers the build replaces with the palettes above.
MARKERS = {"/* palette */": PALETTE, "/* palette: more contrast */": MORE_CONTRAST}


def css_value(colour) -> str:
    return colour if isinstance(colour, str) else f"light-dark({colour[0]}, {colour[1]})"


def css_properties(colours: dict, indent: str) -> str:
    """The colours as CSS custom properties, one a line: ``--bg: light-dark(...);``."""
    return "\n".join(f"{indent}--{name}: {css_value(colour)};" for name, colour in colours.items())


def stylesheet(css: str) -> str:
    """``css`` with each marker line replaced by its palette's properties (at the marker's
    indentation); a marker missing is an error, not a page without colours."""
    lines = css.split("\n")
    for marker, colours in MARKERS.items():
        found = [i for i, line in enumerate(lines) if line.strip() == marker]
        if len(found) != 1:
            raise ValueError(f"the stylesheet must hold the line {marker!r} once")
        line = lines[found[0]]
        lines[found[0]] = css_properties(colours, line[:len(line) - len(line.lstrip())])
    return "\n".join(lines)


def design_module() -> str:
    """js/design.js: the canvas's sizes for the page's modules."""
    return ("// Written by the build (tools/prebake.mjs) from convscope.figure.design: do not "
            f"edit.\nexport default {json.dumps({'canvas': CANVAS})};\n")
