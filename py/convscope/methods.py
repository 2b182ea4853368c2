"""The engine's methods: one table that the page's worker (web/js/engine-worker.js), the
notebook's kernel (:mod:`convscope.notebook.session`), the CLI's figures and the build's
prebuilt frames (tools/prebake.mjs) all answer through.

A call is a method name and its params (a dict, as JSON carries it) on one view's
:class:`~convscope.page.session.Session`; the answer is a dict: the result, or
``{"error": {field, message}}``. Practice and model mode load on first use, so the
visualizer's start-up never imports them.
"""

from __future__ import annotations

import sys
import traceback

from .page.session import Session, error_answer


def compute(session: Session, params: dict) -> dict:
    """Everything the page shows for a setup (``params`` is the page state)."""
    return session.compute(params)


def step(session: Session, params: dict) -> dict:
    return session.step(params["index"])


def touching(session: Session, params: dict) -> dict:
    return session.touching(params["channel"], params["row"], params["col"])


def table(session: Session, params: dict) -> dict:
    return session.table(params["format"])


def snippet(session: Session, params: dict) -> dict:
    return session.script()


def set_picture(session: Session, params: dict) -> dict:
    return session.set_picture(params["rgba"], params["width"], params["height"])


def practice(session: Session, params: dict) -> dict:
    """Practice question ``index`` of set ``seed``; with ``answer``, also its marking.

    With ``test``, question ``index`` of the ten-question test ``seed`` (its levels
    are the test's own, ``level`` is not used).
    """
    from .practice import check, question
    from .practice.exam import exam_question

    test = params.get("test", False)
    seed, index = params["seed"], params["index"]
    try:
        asked = exam_question(seed, index) if test else question(seed, index,
                                                                 params.get("level", "medium"))
    except ValueError as error:
        return {"error": {"field": "question" if test else "level", "message": str(error)}}
    result = asked.as_dict()
    for secret in ("answer", "explanation", "mistakes", "variants"):
        del result[secret]  # revealed only with a marking
    if params.get("answer") is not None:
        result["marking"] = check(asked, params["answer"])
    return result


def practice_result(session: Session, params: dict) -> dict:
    """The score card of test ``seed`` for these answers (see :mod:`convscope.practice.exam`)."""
    from .practice.exam import score_card

    return score_card(params["seed"], list(params["answers"]), list(params["hinted"]))


def model(session: Session, params: dict) -> dict:
    """Model mode's requests (:mod:`convscope.model.page`); the view keeps its model."""
    from .model.page import ModelPage

    page = session.held.get("model")
    if page is None:
        page = session.held["model"] = ModelPage()
    return page.answer(dict(params), session)


#: Every method, by the name a call gives.
METHODS = {handler.__name__: handler for handler in (
    compute, step, touching, table, snippet, set_picture, practice, practice_result, model)}
#: What a notebook widget's view asks (its layer and input come from Python, not presets).
VIEW_METHODS = ("compute", "step", "touching", "table", "snippet")


def answer(session: Session, method: str, params: dict | None = None,
           allowed=tuple(METHODS)) -> dict:
    """Call ``method`` on ``session``: its result, or ``{"error": ...}``. The methods answer
    the user's errors themselves; an exception that reaches here is a bug or a bad call:
    it is answered with its type, its traceback goes to stderr (the browser's console),
    and the engine keeps going."""
    if method not in allowed:
        return error_answer(ValueError(f"{method!r} is no engine method here; "
                                       f"the methods are {', '.join(allowed)}"))
    try:
        return METHODS[method](session, dict(params or {}))
    except (ValueError, TypeError) as error:
        return error_answer(error)
    except Exception as error:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        return {"error": {"field": "", "message": f"{type(error).__name__}: {error}"}}
