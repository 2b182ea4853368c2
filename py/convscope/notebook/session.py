"""The kernel's side of the widget: the page's engine calls, answered by convscope in CPython.

The widget's JavaScript talks to this module exactly as the site's page talks to its
Pyodide worker (web/js/engine-worker.js): ``{id, session, method, params}`` in, the
same answers out. :class:`KernelSession` is a :class:`convscope.page.session.Session` whose layer
and input are the user's own (weights and array given in Python) rather than the page's
presets.
"""

from __future__ import annotations

import numpy as np

from ..kinds import kind_of
from ..limits import MAX_SESSIONS
from ..methods import VIEW_METHODS, answer
from ..page.session import Session, check_limits, page_input, page_input_shape


class KernelSession(Session):
    """A page session whose layer and input come from ``source`` (the widget).

    ``source.layer`` is a convscope layer with its weights; ``source.x`` an array or
    None (then the state's input preset and size, as on the page).
    """

    def __init__(self, source):
        super().__init__()
        self.source = source

    def _compute(self, config: dict) -> dict:
        return self.show(*prepare_run(config, self.source.layer, self.source.x))


def prepare_run(config: dict, layer, x):
    """The run the view draws for ``config`` with this ``layer`` and input ``x`` (None: the
    state's input preset): the page's caps and torch's dtype rule apply. Returns
    ``(run, config)``."""
    kind = kind_of(config)
    check_limits(config)
    if x is None:  # the page's own input, as Session.compute makes it
        x = page_input(config, page_input_shape(config, kind))
    dtype = getattr(layer, "dtype", None)
    if dtype is not None and x.dtype != dtype:
        raise TypeError(f"Input type ({x.dtype}) and weight type ({dtype}) should be the same; "
                        f"use x.astype(np.{dtype}) or weights of dtype {x.dtype}")
    kind.check_work(layer, x.shape)
    return kind.run(config, layer, x), dict(config)


def pack_buffers(value, buffers: list):
    """``value`` with every ``bytes`` (the engine's float64 arrays) moved into ``buffers``
    and replaced by ``{"$buffer": index}``: custom messages carry them as binary. A
    float JSON cannot hold (NaN, ±inf: a max pool's NaN wins) becomes ``{"$float": text}``."""
    if isinstance(value, bytes):
        buffers.append(value)
        return {"$buffer": len(buffers) - 1}
    if isinstance(value, (float, np.floating)) and not np.isfinite(value):
        return {"$float": "NaN" if np.isnan(value) else "Infinity" if value > 0 else "-Infinity"}
    if isinstance(value, dict):
        return {key: pack_buffers(item, buffers) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [pack_buffers(item, buffers) for item in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


class Dispatcher:
    """Answers a widget's engine calls, one :class:`KernelSession` per view session."""

    def __init__(self, source):
        self.source = source
        self.sessions: dict[str, KernelSession] = {}

    def session(self, key: str) -> KernelSession:
        if key not in self.sessions:
            if len(self.sessions) >= MAX_SESSIONS:  # views closed long ago: drop the oldest
                del self.sessions[next(iter(self.sessions))]
            self.sessions[key] = KernelSession(self.source)
        return self.sessions[key]

    def answer(self, message: dict) -> tuple[dict, list]:
        """``{id, session, method, params}`` -> (``{id, result}`` or ``{id, error}``,
        buffers)."""
        session = self.session(str(message.get("session")))
        result = answer(session, message.get("method"), message.get("params"),
                        allowed=VIEW_METHODS)
        buffers: list = []
        if isinstance(result, dict) and "error" in result:
            return {"id": message.get("id"), "error": result["error"]}, buffers
        return {"id": message.get("id"), "result": pack_buffers(result, buffers)}, buffers
