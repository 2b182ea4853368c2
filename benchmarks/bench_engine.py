"""Engine vs torch.nn.functional.conv2d, timed in one run; prints engine/torch ratios.

    python build.py bench            (or: python benchmarks/bench_engine.py)

Needs the ``ref`` extra for torch. Target: <= 3x torch's CPU time on the medium layer.
"""

from __future__ import annotations

import pathlib
import sys
import timeit

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "py"))

import convscope  # noqa: E402
from results import save  # noqa: E402

LAYERS = {
    "small 1x1x28x28, 8 filters 3x3": dict(input=(1, 1, 28, 28), weight=(8, 1, 3, 3),
                                            padding=1),
    "medium 1x64x56x56, 64 filters 3x3": dict(input=(1, 64, 56, 56), weight=(64, 64, 3, 3),
                                               padding=1),
    "strided/dilated/grouped 2x32x40x40": dict(input=(2, 32, 40, 40), weight=(32, 8, 3, 3),
                                               stride=2, padding=2, dilation=2, groups=4),
}


def best_time(function) -> float:
    """Best per-call time of 5 batches, each long enough (>= 0.2 s) to time well."""
    timer = timeit.Timer(function)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=5, number=number)) / number


def bench_layers() -> list[dict]:
    import torch
    import torch.nn.functional as F

    rows = []
    rng = np.random.default_rng(0)
    for name, layer in LAYERS.items():
        kwargs = {k: v for k, v in layer.items() if k not in ("input", "weight")}
        x = rng.standard_normal(layer["input"]).astype(np.float32)
        w = rng.standard_normal(layer["weight"]).astype(np.float32)
        b = rng.standard_normal(layer["weight"][0]).astype(np.float32)
        tx, tw, tb = (torch.from_numpy(a) for a in (x, w, b))
        np.testing.assert_allclose(convscope.conv2d(x, w, b, **kwargs),
                                   F.conv2d(tx, tw, tb, **kwargs).numpy(), rtol=1e-4, atol=1e-4)
        with torch.no_grad():
            torch_s = best_time(lambda: F.conv2d(tx, tw, tb, **kwargs))
        engine_s = best_time(lambda: convscope.conv2d(x, w, b, **kwargs))
        trace = convscope.trace(x, w, b, **kwargs)
        steps = np.linspace(0, len(trace) - 1, 200).astype(int)
        step_s = best_time(lambda: [trace[int(i)] for i in steps]) / len(steps)
        rows.append(dict(layer=name, engine_ms=engine_s * 1e3, torch_ms=torch_s * 1e3,
                         ratio=engine_s / torch_s, trace_step_us=step_s * 1e6))
    return rows


def main() -> int:
    import torch

    print(f"numpy {np.__version__}, torch {torch.__version__} "
          f"({torch.get_num_threads()} threads), float32")
    rows = bench_layers()
    print(f"{'layer':38} {'engine ms':>10} {'torch ms':>10} {'engine/torch':>13} "
          f"{'trace step us':>14}")
    for row in rows:
        print(f"{row['layer']:38} {row['engine_ms']:10.3f} {row['torch_ms']:10.3f} "
              f"{row['ratio']:12.2f}x {row['trace_step_us']:14.1f}")
    save("engine", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
