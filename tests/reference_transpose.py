"""A plain-loop ConvTranspose2d, written from the definition, to check the engine against.

Deliberately naive and independent of convscope: every input cell adds its
value times the kernel into the full output, one Python loop per index, and
the padding then crops the full output (output_padding extends it).
"""

import numpy as np


def as_pair(value):
    return (value, value) if isinstance(value, int) else tuple(value)


def reference_conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0,
                               groups=1, dilation=1):
    """Output of F.conv_transpose2d by the definition, in float64.

    out[n, g*opg + o, y*s - p + d*i, x*s - p + d*j] += in[n, c, y, x] * w[c, o, i, j]
    """
    unbatched = input.ndim == 3
    batch = input[None] if unbatched else input
    channels, group_out, kh, kw = weight.shape
    (sh, sw), (ph, pw) = as_pair(stride), as_pair(padding)
    (oh, ow), (dh, dw) = as_pair(output_padding), as_pair(dilation)
    n_batch, _, height, width = batch.shape
    out_h = (height - 1) * sh - 2 * ph + dh * (kh - 1) + oh + 1
    out_w = (width - 1) * sw - 2 * pw + dw * (kw - 1) + ow + 1
    group_in = channels // groups
    output = np.zeros((n_batch, group_out * groups, out_h, out_w), dtype=np.float64)
    for n in range(n_batch):
        for c in range(channels):
            g = c // group_in
            for y in range(height):
                for x in range(width):
                    for o in range(group_out):
                        for i in range(kh):
                            row = y * sh - ph + dh * i
                            if not 0 <= row < out_h:
                                continue
                            for j in range(kw):
                                col = x * sw - pw + dw * j
                                if 0 <= col < out_w:
                                    output[n, g * group_out + o, row, col] += (
                                        float(batch[n, c, y, x]) * float(weight[c, o, i, j]))
    if bias is not None:
        output += np.asarray(bias, dtype=np.float64)[:, None, None]
    return output[0] if unbatched else output
