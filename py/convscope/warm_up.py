"""What the code-cache worker runs after a first visit (web/js/code-cache.js): the
engine's everyday work, so that V8 optimises the code a revisit runs first and the
browser keeps that machine code in its cache for the next visit.
"""

from __future__ import annotations

from .web import DATA_ARGUMENTS, KINDS, Session


def kind_defaults(kind) -> dict:
    """A page state for ``kind``: its own defaults and the data defaults."""
    arguments = (*kind.arguments, *DATA_ARGUMENTS)
    return {"layer": kind.name, **{argument.name: argument.default for argument in arguments}}


def exercise(session: Session, config: dict) -> bool:
    """One view as the page uses it: compute, steps, hover, script, exports.
    False when the setup is refused (the page shows the refusal)."""
    view = session.compute(config)
    if "error" in view:
        return False
    session.step(0)
    session.step(-1)
    session.touching(0, 1, 1)
    session.script()
    session.table("csv")
    session.table("json")
    return True


def warm_up() -> int:
    """Every kind's default view, forward and backward; returns the views computed."""
    return sum(exercise(Session(), {**kind_defaults(kind), "direction": direction})
               for kind in KINDS.values() for direction in ("forward", "backward"))
