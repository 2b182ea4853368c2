"""The contract between the engine and both renderers (the page's canvas and the notebook
widget): every field of a view (``Run.view()``) and of a step (``Run.step(i)``), its
types and what it means. Every kind's runs answer in these fields and no others
(tests/test_payload.py computes every kind's views and steps and checks them here).

Types: ``int``, ``float``, ``str``, ``bool``, ``null`` (absent in this view), ``array``
(:func:`convscope.kinds.base.pack`: ``{shape, data}``, float64 bytes), ``cells``
(:func:`convscope.kinds.base.cells`: ``{channels, rows, cols}``), ``ints``/``floats``/
``strs``/``bools`` (lists of them) and ``filter`` (a step's filter panel, below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Field:
    """One field of a payload: its name, the types its value may have, what it means."""

    name: str
    types: tuple[str, ...]
    doc: str
    required: bool = False  #: in every payload of its kind (view or step)


def _fields(*fields: Field) -> dict[str, Field]:
    return {field.name: field for field in fields}


#: What the page draws for a whole run.
VIEW = _fields(
    # the shapes panel and the torch line
    Field("layer", ("str",), "the kind's functional name, as a link's layer=", True),
    Field("torch_line", ("str",), "the nn.Xxx(...) line a user would write", True),
    Field("repr", ("str",), "repr(layer), as torch prints it", True),
    Field("input_shape", ("ints",), "the input's shape (N, C, H, W)", True),
    Field("output_shape", ("ints",), "the output's shape (N, C, H, W)", True),
    Field("weight_shape", ("ints", "null"), "the weight's shape; null for pools", True),
    Field("bias_shape", ("ints", "null"), "the bias's shape; null without a bias", True),
    Field("parameter_count", ("int",), "the layer's learnable values", True),
    Field("mac_count", ("int",), "multiply-accumulates (or comparisons) of the call", True),
    Field("cost_label", ("str",), "what mac_count counts when not multiply-accumulates"),
    Field("formula_h", ("str",), "the output-height formula with the numbers in", True),
    Field("formula_w", ("str",), "the output-width formula with the numbers in", True),
    # the grids
    Field("steps", ("int",), "how many steps the run has", True),
    Field("input", ("array",), "the grid drawn on the left (the input, or grad_output)", True),
    Field("input_name", ("str",), "its name where it is not 'input'"),
    Field("input_label", ("str",), "a label drawn under the input grid"),
    Field("padded", ("array",), "the input as the windows read it (padding included)", True),
    Field("sides", ("ints",), "the padding drawn: top, bottom, left, right", True),
    Field("row_sources", ("ints",), "the input row each padded row copies (-1: a zero)", True),
    Field("col_sources", ("ints",), "the input column each padded column copies", True),
    Field("real_rows", ("ints",), "padded rows that are real cells (a gather view's zeros are not)"),
    Field("real_cols", ("ints",), "padded columns that are real cells"),
    Field("weight", ("array", "null"), "the weight drawn as filters; null for pools"),
    Field("filter_shape", ("ints",), "the shape of one step's filter"),
    Field("groups", ("int",), "the convolution's groups"),
    Field("bias", ("array", "null"), "the bias; null without one"),
    Field("output", ("array",), "the grid drawn on the right (the output, or a .grad)", True),
    Field("output_name", ("str",), "its name where it is not 'output'"),
    Field("output_names", ("strs",), "one name per output grid where they differ"),
    Field("output_steps", ("bool",), "false when output cells are sums of many steps "
                                     "(they show only their final values)"),
    # the backward pass
    Field("direction", ("str",), "'backward' in a backward view"),
    Field("gradient", ("str",), "which .grad the backward view steps through"),
    Field("upstream_text", ("str",), "where grad_output comes from, in words"),
    Field("onehot_pick", ("bool",), "a grad_output cell can be picked as the one-hot cell"),
    Field("transpose_link", ("str", "null"), "a link to the transposed-convolution view of "
                                             "the same geometry"),
    Field("note", ("str",), "a sentence under the grids"),
)

#: One step: the cells it reads and writes, its values and its arithmetic.
STEP = _fields(
    Field("index", ("int",), "the step's number, from 0", True),
    Field("position", ("ints",), "the step's coordinates in the run's raster", True),
    Field("title", ("str",), "the step's heading, e.g. output[0, 0, 1, 2]", True),
    Field("reads", ("cells",), "the cells of the left grid the step reads", True),
    Field("writes", ("cells",), "the cells of the right grid the step writes", True),
    Field("senders", ("cells",), "the cells that send a backward step its gradient"),
    Field("filter", ("filter", "null"), "the filter panel: values, labels, sources, a note"),
    Field("group", ("int",), "the group of a grouped convolution the step is in"),
    Field("in_padding", ("bools",), "per window tap: does it read padding"),
    Field("inputs", ("array",), "the values the window reads"),
    Field("weights", ("array",), "the weights they meet"),
    Field("products", ("array", "floats"), "their products"),
    Field("channel_sums", ("array",), "the sum per input channel"),
    Field("state", ("array",), "the right grid after this step (running sums)"),
    Field("bias", ("float", "null"), "the bias added; null without one"),
    Field("value", ("float",), "the value written", True),
    Field("value_text", ("str",), "the value as the page prints it", True),
    Field("value_label", ("str",), "what the value is where it is not an output cell"),
    Field("equation", ("str",), "the step's arithmetic, line by line", True),
    Field("spoken", ("str",), "the step in one sentence, for a screen reader", True),
)


def type_of(value) -> str:
    """The contract's name for the type of ``value``."""
    if value is None:
        return "null"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int"
    if isinstance(value, (float, np.floating)):
        return "float"
    if isinstance(value, str):
        return "str"
    if isinstance(value, dict):
        if set(value) == {"shape", "data"} and isinstance(value["data"], bytes):
            return "array"
        if set(value) == {"channels", "rows", "cols"}:
            return "cells"
        if "values" in value and "labels" in value:
            return "filter"
        return "dict"
    if isinstance(value, (list, tuple)):
        inner = {type_of(item) for item in value}
        if inner <= {"int"}:
            return "ints"
        if inner <= {"int", "float"}:
            return "floats"
        if inner <= {"str"}:
            return "strs"
        if inner <= {"bool"}:
            return "bools"
    return type(value).__name__


def problems(payload: dict, fields: dict[str, Field]) -> list[str]:
    """What in ``payload`` breaks the contract ``fields``: undeclared fields, missing
    required ones, values of another type. Empty when it keeps it."""
    found = [f"{name}: not declared" for name in payload if name not in fields]
    found += [f"{name}: missing" for name, field in fields.items()
              if field.required and name not in payload]
    for name, value in payload.items():
        if name in fields:
            kind = type_of(value)
            # an empty list is every list type
            if kind not in fields[name].types and not (
                    kind == "ints" and not value and
                    {"floats", "strs", "bools"} & set(fields[name].types)):
                found.append(f"{name}: {kind}, declared {'|'.join(fields[name].types)}")
    return found
