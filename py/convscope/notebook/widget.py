"""The notebook widget (anywidget): the site's view and renderer, the engine in the kernel.

The browser side is web/js/notebook-widget.js, bundled with the site's modules by
build.py into ``convscope-widget.js`` beside this module. It asks this kernel for every number through
custom messages, exactly the calls the page sends its Pyodide worker (see ``session``).
Synced traits: ``step`` both ways; ``_state`` (the page state), ``_options`` (view
options) and ``_revision`` (bumped when the layer or input changes) from Python.
"""

from __future__ import annotations

import pathlib

import anywidget
import traitlets

from ..kinds.base import step_position
from .session import Dispatcher
from .shown import INPUT_SETTINGS, resolve

#: what a widget shows by default: the controls' form is left out (the layer and input
#: are Python's; change them from the notebook), the rest as on the page
DEFAULT_PANELS = ("code", "shapes", "stage", "arithmetic")


class ConvScopeWidget(anywidget.AnyWidget):
    """A convscope view in a notebook. ``w.step``, ``w.layer`` and ``w.x`` can be read and
    replaced; the view follows, and stepping in the view updates ``w.step``."""

    _esm = pathlib.Path(__file__).with_name("convscope-widget.js")
    step = traitlets.Int(0).tag(sync=True)
    _state = traitlets.Dict().tag(sync=True)
    _options = traitlets.Dict().tag(sync=True)
    _revision = traitlets.Int(0).tag(sync=True)

    def __init__(self, obj, x=None, *, step: int = 0, panels=DEFAULT_PANELS,
                 theme: str = "auto", autoplay: bool = False, **settings):
        if theme not in ("auto", "light", "dark"):
            raise ValueError(f"theme must be 'auto', 'light' or 'dark', got {theme!r}")
        shown = resolve(obj, x, settings)
        self._settings = settings
        self._shown = shown
        self._x_given = x is not None
        self._dispatcher = Dispatcher(self)
        super().__init__(_state=shown.state,
                         _options={"panels": list(panels), "theme": theme,
                                   "autoplay": bool(autoplay), "locked": True})
        self.step = step
        self.on_msg(self._answer)

    @traitlets.validate("step")
    def _valid_step(self, proposal):
        shown = getattr(self, "_shown", None)
        if shown is None:
            return proposal["value"]
        (index,) = step_position(proposal["value"], (shown.steps,))  # -1: the last step
        return index

    # the numbers the view shows: a convscope layer and an (N, C, H, W) array
    @property
    def layer(self):
        return self._shown.layer

    @layer.setter
    def layer(self, obj):
        self._show(obj, self._shown.x if self._x_given else None)

    @property
    def x(self):
        return self._shown.x

    @x.setter
    def x(self, value):
        self._show(self._shown.layer, value)
        self._x_given = value is not None

    @property
    def steps(self) -> int:
        """How many steps the run has (``w.step`` goes from 0 to ``steps - 1``)."""
        return self._shown.steps

    def _show(self, obj, x):
        """Show another layer or input: checked here (errors raise in the cell), then
        the view recomputes from the same settings, back at step 0."""
        shown = resolve(obj, x, self._settings_with(x))
        self._shown = shown
        with self.hold_sync():
            self._state = shown.state
            self.step = 0
            self._revision += 1

    def _settings_with(self, x) -> dict:
        """The page settings given to ``show`` that still apply: with an array ``x``, not
        those of the input (its shape decides them)."""
        return {key: value for key, value in self._settings.items()
                if x is None or key not in (*INPUT_SETTINGS, "in_channels")}

    def _answer(self, _widget, content, _buffers):
        if not isinstance(content, dict) or content.get("type") != "convscope:call":
            return
        answer, buffers = self._dispatcher.answer(content)
        self.send({"type": "convscope:answer", **answer}, buffers)

    def link(self, base: str = "") -> str:
        """A visualizer link for this view (see :func:`convscope.link`)."""
        from .links import link

        x = self.x if self._x_given else None
        return link(self.layer, x, base, **self._settings_with(x))
