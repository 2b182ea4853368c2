"""Model mode on the page (#mode=model): the table shows the engine's numbers, a parse error
is underlined where the engine says, the link keeps the code, a layer opens in the step
visualizer on its real input, and nothing is requested off the site.

One page serves the tests of index.html in file order (each picks its example from the
page's own selector): Python starts once, not once per test."""

import re
import urllib.parse

import numpy as np
import pytest
from playwright.sync_api import expect

from convscope import methods
from convscope.model.examples import BY_KEY
from convscope.page.session import Session

pytestmark = pytest.mark.browser


def open_model(page, site, hash_, state="ready"):
    page.goto(site.url + "index.html" + hash_)
    page.wait_for_selector(f"#app[data-state={state}]", timeout=90_000)


def engine_summary(code, input_shape):
    session = Session()
    answer = methods.answer(session, "model", {"action": "summary", "code": code, "input_shape": list(input_shape)})
    return session, answer


@pytest.fixture(scope="module")
def model_page(browser, site):
    """index.html in model mode, its console errors and requests recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.errors, page.requests = [], []
    page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
    page.on("pageerror", lambda e: page.errors.append(f"uncaught: {e}"))
    page.on("request", lambda r: page.requests.append(r.url))
    open_model(page, site, "#mode=model&example=tiny_vgg")
    yield page
    context.close()


def box_on_screen(locator, timeout_s=30):
    """The locator's bounding box once it has one. The maps strip is redrawn whenever an
    answer comes in (an open layer view follows the new model too), so a map can be
    between two drawings when it is first measured."""
    import time

    deadline = time.monotonic() + timeout_s
    while (box := locator.bounding_box()) is None or not box["width"]:
        assert time.monotonic() < deadline, f"{locator} never came on screen"
        locator.page.wait_for_timeout(100)
    return box


def show_example(page, key):
    """Pick a shipped example in the page's selector; wait for its table."""
    example = BY_KEY[key]
    _, answer = engine_summary(example.code, example.input_shape)
    page.get_by_test_id("model-example").select_option(key)
    rows = page.locator('[data-testid="model-table"] tbody tr')
    expect(rows).to_have_count(len(answer["rows"]))
    expect(rows.nth(0).locator("td").nth(1)).to_have_text(
        f"{answer['rows'][0]['path']} {answer['rows'][0]['name']}")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")


def test_table_shows_the_engines_rows_and_totals(model_page):
    page = model_page
    example = BY_KEY["tiny_vgg"]
    _, answer = engine_summary(example.code, example.input_shape)
    rows = page.locator('[data-testid="model-table"] tbody tr')
    expect(rows).to_have_count(len(answer["rows"]))
    for index, row in enumerate(answer["rows"]):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_have_text(f"{row['path']} {row['name']}")
        expect(cells.nth(2)).to_have_text("[" + ", ".join(map(str, row["output_shape"])) + "]")
        expect(cells.nth(3)).to_have_text(f"{row['parameters']:,}")
        expect(cells.nth(4)).to_have_text(f"{row['macs']:,}")
        expect(cells.nth(5)).to_have_text(row["receptive_text"])
        expect(cells.nth(6)).to_have_text(row["jump_text"])
        expect(cells.nth(7)).to_have_text(row["start_text"])
    totals = page.get_by_test_id("model-totals").locator("td")
    expect(totals.nth(0)).to_have_text(f"{answer['totals']['parameters']:,}")
    expect(totals.nth(1)).to_have_text(f"{answer['totals']['macs']:,}")
    # Tiny VGG's last pool: 16 input pixels, 4 apart (CNN Explainer's numbers)
    expect(rows.nth(9).locator("td").nth(5)).to_have_text("16")
    # a map per layer with a spatial output, plus the input
    expect(page.locator('[data-testid="model-maps"] canvas')).to_have_count(
        1 + sum(row["map"] is not None for row in answer["rows"]))


def test_parse_error_is_underlined_where_the_engine_says_and_nothing_breaks(model_page):
    page = model_page
    show_example(page, "lenet5")
    good_rows = page.locator('[data-testid="model-table"] tbody tr').count()
    code = "model = nn.Sequential(\n    nn.Conv2d(1, 6, 5),\n    nn.ReLU(),\n    nn.Conv2d(6, 2, kernel_size=k),\n)\n"
    _, answer = engine_summary(code, (1, 1, 32, 32))
    error = answer["code_error"]
    page.get_by_test_id("model-code").fill(code)
    expect(page.locator("#app")).to_have_attribute("data-state", "error")
    expect(page.get_by_test_id("model-error")).to_have_text(error["message"])
    lines = code.split("\n")
    start = sum(len(line) + 1 for line in lines[:error["line"] - 1]) + error["column"] - 1
    end = sum(len(line) + 1 for line in lines[:error["end_line"] - 1]) + error["end_column"] - 1
    mark = page.get_by_test_id("code-error-mark")
    expect(mark).to_have_text(code[start:end])
    assert code[start:end] == "k"  # the engine points at the name that is not a literal
    expect(page.locator(".gutter .error-line")).to_have_text(str(error["line"]))
    # the underline sits under the characters: same box as the textarea's text
    box = mark.bounding_box()
    area = page.get_by_test_id("model-code").bounding_box()
    line_height = float(page.get_by_test_id("model-code").evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight)"))
    line_top = area["y"] + 8 + (error["line"] - 1) * line_height  # 8 px: the padding
    assert line_top <= box["y"] + box["height"] / 2 <= line_top + line_height
    char_width = box["width"] / (end - start)  # a monospace font
    assert abs(box["x"] - (area["x"] + 10 + (error["column"] - 1) * char_width)) < 2
    # the last good table stays, marked; fixing the code brings a new one
    expect(page.get_by_test_id("model-stale")).to_be_visible()
    expect(page.locator('[data-testid="model-table"] tbody tr')).to_have_count(good_rows)
    page.get_by_test_id("model-code").fill(code.replace("kernel_size=k", "kernel_size=3"))
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")
    expect(page.get_by_test_id("model-error")).to_have_text("")
    expect(page.get_by_test_id("code-error-mark")).to_have_count(0)
    expect(page.locator('[data-testid="model-table"] tbody tr')).to_have_count(3)


def test_a_layer_torch_refuses_is_named(model_page):
    page = model_page
    show_example(page, "lenet5")
    page.get_by_test_id("model-input").fill("1,3,32,32")
    expect(page.get_by_test_id("model-error")).to_contain_text(
        "layer conv1 (Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1))): Given groups=1")
    page.get_by_test_id("model-input").fill("1,1,32,32")
    expect(page.locator("#app")).to_have_attribute("data-state", "ready")


def test_step_through_opens_the_layer_on_its_real_input(model_page):
    page = model_page
    example = BY_KEY["lenet5"]
    session, answer = engine_summary(example.code, example.input_shape)
    view = methods.answer(session, "model", {"action": "layer", "index": 3})  # conv2, after conv1, relu, pool
    show_example(page, "lenet5")
    page.get_by_role("button", name="Step through layer conv2").click()
    section = page.locator(".model-layer")
    expect(section.locator("#model-layer-title")).to_contain_text("conv2: Conv2d(6, 16")
    layer_view = section.locator(".layer-view")
    expect(layer_view).to_have_attribute("data-state", "ready", timeout=60_000)
    expect(layer_view.get_by_test_id("output-shape")).to_have_text("[1, 16, 10, 10]")
    expect(layer_view.get_by_test_id("torch-code")).to_have_text(view["torch_line"])
    layer_view.locator("canvas.scope").click(position={"x": 2, "y": 2})
    page.keyboard.press("ArrowRight")
    step = session.step(1)
    expect(layer_view.get_by_test_id("step-index")).to_contain_text("step 2 / 1600")
    # float32 sums in Pyodide's NumPy and this NumPy may round apart in the last bit
    shown = float(layer_view.get_by_test_id("step-value").text_content())
    assert shown == pytest.approx(float(step["value_text"]), rel=1e-6, abs=1e-6)
    # what the visualizer steps through is the model's own conv2 on the pooled activations
    output = np.frombuffer(view["output"]["data"]).reshape(view["output"]["shape"])
    np.testing.assert_array_equal(output, session.held["model"].activations[3])
    np.testing.assert_array_equal(np.frombuffer(view["input"]["data"]).reshape(
        view["input"]["shape"]), session.held["model"].activations[2])


def test_embed_shows_a_locked_model(watched_page, site):
    page = watched_page
    page.goto(site.url + "embed.html#mode=model&example=resnet_stem&locked=true&theme=dark")
    page.wait_for_selector("#app[data-state=ready]", timeout=90_000)
    expect(page.locator('[data-testid="model-table"] tbody tr')).to_have_count(4)
    expect(page.locator(".model-editor")).to_have_js_property("inert", True)
    expect(page.get_by_role("button", name=re.compile("Step through"))).to_have_count(0)
    expect(page.locator("#app")).to_have_attribute("data-theme", "dark")


def test_clicking_a_map_cell_boxes_its_field_on_every_earlier_map(model_page):
    page = model_page
    example = BY_KEY["lenet5"]
    session, answer = engine_summary(example.code, example.input_shape)
    expected = methods.answer(session, "model", {"action": "field", "index": 5, "row": 2, "col": 2})["boxes"]
    show_example(page, "lenet5")
    canvas = page.locator('[data-testid="model-maps"] li[data-index="5"] canvas')
    box = box_on_screen(canvas)  # 5x5 map: the middle of cell (2, 2)
    canvas.click(position={"x": box["width"] * 2.5 / 5, "y": box["height"] * 2.5 / 5})
    marks = page.locator(".field-box")
    shown = [answer["rows"][i]["map"] is not None for i in range(6)]
    expect(marks).to_have_count(1 + sum(shown))
    expect(page.locator('li[data-index="-1"] .field-box')).to_have_attribute(
        "data-box", ",".join(map(str, expected[0])))
    assert expected[0] == [8, 23, 8, 23]  # 16 input pixels: the row's receptive field
    expect(page.locator('li[data-index="5"] .field-box.picked')).to_have_attribute(
        "data-box", "2,2,2,2")


def test_web_component_reads_the_model_code_it_holds(watched_page, site):
    page = watched_page
    code = "model = nn.Sequential(\n    nn.Conv2d(3, 4, 3, stride=2),\n    nn.ReLU(),\n)\n"
    _, answer = engine_summary(code, (1, 3, 9, 9))
    page.goto(site.url + "examples/tutorial.html")
    page.evaluate("""code => {
        const widget = document.createElement('conv-scope');
        widget.id = 'model-widget';
        widget.setAttribute('mode', 'model');
        widget.setAttribute('input', '1,3,9,9');
        // indented as in a page's markup: the widget takes the indentation off
        widget.textContent = code.split('\\n').map(l => '      ' + l).join('\\n');
        document.body.prepend(widget);
        widget.start();
    }""", code)
    widget = page.locator("conv-scope#model-widget")
    expect(widget).to_have_attribute("data-state", "ready", timeout=90_000)
    rows = widget.locator('[data-testid="model-table"] tbody tr')
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("td").nth(2)).to_have_text(
        "[" + ", ".join(map(str, answer["rows"][0]["output_shape"])) + "]")
    expect(widget.get_by_test_id("model-code")).to_have_value(code)


def test_practice_asks_about_the_model_in_the_editor_and_marks_answers(model_page):
    page = model_page
    example = BY_KEY["lenet5"]
    session, _ = engine_summary(example.code, example.input_shape)
    show_example(page, "lenet5")
    asked = methods.answer(session, "model", {"action": "practice", "seed": 0, "index": 0})
    # generous timeouts: each step is a call to Python, slow on a loaded machine
    expect(page.get_by_test_id("model-question")).to_have_text(asked["prompt"], timeout=20_000)
    right = methods.answer(session, "model", {"action": "practice", "seed": 0, "index": 0, "answer": "0"})
    page.get_by_test_id("model-answer").fill(right["marking"]["expected"])
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("model-marking")).to_have_text(
        f"Right: {right['marking']['expected']}.", timeout=20_000)
    expect(page.get_by_test_id("model-explanation")).to_have_text(right["marking"]["explanation"])
    page.get_by_role("button", name="Another question").click()
    following = methods.answer(session, "model", {"action": "practice", "seed": 0, "index": 1, "answer": "7"})
    expect(page.get_by_test_id("model-question")).to_have_text(following["prompt"],
                                                              timeout=20_000)
    page.get_by_test_id("model-answer").fill("7")
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_test_id("model-marking")).to_have_text(
        f"Not quite: the answer is {following['marking']['expected']}.", timeout=20_000)


def test_maps_run_the_users_own_picture(model_page, tmp_path):
    from PIL import Image

    page = model_page
    show_example(page, "tiny_vgg")
    pixels = np.random.default_rng(9).integers(0, 256, (24, 40, 3), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "mine.png")
    page.get_by_test_id("model-picture").set_input_files(tmp_path / "mine.png")
    caption = page.locator('[data-testid="model-maps"] li[data-index="-1"] figcaption')
    expect(caption).to_have_text("input · your picture")
    # the engine, given the same pixels, draws the same first map
    session = Session()
    rgba = np.concatenate([pixels, np.full((24, 40, 1), 255, np.uint8)], axis=2)
    session.set_picture(rgba.tobytes(), 40, 24)
    example = BY_KEY["tiny_vgg"]
    answer = methods.answer(session, "model", {"action": "summary", "code": example.code,
                            "input_shape": list(example.input_shape)})
    grey = np.frombuffer(answer["input_map"]["grey"]["data"]).astype(np.uint8)
    drawn = page.locator('[data-testid="model-maps"] li[data-index="-1"] canvas').evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)"
        ".filter((_, i) => i % 4 === 0)")
    # (Pyodide's NumPy may round a grey level the other way at a .5)
    assert np.abs(np.array(drawn, np.int16) - grey.astype(np.int16)).max() <= 1


def test_link_keeps_the_code_compressed_and_restores_it(model_page):
    """Last of the shared page's tests: it leaves the page on a link of its own."""
    page = model_page
    show_example(page, "conv_row")
    code = ("# mine: naïve blocks\nmodel = nn.Sequential(\n    nn.Conv2d(3, 8, 3, stride=2),\n"
            "    nn.GELU(),\n" + "    nn.Conv2d(8, 8, 3, padding=1),\n    nn.GELU(),\n" * 3 +
            "    nn.AdaptiveAvgPool2d(1),\n    nn.Flatten(),\n    nn.Linear(8, 2),\n)\n")
    page.get_by_test_id("model-code").fill(code)
    page.get_by_test_id("model-input").fill("2,3,20,20")
    expect(page).to_have_url(re.compile(r"#mode=model&input=2,3,20,20&code=[A-Za-z0-9_-]+$"))
    link = page.url
    # compressed, not just encoded: shorter than the code itself
    assert len(link.split("code=")[1]) < len(code) < len(urllib.parse.quote(code))
    page.goto("about:blank")
    page.goto(link)
    page.wait_for_selector("#app[data-state=ready]", timeout=90_000)
    expect(page.get_by_test_id("model-code")).to_have_value(code)
    expect(page.get_by_test_id("model-input")).to_have_value("2,3,20,20")
    expect(page.locator('[data-testid="model-table"] tbody tr')).to_have_count(11)


def test_the_model_page_logged_no_error_and_asked_nothing_off_the_site(model_page, site):
    """The shared page, after every test above used it."""
    assert model_page.errors == []
    allowed = (site.url, f"blob:{site.url}")
    assert [url for url in model_page.requests if not url.startswith(allowed)] == []
    assert len(model_page.requests) > 10  # it did load the site: the check saw requests
