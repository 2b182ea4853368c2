"""Time convscope.conv2d on a set of layers; runs unchanged in CPython and in Pyodide."""

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
    """(x, w, b, kwargs) of a layer description {input, weight, **conv arguments}."""
    rng = np.random.default_rng(seed)
    kwargs = {k: v for k, v in layer.items() if k not in ("input", "weight")}
    x = rng.standard_normal(layer["input"]).astype(np.float32)
    w = rng.standard_normal(layer["weight"]).astype(np.float32)
    b = rng.standard_normal(layer["weight"][0]).astype(np.float32)
    return x, w, b, kwargs


def time_layers(layers: dict) -> dict:
    """{name: milliseconds per conv2d call}."""
    times = {}
    for name, layer in layers.items():
        x, w, b, kwargs = layer_arrays(layer)
        times[name] = best_time(lambda: convscope.conv2d(x, w, b, **kwargs)) * 1e3
    return times


def main_json(layers_json: str) -> str:
    return json.dumps(time_layers(json.loads(layers_json)))
