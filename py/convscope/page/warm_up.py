"""What the code-cache worker runs after a first visit (web/js/code-cache.js): the
engine's everyday work, so that V8 optimises the code a revisit runs first and the
browser keeps that machine code in its cache for the next visit.
"""

from __future__ import annotations

from ..kinds import KINDS
from .session import Session
from .settings import DATA_ARGUMENTS


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


# V8 hands the browser code to keep only after it has optimised about 1 MB of it
# (--wasm-caching-threshold). Once the standard library came as bytecode, one round of
# the views optimised too little: a first visit over the benchmark's link left a cache
# in 2 of 6 tries. With three rounds it did in 12 of 12, and a revisit's imports took
# ≈0.15 s instead of ≈0.35 s. Each round takes well under a second.
ROUNDS = 3


def warm_up(rounds: int = ROUNDS) -> int:
    """Every kind's default view, forward and backward, ``rounds`` times; returns the
    views computed."""
    return sum(exercise(Session(), {**kind_defaults(kind), "direction": direction})
               for _ in range(rounds)
               for kind in KINDS.values() for direction in ("forward", "backward"))
