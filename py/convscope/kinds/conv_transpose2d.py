"""``nn.ConvTranspose2d`` as a layer kind, in two views of the same numbers.

**scatter** (the definition): each step takes one input cell, multiplies the kernel by
it and adds the product into an output window (the stamp); output cells fill up as
running sums. **gather** (the equivalent direct convolution): ``stride − 1`` zeros
between input cells, a border of ``dilation·(k−1) − padding`` (plus ``output_padding``
at the bottom/right), the kernel flipped; each step is then an ordinary Conv2d step.
"""

from __future__ import annotations

import numpy as np

from ..grad import conv_transpose2d_backward
from ..nn.conv_transpose import ConvTranspose2d
from ..ops.arguments import ArgumentError, Sides
from ..ops.conv import prepare
from ..ops.conv_transpose import (TransposeCall, border, gather_sides, gathered_weight,
                                  insert_zeros, prepare_transpose)
from ..ops.padding import pad, source_indices
from ..ops.trace import Trace
from ..text import short
from .backward import (BiasGradRun, Sliding, TracedInputGradRun, Upstream, WeightGradRun,
                       backward_arguments, gradient_of, is_backward)
from .base import Argument, LayerKind, Run, cells, pack
from .presets import WEIGHT_PRESETS, preset_weights
from .sliding import Conv2dRun
from .stamp import ScatterRun, TransposeRun

VIEWS = ("scatter", "gather")




class ConvTranspose2dKind(LayerKind):
    name = "conv_transpose2d"
    title = "ConvTranspose2d"
    summary = "each input cell times the kernel, added into an output window (or: the " \
              "convolution of a zero-spread input with the flipped kernel)"
    weight_presets = WEIGHT_PRESETS
    layer_class = ConvTranspose2d
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

    def window(self, layer, input_shape):
        # at stride 1 a transposed convolution is a convolution with the flipped kernel and
        # padding dilation·(k − 1) − padding; at larger strides its windows overlap unevenly
        if layer.stride != (1, 1):
            return None
        padding = tuple(d * (k - 1) - p for k, d, p in
                        zip(layer.kernel_size, layer.dilation, layer.padding))
        return layer.kernel_size, (1, 1), padding, layer.dilation

    def crop_weights(self, shown, layer, keep_in, keep_out, groups) -> None:
        shown.weight = layer.weight[:keep_in, :keep_out // groups]  # (in, out / groups, ...)
        if layer.bias is not None:
            shown.bias = layer.bias[:keep_out]

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
