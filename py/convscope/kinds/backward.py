"""The backward pass as a run of any layer kind: where the gradient flows, step by step.

A kind's run is the backward pass when its state says ``direction=backward``; then
``upstream`` picks the gradient that arrives at the output (``ones``: of
``output.sum()``, ``random``: seeded noise, ``onehot``: one output cell, ``mse``: of
``F.mse_loss(output, target)`` against a ``target`` preset) and ``gradient`` which
``.grad`` to step through:

- ``weight`` (:class:`WeightGradRun`): one step per weight cell; the (padded) input slides
  against ``grad_output``: tap ``(i, j)`` reads the input cells at ``i·dilation +
  y·stride`` for every output row ``y``, each times the gradient of that output cell;
- ``input`` (:class:`InputGradRun` for a convolution, :class:`PoolInputGradRun` for a
  pool, a traced convolution for a transposed one): one step per input cell, every
  output cell and kernel tap that sends gradient there, and through which padded cell;
  a row or column the forward pass never read (a stride leftover) gets zero, and says so;
- ``bias`` (:class:`BiasGradRun`): one step per output channel, the sum of its gradients.

Every value a step shows comes from the engine (:mod:`convscope.grad`); the steps say
which products make it.
"""

from __future__ import annotations

import numpy as np

from ..grad import UPSTREAMS, Gradients, upstream_gradient
from ..limits import MAX_TABLE_STEPS, MAX_TERMS
from ..ops.arguments import ArgumentError, pair
from ..text import number, tensor
from .base import Argument, Run, cells, pack, step_position, table_text

DIRECTIONS = ("forward", "backward")
#: MSE targets: zeros (the loss is the mean square of the output), ones, seeded integers.
TARGETS = ("zeros", "ones", "random")


def backward_arguments(gradients: tuple[str, ...]) -> tuple[Argument, ...]:
    """The data settings of a kind's backward pass; ``gradients``: the ``.grad`` it has
    (``input``, ``weight``, ``bias``). Written in a link only when not at their default,
    so every forward link stays as it was."""
    backward = (("direction", "backward"),)
    onehot = backward + (("upstream", "onehot"),)
    return (
        Argument("direction", "choice", "forward", choices=DIRECTIONS, data=True, quiet=True),
        Argument("gradient", "choice", gradients[0], choices=gradients, data=True, quiet=True,
                 when=backward),
        Argument("upstream", "choice", "ones", choices=UPSTREAMS, data=True, quiet=True,
                 when=backward),
        # the one-hot cell of sample 0: output channel, then (row, column)
        Argument("onehot_channel", "int", 0, data=True, quiet=True, when=onehot),
        Argument("onehot_cell", "pair", [0, 0], data=True, quiet=True, when=onehot),
        Argument("target", "choice", "zeros", choices=TARGETS, data=True, quiet=True,
                 when=backward + (("upstream", "mse"),)),
    )


def is_backward(config: dict) -> bool:
    direction = config.get("direction", "forward")
    if direction not in DIRECTIONS:
        raise ArgumentError("direction", f"direction must be forward or backward, "
                                         f"got {direction!r}")
    return direction == "backward"


def gradient_of(config: dict, gradients: tuple[str, ...]) -> str:
    gradient = config.get("gradient", gradients[0])
    if gradient not in gradients:
        has = ", ".join(f"{name}.grad" for name in gradients)
        raise ArgumentError("gradient", f"this layer has {has}; gradient must be one of "
                                        f"{', '.join(gradients)}, got {gradient!r}")
    return gradient


def target_for(config: dict, output: np.ndarray) -> np.ndarray:
    preset = config.get("target", "zeros")
    if preset == "zeros":
        return np.zeros_like(output)
    if preset == "ones":
        return np.ones_like(output)
    if preset == "random":
        seed = config.get("seed", 0) + 1  # not the input's own numbers
        return np.random.default_rng(seed).integers(-2, 3, output.shape).astype(output.dtype)
    raise ArgumentError("target", f"unknown target {preset!r}; one of {', '.join(TARGETS)}")


class Upstream:
    """The gradient arriving at the (batched) output, and how the page and script say it."""

    def __init__(self, config: dict, output: np.ndarray):
        self.choice = config.get("upstream", "ones")
        self.target = None
        cell = None
        if self.choice == "onehot":
            y, x = pair("onehot_cell", config.get("onehot_cell", [0, 0]))
            cell = (0, config.get("onehot_channel", 0), y, x)
        if self.choice == "mse":
            self.target = target_for(config, output)
        self.cell = cell
        self.grad_output = upstream_gradient(output, self.choice, seed=config.get("seed", 0),
                                             cell=cell, target=self.target)

    def text(self) -> str:
        if self.choice == "ones":
            return "grad_output = 1 everywhere: the gradient of output.sum()"
        if self.choice == "random":
            return "grad_output: seeded random numbers"
        if self.choice == "onehot":
            return (f"grad_output = 1 at output{list(self.cell)}, 0 elsewhere: what that one "
                    "cell depends on")
        return ("grad_output = 2·(output − target) / output.numel(): the gradient of "
                "F.mse_loss(output, target)")


def _terms_text(terms: list[str], count: int, total: str) -> str:
    """The first terms of a sum (at most MAX_TERMS, made by the caller), how many more."""
    more = f" + … ({count - MAX_TERMS} more)" if count > MAX_TERMS else ""
    return (" + ".join(terms[:MAX_TERMS]) + more if terms else "0") + f" = {total}"


class BackwardRun(Run):
    """What every backward run shares: the forward pass, the upstream gradient, the
    engine's gradients, the shapes panel, the script and the table."""

    gradient: str = "input"

    def __init__(self, kind, config: dict, layer, x: np.ndarray, output: np.ndarray,
                 grads: Gradients, upstream: Upstream, shapes: dict):
        self.kind, self.config, self.layer = kind, config, layer
        self.x, self.output, self.grads, self.upstream = x, output, grads, upstream
        self.grad_output = upstream.grad_output
        self.dtype = output.dtype.type
        self.forward_shapes = shapes

    def common(self) -> dict:
        """The view's shapes panel (the layer's own), plus what the backward pass adds."""
        return {**self.forward_shapes,
                "direction": "backward",
                "gradient": self.gradient,
                "upstream_text": self.upstream.text(),
                "output_steps": True,
                "note": self.note()}

    def grad_output_view(self) -> dict:
        """The view's parts of a run that reads only grad_output (drawn as its input,
        where a click picks the one-hot upstream cell) and has no filter."""
        go = self.grad_output
        _, _, h, w = go.shape
        return {**self.common(), "steps": self.steps, "input": pack(go), "padded": pack(go),
                "input_name": "grad_output", "onehot_pick": True, "sides": [0, 0, 0, 0],
                "row_sources": list(range(h)), "col_sources": list(range(w)),
                "weight": None, "filter_shape": [1, 1, 1], "groups": 1}

    def note(self) -> str:
        return ""

    def snippet(self) -> str:
        """A torch script: the same layer, input and weights, the same upstream gradient
        through .backward(), the grads printed and checked against convscope's."""
        layer, up = self.layer, self.upstream
        lines = ["import torch", "from torch import nn", "",
                 f"layer = {self.kind.torch_line(self.config)}",
                 f"x = {tensor(self.x)}.requires_grad_()"]
        if getattr(layer, "weight", None) is not None and hasattr(layer, "weight_shape"):
            lines.append("with torch.no_grad():")
            lines.append(f"    layer.weight.copy_({tensor(layer.weight)})")
            if layer.bias is not None:
                lines.append(f"    layer.bias.copy_({tensor(layer.bias)})")
        call = self.kind.call_text(self.config) if hasattr(self.kind, "call_text") else "layer(x)"
        lines.append(f"out = {call}")
        if up.choice == "ones":
            lines.append("out.sum().backward()  # grad_output = ones")
        elif up.choice == "mse":
            lines += [f"target = {tensor(up.target)}",
                      "nn.functional.mse_loss(out, target).backward()"]
        else:
            lines += [f"grad_output = {tensor(self.grad_output)}", "out.backward(grad_output)"]
        lines += ["", "# the gradients convscope shows"]
        checks = [("x.grad", self.grads.grad_input)]
        if self.grads.grad_weight is not None:
            checks.append(("layer.weight.grad", self.grads.grad_weight))
        if self.grads.grad_bias is not None:
            checks.append(("layer.bias.grad", self.grads.grad_bias))
        for name, value in checks:
            lines += [f"print('{name} =', {name})",
                      f"torch.testing.assert_close({name}, {tensor(value)}, rtol=1e-5, "
                      "atol=1e-5)"]
        lines.append("print('PyTorch agrees with convscope')")
        return "\n".join(lines) + "\n"

    def row(self, index: int) -> dict:
        raise NotImplementedError

    def table(self, form: str) -> str:
        if self.steps > MAX_TABLE_STEPS:
            raise ArgumentError("input_size", f"the step table would hold {self.steps:,} "
                                              f"steps; exports stop at {MAX_TABLE_STEPS:,}: "
                                              "use a smaller layer")
        return table_text([self.row(i) for i in range(self.steps)], form)

    def touching(self, channel: int, row: int, col: int) -> dict:
        return cells([], [], [])


class Sliding:
    """One array slid against another: ``grad[a, b, i, j] = Σ_n,y,x against[n, a, y, x]
    × slid[n, group(a)·B + b, i·dilation + y·stride, j·dilation + x·stride]``.

    A convolution's weight gradient (the padded input slid against grad_output) and a
    transposed convolution's (the padded grad_output slid against the input) are both
    this, with the roles named by ``slid_name``/``against_name``.
    """

    def __init__(self, slid, against, grad, groups, stride, dilation, slid_name,
                 against_name, sides, row_sources, col_sources, unpadded):
        self.slid, self.against, self.grad = slid, against, grad
        self.groups, self.stride, self.dilation = groups, stride, dilation
        self.slid_name, self.against_name = slid_name, against_name
        self.sides, self.row_sources, self.col_sources = sides, row_sources, col_sources
        self.unpadded = unpadded


class WeightGradRun(BackwardRun):
    """weight.grad, one weight cell a step: the taps' cells of the (padded) input against
    the gradient of every output cell (drawn as the filter)."""

    gradient = "weight"

    def __init__(self, base: dict, sliding: Sliding):
        super().__init__(**base)
        self.sliding = sliding
        a, b, kh, kw = sliding.grad.shape
        self.shape = (a, b, kh, kw)
        self.steps = int(np.prod(self.shape))

    def view(self) -> dict:
        s = self.sliding
        a, b, kh, kw = self.shape
        out_h, out_w = s.against.shape[2:]
        return {**self.common(),
                "steps": self.steps,
                "input": pack(s.unpadded),
                "padded": pack(s.slid),
                "input_name": s.slid_name,
                "sides": list(s.sides),
                "row_sources": s.row_sources.tolist(),
                "col_sources": s.col_sources.tolist(),
                "weight": pack(s.against),
                "filter_shape": [1, out_h, out_w],
                "groups": s.groups,
                "output": pack(s.grad.reshape(1, a * b, kh, kw)),
                "output_name": "weight.grad",
                "output_names": [f"weight.grad[{i}, {j}]" for i in range(a) for j in range(b)],
                "formula_h": (f"weight.grad[a, b, i, j] = Σ over n, y, x of {s.against_name}"
                              f"[n, a, y, x] × {s.slid_name}[n, b, i·dilation + y·stride, "
                              "j·dilation + x·stride]"),
                "formula_w": "the (padded) " + s.slid_name + " slides against " +
                             s.against_name + ", one tap at a time"}

    def _taps(self, index):
        s = self.sliding
        a, b, i, j = step_position(index, self.shape)
        per_group = s.against.shape[1] // s.groups
        group = a // per_group
        channel = group * self.shape[1] + b
        out_h, out_w = s.against.shape[2:]
        rows = i * s.dilation[0] + np.arange(out_h) * s.stride[0]
        cols = j * s.dilation[1] + np.arange(out_w) * s.stride[1]
        return a, b, i, j, group, channel, rows, cols

    def step(self, index: int) -> dict:
        s, dtype = self.sliding, self.dtype
        a, b, i, j, group, channel, rows, cols = self._taps(index)
        value = s.grad[a, b, i, j].item()
        lines, products = [], []
        for n in range(s.slid.shape[0]):
            reads = s.slid[n, channel][np.ix_(rows, cols)]
            against = s.against[n, a]
            terms = [f"{number(g, dtype)}×{number(v, dtype)}"  # only those shown: cheap
                     for g, v in zip(against.ravel()[:MAX_TERMS], reads.ravel()[:MAX_TERMS])]
            total = (against * reads).sum()
            products += (against * reads).ravel().tolist()
            lines.append(f"sample {n}: " + _terms_text(terms, reads.size, number(total, dtype)))
        lines.append(f"weight.grad[{a}, {b}, {i}, {j}] = {number(value, dtype)}")
        title = f"weight.grad[{a}, {b}, {i}, {j}]"
        return {
            "index": int(index) % self.steps,
            "position": [0, a * self.shape[1] + b, i, j],
            "title": title,
            "reads": cells([channel], rows, cols),
            "writes": cells([a * self.shape[1] + b], [i], [j]),
            "filter": {"values": pack(s.against[0, a][np.newaxis]), "sources": None,
                       "flipped": False, "labels": [f"{s.against_name}[0, {a}]"],
                       "note": None},
            "group": group,
            "value": value,
            "value_label": "weight.grad",
            "value_text": number(value, dtype),
            "products": products,
            "equation": (f"tap ({i}, {j}) of {s.slid_name}[{channel}] against "
                         f"{s.against_name}[{a}] (stride {list(s.stride)}, dilation "
                         f"{list(s.dilation)}):\n" + "\n".join(lines)),
            "spoken": (f"{title} = {number(value, dtype)}: {len(products)} products of "
                       f"{s.against_name} and {s.slid_name}"),
        }

    def row(self, index: int) -> dict:
        step = self.step(index)
        a, b, i, j = step_position(index, self.shape)
        return {"a": a, "b": b, "i": i, "j": j, "products": step["products"],
                "value": step["value"]}


class BiasGradRun(BackwardRun):
    """bias.grad, one output channel a step: the sum of its gradient over every cell."""

    gradient = "bias"

    def __init__(self, base: dict):
        super().__init__(**base)
        self.steps = self.grad_output.shape[1]

    def view(self) -> dict:
        channels = self.grad_output.shape[1]
        return {**self.grad_output_view(),
                "output": pack(self.grads.grad_bias.reshape(1, channels, 1, 1)),
                "output_name": "bias.grad",
                "formula_h": "bias.grad[o] = Σ over n, y, x of grad_output[n, o, y, x]",
                "formula_w": "every output cell adds its bias once, so its gradient is the sum"}

    def step(self, index: int) -> dict:
        (o,) = step_position(index, (self.steps,))
        dtype, go = self.dtype, self.grad_output
        value = self.grads.grad_bias[o].item()
        lines = [f"sample {n}: " + _terms_text(
                     [number(g, dtype) for g in go[n, o].ravel()[:MAX_TERMS]], go[n, o].size,
                     number(go[n, o].sum(), dtype))
                 for n in range(go.shape[0])]
        lines.append(f"bias.grad[{o}] = {number(value, dtype)}")
        return {
            "index": o, "position": [0, o, 0, 0], "title": f"bias.grad[{o}]",
            "reads": cells([o], range(go.shape[2]), range(go.shape[3])),
            "writes": cells([o], [0], [0]),
            "filter": None, "group": 0, "value": value, "value_label": "bias.grad",
            "value_text": number(value, dtype),
            "equation": "\n".join(lines),
            "spoken": f"bias.grad[{o}] = {number(value, dtype)}: the sum of grad_output[:, {o}]",
        }

    def row(self, index: int) -> dict:
        o = index
        return {"o": o, "terms": self.grad_output[:, o].ravel().tolist(),
                "value": self.grads.grad_bias[o].item()}


def axis_senders(sources: np.ndarray, cell: int, kernel: int, stride: int, dilation: int,
                 out_size: int) -> list[tuple[int, int, int]]:
    """Along one axis, every ``(output index, tap, padded index)`` through which input
    position ``cell`` receives gradient: the padded positions holding ``cell`` (two or
    more when reflect or circular copied it) that a window's tap reads."""
    found = []
    for padded in np.flatnonzero(sources == cell):
        for tap in range(kernel):
            start = padded - tap * dilation
            if start >= 0 and start % stride == 0 and start // stride < out_size:
                found.append((int(start // stride), tap, int(padded)))
    return found


def unread_reason(axis: str, cell: int, sources: np.ndarray, before: int, kernel: int,
                  stride: int, dilation: int, out_size: int) -> str:
    """Why no window reads input ``axis`` ``cell``: a stride leftover, or taps that skip it."""
    reach = (out_size - 1) * stride + dilation * (kernel - 1)  # last padded index read
    positions = np.flatnonzero(sources == cell)
    if positions.size and positions.min() > reach:
        return (f"no window reaches {axis} {cell}: the last window ends at padded {axis} "
                f"{reach} ({axis}s {reach - before + 1}.. are stride leftovers the forward "
                "pass never read), so its gradient is 0")
    return (f"no tap lands on {axis} {cell} (stride {stride}, dilation {dilation} step over "
            "it), so the forward pass never read it and its gradient is 0")


def transpose_link(spec, grad_output_shape, in_channels: int, leftover) -> str | None:
    """The link of ConvTranspose2d's stamp view with this convolution's geometry (its
    input.grad's): None unless the padding is zeros, the same on both sides (another mode
    also folds the padding back, which a transposed convolution does not)."""
    sides = spec.sides
    if spec.padding_mode != "zeros" or (sides.top, sides.left) != (sides.bottom, sides.right):
        return None
    _, out_channels, h, w = grad_output_shape
    parts = dict(layer="conv_transpose2d", in_channels=out_channels, out_channels=in_channels,
                 kernel_size=spec.kernel_size, stride=spec.stride,
                 padding=(sides.top, sides.left), output_padding=tuple(leftover),
                 groups=spec.groups, dilation=spec.dilation, input_size=(h, w),
                 view="scatter")

    def text(value):
        if isinstance(value, tuple):
            return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"
        return str(value)
    return "#" + "&".join(f"{key}={text(value)}" for key, value in parts.items())


def stride_leftover(padded_size, out_size, spec) -> list[int]:
    """Rows and columns of the padded input past the last window (stride leftovers: the
    forward pass never read them), per axis."""
    return [size - ((n - 1) * s + d * (k - 1) + 1) for size, n, s, d, k in
            zip(padded_size, out_size, spec.stride, spec.dilation, spec.kernel_size)]


class InputGradRun(BackwardRun):
    """input.grad of a convolution, one input cell a step: every output cell and tap that
    sends it gradient (grad_output × weight), and through which padded cell."""

    def __init__(self, base: dict, spec, row_sources, col_sources):
        super().__init__(**base)
        self.spec, self.row_sources, self.col_sources = spec, row_sources, col_sources
        self.shape = self.x.shape
        self.steps = int(np.prod(self.shape))

    def note(self) -> str:
        text = ("input.grad is a transposed convolution of grad_output with the same weight: "
                "gradient=input_stamps shows it stamp by stamp, as ConvTranspose2d's stamp "
                "view does")
        if self.spec.padding_mode != "zeros":
            text += (f"; then {self.spec.padding_mode} padding hands each padded cell's "
                     "gradient to the input cell it copies")
        return text

    def view(self) -> dict:
        go, spec, layer = self.grad_output, self.spec, self.layer
        _, out_channels, h, w = go.shape
        leftover = [int(p) for p in self._leftover()]
        return {**self.common(),
                "steps": self.steps,
                "input": pack(go),
                "padded": pack(go),
                "input_name": "grad_output",
                "onehot_pick": True,  # a cell chosen on the left is the one-hot upstream
                "sides": [0, 0, 0, 0],
                "row_sources": list(range(h)),
                "col_sources": list(range(w)),
                "weight": pack(layer.weight),
                "filter_shape": [out_channels // spec.groups, *spec.kernel_size],
                "groups": spec.groups,
                "output": pack(self.grads.grad_input),
                "output_name": "input.grad",
                "transpose_link": transpose_link(spec, go.shape, self.x.shape[1], leftover),
                "formula_h": ("input.grad[n, c, r, q] = Σ grad_output[n, o, y, x] × weight[o, c, "
                              "i, j] over every (o, y, x, i, j) whose tap read a padded cell "
                              "holding input[n, c, r, q]"),
                "formula_w": ("zero padding drops a padded cell's gradient; reflect, replicate "
                              "and circular add it to the cell they copied")}

    def _leftover(self):
        return stride_leftover((len(self.row_sources), len(self.col_sources)),
                               self.grad_output.shape[2:], self.spec)

    def _senders(self, c, r, q):
        spec = self.spec
        (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
        out_h, out_w = self.grad_output.shape[2:]
        return (axis_senders(self.row_sources, r, kh, sh, dh, out_h),
                axis_senders(self.col_sources, q, kw, sw, dw, out_w))

    def step(self, index: int) -> dict:
        n, c, r, q = step_position(index, self.shape)
        spec, dtype, weight, go = self.spec, self.dtype, self.layer.weight, self.grad_output
        group_channels = weight.shape[1]
        group = c // group_channels
        per_group = go.shape[1] // spec.groups
        outs = range(group * per_group, (group + 1) * per_group)
        rows, cols = self._senders(c, r, q)
        value = self.grads.grad_input[n, c, r, q].item()
        top, left = spec.sides.top, spec.sides.left
        terms, products = [], []
        for o in outs:
            for (y, i, pr), (x, j, pc) in ((a, b) for a in rows for b in cols):
                product = go[n, o, y, x] * weight[o, c % group_channels, i, j]
                products.append(product.item())
                via = "" if (pr - top, pc - left) == (r, q) else f" via padded ({pr}, {pc})"
                terms.append(f"grad_output[{n}, {o}, {y}, {x}] × weight[{o}, "
                             f"{c % group_channels}, {i}, {j}]{via} = {number(product, dtype)}")
        lines = [f"input.grad[{n}, {c}, {r}, {q}] = {number(value, dtype)}"]
        if terms:
            lines[:0] = terms[:MAX_TERMS]
            if len(terms) > MAX_TERMS:
                lines.insert(MAX_TERMS, f"… and {len(terms) - MAX_TERMS} more")
        else:
            (kh, kw), (sh, sw), (dh, dw) = spec.kernel_size, spec.stride, spec.dilation
            out_h, out_w = go.shape[2:]
            lines.insert(0, unread_reason("row", r, self.row_sources, top, kh, sh, dh, out_h)
                         if not rows else
                         unread_reason("column", q, self.col_sources, left, kw, sw, dw, out_w))
        title = f"input.grad[{n}, {c}, {r}, {q}]"
        return {
            "index": int(np.ravel_multi_index((n, c, r, q), self.shape)),
            "position": [n, c, r, q],
            "title": title,
            "reads": cells(outs if rows and cols else [],
                           sorted({y for y, _, _ in rows}), sorted({x for x, _, _ in cols})),
            "writes": cells([c], [r], [q]),
            # one filter slice beside each grad_output channel read (none: nothing read)
            "filter": {"values": pack(weight[outs.start:outs.stop, c % group_channels]),
                       "sources": [[o, c % group_channels] for o in outs], "flipped": False,
                       "labels": [f"weight[{o}, {c % group_channels}]" for o in outs],
                       "note": None} if rows and cols else None,
            "group": group,
            "value": value,
            "value_label": "input.grad",
            "value_text": number(value, dtype),
            "products": products,
            "senders": {"rows": [list(t) for t in rows], "cols": [list(t) for t in cols],
                        "channels": list(outs)},
            "equation": "\n".join(lines),
            "spoken": (f"{title} = {number(value, dtype)}: {len(products)} products of "
                       "grad_output and weight"),
        }

    def row(self, index: int) -> dict:
        step = self.step(index)
        n, c, r, q = step["position"]
        return {"n": n, "c": c, "row": r, "col": q, "products": step["products"],
                "value": step["value"]}


class PoolInputGradRun(BackwardRun):
    """input.grad of a pool, one input cell a step: max pooling passes each window's
    gradient to the cell that won it; average pooling gives every cell of a window its
    gradient divided by the window's divisor."""

    def __init__(self, base: dict, call, winners=None, divisors=None):
        super().__init__(**base)
        self.call, self.winners, self.divisors = call, winners, divisors
        self.shape = self.x.shape
        self.steps = int(np.prod(self.shape))

    def view(self) -> dict:
        return {**self.grad_output_view(),
                "output": pack(self.grads.grad_input),
                "output_name": "input.grad",
                "formula_h": ("input.grad[n, c, r, q] = Σ grad_output[n, c, y, x] over the "
                              "windows whose maximum input[n, c, r, q] is" if self.winners
                              is not None else
                              "input.grad[n, c, r, q] = Σ grad_output[n, c, y, x] / divisor[y, x]"
                              " over the windows that hold input[n, c, r, q]"),
                "formula_w": "padding cells receive gradient too, but hold no input: it is "
                             "dropped"}

    def _covering(self, axis: int, cell: int):
        spec = self.call.spec
        out = self.grad_output.shape[2 + axis]
        starts = np.arange(out) * spec.stride[axis] - spec.padding[axis]
        found = []
        for y, start in enumerate(starts):
            offset = cell - start
            if offset >= 0 and offset % spec.dilation[axis] == 0 and \
                    offset // spec.dilation[axis] < spec.kernel_size[axis]:
                found.append(y)
        return found

    def step(self, index: int) -> dict:
        n, c, r, q = step_position(index, self.shape)
        dtype, go = self.dtype, self.grad_output
        width = self.shape[3]
        value = self.grads.grad_input[n, c, r, q].item()
        rows, cols = self._covering(0, r), self._covering(1, q)
        terms = []
        if self.winners is not None:
            flat = r * width + q
            winners = self.winners.index[n, c]
            won = np.argwhere(winners == flat)
            for y, x in won:
                terms.append(f"grad_output[{n}, {c}, {y}, {x}] = {number(go[n, c, y, x], dtype)}"
                             f" (input[{n}, {c}, {r}, {q}] won window ({y}, {x}))")
            lost = len(rows) * len(cols) - sum(1 for y, x in won if y in rows and x in cols)
            if lost > 0:
                terms.append(f"{lost} other window(s) holding it were won by another cell")
        else:
            for y in rows:
                for x in cols:
                    divisor = self.divisors[y, x]
                    terms.append(f"grad_output[{n}, {c}, {y}, {x}] / {divisor} = "
                                 f"{number(go[n, c, y, x] / divisor, dtype)}")
        if not rows or not cols:
            terms.append("no window holds this cell (a stride leftover), so its gradient is 0")
        lines = terms[:MAX_TERMS] + [f"input.grad[{n}, {c}, {r}, {q}] = {number(value, dtype)}"]
        title = f"input.grad[{n}, {c}, {r}, {q}]"
        return {
            "index": int(np.ravel_multi_index((n, c, r, q), self.shape)),
            "position": [n, c, r, q],
            "title": title,
            "reads": cells([c] if rows and cols else [], rows, cols),
            "writes": cells([c], [r], [q]),
            "filter": None,
            "group": c,
            "value": value,
            "value_label": "input.grad",
            "value_text": number(value, dtype),
            "equation": "\n".join(lines),
            "spoken": f"{title} = {number(value, dtype)}",
        }

    def row(self, index: int) -> dict:
        n, c, r, q = step_position(index, self.shape)
        return {"n": n, "c": c, "row": r, "col": q,
                "value": self.grads.grad_input[n, c, r, q].item()}


class TracedInputGradRun(BackwardRun):
    """input.grad of a transposed convolution, one input cell a step: it is an ordinary
    convolution of grad_output with the same weight (``conv_run``, a traced Conv2d run
    cut to the input's size), told with the gradients' names."""

    def __init__(self, base: dict, conv_run):
        super().__init__(**base)
        self.conv_run = conv_run
        self.steps = conv_run.steps

    def view(self) -> dict:
        trace = self.conv_run.trace
        return {**self.common(),
                "steps": self.steps,
                "input": pack(trace.call.batch),
                "padded": pack(trace.padded),
                "input_name": "grad_output",
                "sides": list(trace.call.spec.sides),
                "row_sources": trace.row_sources.tolist(),
                "col_sources": trace.col_sources.tolist(),
                "weight": pack(trace.call.weight),
                "filter_shape": list(trace.call.weight.shape[1:]),
                "groups": trace.call.spec.groups,
                "output": pack(trace.output),
                "output_name": "input.grad",
                "formula_h": ("input.grad = conv2d(grad_output, weight, stride, padding, "
                              "dilation, groups): a transposed convolution's input gradient "
                              "is the convolution it transposes"),
                "formula_w": "each step: a window of grad_output times weight[c], summed"}

    def step(self, index: int) -> dict:
        step = self.conv_run.step(index)
        n, c, y, x = step["position"]
        rename = lambda text: text.replace("input[", "grad_output[").replace(  # noqa: E731
            "output[", "input.grad[").replace("grad_input.grad[", "grad_output[")
        step.update(title=f"input.grad[{n}, {c}, {y}, {x}]", value_label="input.grad",
                    equation=rename(step["equation"]), spoken=rename(step["spoken"]))
        step["filter"]["note"] = None  # no bias in a gradient
        return step

    def row(self, index: int) -> dict:
        step = self.conv_run.step(index)
        n, c, y, x = step["position"]
        products = np.frombuffer(step["products"]["data"]).tolist()
        return {"n": n, "c": c, "row": y, "col": x, "products": products,
                "value": step["value"]}


def _as_gradients(text: str) -> str:
    """A transposed convolution's words for its input and output, as the gradients they are
    here: its input is grad_output, its output input.grad."""
    return (text.replace("input[", "\0[").replace("output[", "input.grad[")
            .replace("\0[", "grad_output[").replace("input cell", "grad_output cell"))


class StampInputGradRun(BackwardRun):
    """input.grad stamp by stamp: each grad_output cell times the weight, added into the
    window it read (``scatter``: ConvTranspose2d's scatter run on grad_output, whose running
    sums are input.grad). Zero padding only: other modes also fold the padding back."""

    def __init__(self, base: dict, scatter, spec):
        super().__init__(**base)
        self.scatter, self.spec = scatter, spec  # spec: the convolution's
        self.steps = scatter.steps

    def note(self) -> str:
        return ("input.grad is a transposed convolution of grad_output with the same weight: "
                "each grad_output cell stamps itself times the weight onto the window it read")

    def view(self) -> dict:
        go, call = self.grad_output, self.scatter.call
        _, _, h, w = go.shape
        return {**self.common(),
                "steps": self.steps,
                "input": pack(go),
                "padded": pack(go),
                "input_name": "grad_output",
                "onehot_pick": True,
                "sides": [0, 0, 0, 0],
                "row_sources": list(range(h)),
                "col_sources": list(range(w)),
                "weight": pack(call.weight),
                "filter_shape": [1, *call.spec.kernel_size],
                "groups": call.spec.groups,
                "output": pack(self.grads.grad_input),
                "output_name": "input.grad",
                "output_steps": False,  # input.grad cells are sums of many stamps
                "transpose_link": transpose_link(self.spec, go.shape, self.x.shape[1],
                                                 call.spec.output_padding),
                "formula_h": ("input.grad[n, c, i·dilation + y·stride − padding, …] += "
                              "grad_output[n, o, y, x] × weight[o, c, i, j]"),
                "formula_w": ("a row or column no window read (a stride leftover) gets no "
                              "stamp: its gradient stays 0")}

    def step(self, index: int) -> dict:
        step = self.scatter.step(index)
        step.update(title=_as_gradients(step["title"]), equation=_as_gradients(step["equation"]),
                    spoken=_as_gradients(step["spoken"]), value_label="grad_output cell")
        return step

    def table(self, form: str) -> str:
        names = {"c": "o", "o": "c", "input": "grad_output"}  # the transposed call's names
        rows = [{names.get(key, key): value for key, value in row.items()}
                for row in self.scatter.rows()]
        return table_text(rows, form)
