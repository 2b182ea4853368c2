"""What the page's model mode asks the engine (through :func:`convscope.methods.model`).

* ``examples``: the shipped models;
* ``summary``: parse the code, one row per layer (the CLI's rows), the totals, and a
  feature map per layer from a forward pass (the test card picture through the model,
  seeded weights) when the work fits the page's caps;
* ``layer_state``/``layer``: the step visualizer on one layer with the activations
  that really reach it, cropped to the visualizer's caps (the notices say how).

The page draws what comes back and derives nothing; the last parsed model and its
activations stay here for the step visualizer.
"""

from __future__ import annotations

import math

import numpy as np

from ..kinds import KINDS, kind_for_layer
from ..kinds.base import pack
from ..limits import MAP_SIDE, MAX_ACTIVATIONS, MAX_MACS, PAGE
from ..ops.arguments import ArgumentError, pair
from ..page.pictures import preset_picture, scale_picture
from ..page.session import check_limits
from ..page.settings import DATA_ARGUMENTS
from .examples import DEFAULT, EXAMPLES
from .parse import ModelCodeError, parse_model
from .report import pair_text
from .sequential import LayerError, LayerTypeError, totals, window_of

#: The visualizer's caps (limits.PAGE): model mode crops a layer's activations to them.
MAX_BATCH, MAX_IN, MAX_OUT, MAX_SIDE = (PAGE[name] for name in
                                        ("batch", "in_channels", "out_channels", "input_size"))


def parse_shape(shape) -> tuple[int, ...]:
    """The page's input shape: 1 to 4 positive sizes, batch at most 4, sides at most 512."""
    if not isinstance(shape, (list, tuple)) or not 1 <= len(shape) <= 4 or \
            not all(isinstance(d, int) and not isinstance(d, bool) and d >= 1 for d in shape):
        raise ArgumentError("input_shape", f"input shape must be 1 to 4 positive whole numbers "
                                           f"such as 1,3,32,32; got {shape!r}")
    if len(shape) == 4 and shape[0] > MAX_BATCH:
        raise ArgumentError("input_shape", f"batch is limited to {MAX_BATCH} on this page")
    if math.prod(shape) > MAX_ACTIVATIONS or max(shape) > 4096:
        raise ArgumentError("input_shape", "this input is too large for the page: at most "
                                           f"{MAX_ACTIVATIONS:,} values")
    return tuple(shape)


def model_input(shape: tuple, seed: int, picture=None) -> tuple[np.ndarray, str]:
    """(input, what it is): the user's picture or the test card for 1 or 3 channels (scaled
    by exact area averaging, as the visualizer scales them), else seeded normal values."""
    if len(shape) == 4 and shape[1] in (1, 3):
        if picture is not None:
            planes = scale_picture(*picture, shape[2:], shape[1])
            return np.broadcast_to(planes, shape).astype(np.float32), "your picture"
        planes = preset_picture("test_card", shape[2:], shape[1])
        return np.broadcast_to(planes, shape).astype(np.float32), "the test card picture"
    values = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return values, f"random values (seed {seed}): a picture gives 1 or 3 channels"


def feature_map(output: np.ndarray) -> dict | None:
    """The liveliest channel of sample 0 (the widest range: a dead ReLU channel shows
    nothing) as grey levels 0-255 from its min to its max, at most MAP_SIDE a side;
    None for outputs without a spatial map."""
    if output.ndim != 4:
        return None
    planes = np.nan_to_num(output[0].astype(np.float64), posinf=0, neginf=0)
    channel = int(np.argmax(planes.max(axis=(1, 2)) - planes.min(axis=(1, 2))))
    plane = planes[channel]
    step = max(1, math.ceil(max(plane.shape) / MAP_SIDE))
    plane = plane[::step, ::step]
    low, high = plane.min(), plane.max()
    grey = np.zeros_like(plane) if high == low else (plane - low) / (high - low) * 255
    return {"grey": pack(np.round(grey)), "low": float(low), "high": float(high),
            "channel": channel, "channels": int(output.shape[1]), "every": step}


def row_answer(row, layer) -> dict:
    answer = row.as_dict()
    answer.update(receptive_text=pair_text(row.receptive_field), jump_text=pair_text(row.jump),
                  start_text=pair_text(row.start), steppable=kind_for_layer(layer) is not None)
    return answer


class ModelPage:
    """The model the page shows: parsed code, its summary and activations."""

    def __init__(self):
        self.model = None
        self.input = None
        self.activations = None
        self.rows = None

    def answer(self, request: dict, session) -> dict:
        """One request of the page (``action`` and its fields); ``session`` is the view's
        page.session.Session, which keeps a stepped layer's run for its step, touching and
        table calls."""
        action = request.get("action")
        try:
            if action == "examples":
                return {"default": DEFAULT, "examples": [
                    {"key": e.key, "title": e.title, "input_shape": list(e.input_shape),
                     "code": e.code} for e in EXAMPLES]}
            if action == "summary":
                return self.summary(request["code"], request["input_shape"],
                                    request.get("seed", 0), getattr(session, "picture", None))
            if action == "practice":
                return self.practice(request["seed"], request["index"], request.get("answer"))
            if action == "field":
                return self.field(request["index"], request["row"], request["col"])
            if action == "layer_state":
                return self.layer_state(request["index"])
            if action == "layer":
                return self.layer_run(request["index"], session)
        except ModelCodeError as error:
            return {"code_error": error.as_dict()}
        except (ValueError, TypeError) as error:
            return {"error": {"field": getattr(error, "argument", ""), "message": str(error)}}
        return {"error": {"field": "", "message": f"unknown model request {action!r}"}}

    def summary(self, code: str, input_shape, seed: int, picture=None) -> dict:
        shape = parse_shape(input_shape)
        model = parse_model(code, seed=seed)
        self.model, self.input, self.activations, self.rows = model, None, None, None
        layers = model.layers()
        try:
            rows = model.summary(shape)
        except (LayerError, LayerTypeError) as error:
            return {"layer_error": {"index": error.index, "path": error.path,
                                    "message": str(error)},
                    "rows": [], "repr": repr(model)}
        self.rows = rows
        answer = {"rows": [row_answer(row, layer) for row, (_, layer) in zip(rows, layers)],
                  "totals": totals(rows, model), "repr": repr(model), "notices": []}
        work = answer["totals"]["macs"]
        values = answer["totals"]["activations"]
        if work > MAX_MACS or values > MAX_ACTIVATIONS:
            answer["notices"].append(
                f"feature maps left out: the forward pass needs {work:,} multiply-accumulates "
                f"and {values:,} values; the page runs up to {MAX_MACS:,} and "
                f"{MAX_ACTIVATIONS:,}")
            return answer
        self.input, answer["input_name"] = model_input(shape, seed, picture)
        self.activations = model.activations(self.input)
        answer["input_map"] = feature_map(self.input)
        for row, output in zip(answer["rows"], self.activations):
            row["map"] = feature_map(output)
        return answer

    def practice(self, seed, index, answer=None) -> dict:
        """Question ``index`` of set ``seed`` on the summarised model; with ``answer``,
        its marking (the answer and explanation are sent only then)."""
        from .practice import mark, model_question

        if not self.rows:
            raise ArgumentError("practice", "practice needs a model: the code must give one")
        asked = model_question(self.model, self.rows, self.rows[0].input_shape, seed, index)
        shown = {key: asked[key] for key in ("topic", "prompt", "hint", "form")}
        if answer is not None:
            shown["marking"] = mark(asked, answer)
        return shown

    def field(self, index, row, col) -> dict:
        """Where output cell ``(row, col)`` of layer ``index`` reads from, on every map
        before it: ``{"boxes": [input box, layer 0's, ..., layer index's]}``, each box
        ``[top, bottom, left, right]`` (inclusive, clipped to the map) or None once a
        layer without one window is passed (its field is not a box)."""
        if self.rows is None or not isinstance(index, int) or not 0 <= index < len(self.rows):
            raise ArgumentError("layer", "no such layer in the summary")
        shape = self.rows[index].output_shape
        if len(shape) != 4 or not (0 <= row < shape[2] and 0 <= col < shape[3]):
            raise ArgumentError("layer", f"cell ({row}, {col}) is outside layer {index}'s "
                                         f"output {list(shape)[2:]}")
        layers = self.model.layers()
        span = [row, row, col, col]  # in the output of layer j, walking back
        boxes = []
        for j in range(index, -1, -1):
            boxes.append(self._clipped(span, self.rows[j].output_shape))
            window = window_of(layers[j][1], self.rows[j].input_shape) if span else None
            if window is None:
                span = None
                continue
            (kh, kw), (sh, sw), (ph, pw), (dh, dw) = window
            top, bottom, left, right = span
            span = [top * sh - ph, bottom * sh - ph + dh * (kh - 1),
                    left * sw - pw, right * sw - pw + dw * (kw - 1)]
        boxes.append(self._clipped(span, self.rows[0].input_shape))
        return {"boxes": boxes[::-1]}

    @staticmethod
    def _clipped(span, shape):
        if span is None or len(shape) != 4:
            return None
        height, width = shape[2:]
        top, bottom, left, right = span
        return [max(top, 0), min(bottom, height - 1), max(left, 0), min(right, width - 1)]

    # --- one layer in the step visualizer ----------------------------------------------

    def _held(self, index):
        if self.activations is None:
            raise ArgumentError("layer", "no forward pass is held: compute the summary first "
                                         "(its feature maps must fit the page's caps)")
        layers = self.model.layers()
        if not isinstance(index, int) or not 0 <= index < len(layers):
            raise ArgumentError("layer", f"layer index must be 0 to {len(layers) - 1}")
        path, layer = layers[index]
        kind = kind_for_layer(layer)
        if kind is None:
            raise ArgumentError("layer", f"{type(layer).__name__} has no step view; the "
                                         f"visualizer steps through "
                                         f"{', '.join(kind.title for kind in KINDS.values())}")
        x = self.input if index == 0 else self.activations[index - 1]
        return path, layer, kind, x

    def _cropped(self, index):
        """(kind, visualizer state, its layer with the model's weights, input, notices)."""
        path, layer, kind, x = self._held(index)
        notices = []
        if x.ndim == 3:
            x = x[np.newaxis]
        batch, channels, height, width = x.shape
        keep_in, keep_out, keep_groups = self._channels(layer, channels)
        if keep_in < channels or keep_out < getattr(layer, "out_channels", keep_out):
            notices.append(f"showing input channels 0–{keep_in - 1} of {channels}" + (
                f" and output channels 0–{keep_out - 1} of {layer.out_channels}"
                if hasattr(layer, "out_channels") else "") +
                f" (the page's caps: {MAX_IN} in, {MAX_OUT} out)" + (
                    "; each output sums over the shown input channels only, so it differs "
                    "from the model's" if keep_in < channels and hasattr(layer, "out_channels")
                    else ""))
        if batch > MAX_BATCH:
            notices.append(f"showing samples 0–{MAX_BATCH - 1} of {batch}")
        if height > MAX_SIDE or width > MAX_SIDE:
            notices.append(f"showing the top-left {min(height, MAX_SIDE)}×{min(width, MAX_SIDE)}"
                           f" of the {height}×{width} input (the page's cap: {MAX_SIDE})")
        x = np.ascontiguousarray(x[:MAX_BATCH, :keep_in, :MAX_SIDE, :MAX_SIDE])
        state = {"layer": kind.name, **kind.defaults(),
                 **{argument.name: argument.default for argument in DATA_ARGUMENTS}}
        for argument in kind.arguments:
            if not argument.data and hasattr(layer, argument.name):
                value = getattr(layer, argument.name)
                if argument.name == "bias":
                    value = value is not None
                elif argument.form == "pair" or (argument.form == "optional_pair"
                                                 and value is not None):
                    value = list(pair(argument.name, value))
                state[argument.name] = value
        state.update(in_channels=keep_in, input_size=list(x.shape[2:]), batch=x.shape[0],
                     input="arange", seed=0, step=0)
        if "out_channels" in state:
            state.update(out_channels=keep_out, groups=keep_groups)
        check_limits(state)
        layer_view = kind.layer(state)
        kind.crop_weights(layer_view, layer, keep_in, keep_out, keep_groups)
        kind.check_work(layer_view, x.shape)
        notices.insert(0, f"layer {path}: {repr(layer).splitlines()[0]}, on the activations "
                          "that reach it (the model's weights; the visualizer's settings are "
                          "fixed here)")
        return kind, state, layer_view, x, notices

    @staticmethod
    def _channels(layer, channels: int) -> tuple[int, int, int]:
        """(in, out, groups) kept within the caps; with groups, whole groups only."""
        if not hasattr(layer, "out_channels"):  # pooling: channels stay apart
            return min(channels, MAX_IN), 0, 1
        groups, out = layer.groups, layer.out_channels
        if groups == 1:
            return min(channels, MAX_IN), min(out, MAX_OUT), 1
        per_in, per_out = channels // groups, out // groups
        kept = min(groups, MAX_IN // per_in, MAX_OUT // per_out)
        if kept < 1:
            raise ArgumentError("layer", f"one group of this layer ({per_in} in, {per_out} out "
                                         f"channels) is larger than the visualizer's caps "
                                         f"({MAX_IN} in, {MAX_OUT} out)")
        return per_in * kept, per_out * kept, kept

    def layer_state(self, index) -> dict:
        _, state, _, _, notices = self._cropped(index)
        return {"state": state, "notices": notices}

    def layer_run(self, index, session) -> dict:
        """The visualizer's view of layer ``index``; ``session`` keeps the run for its steps."""
        kind, state, layer_view, x, _ = self._cropped(index)
        run = kind.run(state, layer_view, x.astype(layer_view.dtype if hasattr(layer_view, "dtype")
                                                    else np.float32))
        return session.show(run, state)
