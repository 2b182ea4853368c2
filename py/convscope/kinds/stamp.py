"""A stamp run: a transposed convolution told as stamps, one input cell times the kernel
added into an output window per step, the output cells filling up as running sums.
ConvTranspose2d's scatter view is one; so is Conv2d's input.grad stamp by stamp."""

from __future__ import annotations

import numpy as np

from ..limits import MAX_STATE, MAX_TABLE_VALUES, MAX_TERMS
from ..ops.arguments import ArgumentError
from ..ops.conv_transpose import TransposeCall, scatter, stamp
from ..text import number
from .base import SHAPE_KEYS, Run, cells, pack, step_position, table_text, torch_script


def size_formula(axis: str, size: int, kernel: int, stride: int, padding: int,
                 output_padding: int, dilation: int, out: int) -> str:
    return (f"{axis}_out = ({axis}_in − 1)×stride − 2×padding + dilation×(kernel−1) + "
            f"output_padding + 1 = ({size} − 1)×{stride} − 2×{padding} + {dilation}×({kernel}−1)"
            f" + {output_padding} + 1 = {out}")


class TransposeRun(Run):
    """What both views share: the call, its output, the shapes panel and the script."""

    def __init__(self, kind, config: dict, layer, call: TransposeCall):
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
