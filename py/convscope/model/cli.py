"""``python -m convscope summary model.py --input 1,3,32,32``: a model's table in the terminal.

The file is read as text and parsed (never imported or run); the table has each layer's
output shape, parameters, MACs, receptive field, jump and start, then the totals.
"""

from __future__ import annotations

import argparse
import pathlib
import sys

from .parse import parse_model
from .report import FORMATS, summary_text


def input_shape(text: str) -> tuple[int, ...]:
    try:
        shape = tuple(int(part) for part in text.replace("x", ",").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--input must be whole numbers separated by commas, "
                                         f"e.g. 1,3,32,32; got {text!r}") from None
    if not 1 <= len(shape) <= 4 or min(shape) < 1:
        raise argparse.ArgumentTypeError(f"--input must be 1 to 4 positive sizes, e.g. "
                                         f"1,3,32,32; got {text!r}")
    return shape


def summary(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m convscope summary",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("model", type=pathlib.Path,
                        help="a .py file with nn.Sequential(...) or class Net(nn.Module)")
    parser.add_argument("--input", required=True, type=input_shape,
                        help="the input shape, e.g. 1,3,32,32 (N,C,H,W)")
    parser.add_argument("--format", choices=FORMATS, default="table")
    args = parser.parse_args(argv)
    try:
        code = args.model.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        parser.error(f"cannot read {args.model}: {error}")
    try:
        text = summary_text(parse_model(code), args.input, args.format)
    except ValueError as error:
        print(f"{args.model}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 0
