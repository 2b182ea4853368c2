"""``nn.ConvTranspose2d`` as a layer kind, in two views of the same numbers.

**scatter** (the definition): each step takes one input cell, multiplies the kernel by
it and adds the product into an output window (the stamp); output cells fill up as
running sums. **gather** (the equivalent direct convolution): ``stride − 1`` zeros
between input cells, a border of ``dilation·(k−1) − padding`` (plus ``output_padding``
at the bottom/right), the kernel flipped; each step is then an ordinary Conv2d step.
"""

from __future__ import annotations

import numpy as np

from ..arguments import ArgumentError, Sides
from ..conv_transpose import (TransposeCall, border, gather_sides, gathered_weight, insert_zeros,
                              prepare_transpose, scatter, stamp)
from ..conv_transpose_layer import ConvTranspose2d
from ..functional import prepare
from ..grad import conv_transpose2d_backward
from ..padding import pad, source_indices
from ..text import number, short
from ..trace import Trace
from .base import (Argument, LayerKind, Run, cells, pack, step_position, table_text,
                   torch_script)
from .backward import (BiasGradRun, Sliding, TracedInputGradRun, Upstream, WeightGradRun,
                       backward_arguments, gradient_of, is_backward)
from .conv2d import SHAPE_KEYS, Conv2dRun, WEIGHT_PRESETS, preset_weights

#: Output values per sample up to which every scatter step carries the running sums
#: (each step message holds them all); a larger output shows its final values.
MAX_STATE = 16_384
#: Lines of a stamp's arithmetic written out; the rest is summarised.
MAX_TERMS = 25
#: Values a step table may hold; beyond it a download would be tens of megabytes.
MAX_TABLE_VALUES = 500_000
VIEWS = ("scatter", "gather")


def size_formula(axis: str, size: int, kernel: int, stride: int, padding: int,
                 output_padding: int, dilation: int, out: int) -> str:
    return (f"{axis}_out = ({axis}_in − 1)×stride − 2×padding + dilation×(kernel−1) + "
            f"output_padding + 1 = ({size} − 1)×{stride} − 2×{padding} + {dilation}×({kernel}−1)"
            f" + {output_padding} + 1 = {out}")


class ConvTranspose2dKind(LayerKind):
    name = "conv_transpose2d"
    title = "ConvTranspose2d"
    summary = "each input cell times the kernel, added into an output window (or: the " \
              "convolution of a zero-spread input with the flipped kernel)"
    weight_presets = WEIGHT_PRESETS
    arguments = (
        Argument("in_channels", "int", 1, positional=True),
        Argument("out_channels", "int", 1, positional=True),
        Argument("kernel_size", "pair", [3, 3], positional=True),
        Argument("stride", "pair", [2, 2]),
        Argument("padding", "pair", [1, 1]),
        Argument("output_padding", "pair", [1, 1]),
        Argument("groups", "int", 1),
        Argument("bias", "bool", True),
        Argument("dilation", "pair", [1, 1]),
        # the forward call's argument, layer(x, output_size=...), and how to draw it
        Argument("output_size", "optional_pair", None, data=True),
        Argument("view", "choice", "scatter", choices=VIEWS, data=True),
    ) + backward_arguments(("input", "weight", "bias"))

    def layer(self, config: dict, rng=None) -> ConvTranspose2d:
        return ConvTranspose2d(config["in_channels"], config["out_channels"],
                               config["kernel_size"], config["stride"], config["padding"],
                               config["output_padding"], config["groups"], config["bias"],
                               config["dilation"], rng=rng)

    def torch_line(self, config: dict) -> str:
        kernel = config["kernel_size"]
        args = [str(config["in_channels"]), str(config["out_channels"]), short(kernel)]
        for name, default in (("stride", 1), ("padding", 0), ("output_padding", 0)):
            if list(config[name]) != [default, default]:
                args.append(f"{name}={short(config[name])}")
        if config["groups"] != 1:
            args.append(f"groups={config['groups']}")
        if not config["bias"]:
            args.append("bias=False")
        if list(config["dilation"]) != [1, 1]:
            args.append(f"dilation={short(config['dilation'])}")
        return f"nn.ConvTranspose2d({', '.join(args)})"

    def call_text(self, config: dict) -> str:
        """How the layer is called: ``layer(x)`` or ``layer(x, output_size=[...])``."""
        size = config.get("output_size")
        return "layer(x)" if size is None else f"layer(x, output_size={list(size)})"

    def set_weights(self, layer: ConvTranspose2d, preset: str, seed: int) -> None:
        if preset == "random":
            fresh = ConvTranspose2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                                    groups=layer.groups, bias=layer.bias is not None, rng=seed)
            layer.weight, layer.bias = fresh.weight, fresh.bias
            return
        # weight[c] is input channel c's kernels: identity copies channel d into output d
        layer.weight = preset_weights(preset, layer.weight_shape, layer.groups,
                                      layer.in_channels // layer.groups)
        if layer.bias is not None:
            layer.bias = np.zeros(layer.out_channels)

    def unfolded(self, layer, input_shape) -> int:
        # the stamps of every input cell, all taps at once (conv_transpose.tap_planes)
        return int(np.prod(input_shape)) * int(np.prod(layer.weight_shape[1:]))

    def run(self, config: dict, layer: ConvTranspose2d, x: np.ndarray) -> Run:
        size = config.get("output_size")
        output_padding = layer.output_padding_for(x.shape, size)
        call = prepare_transpose(x, layer.weight, layer.bias, layer.stride, layer.padding,
                                 output_padding, layer.groups, layer.dilation)
        if is_backward(config):
            return self.backward(config, layer, call)
        if config.get("view", "scatter") == "gather":
            return GatherRun(self, config, layer, call)
        if config.get("view", "scatter") != "scatter":
            raise ArgumentError("view", f"view must be one of {', '.join(VIEWS)}")
        return ScatterRun(self, config, layer, call)


    def backward(self, config: dict, layer: ConvTranspose2d, call: TransposeCall) -> Run:
        """The backward pass: input.grad is the convolution this layer transposes (traced
        as Conv2d steps), weight.grad the padded grad_output slid against the input."""
        forward = TransposeRun(self, config, layer, call)
        upstream = Upstream(config, forward.output)
        grad_output = upstream.grad_output
        grads = conv_transpose2d_backward(call, grad_output)
        base = dict(kind=self, config=config, layer=layer, x=call.batch, output=forward.output,
                    grads=grads, upstream=upstream, shapes=forward.panel())
        spec = call.spec
        gradient = gradient_of(config, ("input", "weight", "bias"))
        (ph, pw), (out_h, out_w) = spec.padding, grad_output.shape[2:]
        sides = Sides(ph, ph, pw, pw)
        if gradient == "weight":
            return WeightGradRun(base, Sliding(
                pad(grad_output, sides, "zeros"), call.batch, grads.grad_weight, spec.groups,
                spec.stride, spec.dilation, "grad_output", "input", sides,
                source_indices(out_h, ph, ph, "zeros"), source_indices(out_w, pw, pw, "zeros"),
                grad_output))
        if gradient == "bias":
            if grads.grad_bias is None:
                raise ArgumentError("gradient", "this layer has bias=False: there is no "
                                                "bias.grad; choose input or weight")
            return BiasGradRun(base)
        as_conv = prepare(grad_output, call.weight, None, spec.stride, spec.padding,
                          spec.dilation, spec.groups)
        as_conv = as_conv._replace(output_shape=as_conv.output_shape[:2] + call.batch.shape[2:])
        conv_run = Conv2dRun(self, config, layer, Trace(as_conv))
        conv_run.products_of = "grad_output and weight"
        return TracedInputGradRun(base, conv_run)


class TransposeRun(Run):
    """What both views share: the call, its output, the shapes panel and the script."""

    def __init__(self, kind: ConvTranspose2dKind, config: dict, layer, call: TransposeCall):
        self.kind, self.config, self.layer, self.call = kind, config, layer, call
        self.output = scatter(call)  # the forward pass: the output both views show
        self.dtype = self.output.dtype.type

    def panel(self) -> dict:
        """The shapes panel alone (what a backward view keeps of the forward one)."""
        return {key: value for key, value in self.shapes().items() if key in SHAPE_KEYS}

    def shapes(self) -> dict:
        call, layer = self.call, self.layer
        spec = call.spec
        input_shape = call.batch.shape
        (kh, kw), (sh, sw), (ph, pw) = spec.kernel_size, spec.stride, spec.padding
        (oh, ow), (dh, dw) = spec.output_padding, spec.dilation
        out = self.output.shape
        formulas = [size_formula(axis, size, k, s, p, o, d, n) for axis, size, k, s, p, o, d, n in
                    (("H", input_shape[2], kh, sh, ph, oh, dh, out[2]),
                     ("W", input_shape[3], kw, sw, pw, ow, dw, out[3]))]
        if self.config.get("output_size") is not None:
            formulas[1] += (f" (output_size={list(self.config['output_size'])} "
                            f"chose output_padding={list(spec.output_padding)})")
        return {
            "layer": self.kind.name,
            "torch_line": self.kind.torch_line(self.config),
            "repr": repr(layer),
            "input_shape": list(input_shape),
            "output_shape": list(out),
            "weight_shape": list(layer.weight_shape),
            "bias_shape": None if layer.bias is None else [layer.out_channels],
            "parameter_count": layer.parameter_count,
            "mac_count": layer.mac_count(input_shape),
            "formula_h": formulas[0],
            "formula_w": formulas[1],
            "groups": spec.groups,
            "weight": pack(layer.weight),
            "bias": None if layer.bias is None else pack(layer.bias),
            "output": pack(self.output),
        }

    def snippet(self) -> str:
        call, config = self.call, self.config
        return torch_script(self.kind.torch_line(config),
                            f"input preset {config['input']!r}, weights preset "
                            f"{config['weights']!r}, seed {config['seed']}",
                            call.batch, self.output, call.weight, call.bias,
                            self.kind.call_text(config))


class ScatterRun(TransposeRun):
    """One step per input cell and output channel of its group: the stamp it adds."""

    def __init__(self, kind, config, layer, call):
        super().__init__(kind, config, layer, call)
        n, channels, height, width = call.batch.shape
        self.per_group_out = call.weight.shape[1]
        self.shape = (n, channels, height, width, self.per_group_out)
        self.steps = int(np.prod(self.shape))
        self.base = np.zeros(self.output.shape[1:], self.dtype)
        if call.bias is not None:
            self.base += call.bias[:, np.newaxis, np.newaxis]
        self.keeps_state = self.base.size <= MAX_STATE
        self._state = None  # (step index, n, running output of sample n) after that step

    def view(self) -> dict:
        _, channels, height, width = self.call.batch.shape
        rows, cols = np.arange(height), np.arange(width)
        return {**self.shapes(),
                "steps": self.steps,
                "input": pack(self.call.batch),
                "padded": pack(self.call.batch),
                "sides": [0, 0, 0, 0],
                "row_sources": rows.tolist(),
                "col_sources": cols.tolist(),
                "filter_shape": [1, *self.call.spec.kernel_size],
                "output_steps": False}  # output cells are sums of many steps, not one

    def position(self, index: int) -> tuple[int, ...]:
        return step_position(index, self.shape)

    def _add(self, state: np.ndarray, index: int) -> None:
        n, c, y, x, k = self.position(index)
        made = stamp(self.call, n, c, y, x)
        o = made.channels[k]
        rows, cols = self.inside(made.rows, made.cols)
        state[o][np.ix_(rows[1], cols[1])] += made.values[k][np.ix_(rows[0], cols[0])]

    def inside(self, rows: np.ndarray, cols: np.ndarray):
        """((taps, output rows), (taps, output columns)) of a stamp that land in the output."""
        out_h, out_w = self.output.shape[2:]
        keep_r = np.flatnonzero((rows >= 0) & (rows < out_h))
        keep_c = np.flatnonzero((cols >= 0) & (cols < out_w))
        return (keep_r, rows[keep_r]), (keep_c, cols[keep_c])

    def state_after(self, index: int) -> np.ndarray:
        """The output of sample n (the step's) after steps up to ``index``: running sums."""
        n = self.position(index)[0]
        per_sample = self.steps // self.shape[0]
        first = n * per_sample
        cached = self._state
        if cached and cached[1] == n and cached[0] <= index and index - cached[0] <= 64:
            start, state = cached[0] + 1, cached[2]
        else:
            start, state = first, self.base.copy()
        for i in range(start, index + 1):  # one stamp a step: playing forward costs little
            self._add(state, i)
        self._state = (index, n, state)
        return state

    def step(self, index: int) -> dict:
        n, c, y, x, k = position = self.position(index)
        made = stamp(self.call, n, c, y, x)
        o = made.channels[k]
        (taps_r, rows), (taps_c, cols) = self.inside(made.rows, made.cols)
        dtype = self.dtype
        value = self.call.batch[n, c, y, x].item()
        weights = self.call.weight[c, k]
        state = self.state_after(index) if self.keeps_state else None
        before = None
        if state is not None:
            before = state.copy()
            before[o][np.ix_(rows, cols)] -= made.values[k][np.ix_(taps_r, taps_c)]
        lines = [f"input[{n}, {c}, {y}, {x}] = {number(value, dtype)} stamps "
                 f"{number(value, dtype)} × weight[{c}, {k}] into output[{n}, {o}]:"]
        terms = [(i, j) for i in taps_r for j in taps_c]
        for i, j in terms[:MAX_TERMS]:
            r, col = made.rows[i], made.cols[j]
            line = (f"output[{n}, {o}, {r}, {col}] += {number(value, dtype)}×"
                    f"{number(weights[i, j], dtype)} = {number(made.values[k][i, j], dtype)}")
            if state is not None:
                line += f" → {number(state[o, r, col], dtype)}"
            lines.append(line)
        if len(terms) > MAX_TERMS:
            lines.append(f"… and {len(terms) - MAX_TERMS} more taps")
        cropped = weights.size - len(terms)
        if cropped:
            spec = self.call.spec
            lines.append(f"{cropped} of the {weights.size} taps fall outside the output: "
                         f"padding={list(spec.padding)} crops the full result")
        if index == 0 and self.call.bias is not None:
            lines.insert(0, "every output starts at its bias")
        return {
            "index": int(np.ravel_multi_index(position, self.shape)),
            "position": list(position),
            "title": f"input[{n}, {c}, {y}, {x}] → output[{n}, {o}]",
            "reads": cells([c], [y], [x]),
            "writes": cells([o], rows, cols),
            "filter": {"values": pack(weights[np.newaxis]), "sources": [[c, k]], "flipped": False,
                       "labels": [f"weight[{c}, {k}]"],
                       "note": {"label": f"× {number(value, dtype)}", "value": None}},
            "group": c // (self.call.batch.shape[1] // self.call.spec.groups),
            "state": None if state is None else pack(state),
            "value": value,
            "value_label": "input cell",
            "value_text": number(value, dtype),
            "equation": "\n".join(lines),
            "spoken": (f"input[{n}, {c}, {y}, {x}] = {number(value, dtype)}, times "
                       f"weight[{c}, {k}], added to {len(terms)} cells of output[{n}, {o}]"
                       + (f"; {cropped} taps cropped" if cropped else "")),
        }

    def touching(self, channel: int, row: int, col: int) -> dict:
        _, channels, height, width = self.call.batch.shape
        if not (0 <= channel < channels and 0 <= row < height and 0 <= col < width):
            raise ValueError(f"input pixel {(channel, row, col)} is outside the input of "
                             f"shape {(channels, height, width)}")
        made = stamp(self.call, 0, channel, row, col)
        (_, rows), (_, cols) = self.inside(made.rows, made.cols)
        return cells(made.channels, rows, cols)

    def rows(self):
        """One dict per step: the input cell, the output channel, where its stamp lands
        (top-left, uncropped) and the products it adds (cropped taps included, marked by
        ``cells_written``)."""
        taps = int(np.prod(self.call.spec.kernel_size))
        if self.steps * taps > MAX_TABLE_VALUES:
            raise ArgumentError("input_size", f"the step table would hold "
                                              f"{self.steps * taps:,} products; exports stop "
                                              f"at {MAX_TABLE_VALUES:,}: use a smaller layer")
        for index in range(self.steps):
            n, c, y, x, k = self.position(index)
            made = stamp(self.call, n, c, y, x)
            (taps_r, _), (taps_c, _) = self.inside(made.rows, made.cols)
            yield {"n": n, "c": c, "y": y, "x": x, "o": made.channels[k],
                   "input": self.call.batch[n, c, y, x].item(),
                   "window_row": int(made.rows[0]), "window_col": int(made.cols[0]),
                   "products": made.values[k].ravel().tolist(),
                   "cells_written": len(taps_r) * len(taps_c)}

    def table(self, form: str) -> str:
        return table_text(list(self.rows()), form)


class GatherRun(Conv2dRun):
    """The equivalent convolution, traced as Conv2d steps, with the transpose's labels."""

    products_of = "the spread input and the flipped weight"

    def __init__(self, kind, config, layer, call: TransposeCall):
        self.transpose = TransposeRun(kind, config, layer, call)
        spec = call.spec
        self.sides = gather_sides(spec)
        spread = insert_zeros(call.batch, spec.stride)
        gathered = border(spread, self.sides)
        weight = gathered_weight(call.weight, spec.groups)
        trace = Trace(prepare(gathered, weight, call.bias, 1, 0, spec.dilation, spec.groups))
        super().__init__(kind, config, layer, trace)
        self.call = call
        height, width = call.batch.shape[2:]
        top, left = self.sides.top, self.sides.left
        # drawn position -> input row/column it holds (-1: an inserted zero or the border)
        self.row_sources = self._sources(gathered.shape[2], height, spec.stride[0], top)
        self.col_sources = self._sources(gathered.shape[3], width, spec.stride[1], left)

    @staticmethod
    def _sources(length: int, size: int, stride: int, before: int) -> np.ndarray:
        positions = np.arange(length) - before
        real = (positions >= 0) & (positions % stride == 0) & (positions // stride < size)
        return np.where(real, positions // stride, -1)

    def view(self) -> dict:
        trace = self.trace
        real_rows = np.flatnonzero(self.row_sources >= 0)
        real_cols = np.flatnonzero(self.col_sources >= 0)
        return {**self.transpose.shapes(),
                "steps": self.steps,
                "input": pack(self.call.batch),
                "padded": pack(trace.padded),
                "input_label": "input, zero-spread and bordered",
                "sides": [int(real_rows[0]), int(len(self.row_sources) - 1 - real_rows[-1]),
                          int(real_cols[0]), int(len(self.col_sources) - 1 - real_cols[-1])]
                if len(real_rows) and len(real_cols) else [0, 0, 0, 0],
                "real_rows": real_rows.tolist(),
                "real_cols": real_cols.tolist(),
                "row_sources": self.row_sources.tolist(),
                "col_sources": self.col_sources.tolist(),
                "filter_shape": list(trace.call.weight.shape[1:]),
                "output": pack(trace.output)}

    def step(self, index: int) -> dict:
        step = super().step(index)
        o = step["position"][1]
        group_out = self.call.weight.shape[1]
        first = (o // group_out) * (self.call.weight.shape[0] // self.call.spec.groups)
        # slice i is the transposed weight[first + i, o % group_out], flipped
        sources = [[first + i, o % group_out] for i in range(len(step["filter"]["labels"]))]
        step["filter"].update(sources=sources, flipped=True,
                              labels=[f"weight[{a}, {b}] flipped" for a, b in sources])
        step["equation"] = step["equation"].replace("input[", "spread input[")
        return step

    def touching(self, channel: int, row: int, col: int) -> dict:
        rows = np.flatnonzero(self.row_sources == row)
        cols = np.flatnonzero(self.col_sources == col)
        if not (len(rows) and len(cols)):
            return cells([], [], [])
        # the spread input cell is read by the windows that cover it, as in any conv
        reach = self.trace.outputs_reading(channel, int(rows[0]), int(cols[0]))
        return cells(reach.channels, np.flatnonzero(reach.rows), np.flatnonzero(reach.cols))

    def snippet(self) -> str:
        return self.transpose.snippet()


CONV_TRANSPOSE2D = ConvTranspose2dKind()
