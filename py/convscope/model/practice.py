"""Practice on the model in the editor: the shape after layer k, the receptive field
after layer k, a layer's parameter count.

Questions are drawn from a seed over the model's summary rows, so every answer is the
engine's own (``Sequential.summary``); answers are read as the practice mode reads
them (``convscope.practice.parse_answer``).
"""

from __future__ import annotations

import random

from ..practice.questions import parse_answer
from ..text import shape_text
from .sequential import Row

TOPICS = ("shape_after", "receptive_field", "parameter_count")


def _layer(row: Row) -> str:
    return f"layer {row.index} ({row.path}: {row.name})"


def _shape_question(rows, input_shape, rng) -> dict:
    row = rng.choice(rows)
    steps = [f"input: {shape_text(input_shape)}"] + [
        f"{r.index} {r.name} -> {shape_text(r.output_shape)}" for r in rows[:row.index + 1]]
    return {"topic": "shape_after", "form": "shape", "answer": shape_text(row.output_shape),
            "prompt": f"The input has shape {shape_text(input_shape)}. What is the output "
                      f"shape of {_layer(row)}?",
            "hint": "Go layer by layer: a convolution or pool changes H and W by the size "
                    "formula, Flatten multiplies the dimensions it joins, Linear replaces "
                    "the last one.",
            "explanation": "\n".join(steps)}


def _field_question(rows, rng) -> dict | None:
    windowed = [row for row in rows if row.receptive_field is not None]
    if not windowed:
        return None
    row = rng.choice(windowed)
    steps = ["r = 1, j = 1 on the input"]
    for r in rows[:row.index + 1]:
        steps.append(f"{r.index} {r.name}: r = {_pair(r.receptive_field)}, "
                     f"j = {_pair(r.jump)}")
    height, width = row.receptive_field
    answer = f"{height}x{width}"
    return {"topic": "receptive_field", "form": "shape", "answer": answer,
            "prompt": f"How many input pixels (height × width) does one output cell of "
                      f"{_layer(row)} see: its receptive field?",
            "hint": "Each window layer adds (dilation·(kernel − 1)) × jump, where the jump is "
                    "the product of the strides before it; elementwise layers add nothing.",
            "explanation": "\n".join(steps)}


def _pair(value) -> str:
    return str(value[0]) if value[0] == value[1] else f"{value[0]}x{value[1]}"


def _parameter_question(rows, model, rng) -> dict:
    weighted = [row for row in rows if row.parameters]
    if not weighted:
        return {"topic": "parameter_count", "form": "int", "answer": "0",
                "prompt": "How many trainable parameters does this model have?",
                "hint": "Only layers with weights count.",
                "explanation": "no layer has weights or biases: 0"}
    row = rng.choice(weighted)
    layer = dict(model.layers())[row.path]
    parts = [f"{name} {shape_text(getattr(layer, name).shape)} = {getattr(layer, name).size}"
             for name in ("weight", "bias") if getattr(layer, name, None) is not None]
    return {"topic": "parameter_count", "form": "int", "answer": str(row.parameters),
            "prompt": f"How many trainable parameters does {_layer(row)} have?",
            "hint": "The weight's shape multiplied out, plus one bias per output "
                    "(BatchNorm2d: a weight and a bias per channel).",
            "explanation": " + ".join(parts) + f" = {row.parameters}"}


def model_question(model, rows: list[Row], input_shape, seed: int, index: int) -> dict:
    """Question ``index`` of set ``seed`` on this model: the topics take turns."""
    rng = random.Random(f"convscope-model-practice:{seed}:{index}")
    topic = TOPICS[index % len(TOPICS)]
    asked = None
    if topic == "receptive_field":
        asked = _field_question(rows, rng)
    elif topic == "parameter_count":
        asked = _parameter_question(rows, model, rng)
    return asked or _shape_question(rows, input_shape, rng)


def mark(asked: dict, text: str) -> dict:
    """Whether ``text`` is the answer; a receptive field may be one number when square."""
    given = parse_answer(text, asked["form"])
    expected = parse_answer(asked["answer"], asked["form"])
    if asked["topic"] == "receptive_field" and given is not None and len(given) == 1:
        given = given * 2
    return {"correct": given is not None and given == expected, "understood": given is not None,
            "expected": asked["answer"], "explanation": asked["explanation"]}
