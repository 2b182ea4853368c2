"""convscope: PyTorch's Conv2d, ConvTranspose2d, MaxPool2d and AvgPool2d in NumPy, traced
step by step for the visualizer."""

from .arguments import PADDING_MODES, PADDING_STRINGS, ArgumentError, ArgumentTypeError
from .conv_transpose import conv_transpose2d
from .conv_transpose_layer import ConvTranspose2d
from .functional import conv2d
from .layer import Conv2d
from .notebook import link, show
from .pooling import AvgPool2d, MaxPool2d, avg_pool2d, max_pool2d
from .shapes import mac_count, output_shape, output_size, parameter_count
from .trace import Step, Trace, trace

__all__ = [
    "Conv2d", "conv2d", "ConvTranspose2d", "conv_transpose2d", "trace", "Trace", "Step",
    "MaxPool2d", "AvgPool2d", "max_pool2d", "avg_pool2d",
    "output_size", "output_shape", "parameter_count", "mac_count",
    "PADDING_MODES", "PADDING_STRINGS", "ArgumentError", "ArgumentTypeError",
    "show", "link",
]
__version__ = "0.1.0"
