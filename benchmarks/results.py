"""Where the benchmarks leave their figures: build/bench-NAME.json, one file per benchmark."""

import json
import pathlib

RESULTS = pathlib.Path(__file__).resolve().parent.parent / "build"


def save(name: str, data) -> pathlib.Path:
    path = RESULTS / f"bench-{name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data, indent=1))
    return path
