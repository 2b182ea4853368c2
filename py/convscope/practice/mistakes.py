"""The common mistakes of the tutorial, as models: the wrong answer each one produces.

Every model reruns the engine on the setup as the mistaken learner reads it (channels
swapped, the batch left out, no padding, the floor forgotten, groups ignored ...), so
the wrong answer it claims is the one that reading really gives. A model returns
``None`` where the mistake cannot be made on a setup (no padding to forget).
"""

from __future__ import annotations

from ..kinds import layer_from
from ..ops.shapes import output_size

SWAPPED = "swapping input and output channels"
NO_BATCH = "forgetting the batch dimension"
SAME_SIZE = "expecting the same size without padding"
NO_PADDING = "forgetting the padding"
CEIL = "rounding up instead of down (the floor forgotten)"
NO_STRIDE = "ignoring the stride"
NO_DILATION = "ignoring the dilation"
NO_GROUPS = "ignoring groups in the weight shape"
NO_BIAS = "forgetting the bias"
EXTRA_BIAS = "counting a bias the layer does not have (bias=False)"
KERNEL_FLIPPED = "writing the kernel as (width, height)"
BOTH_SIDES = "giving the total padding instead of the padding per side"
KERNEL_IGNORED = "dividing the input size by the output size (the kernel forgotten)"


def _swapped(config: dict) -> dict:
    return dict(config, in_channels=config["out_channels"], out_channels=config["in_channels"])


def _shape_or_none(config: dict, input_shape):
    try:
        return list(layer_from(config, rng=0).output_shape(input_shape))
    except (ValueError, TypeError):
        return None


def output_shape_mistakes(config: dict, input_shape) -> list[tuple[str, list | None]]:
    """Wrong output shapes of ``config`` on ``input_shape``, by mistake."""
    n, channels, h, w = input_shape
    stride = layer_from(config, rng=0).stride
    results = [
        # read as nn.Conv2d(out, in, ...): the output has the input's channel count
        (SWAPPED, _shape_or_none(_swapped(config), (n, config["out_channels"], h, w))),
        # the same layer on one image (C, H, W): torch's unbatched result
        (NO_BATCH, _shape_or_none(config, (channels, h, w))),
        (NO_PADDING, _shape_or_none(dict(config, padding=0), input_shape)
         if config["padding"] not in (0, [0, 0], (0, 0)) else None),
        (SAME_SIZE, _shape_or_none(dict(config, padding="same"), input_shape)
         if stride == (1, 1) else None),
        (NO_STRIDE, _shape_or_none(dict(config, stride=1), input_shape)),
        (NO_DILATION, _shape_or_none(dict(config, dilation=1), input_shape)),
    ]
    # ⌈a / s⌉ = ⌊(a + s − 1) / s⌋: rounding up is rounding down on an input s − 1 larger
    (sh, sw) = stride
    results.append((CEIL, _shape_or_none(config, (n, channels, h + sh - 1, w + sw - 1))
                    if stride != (1, 1) else None))
    return results


def weight_shape_mistakes(config: dict) -> list[tuple[str, list | None]]:
    """Wrong weight shapes of ``config``, by mistake."""
    kernel = config["kernel_size"]
    flipped = list(reversed(kernel)) if isinstance(kernel, (list, tuple)) else kernel
    return [
        (NO_GROUPS, list(layer_from(dict(config, groups=1), rng=0).weight_shape)),
        (SWAPPED, list(layer_from(_swapped(config), rng=0).weight_shape)),
        (KERNEL_FLIPPED, list(layer_from(dict(config, kernel_size=flipped), rng=0).weight_shape)),
    ]


def parameter_count_mistakes(config: dict) -> list[tuple[str, int | None]]:
    """Wrong parameter counts of ``config``, by mistake."""
    def count(changed: dict) -> int:
        return layer_from(changed, rng=0).parameter_count
    return [
        (NO_BIAS, count(dict(config, bias=False)) if config["bias"] else None),
        (EXTRA_BIAS, count(dict(config, bias=True)) if not config["bias"] else None),
        (NO_GROUPS, count(dict(config, groups=1))),
        (SWAPPED, count(_swapped(config))),
    ]


def keeping_padding(size: int, kernel: int, dilation: int) -> int:
    """The padding per side that keeps ``size`` at stride 1, found by the engine."""
    return next(p for p in range(0, dilation * kernel + 1)
                if output_size(size, kernel, 1, p, dilation) == (size, size))


def keep_padding_mistakes(size: int, kernel: int, dilation: int) -> list[tuple[str, int]]:
    """Wrong 'padding that keeps the size' answers, by mistake."""
    # 'same' pads both sides; their sum is what a learner who forgets the halving gives
    sides = layer_from(dict(in_channels=1, out_channels=1, kernel_size=kernel, stride=1,
                            padding="same", dilation=dilation, groups=1, bias=True,
                            padding_mode="zeros"), rng=0)._spec.sides
    return [(NO_DILATION, keeping_padding(size, kernel, 1)),
            (BOTH_SIDES, sides.top + sides.bottom)]


def _smallest_stride(size: int, target: int, rule) -> int | None:
    return next((s for s in range(1, size + 1) if rule(s) == target), None)


def target_stride_mistakes(size: int, kernel: int, padding: int,
                           target: int) -> list[tuple[str, int | None]]:
    """Wrong 'stride that reaches the target' answers, by mistake."""
    return [
        (NO_PADDING, _smallest_stride(size, target,
                                      lambda s: output_size(size, kernel, s, 0)[0])),
        # rounding up: the floor formula on an input s − 1 larger, as above
        (CEIL, _smallest_stride(size, target,
                                lambda s: output_size(size + s - 1, kernel, s, padding)[0])),
        # a 1×1 kernel without padding: H_out = ⌊(H − 1) / s⌋ + 1, about H / s
        (KERNEL_IGNORED, _smallest_stride(size, target,
                                          lambda s: output_size(size, 1, s, 0)[0])),
    ]


# --- ConvTranspose2d and pooling -------------------------------------------------------------

CONV2D_FORMULA = "using the Conv2d formula (a transposed convolution grows the input)"
NO_OUTPUT_PADDING = "forgetting output_padding"
PADDING_ONCE = "subtracting the padding once instead of twice"
OUTPUT_PADDING_RULE = "forgetting that output_padding must be smaller than stride or dilation"
OUTPUT_SIZE_RANGE = ("forgetting that output_size can only add up to stride − 1 rows and "
                     "columns to the smallest size")
CEIL_NO_RULE = ("rounding up without ceil_mode's rule (the last window must start inside "
                "the input or the left padding)")
FLOOR = "rounding down although ceil_mode=True rounds up"
CEIL_OFF = "rounding up although ceil_mode is off (it rounds down by default)"
STRIDE_ONE = "forgetting that stride defaults to kernel_size (taking stride 1)"
PADDING_ONE_SIDE = "counting the padding once (it is added on both sides)"


def _spatial(shape):
    return None if shape is None else list(shape[-2:])


def as_conv2d(config: dict) -> dict:
    """A transposed layer's arguments read as nn.Conv2d's (the learner's Conv2d formula)."""
    names = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
             "groups", "bias")
    return dict({name: config[name] for name in names}, layer="conv2d", padding_mode="zeros")


def padding_once_shape(config: dict, input_shape):
    """The shape if the padding cropped one side only: the engine measures the crop.

    The engine's output without padding and with it differ by what ``padding`` crops from
    both sides together; the mistaken learner takes only half of that off.
    """
    full = _shape_or_none(dict(config, padding=[0, 0]), input_shape)
    cropped = _shape_or_none(config, input_shape)
    if full is None or cropped is None:
        return None
    return cropped[:-2] + [c + (f - c) // 2 for f, c in zip(full[-2:], cropped[-2:])]


def transpose_output_shape_mistakes(config: dict, input_shape) -> list[tuple[str, list | None]]:
    """Wrong output shapes of a ConvTranspose2d ``config`` on ``input_shape``, by mistake."""
    n, _, h, w = input_shape
    return [
        (CONV2D_FORMULA, _shape_or_none(as_conv2d(config), input_shape)),
        (NO_OUTPUT_PADDING, _shape_or_none(dict(config, output_padding=[0, 0]), input_shape)
         if list(config["output_padding"]) != [0, 0] else None),
        (PADDING_ONCE, padding_once_shape(config, input_shape)
         if list(config["padding"]) != [0, 0] else None),
        (NO_DILATION, _shape_or_none(dict(config, dilation=[1, 1]), input_shape)
         if list(config["dilation"]) != [1, 1] else None),
        (SWAPPED, _shape_or_none(_swapped(config), (n, config["out_channels"], h, w))),
    ]


def smallest_transpose_size(config: dict, input_shape):
    """``[H, W]`` of the output without output_padding, by the engine (None if refused)."""
    return _spatial(_shape_or_none(dict(config, output_padding=[0, 0]), input_shape))


def reach_mistake_sizes(config: dict, input_shape) -> list[tuple[str, list | None]]:
    """The smallest output size each mistaken reading of a ConvTranspose2d computes.

    A learner finds the output_padding that reaches a size by subtracting the smallest
    size from it; each mistake changes that smallest size (the engine computes it on the
    setup as the learner reads it).
    """
    plain = dict(config, output_padding=[0, 0])
    return [
        (PADDING_ONCE, _spatial(padding_once_shape(plain, input_shape))
         if list(config["padding"]) != [0, 0] else None),
        (NO_DILATION, smallest_transpose_size(dict(config, dilation=[1, 1]), input_shape)
         if list(config["dilation"]) != [1, 1] else None),
        (CONV2D_FORMULA, _spatial(_shape_or_none(as_conv2d(config), input_shape))),
    ]


def pool_output_shape_mistakes(config: dict, input_shape) -> list[tuple[str, list | None]]:
    """Wrong output shapes of a MaxPool2d/AvgPool2d ``config`` on ``input_shape``, by mistake."""
    n, channels, h, w = input_shape
    layer = layer_from(config)
    (sh, sw), (ph, pw) = layer.spec().stride, layer.spec().padding
    ceil = config["ceil_mode"]
    # ⌈a / s⌉ = ⌊(a + s − 1) / s⌋: rounding up without the rule is the floor formula on an
    # input s − 1 larger (its last window then may start anywhere)
    no_rule = _shape_or_none(dict(config, ceil_mode=False), (n, channels, h + sh - 1, w + sw - 1))
    return [
        (CEIL_NO_RULE, no_rule if ceil else None),
        (FLOOR, _shape_or_none(dict(config, ceil_mode=False), input_shape) if ceil else None),
        (CEIL_OFF, _shape_or_none(dict(config, ceil_mode=True), input_shape) if not ceil
         else None),
        (STRIDE_ONE, _shape_or_none(dict(config, stride=[1, 1]), input_shape)
         if config["stride"] is None else None),
        (NO_STRIDE, _shape_or_none(dict(config, stride=[1, 1]), input_shape)
         if config["stride"] is not None else None),
        (NO_BATCH, _shape_or_none(config, (channels, h, w))),
        # padding on one side only: the unpadded layer on an input that much larger (the
        # ceil rule then also reads "inside the input or the left padding")
        (PADDING_ONE_SIDE, _shape_or_none(dict(config, padding=[0, 0]),
                                          (n, channels, h + ph, w + pw))
         if (ph, pw) != (0, 0) else None),
        (NO_DILATION, _shape_or_none(dict(config, dilation=[1, 1]), input_shape)
         if list(config.get("dilation", [1, 1])) != [1, 1] else None),
    ]
