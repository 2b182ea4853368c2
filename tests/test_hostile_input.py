"""Hostile input: the engine's page API and the page itself under random and malicious values."""

import random
import urllib.parse

import pytest
from conftest import open_view
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from playwright.sync_api import expect

from convscope.page.session import Session

KEYS = ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
        "bias", "padding_mode", "input_size", "batch", "input", "weights", "seed", "step",
        "input_edits", "weight_edits"]
PAYLOADS = [
    "<img src=x onerror=window.__pwned=1>", "<script>window.__pwned=1</script>",
    '"><svg onload=window.__pwned=1>', "javascript:alert(1)", "%3Cb%3Ebold%3C%2Fb%3E",
    "NaN", "Infinity", "-Infinity", "1e309", "-1", "0", "-0", "0x10", "3.5", "1,2,3", "3x", "x3",
    "9999999999", "999999999", "2147483648", "-2147483649", "１２", "٣", "🙂", "\u202e3",
    "same", "valid", "SAME", "true", "false", "null", "undefined", "__proto__", "constructor",
    "%", "%E0%A4%A", "a" * 10_000, "9" * 10_000, "1x" * 5000, "0.0.0.0:1|" * 500,
]
BASE_SESSION_CONFIG = dict(in_channels=1, out_channels=2, kernel_size=3, stride=1, padding=1,
                           dilation=1, groups=1, bias=True, padding_mode="zeros",
                           input_size=[5, 5], batch=1, input="arange", weights="random", seed=0)

values = st.one_of(
    st.integers(-10**12, 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30), st.booleans(), st.none(),
    st.lists(st.integers(-10**6, 10**6), max_size=4),
    st.lists(st.lists(st.one_of(st.integers(-5, 50), st.floats()), max_size=6), max_size=4),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(list(BASE_SESSION_CONFIG) + ["input_edits",
                                                                    "weight_edits"]),
                       values, max_size=4))
def test_session_answers_any_config_with_a_view_or_a_message(changes):
    session = Session()
    result = session.compute({**BASE_SESSION_CONFIG, **changes})
    if "error" in result:
        assert isinstance(result["error"]["message"], str) and result["error"]["message"]
    else:
        assert result["steps"] >= 1
        session.step(result["steps"] - 1)


def hostile_hashes(count=500, seed=7):
    rng = random.Random(seed)
    hashes = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 6)):
            key = rng.choice(KEYS + ["colour", "", "=", "__proto__", "<b>k</b>", "a" * 300])
            value = rng.choice(PAYLOADS + [str(rng.randint(-5, 40)),
                                           f"{rng.randint(0, 70)}x{rng.randint(0, 70)}"])
            encode = rng.random() < 0.5
            parts.append(f"{key}={urllib.parse.quote(value) if encode else value}")
        hashes.append("#" + "&".join(parts))
    return hashes


@pytest.mark.browser
def test_500_hostile_links_never_break_the_page(watched_page, site):
    page = watched_page
    open_view(page, site)
    for index, hash_ in enumerate(hostile_hashes()):
        page.evaluate("h => { location.hash = h; }", hash_)
        if index % 25 == 0:  # let the engine answer now and then, as a user would wait
            page.wait_for_function("() => document.getElementById('app').dataset.state !== 'loading'")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#app img, #app svg, #app b, #app script").count() == 0
    notices = page.get_by_test_id("notices")
    # still alive and usable: a good link after all that renders the right view
    page.evaluate("h => { location.hash = h; }", "#in_channels=1&out_channels=3&kernel_size=3x5&padding=1x2")
    expect(page.get_by_test_id("output-shape")).to_have_text("[1, 3, 5, 5]", timeout=30_000)
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    assert notices.inner_text() == ""  # the good link clears the notices of the bad ones


@pytest.mark.browser
def test_oversized_settings_are_refused_with_the_cap(watched_page, site):
    page = watched_page
    open_view(page, site, "#input_size=5000x5000", state="error")
    expect(page.get_by_test_id("error")).to_contain_text("limited to 128")
    open_view(page, site, "#out_channels=999999999", state="error")
    expect(page.get_by_test_id("error")).to_contain_text("limited to 32")
