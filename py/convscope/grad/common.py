"""What every backward pass shares: the gradients' tuple, their dtypes and the
checks of ``grad_output``."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..ops.arguments import ArgumentError, ArgumentTypeError

#: dtypes with a gradient: torch's CPU kernels compute these backward passes for floats.
GRAD_DTYPES = (np.float32, np.float64)


class Gradients(NamedTuple):
    """What ``layer.backward(x, grad_output)`` returns (torch's ``.grad`` of each)."""

    grad_input: np.ndarray
    grad_weight: np.ndarray | None  # None for layers without weights (pools)
    grad_bias: np.ndarray | None    # None for pools and layers built with bias=False


def dims(shape) -> str:
    return "[" + ", ".join(str(d) for d in shape) + "]"


def float_array(name: str, value) -> np.ndarray:
    array = np.asarray(value)
    if array.dtype.type not in GRAD_DTYPES:
        raise ArgumentTypeError(name, f"{name} has dtype {array.dtype}; torch computes "
                                      "convolution gradients for float32 and float64 only "
                                      "(its CPU kernels are 'not implemented' for integers)")
    return array


def check_grad_output(grad_output: np.ndarray, output_shape: tuple, dtype,
                      cast: bool) -> np.ndarray:
    """``grad_output`` must have the output's shape; with ``cast`` (autograd's
    ``y.backward(g)``) any real dtype is converted to the output's, otherwise
    (``torch.nn.grad``) it must already be the same dtype."""
    grad_output = np.asarray(grad_output)
    if grad_output.dtype.kind not in "biuf":
        raise ArgumentTypeError("grad_output", f"grad_output must hold real numbers, got "
                                               f"dtype {grad_output.dtype}")
    if tuple(grad_output.shape) != tuple(output_shape):
        raise ArgumentError("grad_output",
            f"Mismatch in shape: grad_output has a shape of {dims(grad_output.shape)} and the "
            f"output has a shape of {dims(output_shape)}; the upstream gradient must have "
            "the output's shape"
        )
    if cast:
        return grad_output.astype(dtype, copy=False)
    if grad_output.dtype != dtype:
        raise ArgumentTypeError("grad_output",
            f"expected grad_output of type {np.dtype(dtype)} (the weight's and input's), but "
            f"found {grad_output.dtype}; convert it with .astype(...)")
    return grad_output


def batched(grad_output: np.ndarray, call) -> np.ndarray:
    return grad_output[np.newaxis] if call.unbatched else grad_output


def unbatched(gradients: Gradients, call) -> Gradients:
    if not call.unbatched or gradients.grad_input is None:
        return gradients
    return gradients._replace(grad_input=gradients.grad_input[0])
