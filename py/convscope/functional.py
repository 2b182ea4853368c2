"""``convscope.functional``: the functions of ``torch.nn.functional`` that convscope mirrors,
as torch keeps them apart from the layers (:mod:`convscope.nn`)."""

from .ops.conv import conv2d
from .ops.conv_transpose import conv_transpose2d
from .ops.pool import avg_pool2d, max_pool2d

__all__ = ["conv2d", "conv_transpose2d", "max_pool2d", "avg_pool2d"]
