"""Practice: questions on a layer's arithmetic, generated from a seed and marked by the
engine (:mod:`.questions`), the ten-question test and its score card (:mod:`.exam`)."""

from .questions import (CONV2D_TOPICS, LAYER_TOPICS, LEVELS, TOPICS, Question, all_topics, check,
                        generate, parse_answer, question, shape_text)

__all__ = ["TOPICS", "CONV2D_TOPICS", "LAYER_TOPICS", "LEVELS", "Question", "all_topics", "check",
           "generate", "parse_answer", "question", "shape_text"]
