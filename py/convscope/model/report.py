"""A model summary as text: a terminal table, Markdown, CSV or JSON.

The same rows the page's table shows (``Sequential.summary``), written for course
repositories by ``python -m convscope summary model.py --input 1,3,32,32``.
"""

from __future__ import annotations

import csv
import io
import json

from ..text import shape_text
from .sequential import Row, Sequential, totals

FORMATS = ("table", "markdown", "csv", "json")
HEADERS = ("Layer", "Path", "Output shape", "Parameters", "MACs", "Receptive field", "Jump",
           "Start")


def pair_text(value) -> str:
    """(h, w) as ``h×w`` (one number when equal); None (no single window) as a dash."""
    if value is None:
        return "—"
    h, w = value
    return str(h) if h == w else f"{h}×{w}"


def cells(row: Row) -> list[str]:
    return [row.name, row.path, shape_text(row.output_shape), f"{row.parameters:,}",
            f"{row.macs:,}", pair_text(row.receptive_field), pair_text(row.jump),
            pair_text(row.start)]


def total_lines(total: dict) -> list[str]:
    return [f"Total parameters: {total['parameters']:,}",
            f"Total MACs: {total['macs']:,}",
            f"Output values of all layers: {total['activations']:,}"]


def summary_text(model: Sequential, input_shape, form: str = "table") -> str:
    """The summary of ``model`` on ``input_shape`` in ``form`` (one of :data:`FORMATS`)."""
    rows = model.summary(input_shape)
    total = totals(rows, model)
    if form == "json":
        return json.dumps({"input_shape": list(input_shape),
                           "rows": [row.as_dict() for row in rows], "totals": total},
                          indent=1) + "\n"
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["index", "path", "layer", "output_shape", "parameters", "macs",
                         "receptive_field", "jump", "start"])
        for row in rows:
            writer.writerow([row.index, row.path, row.name,
                             "x".join(map(str, row.output_shape)), row.parameters, row.macs,
                             *("" if v is None else "x".join(map(str, v))
                               for v in (row.receptive_field, row.jump, row.start))])
        return buffer.getvalue()
    table = [cells(row) for row in rows]
    lead = f"Input shape: {shape_text(input_shape)}"
    if form == "markdown":
        def line(values):
            return "| " + " | ".join(v.replace("|", "\\|") for v in values) + " |"
        rule = "|" + "|".join("---:" if i >= 3 else "---" for i in range(len(HEADERS))) + "|"
        body = [line(HEADERS), rule] + [line(values) for values in table]
        return "\n".join([lead, ""] + body + [""] + [f"- {t}" for t in total_lines(total)]) \
            + "\n"
    if form != "table":
        raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {form!r}")
    widths = [max(len(v) for v in column) for column in zip(HEADERS, *table)]

    def padded(values):
        return "  ".join(v.ljust(w) if i < 3 else v.rjust(w)
                         for i, (v, w) in enumerate(zip(values, widths))).rstrip()
    rule = "-" * len(padded(HEADERS))
    return "\n".join([lead, rule, padded(HEADERS), rule] + [padded(v) for v in table]
                     + [rule] + total_lines(total)) + "\n"


class Summary:
    """A model's summary for notebooks and scripts (``convscope.summary``): ``rows`` and
    ``totals``; printed, it is the terminal table; in a notebook, an HTML table."""

    def __init__(self, model: Sequential, input_shape):
        self.model, self.input_shape = model, tuple(int(d) for d in input_shape)
        self.rows = model.summary(self.input_shape)
        self.totals = totals(self.rows, model)

    def __str__(self) -> str:
        return summary_text(self.model, self.input_shape, "table")

    def __repr__(self) -> str:
        return str(self)

    def _repr_markdown_(self) -> str:
        return summary_text(self.model, self.input_shape, "markdown")

    def _repr_html_(self) -> str:
        from html import escape

        head = "".join(f"<th>{escape(h)}</th>" for h in HEADERS)
        body = "".join("<tr>" + "".join(
            f'<td style="text-align:{"right" if i >= 3 else "left"}">{escape(v)}</td>'
            for i, v in enumerate(cells(row))) + "</tr>" for row in self.rows)
        foot = "".join(f"<li>{escape(line)}</li>" for line in total_lines(self.totals))
        return (f"<p>Input shape: {escape(shape_text(self.input_shape))}</p>"
                f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
                f"<ul>{foot}</ul>")


def summary(model, input_shape) -> Summary:
    """The summary of ``model`` (a :class:`Sequential`, or model code as text, parsed and
    never run) on an input of ``input_shape``."""
    from .parse import parse_model

    return Summary(parse_model(model) if isinstance(model, str) else model, input_shape)
