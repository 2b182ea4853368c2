"""``nn.Conv2d`` as a layer kind: each step reads a window of the (padded) input and a
filter, and writes one output cell."""

from __future__ import annotations

import numpy as np

from ..grad import conv2d_backward
from ..nn.conv import Conv2d
from ..ops.arguments import PADDING_MODES, ArgumentError, pair
from ..ops.conv import prepare
from ..ops.conv_transpose import TransposeCall, TransposeSpec
from ..ops.trace import Trace
from ..text import short
from .backward import (BackwardRun, BiasGradRun, InputGradRun, Sliding, StampInputGradRun, Upstream,
                       WeightGradRun, backward_arguments, gradient_of, is_backward, stride_leftover)
from .base import Argument, LayerKind, Run
from .presets import WEIGHT_PRESETS, preset_weights
from .sliding import Conv2dRun
from .stamp import ScatterRun

#: The gradients a Conv2d's backward pass steps through (input_stamps: input.grad as the
#: stamps of a transposed convolution).
GRADIENTS = ("input", "weight", "bias", "input_stamps")


class Conv2dKind(LayerKind):
    name = "conv2d"
    title = "Conv2d"
    summary = "a window of every input channel times a filter, summed, + bias: one output cell"
    weight_presets = WEIGHT_PRESETS
    layer_class = Conv2d
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

    def window(self, layer, input_shape):
        spec = layer._spec
        return (spec.kernel_size, spec.stride, (spec.sides.top, spec.sides.left),
                spec.dilation)

    def crop_weights(self, shown, layer, keep_in, keep_out, groups) -> None:
        shown.weight = layer.weight[:keep_out, :keep_in // groups]  # (out, in / groups, ...)
        if layer.bias is not None:
            shown.bias = layer.bias[:keep_out]

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
        # no kind: a stamp run's steps and rows, all this view reads of it, need none
        return ScatterRun(None, forward.config, forward.layer, stamps)


CONV2D = Conv2dKind()
