"""Practice: questions on a layer's arithmetic, generated from a seed and marked by the
engine (:mod:`.questions`), the ten-question test and its score card (:mod:`.exam`)."""

from .questions import (CONV2D_KINDS, KINDS, LAYER_KINDS, LEVELS, Question, check, generate,
                        parse_answer, question, shape_text)

__all__ = ["KINDS", "CONV2D_KINDS", "LAYER_KINDS", "LEVELS", "Question", "check", "generate",
           "parse_answer", "question", "shape_text"]
