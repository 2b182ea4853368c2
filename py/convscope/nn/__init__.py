"""torch's layers (``nn.Conv2d``, ``nn.ConvTranspose2d``, ``nn.MaxPool2d``,
``nn.AvgPool2d``): the functions of :mod:`convscope.ops` with weights, a repr and a
``backward`` from :mod:`convscope.grad`, as torch's modules sit on autograd."""

from .conv import Conv2d
from .conv_transpose import ConvTranspose2d
from .pool import AvgPool2d, MaxPool2d

__all__ = ["Conv2d", "ConvTranspose2d", "MaxPool2d", "AvgPool2d"]
