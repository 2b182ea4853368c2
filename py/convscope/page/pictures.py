"""Pictures as layer inputs: scaled to the input size by exact area averaging, values 0-1.

The page decodes a picture the user chooses, drops or pastes into RGBA bytes and sends
them here (``Session.set_picture``): Python, not the browser's canvas, computes every
value the layer reads, so the CLI and the page agree to the last bit. Two pictures of
our own making ship as input presets (``drawn_digit``, ``test_card``); they are drawn
here with NumPy, so neither the CLI nor Pyodide needs Pillow or a data file.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..limits import MAX_PICTURE_SIDE
from ..ops.arguments import ArgumentError

#: ITU-R BT.601 luma weights for R, G, B: what most "convert to grayscale" tools use
#: (Pillow's ``convert("L")``, OpenCV's ``COLOR_RGB2GRAY``), applied to the stored
#: (gamma-encoded) values as those tools do.
LUMA = np.array([0.299, 0.587, 0.114])


def check_picture(rgba, width: int, height: int) -> np.ndarray:
    """RGBA bytes of a ``width`` x ``height`` picture as a ``(height, width, 4)`` uint8 array."""
    for name, side in (("width", width), ("height", height)):
        if not isinstance(side, int) or isinstance(side, bool) or not 1 <= side <= MAX_PICTURE_SIDE:
            raise ArgumentError("input", f"a picture's {name} must be 1 to {MAX_PICTURE_SIDE} pixels, "
                                         f"got {side!r}")
    pixels = np.frombuffer(rgba, dtype=np.uint8)
    if pixels.size != width * height * 4:
        raise ArgumentError("input", f"a {width}x{height} picture has {width * height * 4} RGBA "
                                     f"bytes, got {pixels.size}")
    return pixels.reshape(height, width, 4)


def overlaps(source: int, target: int) -> np.ndarray:
    """The ``(target, source)`` matrix that averages ``source`` cells into ``target`` cells.

    Target cell ``i`` covers ``[i, i + 1) * source / target`` of the source; its row holds
    how much of each source cell lies inside that span, divided by the span's length, so
    every row sums to 1. Counted in units of ``1 / target`` the ends are integers and the
    overlaps exact. Works both ways: shrinking averages cells, enlarging repeats them
    (blending the two a target cell straddles).
    """
    starts = np.arange(target)[:, None] * source          # target spans: [i*S, (i+1)*S)
    cells = np.arange(source)[None, :] * target           # source cells: [j*T, (j+1)*T)
    inside = (np.minimum(starts + source, cells + target) - np.maximum(starts, cells))
    return np.clip(inside, 0, None) / source


def scale_picture(rgba, width: int, height: int, size, channels: int) -> np.ndarray:
    """A picture as a ``(channels, h, w)`` float32 input with values 0-1.

    ``rgba``: ``width * height * 4`` bytes, rows top to bottom (what canvas
    ``getImageData`` gives); ``size``: ``(h, w)``; ``channels``: 1 (grayscale, BT.601
    luma) or 3 (RGB). Transparent parts are laid over white, as the page shows them.
    Each output pixel is the mean of the source area it covers, partly covered source
    pixels counted by the part inside (exact area averaging).
    """
    if channels not in (1, 3):
        raise ArgumentError("in_channels", f"a picture gives 1 (grayscale) or 3 (RGB) channels; "
                                           f"set in_channels to 1 or 3 (got {channels})")
    h, w = size
    pixels = check_picture(rgba, width, height).astype(np.float64) / 255
    alpha = pixels[..., 3:]
    rgb = pixels[..., :3] * alpha + (1 - alpha)           # over white
    planes = (rgb @ LUMA)[None] if channels == 1 else rgb.transpose(2, 0, 1)
    # one matrix product per axis: rows (h x height), then columns (width x w)
    scaled = overlaps(height, h) @ planes @ overlaps(width, w).T
    return np.clip(scaled, 0, 1).astype(np.float32)


# --- the pictures we ship ---------------------------------------------------------------

def _coverage(distance: np.ndarray) -> np.ndarray:
    """How much of each pixel lies inside a shape, from its signed distance to the edge
    (negative inside): smooth edges without drawing the picture at a higher resolution."""
    return np.clip(0.5 - distance, 0, 1)


def _segments_distance(rows, cols, points) -> np.ndarray:
    """Distance from every pixel centre to the polyline through ``points`` ((x, y) pairs)."""
    points = np.asarray(points, dtype=np.float64)
    best = np.full(rows.shape, np.inf)
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        dx, dy = x1 - x0, y1 - y0
        t = np.clip(((cols - x0) * dx + (rows - y0) * dy) / max(dx * dx + dy * dy, 1e-12), 0, 1)
        best = np.minimum(best, np.hypot(cols - (x0 + t * dx), rows - (y0 + t * dy)))
    return best


def _rgba(rgb: np.ndarray) -> np.ndarray:
    """(H, W, 3) floats 0-1 -> opaque (H, W, 4) uint8."""
    height, width, _ = rgb.shape
    alpha = np.full((height, width, 1), 255, dtype=np.uint8)
    return np.concatenate([np.round(rgb * 255).astype(np.uint8), alpha], axis=2)


@lru_cache(maxsize=None)
def drawn_digit_pixels() -> np.ndarray:
    """A "2" written with a thick pen, light on black like an MNIST digit: 112 x 112 px.

    112 is 4 x 28, so at the MNIST input size (28x28) each input pixel averages 4 x 4.
    The stroke has a curve, a diagonal and a straight foot: edges of every direction.
    """
    side = 112
    rows, cols = np.mgrid[0:side, 0:side] + 0.5
    turn = np.linspace(np.pi * 1.1, np.pi * 2.25, 24)        # the top hook, clockwise
    hook = np.stack([56 + 25 * np.cos(turn), 42 + 22 * np.sin(turn)], axis=1)
    stroke = [*hook, (31, 86), (36, 84), (84, 85)]            # the diagonal, then the foot
    ink = _coverage(_segments_distance(rows, cols, stroke) - 6.5)
    ink *= 0.85 + 0.15 * np.clip((cols - 20) / 70, 0, 1)      # pressure: heavier to the right
    paper, pen = np.array([0.0, 0.0, 0.0]), np.array([1.0, 0.97, 0.88])
    return _rgba(paper + ink[..., None] * (pen - paper))


@lru_cache(maxsize=None)
def test_card_pixels() -> np.ndarray:
    """A checkerboard with a coloured circle: 112 x 112 px.

    The squares (16 px, black and white: 4 input pixels each at 28x28, 2 at 14x14) give
    horizontal and vertical edges and corners;
    the circle every other direction. Its colour (orange) is bright in red, dark in blue
    and mid grey in luma, so RGB channels differ and the circle shows on both squares.
    """
    side = 112
    rows, cols = np.mgrid[0:side, 0:side] + 0.5
    board = ((rows // 16 + cols // 16) % 2).astype(np.float64)
    rgb = np.repeat(board[..., None], 3, axis=2)
    disc = _coverage(np.hypot(rows - 56, cols - 56) - 32)[..., None]
    return _rgba(rgb * (1 - disc) + disc * np.array([0.95, 0.55, 0.1]))


#: Input presets that are pictures of our own: name -> the function drawing its RGBA.
PICTURE_PRESETS = {"drawn_digit": drawn_digit_pixels, "test_card": test_card_pixels}


def preset_picture(name: str, size, channels: int) -> np.ndarray:
    """A shipped picture scaled like a user's: ``(channels, h, w)`` float32."""
    pixels = PICTURE_PRESETS[name]()
    height, width, _ = pixels.shape
    return scale_picture(pixels.tobytes(), width, height, size, channels)
