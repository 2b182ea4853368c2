"""Accessibility: axe-core on every page (light and dark, desktop and phone), no sideways
scroll at 360 px, reduced motion, more contrast, and colours that survive colour-vision
deficiencies.

axe-core comes from axe-playwright-python (pinned in pyproject.toml's test extra; it
bundles axe.min.js, so the tests need no network), and only these tests use it.
"""

import re

import numpy as np
import pytest
from conftest import ARTIFACTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 360}
SCHEMES = ["light", "dark"]
HEIGHT = 800


# --- opening the pages as a reader does ------------------------------------------------------

@pytest.fixture
def open_page(browser, site):
    """open_page(path, width=1280, **context options) -> a page; console errors fail the test."""
    contexts, pages = [], []

    def opener(path, width=1280, **options):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors, page.axe_ran = [], False
        page.on("console", lambda m: m.type == "error" and not axe_noise(page, m.text)
                and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
        pages.append(page)
        page.goto(site.url + path)
        return page

    yield opener
    errors = [error for page in pages for error in page.errors]
    for context in contexts:
        context.close()
    assert errors == []


def axe_noise(page, text):
    # axe-core itself sets inline styles while it measures; the page's strict CSP refuses
    # them and says so in the console. The page's own CSP compliance is test_site_smoke's.
    return page.axe_ran and "Applying inline style violates" in text


def ready_index(page):
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    page.locator("details.reproduce summary").click()  # the script is part of the page too
    expect(page.get_by_test_id("reproduce-code")).not_to_be_empty()


def ready_practice(page):
    """A question asked, its hint shown, a wrong answer marked: all the dynamic parts."""
    from convscope.practice.questions import question

    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    asked = question(42, 0, "easy")
    page.get_by_test_id("practice-hint-button").click()
    expect(page.get_by_test_id("practice-hint")).to_be_visible()
    page.get_by_test_id("practice-answer").fill(asked.mistakes[0]["answer"])
    page.get_by_test_id("practice-submit").click()
    expect(page.get_by_test_id("practice-mistake")).to_be_visible()
    page.locator("details.mistakes summary").click()


def ready_embed(page):
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)


def ready_tutorial(page):
    page.wait_for_selector("conv-scope#rgb-16[data-state=ready]", timeout=60_000)


def start_every_widget(page):
    page.evaluate("() => { for (const w of document.querySelectorAll('conv-scope')) w.start(); }")
    page.wait_for_function("() => [...document.querySelectorAll('conv-scope')]"
                           ".every(w => w.dataset.state === 'ready')", timeout=90_000)


def ready_model(page):
    """A model's table and maps, and one layer opened in the step visualizer."""
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    page.get_by_role("button", name="Step through layer 0.4").click()
    page.wait_for_selector(".layer-view[data-state=ready]", timeout=60_000)


PAGES = {
    "index": ("index.html", ready_index),
    "practice": ("index.html#mode=practice&seed=42&level=easy", ready_practice),
    "embed": ("embed.html", ready_embed),
    "tutorial": ("examples/tutorial.html", ready_tutorial),
    # the other layer kinds draw and label their own views
    "max-pool": ("index.html#layer=max_pool2d", ready_embed),
    "transpose": ("index.html#layer=conv_transpose2d", ready_embed),
    # the backward pass: its extra controls, grid names and notes
    "backward": ("index.html#padding=1&direction=backward&gradient=weight&upstream=mse",
                 ready_embed),
}


# --- axe-core ----------------------------------------------------------------------------------

def axe_violations(page):
    """Every axe violation on the page (all rules axe runs by default, any impact)."""
    from axe_playwright_python.sync_playwright import Axe

    page.axe_ran = True
    return Axe().run(page).response["violations"]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(f"{violation['impact']}: {violation['id']} — {violation['help']} "
                     f"({len(violation['nodes'])} nodes)")
        for node in violation["nodes"][:8]:
            summary = " ".join((node.get("failureSummary") or "").split())
            lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


WIDE = """() => {
  // elements (shadow roots included) whose box reaches past the viewport's right edge
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width && box.right > innerWidth + 0.5)
        out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(box.right)}`);
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return out.slice(0, 15);
}"""


def sideways_scroll(page):
    """'' when the page does not scroll sideways, else what is too wide."""
    width = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    if width[0] <= width[1]:
        return ""
    return f"scrollWidth {width[0]} > innerWidth {width[1]}; too wide: {page.evaluate(WIDE)}"


def every_page_width_and_scheme():
    """Each page at each width in one scheme, alternating, so that the default run sees
    every page in both schemes and each width in both; the other half is `slow`."""
    for page_number, name in enumerate(PAGES):
        for width_number, (width_name, width) in enumerate(WIDTHS.items()):
            for scheme_number, scheme in enumerate(SCHEMES):
                half = (page_number + width_number + scheme_number) % 2
                yield pytest.param(name, width, scheme, id=f"{name}-{width_name}-{scheme}",
                                   marks=[pytest.mark.slow] if half else [])


@pytest.mark.parametrize("name, width, scheme", list(every_page_width_and_scheme()))
def test_no_axe_violations_and_no_sideways_scroll(open_page, name, width, scheme):
    path, ready = PAGES[name]
    page = open_page(path, width, color_scheme=scheme)
    ready(page)
    violations = axe_violations(page)
    if name == "tutorial":  # the placeholders first, then every widget started
        start_every_widget(page)
        violations += axe_violations(page)
    problems = []
    if violations:
        problems.append(describe(violations))
    if width <= 360 and (wide := sideways_scroll(page)):
        problems.append(wide)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{width}-{scheme}.png"), full_page=True)
    assert not problems, f"{name} at {width} px, {scheme}:\n" + "\n".join(problems)


def test_the_embed_dialog_has_no_axe_violations(open_page):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page("index.html", 360, color_scheme="dark")
    ready_embed(page)
    page.get_by_role("button", name="Embed").click()
    expect(page.get_by_test_id("embed-iframe")).not_to_be_empty()
    page.axe_ran = True
    violations = Axe().run(page, context="dialog.embed").response["violations"]
    problems = [describe(violations)] if violations else []
    if wide := sideways_scroll(page):
        problems.append(wide)
    assert not problems, "\n".join(problems)


# --- reduced motion ----------------------------------------------------------------------------

MOTION = """() => {
  // every element (shadow roots included) with a transition or an animation that takes time
  const seconds = (text) => Math.max(...text.split(',').map((t) => parseFloat(t) * (t.trim().endsWith('ms') ? 0.001 : 1)));
  const out = [];
  const visit = (root) => {
    for (const el of root.querySelectorAll('*')) {
      for (const pseudo of [null, '::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const moving = seconds(style.transitionDuration) > 0 ||
          (style.animationName !== 'none' && seconds(style.animationDuration) > 0) ||
          style.scrollBehavior === 'smooth';
        if (moving) out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')}${pseudo ?? ''}: `
                             + `transition ${style.transitionDuration}, animation ${style.animationName} `
                             + `${style.animationDuration}, scroll ${style.scrollBehavior}`);
      }
      if (el.shadowRoot) visit(el.shadowRoot);
    }
  };
  visit(document);
  return out;
}"""


def step_number(page):
    return int(re.search(r"step (\d+)", page.get_by_test_id("step-index").inner_text()).group(1))


@pytest.mark.parametrize("path, width, scheme", [
    ("index.html#mode=model&example=unet_like", 1280, "light"),
    ("index.html#mode=model&example=unet_like", 360, "dark"),
    ("embed.html#mode=model&example=lenet5&locked=true", 360, "light"),
])
def test_model_mode_has_no_axe_violations_and_no_sideways_scroll(open_page, path, width, scheme):
    """Model mode (table, maps, practice, a layer opened in the step visualizer), at the
    widths and schemes where it differs most: its own phone layout, the dark theme."""
    page = open_page(path, width, color_scheme=scheme)
    if path.startswith("index"):
        ready_model(page)
    else:
        ready_embed(page)
    problems = [describe(v) for v in [axe_violations(page)] if v]
    if width <= 360 and (wide := sideways_scroll(page)):
        problems.append(wide)
    assert not problems, f"{path} at {width} px, {scheme}:\n" + "\n".join(problems)


def test_reduced_motion_means_no_autoplay(open_page):
    # the same embed plays by itself when the reader has no preference...
    moving = open_page("embed.html#autoplay=true&input_size=6x6", reduced_motion="no-preference")
    ready_embed(moving)
    moving.wait_for_function("() => /step ([3-9]|\\d\\d)/.test("
                             "document.querySelector('[data-testid=step-index]').textContent)")
    # ...and stays on its first step, ready to play on request, when they asked for less motion
    still = open_page("embed.html#autoplay=true&input_size=6x6", reduced_motion="reduce")
    ready_embed(still)
    still.wait_for_timeout(1500)  # 4 steps a second: it would be on step 7 by now
    assert step_number(still) == 1
    expect(still.get_by_role("button", name="Play")).to_be_visible()
    still.get_by_role("button", name="Play").click()
    still.wait_for_function("() => !/step 1 /.test("
                            "document.querySelector('[data-testid=step-index]').textContent)")


@pytest.mark.parametrize("name", PAGES)
def test_reduced_motion_means_no_transitions_or_animations(open_page, name):
    path, ready = PAGES[name]
    page = open_page(path, reduced_motion="reduce")
    ready(page)
    if name == "tutorial":
        start_every_widget(page)
    assert page.evaluate(MOTION) == []


# --- contrast ----------------------------------------------------------------------------------

def parse_color(text):
    """'rgb(1, 2, 3)' / 'rgba(1, 2, 3, 0.5)' / 'color(srgb 0.1 0.2 0.3)' -> (r, g, b, alpha) in 0..255"""
    numbers = [float(n) for n in re.findall(r"-?[\d.]+(?:e-?\d+)?", text)]
    if text.startswith("color(srgb"):
        numbers = [n * 255 for n in numbers[:3]] + numbers[3:]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def composite(color, under):
    """color (with alpha) painted over the opaque colour ``under``."""
    *rgb, alpha = color
    return tuple(alpha * c + (1 - alpha) * u for c, u in zip(rgb, under[:3]))


def relative_luminance(rgb):
    linear = srgb_to_linear(np.array(rgb[:3], dtype=float))
    return float(linear @ [0.2126, 0.7152, 0.0722])


def contrast_ratio(a, b):
    high, low = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


VARIABLES = """(names) => {
  // the resolved value of each colour variable inside the visualizer (light-dark() included)
  const probe = document.createElement('span');
  document.getElementById('app').append(probe);
  const out = {};
  for (const name of names) {
    probe.style.color = `var(${name})`;
    out[name] = getComputedStyle(probe).color;
  }
  probe.remove();
  return out;
}"""

TEXT_COLORS = ["--text", "--muted", "--accent", "--error"]
TEXT_BACKGROUNDS = ["--bg", "--panel", "--code-bg"]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_more_contrast_gives_the_higher_contrast_palette(open_page, scheme):
    """prefers-contrast: more: every text colour reaches 7:1 (WCAG AAA) on every panel."""
    page = open_page("index.html", color_scheme=scheme, contrast="more")
    ready_embed(page)
    colors = {name: parse_color(text)
              for name, text in page.evaluate(VARIABLES, TEXT_COLORS + TEXT_BACKGROUNDS).items()}
    ratios = {(fore, back): contrast_ratio(colors[fore], colors[back])
              for fore in TEXT_COLORS for back in TEXT_BACKGROUNDS}
    low = {pair: round(ratio, 2) for pair, ratio in ratios.items() if ratio < 7}
    assert low == {}, f"below 7:1 with prefers-contrast: more ({scheme}): {low}"
    # and what the reader sees: the page's body text and a link
    body = page.evaluate("""() => { const app = document.getElementById('app'), s = getComputedStyle(app);
                                   return [s.color, s.backgroundColor,
                                           getComputedStyle(app.querySelector('footer a')).color]; }""")
    text, background, link = map(parse_color, body)
    assert contrast_ratio(text, background) >= 7
    assert contrast_ratio(link, background) >= 7


# --- colour-vision deficiencies ----------------------------------------------------------------
# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", severity 1.0 (dichromacy); the matrices act on linear RGB.
MACHADO = {
    "protanopia": [[0.152286, 1.052583, -0.204868],
                   [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968],
                     [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779],
                   [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}
# ΔE2000 ≈ 2.3 is one just-noticeable difference for two large patches side by side. The
# colours here are 2–3 px strokes (the window, the hover outline) drawn over cell fills,
# and colour discrimination falls steeply as the field shrinks, so a pair must be far more
# than noticeable: ≥ 15 (about six JNDs; "clearly different at a glance" starts near 10
# for large fields). The palette clears it with room to spare (the smallest pair is ≈ 23).
MIN_DELTA_E = 15


def srgb_to_linear(rgb):
    c = np.asarray(rgb, dtype=float) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_lab(linear):
    """Linear sRGB (D65) -> CIELAB."""
    xyz_matrix = np.array([[0.4124564, 0.3575761, 0.1804375],
                           [0.2126729, 0.7151522, 0.0721750],
                           [0.0193339, 0.1191920, 0.9503041]])
    xyz = xyz_matrix @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen_as(rgb, vision):
    """The CIELAB colour a reader with ``vision`` (None: typical) sees for sRGB ``rgb``."""
    linear = srgb_to_linear(rgb[:3])
    if vision:
        linear = np.clip(np.array(MACHADO[vision]) @ linear, 0, 1)
    return linear_to_lab(linear)


def delta_e_2000(lab1, lab2):
    """CIEDE2000 (Sharma, Wu & Dalal 2005), kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = np.hypot(a1, b1), np.hypot(a2, b2)
    h1 = np.degrees(np.arctan2(b1, a1)) % 360 if c1 else 0.0
    h2 = np.degrees(np.arctan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * np.sqrt(c1 * c2) * np.sin(np.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (1 - 0.17 * np.cos(np.radians(h_mean - 30)) + 0.24 * np.cos(np.radians(2 * h_mean))
         + 0.32 * np.cos(np.radians(3 * h_mean + 6)) - 0.20 * np.cos(np.radians(4 * h_mean - 63)))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / np.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * c_mean
    s_h = 1 + 0.015 * c_mean * t
    r_t = (-2 * np.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7))
           * np.sin(np.radians(60 * np.exp(-((h_mean - 275) / 25) ** 2))))
    return float(np.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2
                         + r_t * (d_c / s_c) * (d_h / s_h)))


@pytest.mark.parametrize("lab1, lab2, expected", [
    # Sharma, Wu & Dalal's test data (pairs 1, 7, 17, 25 and 34 of their table)
    ((50, 2.6772, -79.7751), (50, 0, -82.7485), 2.0425),
    ((50, 0, 0), (50, -1, 2), 2.3669),
    ((50, 2.5, 0), (73, 25, -18), 27.1492),
    ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ((2.0776, 0.0795, -1.135), (0.9033, -0.0636, -0.5514), 0.9082),
])
def test_delta_e_2000_matches_the_published_test_data(lab1, lab2, expected):
    assert delta_e_2000(np.array(lab1), np.array(lab2)) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_grey_and_loses_red_green():
    """Sanity of the simulation: greys stay put; red and green collapse for a deuteranope."""
    grey = seen_as((128, 128, 128), "deuteranopia")
    assert delta_e_2000(grey, seen_as((128, 128, 128), None)) < 1
    red, green = seen_as((200, 60, 40), None), seen_as((60, 140, 40), None)
    assert delta_e_2000(red, green) > 40
    assert delta_e_2000(seen_as((180, 90, 40), "deuteranopia"),
                        seen_as((120, 110, 40), "deuteranopia")) < 10


# colours that carry meaning on the canvas, and which of them must never be confused:
# the window (accent) and the hover outline are drawn over the background and over cells of
# any value, and the diverging scale must keep negative, zero and positive apart
MEANINGFUL_PAIRS = [("accent", "hover"), ("accent", "background"), ("hover", "background"),
                    ("accent", "negative"), ("accent", "zero"), ("accent", "positive"),
                    ("hover", "negative"), ("hover", "zero"), ("hover", "positive"),
                    ("negative", "positive"), ("negative", "zero"), ("positive", "zero")]
VISIONS = [None, "protanopia", "deuteranopia", "tritanopia"]


@pytest.mark.parametrize("contrast", ["no-preference", "more"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_meaningful_colours_stay_apart_under_colour_vision_deficiencies(open_page, scheme, contrast):
    page = open_page("index.html", color_scheme=scheme, contrast=contrast)
    page.wait_for_selector("#app canvas.scope")
    # the palette exactly as the renderer reads it (web/js/colors.js)
    colors = page.evaluate("""async () => {
        const { palette } = await import(new URL('js/colors.js', location.href).href);
        return palette(document.getElementById('app')); }""")
    background = parse_color(colors["background"])
    rgb = {"background": background[:3],
           "accent": composite(parse_color(colors["accent"]), background),
           "hover": composite(parse_color(colors["hover"]), background),
           **{name: tuple(colors[name]) for name in ("negative", "zero", "positive")}}
    distances = {(a, b, vision or "typical"): delta_e_2000(seen_as(rgb[a], vision), seen_as(rgb[b], vision))
                 for a, b in MEANINGFUL_PAIRS for vision in VISIONS}
    print(scheme, contrast, {name: tuple(round(v) for v in value) for name, value in rgb.items()})
    print("smallest ΔE2000:", sorted((round(d, 1), key) for key, d in distances.items())[:5])
    close = {key: round(d, 1) for key, d in distances.items() if d < MIN_DELTA_E}
    assert close == {}, f"{scheme}/{contrast}: colour pairs closer than ΔE2000 {MIN_DELTA_E}: {close}"
    # the outlines must also stand out from the background for everyone (WCAG 1.4.11: 3:1)
    for name in ("accent", "hover"):
        assert contrast_ratio(rgb[name], background) >= 3, name


@pytest.mark.parametrize("contrast", ["no-preference", "more"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_numbers_on_cells_reach_aa_contrast_on_every_fill(open_page, scheme, contrast):
    """A cell's number on its own fill, across the whole diverging scale, is ≥ 4.5:1: the
    fill from colors.js's valueColor, the ink as render.js's writeNumber picks it (white on
    a fill valueColor calls dark, the text colour otherwise)."""
    page = open_page("index.html", color_scheme=scheme, contrast=contrast)
    page.wait_for_selector("#app canvas.scope")
    cells = page.evaluate("""async () => {
        const { palette, valueColor } = await import(new URL('js/colors.js', location.href).href);
        const colors = palette(document.getElementById('app'));
        return Array.from({ length: 81 }, (_, i) => {
          const value = (i - 40) / 40, color = valueColor(colors, value, 1);
          return [value, color.fill, color.dark ? 'rgb(255, 255, 255)' : colors.text];
        }); }""")
    low = {value: round(contrast_ratio(parse_color(fill), parse_color(ink)), 2)
           for value, fill, ink in cells
           if contrast_ratio(parse_color(fill), parse_color(ink)) < 4.5}
    assert low == {}, f"{scheme}/{contrast}: cell value -> contrast below 4.5:1: {low}"
