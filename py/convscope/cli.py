"""``python -m convscope export LINK --output figure.gif``: course figures from CPython
(and ``python -m convscope summary model.py --input 1,3,32,32``: see convscope.model.cli).

LINK is a visualizer link or just its hash (``#in_channels=1&out_channels=2&...``,
``#layer=max_pool2d&...``, ``#layer=conv_transpose2d&view=gather&...``: every layer kind);
the output's extension picks PNG (one step) or GIF (a range of steps). Needs the
``export`` extra (Pillow); no browser.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from .figure.frames import Picture, save_gif, save_png
from .limits import MAX_PICTURE_SIDE as MAX_SIDE
from .methods import Session, answer
from .page.link import parse_link


def read_picture(path: pathlib.Path):
    """A picture file as (rgba, width, height), as the page sends it to the engine.

    Larger than MAX_SIDE, it is first shrunk (by Pillow's box filter) as the page shrinks
    it on a canvas: those few pictures may differ from the page's in the last bits.
    """
    from PIL import Image

    with Image.open(path) as image:
        image = image.convert("RGBA")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.BOX)
    return image.tobytes(), image.width, image.height


def export(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m convscope export",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("link", help="a visualizer link or its #hash")
    parser.add_argument("--output", "-o", required=True, type=pathlib.Path,
                        help="figure.png (one step) or figure.gif (a range of steps)")
    parser.add_argument("--steps", help="GIF: FIRST-LAST, 1-based (default: the whole run)")
    parser.add_argument("--step", type=int, help="PNG: the step, 1-based (default: the link's)")
    parser.add_argument("--speed", type=float, default=4, help="GIF: steps per second")
    parser.add_argument("--scale", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--cell", type=int, help="cell size in pixels")
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--no-numbers", action="store_true")
    parser.add_argument("--no-caption", action="store_true")
    parser.add_argument("--picture", type=pathlib.Path,
                        help="for a link with input=picture: the picture (PNG, JPEG, WebP)")
    args = parser.parse_args(argv)
    suffix = args.output.suffix.lower()
    if suffix not in (".png", ".gif"):
        parser.error("--output must end in .png or .gif")
    try:
        state = parse_link(args.link)
    except ValueError as error:
        parser.error(str(error))
    config = {key: value for key, value in state.items() if key != "step"}
    session = Session()
    if args.picture:
        try:
            rgba, width, height = read_picture(args.picture)
        except OSError as error:  # missing, unreadable, or not a picture Pillow knows
            parser.error(f"--picture: cannot read {args.picture} as a picture ({error})")
        kept = answer(session, "set_picture", {"rgba": rgba, "width": width, "height": height})
        if "error" in kept:
            parser.error(kept["error"]["message"])
    view = answer(session, "compute", config)
    if "error" in view:
        hint = " (here: --picture FILE)" if config["input"] == "picture" and not args.picture else ""
        parser.error(view["error"]["message"] + hint)
    count = view["steps"]
    if count < 1:
        parser.error("this view has no steps to draw (its output is empty)")
    picture = Picture(view, cell=args.cell, theme=args.theme, numbers=not args.no_numbers,
                      caption="" if args.no_caption else view["torch_line"], scale=args.scale)
    if suffix == ".png":
        index = (args.step - 1) if args.step else state["step"]
        if not 0 <= index < count:
            parser.error(f"--step must be 1 to {count}")
        # the stride from the step before, as the page shows it while stepping forward
        previous = step(session, index - 1) if index > 0 else None
        save_png(picture, step(session, index), args.output, previous)
    else:
        first, last = 0, count - 1
        if args.steps:
            try:
                first, last = (int(v) - 1 for v in args.steps.split("-"))
            except ValueError:
                parser.error(f"--steps must be FIRST-LAST, e.g. 3-12, got {args.steps!r}")
        if not 0 <= first <= last < count:
            parser.error(f"--steps must lie within 1-{count}")
        save_gif(picture, (step(session, i) for i in range(first, last + 1)), args.output,
                 delay_ms=round(1000 / args.speed))
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


def step(session: Session, index: int) -> dict:
    """Step ``index`` of the view, through the engine's method table as the page asks it."""
    found = answer(session, "step", {"index": index})
    if "error" in found:
        raise SystemExit(f"convscope: {found['error']['message']}")
    return found


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "summary":  # model mode, loaded only when asked for
        from .model.cli import summary
        return summary(argv[1:])
    if not argv or argv[0] != "export":
        print("usage: python -m convscope export LINK --output figure.gif|png [options]\n"
              "       python -m convscope summary model.py --input 1,3,32,32 "
              "[--format table|markdown|csv|json]", file=sys.stderr)
        return 2
    return export(argv[1:])

