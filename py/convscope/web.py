"""The page's view of the engine: presets, and a Session per view on the page.

The visualizer's worker calls :meth:`Session.compute` with the page state
(torch's argument names, as in the URL hash) and draws what comes back; every
number, shape and error message the page shows comes from here.
"""

from __future__ import annotations

import math

import numpy as np

from .arguments import ArgumentError, is_int, pair, positive_int
from .functional import prepare
from .layer import Conv2d
from .trace import Trace

INPUT_PRESETS = ("arange", "random", "digit", "edge")
WEIGHT_PRESETS = ("random", "ones", "identity", "sobel", "blur")

#: Largest settings the page accepts: beyond these a browser tab would stall.
LIMITS = {"in_channels": 16, "out_channels": 32, "batch": 4, "input_size": 128,
          "kernel_size": 15, "stride": 16, "padding": 32, "dilation": 16, "groups": 16}
#: And the work they add up to: multiply-accumulates, and im2col values held at once.
MAX_MACS = 100_000_000
MAX_COLUMNS = 16_000_000


def make_input(kind: str, shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Input data ``(N, C, H, W)`` for a preset, as float32 (torch's default dtype)."""
    n, c, h, w = shape
    if kind == "arange":  # the tutorial's sample: torch.arange(25.).reshape(1, 1, 5, 5)
        return np.arange(n * c * h * w, dtype=np.float32).reshape(shape)
    if kind == "random":  # small integers keep the arithmetic readable
        return np.random.default_rng(seed).integers(-4, 5, shape).astype(np.float32)
    rows, cols = np.mgrid[0:h, 0:w]
    if kind == "edge":  # a vertical edge: dark left half, bright right half
        plane = (cols >= w / 2).astype(np.float32)
    elif kind == "digit":  # a ring, like a hand-drawn zero
        radius = np.hypot((rows - (h - 1) / 2) / max(h / 2, 1),
                          (cols - (w - 1) / 2) / max(w / 2, 1))
        plane = ((radius > 0.45) & (radius < 0.85)).astype(np.float32)
    else:
        raise ArgumentError("input", f"unknown input preset {kind!r}; "
                                     f"one of {', '.join(INPUT_PRESETS)}")
    return np.broadcast_to(plane, shape).astype(np.float32)


def make_weights(kind: str, layer: Conv2d, seed: int) -> None:
    """Set ``layer.weight``/``layer.bias`` from a preset (random: torch's init from ``seed``).

    The other presets have no bias (zeros), so the output shows the filter alone.
    """
    shape = layer.weight_shape
    out_channels, group_channels, kh, kw = shape
    if kind == "random":
        fresh = Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size,
                       groups=layer.groups, bias=layer.bias is not None, rng=seed)
        layer.weight, layer.bias = fresh.weight, fresh.bias
        return
    if kind == "ones":
        weight = np.ones(shape)
    elif kind == "identity":  # torch.nn.init.dirac_: output d of each group copies its input d
        weight = np.zeros(shape)
        per_group = out_channels // layer.groups
        for group in range(layer.groups):
            for d in range(min(per_group, group_channels)):
                weight[group * per_group + d, d, kh // 2, kw // 2] = 1.0
    elif kind == "sobel":  # horizontal gradient: responds to vertical edges
        weight = np.broadcast_to(np.outer(_smooth(kh), _difference(kw)), shape)
    elif kind == "blur":
        weight = np.full(shape, 1.0 / (kh * kw))
    else:
        raise ArgumentError("weights", f"unknown weights preset {kind!r}; "
                                       f"one of {', '.join(WEIGHT_PRESETS)}")
    layer.weight = weight
    if layer.bias is not None:
        layer.bias = np.zeros(out_channels)


def _smooth(size: int) -> np.ndarray:
    """Binomial smoothing row ([1, 2, 1] for 3), Sobel's perpendicular part."""
    row = np.array([1.0])
    for _ in range(size - 1):
        row = np.convolve(row, [1.0, 1.0])
    return row


def _difference(size: int) -> np.ndarray:
    """Central difference row ([-1, 0, 1] for 3), Sobel's derivative part."""
    if size == 1:
        return np.array([0.0])
    return np.convolve(_smooth(size - 1), [-1.0, 1.0])


def apply_edits(array: np.ndarray, edits, name: str) -> np.ndarray:
    """A copy of ``array`` with cells the user typed in: ``(*index, value)`` each.

    Edits that fall outside the array (the user made it smaller) are left out.
    """
    edited = array.copy()
    for edit in edits:
        *index, value = edit
        if len(index) != array.ndim or not all(isinstance(i, int) for i in index):
            raise ArgumentError(name, f"{name}: each edit is {array.ndim} indices and a value, "
                                      f"got {tuple(edit)}")
        if not np.isfinite(value):
            raise ArgumentError(name, f"{name}: cell {tuple(index)} must be a finite number, "
                                      f"got {value}")
        if all(0 <= i < size for i, size in zip(index, array.shape)):
            edited[tuple(index)] = value
    return edited


def number(value, dtype=np.float32) -> str:
    """The shortest text that reads back as exactly this float32/float64 value."""
    value = dtype(value)
    if not np.isfinite(value):
        return str(float(value))
    if value == 0 or 1e-4 <= abs(value) < 1e7:
        return np.format_float_positional(value, trim="-")
    return np.format_float_scientific(value, trim="-")


def torch_line(config: dict) -> str:
    """The ``nn.Conv2d(...)`` call a user would write for this setup."""
    kernel = pair("kernel_size", config["kernel_size"])
    args = [str(config["in_channels"]), str(config["out_channels"]),
            str(kernel[0]) if kernel[0] == kernel[1] else str(kernel)]
    for name in ("stride", "padding"):
        args.append(f"{name}={_short(config[name])}")
    if pair("dilation", config["dilation"]) != (1, 1):
        args.append(f"dilation={_short(config['dilation'])}")
    if config["groups"] != 1:
        args.append(f"groups={config['groups']}")
    if not config["bias"]:
        args.append("bias=False")
    if config["padding_mode"] != "zeros":
        args.append(f"padding_mode={config['padding_mode']!r}")
    return f"nn.Conv2d({', '.join(args)})"


def _short(value) -> str:
    """An int, a string, or a pair written as torch users write it: 1, 'same', (1, 2)."""
    if isinstance(value, str):
        return repr(value)
    h, w = pair("value", value)
    return str(h) if h == w else f"({h}, {w})"


def size_formula(axis: str, size: int, before: int, after: int, kernel: int, stride: int,
                 dilation: int, out: int) -> str:
    """The output-size formula for one axis with the numbers filled in."""
    return (f"{axis}_out = ⌊({axis}_in + pad_before + pad_after − dilation×(kernel−1) "
            f"− 1) / stride⌋ + 1 = ⌊({size} + {before} + {after} − {dilation}×({kernel}−1) "
            f"− 1) / {stride}⌋ + 1 = {out}")


def layer_from(config: dict, rng=None) -> Conv2d:
    """The ``Conv2d`` a page state (torch's argument names) describes."""
    return Conv2d(config["in_channels"], config["out_channels"], config["kernel_size"],
                  config["stride"], config["padding"], config["dilation"], config["groups"],
                  config["bias"], config["padding_mode"], rng=rng)


def error_answer(error: Exception) -> dict:
    """A refusal for the page; convscope's errors name the argument, the control to flag."""
    return {"error": {"field": getattr(error, "argument", ""), "message": str(error)}}


def check_limits(config: dict) -> None:
    """Refuse settings too large for a browser tab, naming the cap."""
    for field, limit in LIMITS.items():
        values = config.get(field)
        if isinstance(values, str) or values is None:
            continue
        values = values if isinstance(values, (tuple, list)) else (values,)
        if any(isinstance(v, int) and v > limit for v in values):
            raise ArgumentError(field, f"{field} is limited to {limit} on this page "
                                    f"(got {config[field]}) to keep the browser responsive")


def check_work(layer: Conv2d, input_shape, output_shape) -> None:
    """Refuse a layer whose arithmetic would freeze the tab, however its sizes add up."""
    macs = layer.mac_count(input_shape)
    if macs > MAX_MACS:
        raise ArgumentError("input_size", f"this layer needs {macs:,} multiply-accumulates; "
                                          f"the page computes up to {MAX_MACS:,} to stay "
                                          "responsive: use a smaller input, kernel or channels")
    n, channels = input_shape[:2]
    columns = n * channels * math.prod(layer.kernel_size) * math.prod(output_shape[2:])
    if columns > MAX_COLUMNS:
        raise ArgumentError("input_size", f"this layer would unfold {columns:,} input values at "
                                          f"once; the page allows {MAX_COLUMNS:,}: use a smaller "
                                          "input, kernel or channels")


def _pack(array) -> dict:
    """An array for the page: its shape and its values as float64 bytes (exact for float32)."""
    array = np.asarray(array)
    return {"shape": list(array.shape), "data": np.ascontiguousarray(array, np.float64).tobytes()}


class Session:
    """The engine state behind one page: the current setup and its trace."""

    def __init__(self):
        self.trace = None
        self.config = None

    def compute(self, config: dict) -> dict:
        """Everything the page shows for a setup, or ``{"error": {field, message}}``.

        ``config`` holds torch's argument names plus ``input_size`` (h, w), ``batch``,
        ``input`` and ``weights`` presets and ``seed``.
        """
        try:
            return self._compute(config)
        except (ValueError, TypeError) as error:
            return error_answer(error)

    def _compute(self, config: dict) -> dict:
        check_limits(config)
        layer = layer_from(config)
        height, width = pair("input_size", config["input_size"])
        if height < 1 or width < 1:
            raise ArgumentError("input_size", f"input_size must be at least 1x1, "
                                              f"got {height}x{width}")
        batch = positive_int("batch", config["batch"])
        seed = config["seed"]
        if not is_int(seed) or not 0 <= seed < 2**32:
            raise ArgumentError("seed", f"seed must be a whole number from 0 to {2**32 - 1}, "
                                        f"got {seed!r}")
        input_shape = (batch, config["in_channels"], height, width)
        output_shape = layer.output_shape(input_shape)
        check_work(layer, input_shape, output_shape)
        make_weights(config["weights"], layer, config["seed"])
        layer.weight = apply_edits(layer.weight, config.get("weight_edits", ()), "weight_edits")
        x = apply_edits(make_input(config["input"], input_shape, config["seed"]),
                        config.get("input_edits", ()), "input_edits")
        trace = Trace(prepare(x, layer.weight, layer.bias, layer.stride, layer.padding,
                              layer.dilation, layer.groups, layer.padding_mode))
        self.trace, self.config = trace, dict(config)
        sides = trace.call.spec.sides
        (kh, kw), (sh, sw), (dh, dw) = layer.kernel_size, layer.stride, layer.dilation
        return {
            "torch_line": torch_line(config),
            "repr": repr(layer),
            "input_shape": list(input_shape),
            "output_shape": list(output_shape),
            "weight_shape": list(layer.weight_shape),
            "bias_shape": None if layer.bias is None else [layer.out_channels],
            "parameter_count": layer.parameter_count,
            "mac_count": layer.mac_count(input_shape),
            "formula_h": size_formula("H", height, sides.top, sides.bottom, kh, sh, dh,
                                      output_shape[2]),
            "formula_w": size_formula("W", width, sides.left, sides.right, kw, sw, dw,
                                      output_shape[3]),
            "sides": list(sides),
            "steps": len(trace),
            "input": _pack(x),
            "padded": _pack(trace.padded),
            "row_sources": trace.row_sources.tolist(),
            "col_sources": trace.col_sources.tolist(),
            "weight": _pack(layer.weight),
            "bias": None if layer.bias is None else _pack(layer.bias),
            "output": _pack(trace.output),
        }

    def step(self, index: int) -> dict:
        """One step: taps, values, products, sums and the arithmetic as text."""
        step = self.trace[index]
        return {
            "index": step.index,
            "position": list(step.position),
            "group": step.group,
            "channels": list(step.channels),
            "padded_rows": step.padded_rows.tolist(),
            "padded_cols": step.padded_cols.tolist(),
            "rows": step.rows.tolist(),
            "cols": step.cols.tolist(),
            "in_padding": step.in_padding.ravel().tolist(),
            "inputs": _pack(step.inputs),
            "weights": _pack(step.weights),
            "products": _pack(step.products),
            "channel_sums": _pack(step.channel_sums),
            "bias": step.bias,
            "value": step.value,
            "value_text": number(step.value, self.trace.output.dtype.type),
            "equation": equation(step, self.trace.output.dtype.type),
        }

    def snippet(self) -> str:
        """A runnable PyTorch script that rebuilds this view and checks its output."""
        trace, config = self.trace, self.config
        call = trace.call
        lines = [
            "import torch",
            "from torch import nn",
            "",
            f"layer = {torch_line(config)}",
            f"# input preset {config['input']!r}, weights preset {config['weights']!r}, "
            f"seed {config['seed']}",
            f"x = {tensor(call.batch)}",
            "with torch.no_grad():",
            f"    layer.weight.copy_({tensor(call.weight)})",
        ]
        if call.bias is not None:
            lines.append(f"    layer.bias.copy_({tensor(call.bias)})")
        lines += [
            "    out = layer(x)",
            "",
            "# the values convscope shows",
            f"expected = {tensor(trace.output)}",
            "torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)",
            "print('PyTorch agrees with convscope:', tuple(out.shape))",
        ]
        return "\n".join(lines) + "\n"

    def table(self, kind: str) -> dict:
        """The step table of the current view as CSV or JSON text: {text} or {error}."""
        from .export import table_csv, table_json

        try:
            return {"text": (table_json if kind == "json" else table_csv)(self.trace)}
        except ValueError as error:
            return error_answer(error)

    def practice(self, seed: int, level: str, index: int, answer: str | None = None,
                 test: bool = False) -> dict:
        """Practice question ``index`` of set ``seed``; with ``answer``, also its marking.

        With ``test``, question ``index`` of the ten-question test ``seed`` (its levels
        are the test's own, ``level`` is not used).
        """
        from .practice import check, question  # practice builds on this module
        from .practice_exam import exam_question

        try:
            asked = exam_question(seed, index) if test else question(seed, index, level)
        except ValueError as error:
            return {"error": {"field": "question" if test else "level", "message": str(error)}}
        result = asked.as_dict()
        for secret in ("answer", "explanation", "mistakes", "variants"):
            del result[secret]  # revealed only with a marking
        if answer is not None:
            result["marking"] = check(asked, answer)
        return result

    def practice_result(self, seed: int, answers: list, hinted: list) -> dict:
        """The score card of test ``seed`` for these answers (see ``practice_exam``)."""
        from .practice_exam import score_card

        return score_card(seed, list(answers), list(hinted))

    def touching(self, channel: int, row: int, col: int) -> dict:
        """Output cells whose windows read input pixel ``(channel, row, col)``."""
        masks = self.trace.outputs_reading(channel, row, col)
        return {"channels": masks.channels, "rows": masks.rows.tolist(),
                "cols": masks.cols.tolist()}


def nested(array) -> str:
    """An array as nested Python lists of exact float32/float64 literals."""
    dtype = array.dtype.type
    if array.ndim == 0:
        return number(array, dtype)
    return "[" + ", ".join(nested(item) for item in array) + "]"


def tensor(array) -> str:
    """A ``torch.tensor(...)`` literal holding exactly this array."""
    return f"torch.tensor({nested(array)}, dtype=torch.{array.dtype.name})"


def equation(step, dtype=np.float32) -> str:
    """The step's arithmetic: products per input channel, their sums, + bias, = value."""
    lines = []
    for channel, inputs, weights, total in zip(step.channels, step.inputs, step.weights,
                                               step.channel_sums):
        terms = " + ".join(f"{number(x, dtype)}×{number(w, dtype)}"
                           for x, w in zip(inputs.ravel(), weights.ravel()))
        lines.append(f"input[{channel}]: {terms} = {number(total, dtype)}")
    if step.bias is not None:
        lines.append(f"+ bias {number(step.bias, dtype)}")
    lines.append(f"= {number(step.value, dtype)}")
    return "\n".join(lines)
