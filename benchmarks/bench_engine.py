"""The engine in CPython and in Pyodide vs torch.nn.functional, in one run: conv2d,
conv_transpose2d, max_pool2d and avg_pool2d, forward and backward (every gradient,
against torch autograd's backward of the same call).

    python build.py bench            (or: python benchmarks/bench_engine.py)

Needs the ``ref`` extra for torch and a built dist/ (for Pyodide, run in Node.js).
Target: CPython engine <= 3x torch's CPU time on the medium layer.
"""

from __future__ import annotations

import json
import pathlib
import subprocess
import sys

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT))

import convscope  # noqa: E402
from layer_timing import best_time, layer_arrays, time_layers  # noqa: E402
from results import save  # noqa: E402

LAYERS = {
    "small 1x1x28x28, 8 filters 3x3": dict(input=(1, 1, 28, 28), weight=(8, 1, 3, 3),
                                            padding=1),
    "medium 1x64x56x56, 64 filters 3x3": dict(input=(1, 64, 56, 56), weight=(64, 64, 3, 3),
                                               padding=1),
    "strided/dilated/grouped 2x32x40x40": dict(input=(2, 32, 40, 40), weight=(32, 8, 3, 3),
                                               stride=2, padding=2, dilation=2, groups=4),
    "transposed 1x64x28x28 -> 32, 4x4 s2": dict(function="conv_transpose2d",
                                                input=(1, 64, 28, 28), weight=(64, 32, 4, 4),
                                                stride=2, padding=1),
    "max pool 1x64x56x56, 3x3 s2 p1": dict(function="max_pool2d", input=(1, 64, 56, 56),
                                           kernel_size=3, stride=2, padding=1),
    "avg pool 1x64x56x56, 2x2 ceil": dict(function="avg_pool2d", input=(1, 63, 55, 55),
                                          kernel_size=2, ceil_mode=True),
}

#: The same layers' backward passes (grad_output = ones), against torch's .backward().
LAYERS.update({f"{name} backward": dict(layer, backward=True)
               for name, layer in list(LAYERS.items())})


def pyodide_times() -> dict:
    """{layer: ms} of the same calls inside Pyodide (Node.js), from the built dist/."""
    import build

    if not (build.DIST / "pyodide" / "pyodide-lock.json").exists():
        build.build()
    completed = subprocess.run(["node", str(ROOT / "benchmarks" / "pyodide_timing.mjs"),
                                str(build.DIST), json.dumps(LAYERS)],
                               capture_output=True, text=True, timeout=1800, check=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def bench_layers() -> list[dict]:
    import torch
    import torch.nn.functional as F

    rows = []
    cpython = time_layers(LAYERS)
    pyodide = pyodide_times()
    for name, layer in LAYERS.items():
        function, arrays, kwargs = layer_arrays(layer)
        tensors = [torch.from_numpy(a) for a in arrays]
        engine, reference = getattr(convscope, function), getattr(F, function)
        if layer.get("backward"):
            rows.append(dict(layer=name, cpython_ms=cpython[name], pyodide_ms=pyodide[name],
                             torch_ms=torch_backward_ms(layer, reference, tensors, kwargs),
                             trace_step_us=float("nan")))
            rows[-1].update(ratio=rows[-1]["cpython_ms"] / rows[-1]["torch_ms"],
                            pyodide_ratio=pyodide[name] / cpython[name])
            continue
        np.testing.assert_allclose(engine(*arrays, **kwargs),
                                   reference(*tensors, **kwargs).numpy(), rtol=1e-4, atol=1e-4)
        with torch.no_grad():
            torch_ms = best_time(lambda: reference(*tensors, **kwargs)) * 1e3
        step_us = float("nan")
        if function == "conv2d":  # the page's steps of the other kinds: bench_site
            trace = convscope.trace(*arrays, **kwargs)
            steps = np.linspace(0, len(trace) - 1, 200).astype(int)
            step_us = best_time(lambda: [trace[int(i)] for i in steps]) / len(steps) * 1e6
        rows.append(dict(layer=name, cpython_ms=cpython[name], pyodide_ms=pyodide[name],
                         torch_ms=torch_ms, ratio=cpython[name] / torch_ms,
                         pyodide_ratio=pyodide[name] / cpython[name], trace_step_us=step_us))
    return rows


def torch_backward_ms(layer, reference, tensors, kwargs) -> float:
    """torch autograd's backward of the call alone (the graph kept between runs), after
    checking convscope's gradients against it."""
    import torch
    from layer_timing import backward_call

    for tensor in tensors:
        tensor.requires_grad_()
    output = reference(*tensors, **kwargs)
    grad_output = torch.ones_like(output)
    output.backward(grad_output, retain_graph=True)
    ours = backward_call(layer)()
    np.testing.assert_allclose(ours.grad_input, tensors[0].grad.numpy(), rtol=1e-4, atol=1e-3)
    if ours.grad_weight is not None:
        np.testing.assert_allclose(ours.grad_weight, tensors[1].grad.numpy(), rtol=1e-4,
                                   atol=1e-2)
    return best_time(lambda: output.backward(grad_output, retain_graph=True)) * 1e3


def report(rows) -> None:
    print(f"{'layer':38} {'CPython ms':>10} {'Pyodide ms':>10} {'torch ms':>9} "
          f"{'CPython/torch':>13} {'Pyodide/CPython':>15} {'step us':>8}")
    for row in rows:
        print(f"{row['layer']:38} {row['cpython_ms']:10.3f} {row['pyodide_ms']:10.3f} "
              f"{row['torch_ms']:9.3f} {row['ratio']:12.2f}x {row['pyodide_ratio']:14.2f}x "
              f"{row['trace_step_us']:8.1f}")


def main() -> int:
    import torch

    print(f"numpy {np.__version__}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), float32")
    rows = bench_layers()
    report(rows)
    save("engine", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
