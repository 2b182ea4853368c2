"""The common mistakes of the tutorial, as models: the wrong answer each one produces.

Every model reruns the engine on the setup as the mistaken learner reads it (channels
swapped, the batch left out, no padding, the floor forgotten, groups ignored ...), so
the wrong answer it claims is the one that reading really gives. A model returns
``None`` where the mistake cannot be made on a setup (no padding to forget).
"""

from __future__ import annotations

from .shapes import output_size
from .kinds import layer_from

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
