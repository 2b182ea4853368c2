"""The ten-question practice test: easy to hard across the topics, then a score card.

As the tutorial puts it, "10 questions across easy, medium, and hard to know if this
pattern is strong". The seed fixes the whole test, so a teacher can hand one out; the
score card is computed here, from the learner's answers as typed, so the page only
shows it.
"""

from __future__ import annotations

import random

from .common import Question
from .questions import CONV2D_TOPICS, all_topics, check, generate, layer_topics, parse_answer

LENGTH = 10
#: Levels of the ten questions, in order: easy to hard.
LEVEL_PLAN = ("easy",) * 3 + ("medium",) * 4 + ("hard",) * 3
STRONG_FROM, NEARLY_FROM = 8, 5


def plan(seed: int) -> list[tuple[str, str]]:
    """``(topic, level)`` of each question: every Conv2d topic once, in a seeded order, then
    one topic on another layer (ConvTranspose2d or a pool), seeded.

    The nine Conv2d topics are shuffled as they were before the other layers came, so a
    test keeps its first nine questions; the tenth used to repeat one of them.
    """
    rng = random.Random(f"convscope-test-plan:{seed}")
    topics = list(CONV2D_TOPICS)
    rng.shuffle(topics)
    topics.append(rng.choice(layer_topics()))  # the tenth: another layer, at the hard level
    return list(zip(topics, LEVEL_PLAN))


def exam_question(seed: int, number: int) -> Question:
    """Question ``number`` (0 to 9) of test ``seed``."""
    if not 0 <= number < LENGTH:
        raise ValueError(f"a test has questions 0 to {LENGTH - 1}, got {number}")
    topic, level = plan(seed)[number]
    return generate(topic, level, f"convscope-test:{seed}:{number}")


def verdict(right: int) -> str:
    if right >= STRONG_FROM:
        return "Strong: this pattern is strong."
    if right >= NEARLY_FROM:
        return "Nearly: go through the solutions you missed, then take another test."
    return "Not strong yet: practise the topics you missed at the easy level, then test again."


def _tally(rows, key, order) -> list[dict]:
    return [{key: value, "right": sum(r["correct"] for r in rows if r[key] == value),
             "total": sum(r[key] == value for r in rows)}
            for value in order if any(r[key] == value for r in rows)]


def _label(topic: str) -> str:
    return topic.replace("_", " ")


def score_card(seed: int, answers: list, hinted: list) -> dict:
    """Mark a whole test: per question, per topic, per level, the misses, and as text.

    ``answers`` holds what the learner wrote for each question (None or "" if nothing),
    ``hinted`` whether they asked for its hint (free, but shown).
    """
    answers = (list(answers) + [None] * LENGTH)[:LENGTH]
    hinted = (list(hinted) + [False] * LENGTH)[:LENGTH]
    rows = []
    for number, (given, hint_used) in enumerate(zip(answers, hinted)):
        asked = exam_question(seed, number)
        marking = check(asked, given or "")
        rows.append(dict(marking, number=number + 1, topic=asked.topic, level=asked.level,
                         prompt=asked.prompt, choices=asked.choices, layer=asked.layer,
                         given=given or "", given_text=_given_text(asked, given),
                         answered=parse_answer(given or "", asked.answer_form) is not None,
                         hinted=bool(hint_used)))
    right = sum(r["correct"] for r in rows)
    card = {"seed": seed, "right": right, "total": LENGTH, "strong": right >= STRONG_FROM,
            "verdict": verdict(right), "questions": rows,
            "by_level": _tally(rows, "level", ("easy", "medium", "hard")),
            "by_topic": _tally(rows, "topic", all_topics()),
            "missed": [r["number"] for r in rows if not r["correct"]],
            "hints": [r["number"] for r in rows if r["hinted"]]}
    card["text"] = card_text(card)
    return card


def _given_text(asked: Question, given) -> str:
    value = parse_answer(given or "", asked.answer_form)
    if value is None:
        return "no answer"
    if asked.answer_form == "choice":
        return f"{value}) {asked.choices['abcd'.index(value)]}"
    return given.strip()


def card_text(card: dict) -> str:
    """The score card as plain text, to paste into a message or a course forum."""
    lines = [f"convscope practice test, set {card['seed']} (#mode=practice&test=1&seed="
             f"{card['seed']}): {card['right']} / {card['total']}",
             card["verdict"],
             "by level: " + " · ".join(f"{t['level']} {t['right']}/{t['total']}"
                                       for t in card["by_level"]),
             "by topic: " + " · ".join(f"{_label(t['topic'])} {t['right']}/{t['total']}"
                                      for t in card["by_topic"])]
    for row in card["questions"]:
        mark = "right" if row["correct"] else f"missed: {row['given_text']}; answer " \
                                              f"{row['expected_text']}"
        if row["mistake"]:
            mark += f" ({row['mistake']})"
        hint = ", hint used" if row["hinted"] else ""
        lines.append(f"{row['number']}. {row['level']}, {_label(row['topic'])}{hint}: {mark}")
    return "\n".join(lines)
