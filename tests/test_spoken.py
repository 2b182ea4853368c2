"""Every kind's step says itself in one short sentence (the page's polite live region
reads it): the cell it computes, its value as the step shows it, and how it was made."""

import re

import pytest

from convscope.page.link import defaults
from convscope.page.session import Session


def config_of(layer, **changes):
    config = defaults(layer)
    config.pop("step")
    return {**config, **changes}


@pytest.mark.parametrize("layer, changes, words", [
    ("conv2d", {}, r"output\[0, 0, 0, 0\] = 1.08113\d+: 9 products of input and weight, "
                   r"plus bias -0.1335254"),
    ("conv2d", dict(in_channels=3, bias=False), r"27 products of input and weight over 3 "
                                                r"input channels$"),
    ("conv_transpose2d", {}, r"^input\[0, 0, 0, 0\] = 0, times weight\[0, 0\], added to \d+ "
                             r"cells of output\[0, 0\]"),
    ("conv_transpose2d", dict(view="gather"), r"products of the spread input and the "
                                              r"flipped weight"),
    ("max_pool2d", {}, r"^output\[0, 0, 0, 0\] = 6: the largest of 4 window cells, at "
                       r"window cell \(1, 1\)$"),
    ("avg_pool2d", {}, r"^output\[0, 0, 0, 0\] = 3: the sum 12 of 4 window cells divided "
                       r"by 4$"),
])
def test_each_kind_speaks_its_step(layer, changes, words):
    session = Session()
    view = session.compute(config_of(layer, **changes))
    assert "error" not in view, view
    spoken = [session.step(index)["spoken"] for index in range(min(view["steps"], 6))]
    assert spoken[0].startswith(("output[", "input[")) and len(spoken[0]) < 160
    assert len(set(spoken)) == len(spoken)  # every step says something new

    assert re.search(words, spoken[0]), spoken[0]
    step = session.step(0)
    assert step["value_text"] in step["spoken"]
