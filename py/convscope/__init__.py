"""convscope: PyTorch's nn.Conv2d (and nn.ConvTranspose2d) in NumPy, traced step by step for the visualizer."""

from .arguments import PADDING_MODES, PADDING_STRINGS, ArgumentError, ArgumentTypeError
from .conv_transpose import conv_transpose2d
from .conv_transpose_layer import ConvTranspose2d
from .functional import conv2d
from .layer import Conv2d
from .shapes import mac_count, output_shape, output_size, parameter_count
from .trace import Step, Trace, trace

__all__ = [
    "Conv2d", "conv2d", "ConvTranspose2d", "conv_transpose2d", "trace", "Trace", "Step",
    "output_size", "output_shape", "parameter_count", "mac_count",
    "PADDING_MODES", "PADDING_STRINGS", "ArgumentError", "ArgumentTypeError",
]
__version__ = "0.1.0"
