"""A layer kind: all the page, the URL, practice and export need to know about one torch layer.

A kind says what torch's constructor takes (its :class:`Argument` list, which the page
turns into controls and the URL into keys), how a page state becomes the layer, the
``nn.Xxx(...)`` line, and how one input becomes a :class:`Run`: the traced computation
the visualizer draws as *cells read* and *cells written*. Nothing outside this package
asks which kind it has; a new kind is one module here, registered in ``__init__``.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass

import numpy as np

from ..limits import MAX_COLUMNS, MAX_MACS
from ..ops.arguments import ArgumentError

#: The view keys of the shapes panel and the torch line.
SHAPE_KEYS = ("layer", "torch_line", "repr", "input_shape", "output_shape", "weight_shape",
              "bias_shape", "parameter_count", "mac_count", "formula_h", "formula_w")

@dataclass(frozen=True)
class Argument:
    """One setting, named as torch names it; ``form`` says how the URL writes it.

    Forms: ``int``, ``pair`` (3 or 3x5), ``padding`` (a pair, 'same' or 'valid'),
    ``bool``, ``choice`` (one of ``choices``), ``optional_pair``/``optional_int``
    (empty for None), ``edits`` (typed-in cells).
    """

    name: str
    form: str
    default: object
    choices: tuple = ()
    positional: bool = False  #: written without ``name=`` in the constructor call
    data: bool = False        #: describes the data, not the layer (kept out of ``nn.Xxx(...)``)
    quiet: bool = False       #: written in a link only when it differs from its default
    when: tuple = ()          #: ((setting, value), ...) all true for its control to show

    def as_dict(self) -> dict:
        def plain(value):
            return [plain(item) for item in value] if isinstance(value, (tuple, list)) else value
        return {key: plain(value) for key, value in asdict(self).items()}


def step_position(index, shape) -> tuple[int, ...]:
    """Step ``index`` (negative counts from the end) as its coordinates in ``shape``, the
    steps' raster; a clear error for a non-int or an index out of range."""
    count = math.prod(shape)
    if not isinstance(index, (int, np.integer)) or isinstance(index, bool):
        raise TypeError(f"step index must be an int, got {type(index).__name__}")
    if not -count <= index < count:
        raise ValueError(f"step {index} is out of range: this run has {count} steps "
                         f"(0 to {count - 1})")
    return tuple(int(i) for i in np.unravel_index(int(index) % count, shape))


def pack(array) -> dict:
    """An array for the page: its shape and its values as float64 bytes (exact for float32)."""
    array = np.asarray(array)
    return {"shape": list(array.shape), "data": np.ascontiguousarray(array, np.float64).tobytes()}


def cells(channels, rows, cols) -> dict:
    """Cells of a drawn grid, separable: every row of ``rows`` by every column of ``cols``
    on every channel of ``channels`` (what a step reads or writes)."""
    return {"channels": [int(c) for c in channels], "rows": [int(r) for r in rows],
            "cols": [int(c) for c in cols]}


def torch_script(torch_line: str, note: str, x, output, weight=None, bias=None,
                 call: str = "layer(x)") -> str:
    """A runnable PyTorch script: build the layer, set the exact input (and weights and
    bias) the page shows, run it and check torch's output against convscope's."""
    from ..text import tensor

    lines = ["import torch", "from torch import nn", "", f"layer = {torch_line}", f"# {note}",
             f"x = {tensor(x)}", "with torch.no_grad():"]
    if weight is not None:
        lines.append(f"    layer.weight.copy_({tensor(weight)})")
    if bias is not None:
        lines.append(f"    layer.bias.copy_({tensor(bias)})")
    lines += [
        f"    out = {call}",
        "",
        "# the values convscope shows",
        f"expected = {tensor(output)}",
        "torch.testing.assert_close(out, expected, rtol=1e-5, atol=1e-5)",
        "print('PyTorch agrees with convscope:', tuple(out.shape))",
    ]
    return "\n".join(lines) + "\n"


def table_text(rows: list[dict], form: str) -> str:
    """A step table (one dict per step, the same keys in each) as JSON or CSV text; in
    CSV a list is its values joined by spaces, floats with nine significant digits
    (enough to read every float32 back exactly)."""
    columns = list(rows[0]) if rows else []
    if form == "json":
        return json.dumps({"columns": columns, "rows": rows})
    def text(value):
        if isinstance(value, list):
            return " ".join(text(item) for item in value)
        return format(value, ".9g") if isinstance(value, float) else str(value)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([text(value) for value in row.values()] for row in rows)
    return out.getvalue()


class Run:
    """One computed view: the traced run of a layer on an input.

    ``view()`` is what the page draws for the whole run; ``step(i)`` one step as the
    cells it reads and writes, its values and its arithmetic as text.
    """

    steps: int

    def view(self) -> dict:
        raise NotImplementedError

    def step(self, index: int) -> dict:
        raise NotImplementedError

    def touching(self, channel: int, row: int, col: int) -> dict:
        """Output cells that input pixel ``(channel, row, col)`` feeds (``cells`` form)."""
        raise NotImplementedError

    def snippet(self) -> str:
        """A runnable PyTorch script that rebuilds this view and checks its output."""
        raise NotImplementedError

    def table(self, form: str) -> str:
        """The step table as CSV or JSON text."""
        raise NotImplementedError


class LayerKind:
    """The interface every kind implements (see the module docstring)."""

    name: str            #: torch's functional name: the URL's ``layer=`` value
    title: str           #: torch's class name, ``nn.<title>``
    arguments: tuple     #: the constructor's arguments (and the kind's data settings)
    weight_presets: tuple = ()  #: empty: the layer has no weights to show or edit
    summary: str = ""    #: one line for the page's layer selector
    layer_class: type = None  #: the convscope layer it steps through (model mode finds it so)

    def defaults(self) -> dict:
        return {argument.name: argument.default for argument in self.arguments}

    def layer(self, config: dict, rng=None):
        """The convscope layer a page state (torch's argument names) describes."""
        raise NotImplementedError

    def in_channels(self, config: dict) -> int:
        return config["in_channels"]

    def torch_line(self, config: dict) -> str:
        raise NotImplementedError

    def run(self, config: dict, layer, x: np.ndarray) -> Run:
        raise NotImplementedError

    def set_weights(self, layer, preset: str, seed: int) -> None:
        """Fill the layer's weights from a preset (kinds with weights override this)."""

    def check_work(self, layer, input_shape) -> None:
        """Refuse a layer whose arithmetic would freeze the tab, however its sizes add up."""
        macs = layer.mac_count(input_shape)
        if macs > MAX_MACS:
            raise ArgumentError("input_size", f"this layer needs {macs:,} multiply-accumulates; "
                                              f"the page computes up to {MAX_MACS:,} to stay "
                                              "responsive: use a smaller input, kernel or "
                                              "channels")
        columns = self.unfolded(layer, input_shape)
        if columns > MAX_COLUMNS:
            raise ArgumentError("input_size", f"this layer would unfold {columns:,} input "
                                              f"values at once; the page allows "
                                              f"{MAX_COLUMNS:,}: use a smaller input, kernel "
                                              "or channels")

    def unfolded(self, layer, input_shape) -> int:
        """Input values the forward pass unfolds into windows at once."""
        output_shape = layer.output_shape(input_shape)
        return (input_shape[0] * input_shape[1] * math.prod(layer.kernel_size)
                * math.prod(output_shape[2:]))

    # --- model mode and practice ask these ---------------------------------------------

    def window(self, layer, input_shape):
        """The window every output cell of ``layer`` reads, for model mode's receptive
        fields: ``(kernel, stride, padding before the first cell, dilation)``, each an
        (h, w) pair; None when the cells share no one window."""
        return None

    def crop_weights(self, shown, layer, keep_in: int, keep_out: int, groups: int) -> None:
        """Give ``shown`` (the visualizer's copy of a model's ``layer``, cut to the page's
        caps: ``keep_in``/``keep_out`` channels in ``groups`` groups) that layer's weights
        for the channels it keeps. Kinds without weights have nothing to give."""

    def practice_setup(self, rng, level: str):
        """A typical ``(page state, input shape)`` for a practice question on this kind's
        output shape, or None where the kind's own practice topics ask about it."""
        return None

    def manifest(self) -> dict:
        """What the page needs before Python runs: the signature, as plain data."""
        return {"name": self.name, "title": self.title, "summary": self.summary,
                "arguments": [argument.as_dict() for argument in self.arguments],
                "weight_presets": list(self.weight_presets)}
