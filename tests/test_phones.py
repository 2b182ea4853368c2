"""Phones, touch, keyboards and screen readers (issue 14's interactive half).

The stage stacks input, filter and output on a narrow screen so cells stay a finger's
width; the renderer reports the label boxes it drew, and none may overlap; a polite live
region says each step in the engine's words; the step table is an HTML table; a cell
cursor does from the keyboard what the mouse does; touch taps, long-presses and
double-taps cells. Screenshots land in test-artifacts/phone-*.png.
"""

import json
import re

import pytest
from conftest import ARTIFACTS
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEIGHT = 800
KINDS = {
    "conv2d": "",
    "max_pool2d": "#layer=max_pool2d",
    "scatter": "#layer=conv_transpose2d",
    "gather": "#layer=conv_transpose2d&view=gather",
    "avg_pool2d": "#layer=avg_pool2d&kernel_size=3&stride=1&padding=1",
    "groups": "#in_channels=4&out_channels=4&groups=2&input_size=4x4",
}
MIN_TOUCH = 24  # CSS px: layout.js's MIN_TOUCH


@pytest.fixture
def open_page(browser, site):
    """open_page(hash, width=360, **context options) -> a ready visualizer page."""
    contexts, pages = [], []

    def opener(hash_="", width=360, path="index.html", ready="#app[data-state=ready]", **options):
        context = browser.new_context(viewport={"width": width, "height": HEIGHT}, **options)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
        pages.append(page)
        page.goto(site.url + path + hash_)
        page.wait_for_selector(ready, timeout=60_000)
        return page

    yield opener
    errors = [error for page in pages for error in page.errors]
    for context in contexts:
        context.close()
    assert errors == []


def canvas_facts(page, selector="canvas.scope"):
    """The canvas's cell size, arrangement, CSS size and the label boxes drawn last."""
    page.wait_for_function(f"() => document.querySelector('{selector}')?.dataset.labels")
    return page.evaluate(f"""() => {{
        const c = document.querySelector('{selector}');
        return {{ cell: Number(c.dataset.cell), arrangement: c.dataset.arrangement,
                  width: c.getBoundingClientRect().width, height: c.getBoundingClientRect().height,
                  labels: JSON.parse(c.dataset.labels) }}; }}""")


def overlaps(boxes):
    """Pairs of label boxes [x, y, w, h, text] that intersect (touching edges do not)."""
    found = []
    for i, (x1, y1, w1, h1, t1) in enumerate(boxes):
        for x2, y2, w2, h2, t2 in boxes[i + 1:]:
            if x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1:
                found.append((t1, t2))
    return found


def outside(boxes, width, height):
    return [text for x, y, w, h, text in boxes
            if x < -0.5 or y < -0.5 or x + w > width + 0.5 or y + h > height + 0.5]


def sideways(page):
    return page.evaluate("() => document.documentElement.scrollWidth - innerWidth")


# --- the stage on a phone ------------------------------------------------------------------

@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("kind", KINDS)
def test_label_boxes_never_overlap_and_stay_on_the_canvas(open_page, kind, width):
    page = open_page(KINDS[kind], width)
    for step in range(3):  # the filter's labels and notes change with the step
        facts = canvas_facts(page)
        labels = facts["labels"]
        print(kind, width, facts["cell"], facts["arrangement"], [box[4] for box in labels])
        assert len(labels) >= 3, labels
        assert overlaps(labels) == [], f"{kind} at {width} px, step {step + 1}"
        assert outside(labels, facts["width"], facts["height"]) == [], f"{kind} at {width} px"
        page.get_by_role("button", name="Step forward").click()
        expect(page.get_by_test_id("step-index")).to_contain_text(f"step {step + 2} /")
    assert sideways(page) <= 0


def test_phone_stacks_the_default_view_with_finger_sized_cells(open_page):
    page = open_page("", 360, has_touch=True, is_mobile=True)
    facts = canvas_facts(page)
    assert facts["arrangement"] == "stack"
    assert facts["cell"] >= MIN_TOUCH
    # the cells measured on screen, not just the number the layout chose: input[0]'s
    # padded grid is 7 cells wide and starts at MARGIN
    assert facts["width"] >= 16 + 7 * MIN_TOUCH
    assert sideways(page) <= 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-default-360.png"), full_page=True)


@pytest.mark.parametrize("kind", ["max_pool2d", "scatter", "gather"])
def test_phone_cells_of_the_other_kinds_are_larger_than_side_by_side(open_page, kind):
    page = open_page(KINDS[kind], 360)
    facts = canvas_facts(page)
    print(kind, facts["cell"], facts["arrangement"])
    assert facts["cell"] >= 20  # gather draws a 13-wide spread input: 22 px at 360
    assert sideways(page) <= 0


def test_desktop_keeps_the_side_by_side_view(open_page):
    facts = canvas_facts(open_page("", 1280))
    assert facts["arrangement"] == "row"
    assert facts["cell"] >= 40


LAYOUT_PROPERTIES = """async () => {
  // the layout is a pure function: try it on made-up shapes at many widths
  const L = await import(new URL('js/layout.js', location.href).href);
  const view = (n, c, h, w, o, k, oh, ow, groups = 1) => ({
    padded: { shape: [n, c, h, w] }, filter_shape: [c / groups, k, k],
    output: { shape: [n, o, oh, ow] }, groups });
  const views = [view(1, 1, 7, 7, 2, 3, 5, 5), view(1, 3, 30, 30, 8, 3, 28, 28),
                 view(1, 4, 6, 6, 4, 3, 4, 4, 2), view(1, 1, 5, 5, 1, 5, 9, 9),
                 view(1, 2, 66, 66, 4, 3, 64, 64), view(1, 1, 3, 3, 1, 7, 9, 9)];
  const problems = [];
  for (const [i, v] of views.entries()) {
    for (const width of [280, 320, 360, 414, 600, 768, 1024, 1280]) {
      const layout = L.fitLayout(v, width, 620);
      const s = layout.shapes;
      const boxes = [
        ...layout.inputs.map((g) => [g.x, g.y, g.cols * layout.cell, g.rows * layout.cell]),
        ...layout.outputs.map((g) => [g.x, g.y, g.cols * layout.cell, g.rows * layout.cell]),
        ...Array.from({ length: s.groupChannels }, (_, slot) => {
          const f = L.filterGrid(layout, slot, slot);
          return [f.x, f.y, f.cols * f.cell, f.rows * f.cell]; }),
      ];
      for (let a = 0; a < boxes.length; a++) for (let b = a + 1; b < boxes.length; b++) {
        const [x1, y1, w1, h1] = boxes[a], [x2, y2, w2, h2] = boxes[b];
        if (x1 < x2 + w2 && x2 < x1 + w1 && y1 < y2 + h2 && y2 < y1 + h1)
          problems.push(`view ${i} at ${width}: grids ${a} and ${b} overlap`);
      }
      if (layout.width > width + 0.5) problems.push(`view ${i} at ${width}: ${layout.width} wide`);
      if (layout.arrangement === 'stack' && width >= L.STACK_BELOW)
        problems.push(`view ${i} at ${width}: stacked on a wide screen`);
      const row = L.fitCell(v, width, 620);
      if (layout.cell < Math.min(row, L.MIN_TOUCH))
        problems.push(`view ${i} at ${width}: cell ${layout.cell} < side by side ${row}`);
    }
  }
  return problems;
}"""


def test_the_layout_stacks_without_overlaps_at_every_width(open_page):
    page = open_page("", 1280)
    assert page.evaluate(LAYOUT_PROPERTIES) == []
