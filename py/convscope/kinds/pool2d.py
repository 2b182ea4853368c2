"""``nn.MaxPool2d`` and ``nn.AvgPool2d`` as layer kinds: each step reads a window of one
channel and writes one output cell: the window's maximum (the winning cell marked, ties
as torch breaks them) or its sum over the divisor."""

from __future__ import annotations

import math

import numpy as np

from ..grad import Gradients, avg_pool_backward, max_pool_backward
from ..limits import MAX_MACS, MAX_TABLE_VALUES
from ..nn.pool import AvgPool2d, MaxPool2d
from ..ops.arguments import ArgumentError
from ..ops.padding import source_indices
from ..ops.pool import (avg_output, avg_terms, max_winners, pad_for_pool, pool_sides, pool_windows,
                        prepare_pool, tap_positions)
from ..text import number, short
from .backward import PoolInputGradRun, Upstream, backward_arguments, gradient_of, is_backward
from .base import (SHAPE_KEYS, Argument, LayerKind, Run, cells, pack, step_position, table_text,
                   torch_script)


def as_given(value):
    """A page pair as a torch user writes it: 2 for (2, 2), else a tuple (the layers keep
    the form they are given, and show it in their repr)."""
    if value is None or isinstance(value, (int, bool)):
        return value
    h, w = value
    return h if h == w else (h, w)


def size_formula(axis: str, size: int, pad: int, kernel: int, stride: int, dilation: int,
                 ceil_mode: bool, out: int) -> str:
    """The output-size formula for one axis with the numbers filled in."""
    span = f"{dilation}×({kernel}−1)"
    if not ceil_mode:
        return (f"{axis}_out = ⌊({axis}_in + 2×padding − dilation×(kernel−1) − 1) / stride⌋ + 1"
                f" = ⌊({size} + 2×{pad} − {span} − 1) / {stride}⌋ + 1 = {out}")
    raw = -(-(size + 2 * pad - dilation * (kernel - 1) - 1) // stride) + 1
    text = (f"{axis}_out = ⌈({axis}_in + 2×padding − dilation×(kernel−1) − 1) / stride⌉ + 1"
            f" = ⌈({size} + 2×{pad} − {span} − 1) / {stride}⌉ + 1 = {raw}")
    if raw != out:
        text += (f"; the last window would start at {(raw - 1) * stride} ≥ {axis}_in + padding"
                 f" = {size + pad}, in the right padding, so ceil_mode drops it: {out}")
    return text


class PoolKind(LayerKind):
    """What max and average pooling share; ``mode`` is 'max' or 'avg'."""

    mode: str
    layer_class: type

    def layer(self, config: dict, rng=None):
        names = [argument.name for argument in self.arguments if not argument.data]
        return self.layer_class(**{name: as_given(config[name]) for name in names})

    def window(self, layer, input_shape):
        spec = layer.spec()
        return spec.kernel_size, spec.stride, spec.padding, spec.dilation

    def torch_line(self, config: dict) -> str:
        args = [short(config["kernel_size"])]
        for argument in self.arguments[1:]:
            if argument.data or config[argument.name] == argument.default:
                continue
            value = config[argument.name]
            text = value if isinstance(value, (bool, int)) else short(value)
            args.append(f"{argument.name}={text}")
        return f"nn.{self.title}({', '.join(args)})"

    def check_work(self, layer, input_shape) -> None:
        output_shape = layer.output_shape(input_shape)
        reads = math.prod(output_shape) * math.prod(layer.spec().kernel_size)
        if reads > MAX_MACS:
            raise ArgumentError("input_size", f"this layer reads {reads:,} window cells; the "
                                              f"page computes up to {MAX_MACS:,} to stay "
                                              "responsive: use a smaller input or kernel")

    def run(self, config: dict, layer, x: np.ndarray) -> Run:
        forward = PoolRun(self, config, layer, prepare_pool(x, self.mode, layer.spec()))
        return self.backward(config, forward) if is_backward(config) else forward

    def backward(self, config: dict, forward: PoolRun) -> Run:
        """input.grad, one input cell a step (a pool has no weight or bias)."""
        gradient_of(config, ("input",))
        call = forward.call
        upstream = Upstream(config, forward.output)
        view = forward.view()
        shapes = {key: view[key] for key in SHAPE_KEYS if key in view}
        if self.mode == "max":
            grad_input = max_pool_backward(call, upstream.grad_output)
            extra = {"winners": forward.winners}
        else:
            grad_input = avg_pool_backward(call, upstream.grad_output)
            extra = {"divisors": forward.terms.divisor}
        base = dict(kind=self, config=config, layer=forward.layer, x=call.batch,
                    output=forward.output, grads=Gradients(grad_input, None, None),
                    upstream=upstream, shapes=shapes)
        return PoolInputGradRun(base, call, **extra)


class MaxPool2dKind(PoolKind):
    name = "max_pool2d"
    title = "MaxPool2d"
    mode = "max"
    layer_class = MaxPool2d
    summary = "the largest value in each window of each channel; no weights"
    arguments = (
        Argument("kernel_size", "pair", [2, 2], positional=True),
        Argument("stride", "optional_pair", None),
        Argument("padding", "pair", [0, 0]),
        Argument("dilation", "pair", [1, 1]),
        Argument("ceil_mode", "bool", False),
        Argument("in_channels", "int", 1, data=True),
    ) + backward_arguments(("input",))


class AvgPool2dKind(PoolKind):
    name = "avg_pool2d"
    title = "AvgPool2d"
    mode = "avg"
    layer_class = AvgPool2d
    summary = "the mean of each window of each channel: its sum over the divisor; no weights"
    arguments = (
        Argument("kernel_size", "pair", [2, 2], positional=True),
        Argument("stride", "optional_pair", None),
        Argument("padding", "pair", [0, 0]),
        Argument("ceil_mode", "bool", False),
        Argument("count_include_pad", "bool", True),
        Argument("divisor_override", "optional_int", None),
        Argument("in_channels", "int", 1, data=True),
    ) + backward_arguments(("input",))


class PoolRun(Run):
    """A pooling call, told as windows read and cells written."""

    def __init__(self, kind: PoolKind, config: dict, layer, call):
        self.kind, self.config, self.layer, self.call = kind, config, layer, call
        self.padded = pad_for_pool(call)
        self.sides = pool_sides(call)
        if call.mode == "max":
            self.winners = max_winners(self.padded, call)
            self.output = self.winners.value
        else:
            self.terms = avg_terms(self.padded, call)
            self.output = avg_output(self.terms, call.batch.dtype)
        self.steps = self.output.size
        self.dtype = self.output.dtype.type
        spec = call.spec
        height, width = call.batch.shape[2:]
        out_h, out_w = call.output_shape[2:]
        #: (kH, out_h) / (kW, out_w): the padded row/column tap i of window y reads
        self.tap_rows = tap_positions(out_h, spec.kernel_size[0], spec.padding[0],
                                      spec.stride[0], spec.dilation[0]) + self.sides.top
        self.tap_cols = tap_positions(out_w, spec.kernel_size[1], spec.padding[1],
                                      spec.stride[1], spec.dilation[1]) + self.sides.left
        self.row_sources = source_indices(height, self.sides.top, self.sides.bottom, "zeros")
        self.col_sources = source_indices(width, self.sides.left, self.sides.right, "zeros")

    def view(self) -> dict:
        call, spec = self.call, self.call.spec
        input_shape = call.batch.shape
        height, width = input_shape[2:]
        (kh, kw) = spec.kernel_size
        return {
            "layer": self.kind.name,
            "torch_line": self.kind.torch_line(self.config),
            "repr": repr(self.layer),
            "input_shape": list(input_shape),
            "output_shape": list(self.output.shape),
            "weight_shape": None,
            "bias_shape": None,
            "parameter_count": 0,
            "mac_count": self.output.size * kh * kw,
            "cost_label": "window cells read",
            "formula_h": size_formula("H", height, spec.padding[0], kh, spec.stride[0],
                                      spec.dilation[0], spec.ceil_mode, self.output.shape[2]),
            "formula_w": size_formula("W", width, spec.padding[1], kw, spec.stride[1],
                                      spec.dilation[1], spec.ceil_mode, self.output.shape[3]),
            "sides": list(self.sides),
            "steps": self.steps,
            "input": pack(call.batch),
            "padded": pack(self.padded),
            "row_sources": self.row_sources.tolist(),
            "col_sources": self.col_sources.tolist(),
            "weight": None,
            "filter_shape": [1, kh, kw],
            "groups": 1,
            "bias": None,
            "output": pack(self.output),
        }

    def position(self, index: int) -> tuple[int, int, int, int]:
        return step_position(index, self.output.shape)

    def window(self, n: int, c: int, y: int, x: int) -> np.ndarray:
        """The (kH, kW) values output (n, c, y, x) reads (padding: −inf for max, 0 for avg)."""
        return self.padded[n, c][np.ix_(self.tap_rows[:, y], self.tap_cols[:, x])]

    def step(self, index: int) -> dict:
        n, c, y, x = position = self.position(index)
        rows, cols = self.tap_rows[:, y], self.tap_cols[:, x]
        window = self.window(n, c, y, x)
        value = self.output[position].item()
        dtype = self.dtype
        terms = ", ".join(number(v, dtype) for v in window.ravel())
        if self.call.mode == "max":
            i, j = int(self.winners.i[position]), int(self.winners.j[position])
            index_in_plane = int(self.winners.index[position])
            width = self.call.batch.shape[3]
            where = (f"the winner: window cell ({i}, {j}) = input[{n}, {c}, "
                     f"{index_in_plane // width}, {index_in_plane % width}], "
                     f"return_indices gives {index_in_plane}")
            equation = f"max({terms})\n= {number(value, dtype)}\n{where}"
            mark, note = [0, i, j], {"label": "max", "value": None}
            how = f"the largest of {window.size} window cells, at window cell ({i}, {j})"
        else:
            total = self.terms.total[position].item()
            divisor = int(self.terms.divisor[y, x])
            equation = (f"({' + '.join(number(v, dtype) for v in window.ravel())}) / {divisor}\n"
                        f"= {number(total, dtype)} / {divisor}\n= {number(value, dtype)}\n"
                        f"{self.divisor_reason(divisor)}")
            mark, note = None, {"label": f"sum ÷ {divisor}", "value": None}
            how = f"the sum {number(total, dtype)} of {window.size} window cells divided by {divisor}"
        return {
            "index": int(np.ravel_multi_index(position, self.output.shape)),
            "position": list(position),
            "title": f"output[{n}, {c}, {y}, {x}]",
            "reads": cells([c], rows, cols),
            "writes": cells([c], [y], [x]),
            "filter": {"values": pack(window[np.newaxis]), "labels": [f"window of input[{c}]"],
                       "mark": mark, "note": note},
            "group": 0,
            "value": value,
            "value_text": number(value, dtype),
            "equation": equation,
            "spoken": f"output[{n}, {c}, {y}, {x}] = {number(value, dtype)}: {how}",
        }

    def divisor_reason(self, divisor: int) -> str:
        spec = self.call.spec
        if spec.divisor_override is not None:
            return f"divisor_override={spec.divisor_override}"
        if spec.count_include_pad:
            return (f"divisor {divisor}: the window's cells inside the padded input "
                    "(count_include_pad=True)")
        return f"divisor {divisor}: the window's cells inside the input (count_include_pad=False)"

    def touching(self, channel: int, row: int, col: int) -> dict:
        _, channels, height, width = self.call.batch.shape
        if not (0 <= channel < channels and 0 <= row < height and 0 <= col < width):
            raise ValueError(f"input pixel {(channel, row, col)} is outside the input of "
                             f"shape {(channels, height, width)}")
        rows = np.flatnonzero((self.tap_rows == row + self.sides.top).any(axis=0))
        cols = np.flatnonzero((self.tap_cols == col + self.sides.left).any(axis=0))
        return cells([channel], rows, cols)

    def snippet(self) -> str:
        config = self.config
        return torch_script(self.kind.torch_line(config),
                            f"input preset {config['input']!r}, seed {config['seed']}",
                            self.call.batch, self.output)

    def rows(self):
        """One dict per output cell, in step order: its window's values and its result."""
        kh, kw = self.call.spec.kernel_size
        if self.steps * kh * kw > MAX_TABLE_VALUES:
            raise ArgumentError("input_size", f"the step table would hold "
                                              f"{self.steps * kh * kw:,} values; exports stop "
                                              f"at {MAX_TABLE_VALUES:,}: use a smaller layer")
        windows = pool_windows(self.padded, self.call)
        for n, c, y, x in np.ndindex(self.output.shape):
            row = {"n": n, "c": c, "y": y, "x": x,
                   "window_row": int(self.tap_rows[0, y] - self.sides.top),
                   "window_col": int(self.tap_cols[0, x] - self.sides.left),
                   "values": windows[n, c, :, :, y, x].ravel().tolist()}
            if self.call.mode == "max":
                row["index"] = int(self.winners.index[n, c, y, x])
            else:
                row["sum"] = self.terms.total[n, c, y, x].item()
                row["divisor"] = int(self.terms.divisor[y, x])
            row["value"] = self.output[n, c, y, x].item()
            yield row

    def table(self, form: str) -> str:
        return table_text(list(self.rows()), form)


MAX_POOL2D = MaxPool2dKind()
AVG_POOL2D = AvgPool2dKind()
