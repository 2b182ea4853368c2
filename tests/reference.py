"""A plain-loop Conv2d, written from the definition, to check the engine against.

Deliberately naive and independent of convscope: it pads with ``np.pad``
(whose 'constant', 'reflect', 'edge' and 'wrap' modes are torch's zeros,
reflect, replicate and circular) and sums with Python loops.
"""

import numpy as np

NUMPY_PAD_MODES = {"zeros": "constant", "reflect": "reflect", "replicate": "edge",
                   "circular": "wrap"}


def as_pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def padding_sides(padding, kernel_size, dilation):
    """(top, bottom, left, right); 'same' puts the odd extra after, as torch documents."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        sides = []
        for k, d in zip(kernel_size, dilation):
            total = d * (k - 1)
            sides += [total // 2, total - total // 2]
        return tuple(sides)
    ph, pw = as_pair(padding)
    return (ph, ph, pw, pw)


def reference_pad(batch, sides, padding_mode):
    top, bottom, left, right = sides
    return np.pad(batch, ((0, 0), (0, 0), (top, bottom), (left, right)),
                  mode=NUMPY_PAD_MODES[padding_mode])


def reference_conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1,
                     padding_mode="zeros"):
    """Output of nn.Conv2d by the definition: one Python loop per index."""
    unbatched = input.ndim == 3
    batch = input[None] if unbatched else input
    out_channels, group_channels, kh, kw = weight.shape
    sh, sw = as_pair(stride)
    dh, dw = as_pair(dilation)
    padded = reference_pad(batch, padding_sides(padding, (kh, kw), (dh, dw)), padding_mode)
    n_batch, _, height, width = padded.shape
    out_h = (height - dh * (kh - 1) - 1) // sh + 1
    out_w = (width - dw * (kw - 1) - 1) // sw + 1
    per_group = out_channels // groups
    output = np.zeros((n_batch, out_channels, out_h, out_w), dtype=np.float64)
    for n in range(n_batch):
        for o in range(out_channels):
            first = (o // per_group) * group_channels
            for y in range(out_h):
                for x in range(out_w):
                    total = 0.0 if bias is None else float(bias[o])
                    for c in range(group_channels):
                        for i in range(kh):
                            for j in range(kw):
                                total += (float(padded[n, first + c, y * sh + i * dh,
                                                       x * sw + j * dw])
                                          * float(weight[o, c, i, j]))
                    output[n, o, y, x] = total
    return output[0] if unbatched else output


def reference_output_shape(input_shape, out_channels, kernel_size, stride=1, padding=0,
                           dilation=1):
    """(N, O, H_out, W_out) by the documented formula, for shape-only checks."""
    n, _, height, width = input_shape
    kernel, stride, dilation = as_pair(kernel_size), as_pair(stride), as_pair(dilation)
    top, bottom, left, right = padding_sides(padding, kernel, dilation)
    sizes = [(size + before + after - d * (k - 1) - 1) // s + 1
             for size, before, after, k, s, d in ((height, top, bottom, kernel[0], stride[0],
                                                   dilation[0]),
                                                  (width, left, right, kernel[1], stride[1],
                                                   dilation[1]))]
    return (n, out_channels, *sizes)
