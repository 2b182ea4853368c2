"""``nn.Conv2d`` as a layer kind: each step reads a window of the (padded) input and a
filter, and writes one output cell."""

from __future__ import annotations

import numpy as np

from ..arguments import PADDING_MODES, ArgumentError, pair
from ..export import table_csv, table_json
from ..conv_transpose import TransposeCall, TransposeSpec
from ..functional import prepare
from ..grad import conv2d_backward
from ..layer import Conv2d
from ..text import number, short
from ..trace import Trace
from .backward import (BackwardRun, BiasGradRun, InputGradRun, Sliding, StampInputGradRun,
                       Upstream, WeightGradRun, backward_arguments, gradient_of, is_backward,
                       stride_leftover)
from .base import Argument, LayerKind, Run, cells, pack, torch_script

WEIGHT_PRESETS = ("random", "ones", "identity", "sobel", "blur")
#: The gradients a Conv2d's backward pass steps through (input_stamps: input.grad as the
#: stamps of a transposed convolution).
GRADIENTS = ("input", "weight", "bias", "input_stamps")
#: The view keys of the shapes panel and the torch line.
SHAPE_KEYS = ("layer", "torch_line", "repr", "input_shape", "output_shape", "weight_shape",
              "bias_shape", "parameter_count", "mac_count", "formula_h", "formula_w")


def smooth(size: int) -> np.ndarray:
    """Binomial smoothing row ([1, 2, 1] for 3), Sobel's perpendicular part."""
    row = np.array([1.0])
    for _ in range(size - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def difference(size: int) -> np.ndarray:
    """Central difference row ([-1, 0, 1] for 3), Sobel's derivative part."""
    if size == 1:
        return np.array([0.0])
    return np.convolve(smooth(size - 1), [-1.0, 1.0])


def preset_weights(kind: str, shape, groups: int, per_group: int) -> np.ndarray:
    """Weights of a non-random preset for a weight of ``shape`` (filters, channels, kH, kW).

    ``per_group`` filters share each group's channels (identity copies channel d of a
    group into its filter d, as ``torch.nn.init.dirac_`` does).
    """
    filters, group_channels, kh, kw = shape
    if kind == "ones":
        return np.ones(shape)
    if kind == "identity":
        weight = np.zeros(shape)
        for group in range(groups):
            for d in range(min(per_group, group_channels)):
                weight[group * per_group + d, d, kh // 2, kw // 2] = 1.0
        return weight
    if kind == "sobel":  # horizontal gradient: responds to vertical edges
        return np.broadcast_to(np.outer(smooth(kh), difference(kw)), shape).copy()
    if kind == "blur":
        return np.full(shape, 1.0 / (kh * kw))
    raise ArgumentError("weights", f"unknown weights preset {kind!r}; "
                                   f"one of {', '.join(WEIGHT_PRESETS)}")


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


class Conv2dKind(LayerKind):
    name = "conv2d"
    title = "Conv2d"
    summary = "a window of every input channel times a filter, summed, + bias: one output cell"
    weight_presets = WEIGHT_PRESETS
    arguments = (
        Argument("in_channels", "int", 1, positional=True),
        Argument("out_channels", "int", 2, positional=True),
        Argument("kernel_size", "pair", [3, 3], positional=True),
        Argument("stride", "pair", [1, 1]),
        Argument("padding", "padding", [1, 1]),
        Argument("dilation", "pair", [1, 1]),
        Argument("groups", "int", 1),
        Argument("bias", "bool", True),
        Argument("padding_mode", "choice", "zeros", choices=PADDING_MODES),
    ) + backward_arguments(GRADIENTS)

    def layer(self, config: dict, rng=None) -> Conv2d:
        return Conv2d(config["in_channels"], config["out_channels"], config["kernel_size"],
                      config["stride"], config["padding"], config["dilation"],
                      config["groups"], config["bias"], config["padding_mode"], rng=rng)

    def torch_line(self, config: dict) -> str:
        kernel = pair("kernel_size", config["kernel_size"])
        args = [str(config["in_channels"]), str(config["out_channels"]),
                str(kernel[0]) if kernel[0] == kernel[1] else str(kernel)]
        for name in ("stride", "padding"):  # always written: the two a reader looks for
            args.append(f"{name}={short(config[name])}")
        if pair("dilation", config["dilation"]) != (1, 1):
            args.append(f"dilation={short(config['dilation'])}")
        if config["groups"] != 1:
            args.append(f"groups={config['groups']}")
        if not config["bias"]:
            args.append("bias=False")
        if config["padding_mode"] != "zeros":
            args.append(f"padding_mode={config['padding_mode']!r}")
        return f"nn.Conv2d({', '.join(args)})"

    def set_weights(self, layer: Conv2d, preset: str, seed: int) -> None:
        """``random``: torch's init from ``seed``; the others have no bias (zeros), so the
        output shows the filter alone."""
        if preset == "random":
            fresh = Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                           groups=layer.groups, bias=layer.bias is not None, rng=seed)
            layer.weight, layer.bias = fresh.weight, fresh.bias
            return
        layer.weight = preset_weights(preset, layer.weight_shape, layer.groups,
                                      layer.out_channels // layer.groups)
        if layer.bias is not None:
            layer.bias = np.zeros(layer.out_channels)

    def run(self, config: dict, layer: Conv2d, x: np.ndarray) -> Run:
        trace = Trace(prepare(x, layer.weight, layer.bias, layer.stride, layer.padding,
                              layer.dilation, layer.groups, layer.padding_mode))
        forward = Conv2dRun(self, config, layer, trace)
        return self.backward(config, forward) if is_backward(config) else forward

    def backward(self, config: dict, forward: Conv2dRun) -> BackwardRun:
        """The backward pass of the traced call: input, weight or bias gradient steps."""
        trace, layer = forward.trace, forward.layer
        upstream = Upstream(config, trace.output)
        grads = conv2d_backward(trace.call, upstream.grad_output)
        base = dict(kind=self, config=config, layer=layer, x=trace.call.batch,
                    output=trace.output, grads=grads, upstream=upstream,
                    shapes=forward.shapes())
        gradient = gradient_of(config, GRADIENTS)
        spec = trace.call.spec
        if gradient == "weight":
            return WeightGradRun(base, Sliding(
                trace.padded, upstream.grad_output, grads.grad_weight, spec.groups, spec.stride,
                spec.dilation, "input", "grad_output", spec.sides, trace.row_sources,
                trace.col_sources, trace.call.batch))
        if gradient == "bias":
            if grads.grad_bias is None:
                raise ArgumentError("gradient", "this layer has bias=False: there is no "
                                                "bias.grad; choose input or weight")
            return BiasGradRun(base)
        if gradient == "input_stamps":
            return StampInputGradRun(base, self._stamps(forward, upstream.grad_output), spec)
        return InputGradRun(base, spec, trace.row_sources, trace.col_sources)

    def _stamps(self, forward: Conv2dRun, grad_output: np.ndarray):
        """ConvTranspose2d's scatter run on grad_output: its output is input.grad."""
        from .conv_transpose2d import CONV_TRANSPOSE2D, ScatterRun  # it builds on this module

        call = forward.trace.call
        spec = call.spec
        sides = spec.sides
        if spec.padding_mode != "zeros" or (sides.top, sides.left) != (sides.bottom, sides.right):
            raise ArgumentError("gradient", "the stamp view of input.grad needs zero padding, "
                                            "the same on both sides (another mode also folds "
                                            "the padding back); choose gradient=input")
        leftover = stride_leftover(forward.trace.padded.shape[2:], grad_output.shape[2:], spec)
        transposed = TransposeSpec(spec.kernel_size, spec.stride, (sides.top, sides.left),
                                   tuple(leftover), spec.dilation, spec.groups)
        stamps = TransposeCall(grad_output, call.weight, None, transposed, False,
                               call.batch.shape)
        return ScatterRun(CONV_TRANSPOSE2D, forward.config, forward.layer, stamps)


class Conv2dRun(Run):
    """A conv2d trace, told as windows read and cells written."""

    #: what a step's products multiply, in its spoken sentence
    products_of = "input and weight"

    def __init__(self, kind: Conv2dKind, config: dict, layer: Conv2d, trace: Trace):
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


CONV2D = Conv2dKind()
