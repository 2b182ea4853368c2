"""The gradient that arrives at a layer's output (``grad_output``), as the page chooses it."""

from __future__ import annotations

import numpy as np

from ..ops.arguments import ArgumentError, is_int
from .common import dims

#: Where ``grad_output`` comes from: ``output.sum()``'s gradient, seeded noise, one output
#: cell alone, or ``F.mse_loss(output, target)``'s gradient.
UPSTREAMS = ("ones", "random", "onehot", "mse")


def upstream_gradient(output, upstream: str, *, seed: int = 0, cell=None,
                      target=None) -> np.ndarray:
    """The gradient that arrives at a layer's output, in the output's dtype and shape.

    Parameters
    ----------
    output : numpy.ndarray
        The forward pass's output.
    upstream : {'ones', 'random', 'onehot', 'mse'}
        ``ones``: the gradient of ``output.sum()``; ``random``: standard normal values
        from ``seed``; ``onehot``: 1 at ``cell`` (an index into ``output``), 0 elsewhere,
        so the gradient shows what that one cell depends on; ``mse``: the gradient of
        ``F.mse_loss(output, target)`` (mean reduction), ``2 * (output - target) / size``.
    """
    output = np.asarray(output)
    if upstream == "ones":
        return np.ones_like(output)
    if upstream == "random":
        return np.random.default_rng(seed).standard_normal(output.shape).astype(output.dtype)
    if upstream == "onehot":
        if cell is None or len(cell) != output.ndim or not all(
                is_int(i) and 0 <= i < size for i, size in zip(cell, output.shape)):
            raise ArgumentError("cell", f"the one-hot cell must be an index into the output "
                                        f"of shape {dims(output.shape)}, got {cell!r}")
        grad = np.zeros_like(output)
        grad[tuple(cell)] = 1
        return grad
    if upstream == "mse":
        target = np.asarray(target)
        if target.shape != output.shape:
            raise ArgumentError("target", f"the MSE target must have the output's shape "
                                          f"{dims(output.shape)}, got {dims(target.shape)}")
        difference = output - target.astype(output.dtype)
        return (difference * output.dtype.type(2 / output.size)).astype(output.dtype)
    raise ArgumentError("upstream", f"unknown upstream gradient {upstream!r}; one of "
                                    f"{', '.join(UPSTREAMS)}")
