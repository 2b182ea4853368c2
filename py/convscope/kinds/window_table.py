"""The step table: every output element with its window, products, sum, bias and value.

Computed for the whole output at once (one vectorised product per output channel),
from the same trace the visualizer animates, for CSV/JSON export.
"""

from __future__ import annotations

import csv
import io
import json

import numpy as np

from ..limits import MAX_TABLE_VALUES
from ..ops.arguments import ArgumentError
from ..ops.conv import windows
from ..ops.trace import Trace

COLUMNS = ("n", "o", "y", "x", "window_row", "window_col", "products", "sum", "bias", "value")


def step_rows(trace: Trace):
    """Yield one dict per output element, in the trace's raster order.

    ``window_row``/``window_col`` are the window's top-left tap in input coordinates
    (negative inside the padding); ``products`` are input × weight for every tap of
    every input channel the output reads, channel by channel, row by row.
    """
    call = trace.call
    out_n, out_channels, out_h, out_w = trace.output.shape
    taps = call.weight[0].size
    if trace.output.size * taps > MAX_TABLE_VALUES:
        raise ArgumentError("input_size", f"the step table would hold {trace.output.size * taps:,} "
                                          f"products; exports stop at {MAX_TABLE_VALUES:,}: "
                                          "use a smaller layer")
    spec = call.spec
    per_group = out_channels // spec.groups
    taps_of = windows(trace.padded, call)  # (N, G, C/G, kH, kW, out_h, out_w)
    rows = np.arange(out_h) * spec.stride[0] - spec.sides.top
    cols = np.arange(out_w) * spec.stride[1] - spec.sides.left
    for n in range(out_n):
        for o in range(out_channels):
            weight = call.weight[o][..., np.newaxis, np.newaxis]
            products = (taps_of[n, o // per_group] * weight).reshape(taps, out_h, out_w)
            totals = products.sum(axis=0)
            bias = None if call.bias is None else call.bias[o].item()
            for y in range(out_h):
                for x in range(out_w):
                    yield {"n": n, "o": o, "y": y, "x": x, "window_row": int(rows[y]),
                           "window_col": int(cols[x]),
                           "products": products[:, y, x].tolist(),
                           "sum": totals[y, x].item(), "bias": bias,
                           "value": trace.output[n, o, y, x].item()}


def _text(value) -> str:
    """Nine significant digits: enough to read back every float32 exactly."""
    return "" if value is None else format(value, ".9g")


def table_csv(trace: Trace) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in step_rows(trace):
        writer.writerow([row["n"], row["o"], row["y"], row["x"], row["window_row"],
                         row["window_col"], " ".join(map(_text, row["products"])),
                         _text(row["sum"]), _text(row["bias"]), _text(row["value"])])
    return out.getvalue()


def table_json(trace: Trace) -> str:
    return json.dumps({"columns": list(COLUMNS), "rows": list(step_rows(trace))})
