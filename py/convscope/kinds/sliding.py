"""A sliding-window run: a conv2d trace told as windows read and cells written. Conv2d's
forward view is one; so is ConvTranspose2d's gather view (the equivalent convolution)."""

from __future__ import annotations

import numpy as np

from ..ops.trace import Trace
from ..text import number
from .base import SHAPE_KEYS, Run, cells, pack, torch_script
from .window_table import table_csv, table_json


def size_formula(axis: str, size: int, before: int, after: int, kernel: int, stride: int,
                 dilation: int, out: int) -> str:
    """The output-size formula for one axis with the numbers filled in."""
    return (f"{axis}_out = ⌊({axis}_in + pad_before + pad_after − dilation×(kernel−1) "
            f"− 1) / stride⌋ + 1 = ⌊({size} + {before} + {after} − {dilation}×({kernel}−1) "
            f"− 1) / {stride}⌋ + 1 = {out}")


def equation(step, dtype=np.float32) -> str:
    """The step's arithmetic: products per input channel, their sums, + bias, = value."""
    lines = []
    for channel, inputs, weights, total in zip(step.channels, step.inputs, step.weights,
                                               step.channel_sums):
        terms = " + ".join(f"{number(x, dtype)}×{number(w, dtype)}"
                           for x, w in zip(inputs.ravel(), weights.ravel()))
        lines.append(f"input[{channel}]: {terms} = {number(total, dtype)}")
    if step.bias is not None:
        lines.append(f"+ bias {number(step.bias, dtype)}")
    lines.append(f"= {number(step.value, dtype)}")
    return "\n".join(lines)


class Conv2dRun(Run):
    """A conv2d trace, told as windows read and cells written."""

    #: what a step's products multiply, in its spoken sentence
    products_of = "input and weight"

    def __init__(self, kind, config: dict, layer, trace: Trace):
        self.kind, self.config, self.layer, self.trace = kind, config, layer, trace
        self.steps = len(trace)
        self.dtype = trace.output.dtype.type

    def shapes(self) -> dict:
        """The shapes panel alone (what a backward view keeps of the forward one)."""
        view = self.view()
        return {key: view[key] for key in SHAPE_KEYS}

    def view(self) -> dict:
        trace, layer, config = self.trace, self.layer, self.config
        input_shape = trace.call.batch.shape
        output_shape = trace.output.shape
        height, width = input_shape[2:]
        sides = trace.call.spec.sides
        (kh, kw), (sh, sw), (dh, dw) = layer.kernel_size, layer.stride, layer.dilation
        return {
            "layer": self.kind.name,
            "torch_line": self.kind.torch_line(config),
            "repr": repr(layer),
            "input_shape": list(input_shape),
            "output_shape": list(output_shape),
            "weight_shape": list(layer.weight_shape),
            "bias_shape": None if layer.bias is None else [layer.out_channels],
            "parameter_count": layer.parameter_count,
            "mac_count": layer.mac_count(input_shape),
            "formula_h": size_formula("H", height, sides.top, sides.bottom, kh, sh, dh,
                                      output_shape[2]),
            "formula_w": size_formula("W", width, sides.left, sides.right, kw, sw, dw,
                                      output_shape[3]),
            "sides": list(sides),
            "steps": self.steps,
            "input": pack(trace.call.batch),
            "padded": pack(trace.padded),
            "row_sources": trace.row_sources.tolist(),
            "col_sources": trace.col_sources.tolist(),
            "weight": pack(layer.weight),
            "filter_shape": list(layer.weight_shape[1:]),
            "groups": layer.groups,
            "bias": None if layer.bias is None else pack(layer.bias),
            "output": pack(trace.output),
        }

    def step(self, index: int) -> dict:
        step = self.trace[index]
        n, o, y, x = step.position
        return {
            "index": step.index,
            "position": list(step.position),
            "title": f"output[{n}, {o}, {y}, {x}]",
            "reads": cells(step.channels, step.padded_rows, step.padded_cols),
            "writes": cells([o], [y], [x]),
            # sources: the weight[a, b] each slice shows, which an edit of it changes
            "filter": {"values": pack(step.weights),
                       "sources": [[o, i] for i in range(len(step.channels))], "flipped": False,
                       "labels": [f"weight[{o}, {i}]" for i in range(len(step.channels))],
                       # drawn under the filter, the value as short as the cells'
                       "note": None if step.bias is None else
                       {"label": f"bias[{o}]", "value": step.bias}},
            "group": step.group,
            "in_padding": step.in_padding.ravel().tolist(),
            "inputs": pack(step.inputs),
            "weights": pack(step.weights),
            "products": pack(step.products),
            "channel_sums": pack(step.channel_sums),
            "bias": step.bias,
            "value": step.value,
            "value_text": number(step.value, self.dtype),
            "equation": equation(step, self.dtype),
            "spoken": self.spoken(step),
        }

    def spoken(self, step) -> str:
        """The step in one short sentence, for a screen reader's polite live region."""
        n, o, y, x = step.position
        count = sum(inputs.size for inputs in step.inputs)
        channels = len(step.channels)
        over = f" over {channels} input channels" if channels > 1 else ""
        bias = "" if step.bias is None else f", plus bias {number(step.bias, self.dtype)}"
        return (f"output[{n}, {o}, {y}, {x}] = {number(step.value, self.dtype)}: {count} "
                f"products of {self.products_of}{over}{bias}")

    def touching(self, channel: int, row: int, col: int) -> dict:
        reach = self.trace.outputs_reading(channel, row, col)
        return cells(reach.channels, np.flatnonzero(reach.rows), np.flatnonzero(reach.cols))

    def snippet(self) -> str:
        call, config = self.trace.call, self.config
        return torch_script(self.kind.torch_line(config),
                            f"input preset {config['input']!r}, weights preset "
                            f"{config['weights']!r}, seed {config['seed']}",
                            call.batch, self.trace.output, call.weight, call.bias)

    def table(self, form: str) -> str:
        return (table_json if form == "json" else table_csv)(self.trace)
