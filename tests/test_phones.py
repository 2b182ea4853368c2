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
        page.errors, page.axe_ran = [], False
        # axe-core sets inline styles while it measures; the page's CSP refuses them aloud
        page.on("console", lambda m: m.type == "error" and not (
            page.axe_ran and "Applying inline style violates" in m.text) and page.errors.append(m.text))
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


def test_player_and_controls_are_thumb_sized_on_a_phone(open_page):
    page = open_page("", 360, has_touch=True, is_mobile=True)
    small = page.evaluate("""() => [...document.querySelectorAll(
        '.player button, .player input, .code-panel button, form.controls input:not([type=checkbox]), form.controls select')]
      .filter((el) => el.offsetParent)
      .map((el) => [el.getAttribute('aria-label') || el.name || el.textContent.trim(),
                    Math.round(el.getBoundingClientRect().width), Math.round(el.getBoundingClientRect().height)])
      .filter(([, w, h]) => w < 44 || h < 44)""")
    assert small == []
    assert sideways(page) <= 0


# --- screen readers ------------------------------------------------------------------------

def spoken(page):
    return page.get_by_test_id("step-spoken").inner_text()


def test_live_region_says_every_step_in_the_engines_words(open_page):
    page = open_page("#weights=ones&bias=false", 1280)
    region = page.get_by_test_id("step-spoken")
    assert region.get_attribute("aria-live") == "polite"
    assert page.locator("canvas.scope").get_attribute("aria-describedby") == region.get_attribute("id")
    expect(region).to_have_text("output[0, 0, 0, 0] = 12: 9 products of input and weight")
    said = [spoken(page)]
    page.locator("canvas.scope").focus()
    for number in range(2, 6):
        page.keyboard.press("ArrowRight")
        expect(page.get_by_test_id("step-index")).to_contain_text(f"step {number} /")
        expect(region).not_to_have_text(said[-1])
        said.append(spoken(page))
        assert said[-1].startswith(f"output[0, 0, 0, {number - 1}] = ")
    assert len(set(said)) == 5
    # playing is quiet (a step every 17 ms would flood the reader); pausing says where it stopped
    page.locator(".speed input").fill("60")
    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => parseInt(document.querySelector('[data-testid=step-index]')"
                           ".textContent.slice(5)) >= 15")
    assert spoken(page) == said[-1]
    page.get_by_role("button", name="Pause").click()
    page.wait_for_timeout(300)
    title = re.search(r"· (output\[[^\]]+\])", page.get_by_test_id("step-index").inner_text()).group(1)
    expect(region).to_contain_text(title)


@pytest.mark.parametrize("kind", ["max_pool2d", "scatter", "gather"])
def test_live_region_speaks_for_every_kind(open_page, kind):
    page = open_page(KINDS[kind], 1280)
    first = spoken(page)
    assert re.match(r"(output|input)\[0, 0, 0, 0\] = ", first), first
    page.get_by_role("button", name="Step forward").click()
    expect(page.get_by_test_id("step-spoken")).not_to_have_text(first)


@pytest.mark.parametrize("width", [360, 1280])
def test_step_table_is_an_html_table_of_the_engines_rows(open_page, width):
    from axe_playwright_python.sync_playwright import Axe

    page = open_page("", width)
    page.get_by_text("Step table", exact=True).click()
    table = page.get_by_test_id("step-table")
    expect(table.locator("tbody tr")).to_have_count(50)
    headers = table.locator("thead th").all_inner_texts()
    assert headers[:4] == ["n", "o", "y", "x"] and "value" in headers
    assert table.locator("caption").inner_text()
    expect(page.get_by_test_id("step-table-note")).to_have_text("All 50 steps.")
    # row 1 is step 1's, and the current step's row is marked
    value = page.get_by_test_id("step-value").inner_text()
    first = table.locator("tbody tr").first.locator("td").all_inner_texts()
    assert float(first[headers.index("value")]) == pytest.approx(float(value), abs=1e-6)
    expect(table.locator("tbody tr").first).to_have_attribute("aria-current", "true")
    page.get_by_role("button", name="Step forward").click()
    expect(table.locator("tbody tr").nth(1)).to_have_attribute("aria-current", "true")
    assert sideways(page) <= 0
    page.axe_ran = True
    violations = Axe().run(page, context=".stage").response["violations"]
    assert [violation["id"] for violation in violations] == []
    # a large view: the first 200 rows and a note
    page.goto(page.url.split("#")[0] + "#input_size=20x20")
    expect(page.get_by_test_id("step-table-note")).to_contain_text("first 200 of 800 steps")
    expect(table.locator("tbody tr")).to_have_count(200)


# --- keyboard ------------------------------------------------------------------------------

def test_keyboard_cell_cursor_does_what_the_mouse_does(open_page):
    page = open_page("#weights=ones&bias=false", 1280)
    canvas = page.locator("canvas.scope")
    canvas.focus()
    page.keyboard.press("o")  # the cursor on the output: the step's own cell
    expect(canvas).to_have_attribute("data-cursor", "output[0] row 0, column 0")
    expect(canvas).to_have_attribute("data-hover", "receptive field of output[0, 0, 0, 0]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    expect(canvas).to_have_attribute("data-hover", "receptive field of output[0, 0, 1, 1]")
    expect(page.get_by_test_id("step-spoken")).to_contain_text("output[0, 0, 1, 1] = ")
    expect(page.get_by_test_id("step-index")).to_contain_text("step 1 /")  # arrows did not step
    page.keyboard.press("PageDown")
    expect(canvas).to_have_attribute("data-hover", "receptive field of output[0, 1, 1, 1]")
    page.keyboard.press("i")  # the input: the window's first cell (padding), then a real one
    expect(canvas).to_have_attribute("data-cursor", "drawn input[0] row 0, column 0")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowRight")
    expect(canvas).to_have_attribute("data-hover", re.compile(r"input\[0, 0, 0\] feeds 8 output cells"))
    page.keyboard.press("Enter")  # types a value, as a double-click does
    editor = page.locator(".cell-editor")
    expect(editor).to_be_focused()
    editor.fill("2.5")
    editor.press("Enter")
    expect(page.get_by_test_id("step-value")).to_have_text("14.5")
    expect(canvas).to_be_focused()  # back on the picture, the cursor still on
    page.keyboard.press("w")  # the weights: Enter types one
    expect(canvas).to_have_attribute("data-cursor", "weight[0, 0, 0, 0]")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    editor.press("Escape")
    expect(canvas).to_be_focused()
    page.keyboard.press("Escape")  # the arrows step again
    expect(canvas).not_to_have_attribute("data-cursor", re.compile("."))
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("step-index")).to_contain_text("step 2 /")
    # the focus ring is visible on the picture
    outline = page.evaluate("() => getComputedStyle(document.querySelector('canvas.scope')).outlineStyle")
    assert outline == "solid"
    ARTIFACTS.mkdir(exist_ok=True)
    page.keyboard.press("o")
    page.locator(".stage").screenshot(path=str(ARTIFACTS / "phone-keyboard-cursor.png"))


# --- touch ---------------------------------------------------------------------------------

def long_press(page, x, y, ms=700):
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    page.wait_for_timeout(ms)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_touch_tap_hovers_long_press_and_double_tap_edit(open_page):
    page = open_page("#weights=ones&bias=false", 360, has_touch=True, is_mobile=True)
    canvas = page.locator("canvas.scope")
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
    facts = canvas_facts(page)
    assert facts["arrangement"] == "stack"
    grids = json.loads(canvas.get_attribute("data-grids"))
    box = canvas.bounding_box()

    def centre(kind, channel, row, col):
        x, y, cell = grids[kind][channel]
        return box["x"] + x + (col + 0.5) * cell, box["y"] + y + (row + 0.5) * cell

    page.touchscreen.tap(*centre("outputs", 1, 2, 3))
    expect(canvas).to_have_attribute("data-hover", "receptive field of output[0, 1, 2, 3]")
    page.touchscreen.tap(*centre("inputs", 0, 1, 1))
    expect(canvas).to_have_attribute("data-hover", re.compile(r"input\[0, 0, 0\] feeds 8 output cells"))
    editor = page.locator(".cell-editor")
    long_press(page, *centre("inputs", 0, 1, 1))
    expect(editor).to_be_focused()
    editor.fill("2.5")
    editor.press("Enter")
    expect(page.get_by_test_id("step-value")).to_have_text("14.5")
    canvas.evaluate("c => c.scrollIntoView({block: 'center'})")
    box = canvas.bounding_box()
    x, y = centre("inputs", 0, 2, 2)
    page.touchscreen.tap(x, y)
    page.wait_for_timeout(120)
    page.touchscreen.tap(x, y)
    expect(editor).to_be_focused()
    assert editor.input_value() == "6"  # input[0, 0, 1, 1] of arange
    editor.press("Escape")
    # the player works by touch
    page.get_by_role("button", name="Step forward").tap()
    expect(page.get_by_test_id("step-index")).to_contain_text("step 2 /")
    page.get_by_role("button", name="Last step").tap()
    expect(page.get_by_test_id("step-index")).to_contain_text("step 50 /")


# --- embeds follow their own width ---------------------------------------------------------

def test_conv_scope_in_a_narrow_column_stacks_on_a_wide_screen(open_page):
    page = open_page("", 1280, path="examples/tutorial.html",
                     ready="conv-scope#rgb-16[data-state=ready]")
    # a widget added to a 360 px column of a 1280 px page: it follows its column
    page.evaluate("""() => {
        const column = document.createElement('div');
        column.style.width = '360px';
        const widget = document.createElement('conv-scope');
        widget.id = 'narrow';
        column.append(widget);
        document.querySelector('main, body').prepend(column);
        widget.start(); }""")
    page.wait_for_function("() => document.getElementById('narrow').dataset.state === 'ready'",
                           timeout=60_000)
    facts = page.evaluate("""() => { const c = document.getElementById('narrow').shadowRoot
        .querySelector('canvas.scope'); return [c.dataset.arrangement, Number(c.dataset.cell)]; }""")
    assert facts[0] == "stack" and facts[1] >= MIN_TOUCH, facts
    assert sideways(page) <= 0
