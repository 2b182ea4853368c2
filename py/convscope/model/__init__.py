"""Model mode: read pasted PyTorch model code (never run it), then shapes, parameters,
multiply-accumulates and receptive fields of every layer, and forward in eval mode.

Imported only when a model is asked for: the visualizer's start-up never loads it.
"""

from .layers import (GELU, AdaptiveAvgPool2d, AdaptiveMaxPool2d, BatchNorm2d, Dropout, Dropout2d,
                     Flatten, Identity, LeakyReLU, Linear, ReLU, Sigmoid, SiLU, Tanh, Upsample,
                     ZeroPad2d)
from .parse import LAYERS, ModelCodeError, parse_model
from .sequential import LayerError, LayerTypeError, Row, Sequential, totals

__all__ = [
    "parse_model", "Sequential", "Row", "totals", "ModelCodeError", "LayerError",
    "LayerTypeError", "LAYERS", "AdaptiveAvgPool2d", "AdaptiveMaxPool2d", "BatchNorm2d",
    "Dropout", "Dropout2d", "Flatten", "GELU", "Identity", "LeakyReLU", "Linear", "ReLU",
    "Sigmoid", "SiLU", "Tanh", "Upsample", "ZeroPad2d",
]
