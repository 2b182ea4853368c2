"""convscope: PyTorch's Conv2d, ConvTranspose2d, MaxPool2d and AvgPool2d in NumPy, traced
step by step for the visualizer, forward and backward."""

from . import functional, grad
from .grad import Gradients
from .nn.conv import Conv2d
from .nn.conv_transpose import ConvTranspose2d
from .nn.pool import AvgPool2d, MaxPool2d
from .ops.arguments import PADDING_MODES, PADDING_STRINGS, ArgumentError, ArgumentTypeError
from .ops.conv import conv2d
from .ops.conv_transpose import conv_transpose2d
from .ops.pool import avg_pool2d, max_pool2d
from .ops.shapes import mac_count, output_shape, output_size, parameter_count
from .ops.trace import Step, Trace, trace

__all__ = [
    "Conv2d", "conv2d", "ConvTranspose2d", "conv_transpose2d", "trace", "Trace", "Step",
    "MaxPool2d", "AvgPool2d", "max_pool2d", "avg_pool2d",
    "output_size", "output_shape", "parameter_count", "mac_count",
    "grad", "Gradients", "PADDING_MODES", "PADDING_STRINGS", "ArgumentError", "ArgumentTypeError",
    "functional", "parse_model", "Sequential", "summary", "show", "link",
]
__version__ = "0.1.0"


def __getattr__(name):
    # model mode loads on first use: the page's start-up (and its phone users) never pay for it
    if name in ("parse_model", "Sequential"):
        from . import model
        return getattr(model, name)
    if name == "summary":  # a model's table, printed or (in a notebook) as HTML
        from .model.report import summary
        return summary
    raise AttributeError(f"module 'convscope' has no attribute {name!r}")


def show(obj, x=None, **view_options):
    """The visualizer as a notebook widget: see :func:`convscope.notebook.show`."""
    from .notebook import show as show_widget

    return show_widget(obj, x, **view_options)


def link(obj, x=None, base: str = "", **settings) -> str:
    """A visualizer link for the same view: see :func:`convscope.notebook.link`."""
    from .notebook import link as make_link

    return make_link(obj, x, base, **settings)
