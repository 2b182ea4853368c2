"""Time convscope's functions (conv2d, conv_transpose2d, max_pool2d, avg_pool2d) on a set
of layers; runs unchanged in CPython and in Pyodide.

A layer is {"function": name (default conv2d), "input": shape, "weight": shape (the
convolutions only), **the function's arguments}; with "backward": true, the call timed
is the backward pass (every gradient, grad_output = ones) instead.
"""

import json
import timeit

import numpy as np

import convscope


def best_time(function) -> float:
    """Best per-call time of 5 batches, each long enough (>= 0.2 s) to time well."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=5, number=number)) / number


def layer_arrays(layer: dict, seed: int = 0):
    """(function name, arrays, kwargs): the positional arrays are (x,) for a pool,
    (x, weight, bias) for a convolution."""
    rng = np.random.default_rng(seed)
    kwargs = {k: v for k, v in layer.items()
              if k not in ("function", "input", "weight", "backward")}
    arrays = [rng.standard_normal(layer["input"]).astype(np.float32)]
    if "weight" in layer:
        weight = rng.standard_normal(layer["weight"]).astype(np.float32)
        out_channels = weight.shape[1] * kwargs.get("groups", 1) \
            if layer.get("function") == "conv_transpose2d" else weight.shape[0]
        arrays += [weight, rng.standard_normal(out_channels).astype(np.float32)]
    return layer.get("function", "conv2d"), arrays, kwargs


def backward_call(layer: dict):
    """A zero-argument call of the layer's backward pass (convscope.grad), upstream ones."""
    from convscope import grad
    from convscope.ops import pool as pooling

    function, arrays, kwargs = layer_arrays(layer)
    forward = getattr(convscope, function)(*arrays, **kwargs)
    grad_output = np.ones_like(forward)
    if function == "conv2d":
        return lambda: grad.conv2d_layer_backward(*arrays, grad_output, **kwargs)
    if function == "conv_transpose2d":
        return lambda: grad.conv_transpose2d_layer_backward(*arrays, grad_output, **kwargs)
    kind = function.split("_")[0]
    spec = (pooling.max_pool_spec if kind == "max" else pooling.avg_pool_spec)(**kwargs)
    return lambda: grad.pool_layer_backward(arrays[0], kind, spec, grad_output)


def time_layers(layers: dict) -> dict:
    """{name: milliseconds per call}."""
    times = {}
    for name, layer in layers.items():
        if layer.get("backward"):
            times[name] = best_time(backward_call(layer)) * 1e3
            continue
        function, arrays, kwargs = layer_arrays(layer)
        call = getattr(convscope, function)
        times[name] = best_time(lambda: call(*arrays, **kwargs)) * 1e3
    return times


def main_json(layers_json: str) -> str:
    return json.dumps(time_layers(json.loads(layers_json)))
