// Model mode (#mode=model): paste a PyTorch model, see every layer's shape, parameters,
// MACs and receptive field, a feature map per layer, and step through any conv or pool
// layer on the activations that really reach it. Python parses and computes everything
// (convscope.model.page, through convscope.methods.model); this module only lays it out.
import { EngineError } from "./engine-client.js";
import { modelHash, parseModelHash } from "./model-link.js";
import { PICTURE_TYPES, PictureError, readPicture } from "./picture-input.js";
import { ScopeView } from "./scope-view.js";
import { viewMarkup } from "./template.js";

const COLUMNS = ["#", "Layer", "Output shape", "Parameters", "MACs", "Receptive field", "Jump", "Start", "Step view"];
// the last column holds buttons: its name is for screen readers only
const header = (name, i) => (i === COLUMNS.length - 1
  ? `<th scope="col"><span class="visually-hidden">${name}</span></th>` : `<th scope="col">${name}</th>`);
const fmt = (n) => n.toLocaleString("en");
const shapeText = (shape) => `[${shape.join(", ")}]`;

export function modelMarkup({ title = true } = {}) {
  return `
  ${title ? `<header class="masthead">
    <h1>conv<span>scope</span></h1>
    <p class="tagline">Model mode: paste a PyTorch model and see every layer's output shape, parameters, multiply-accumulates and receptive field — your code is read, never run, and stays in this page.</p>
  </header>` : ""}
  <div class="load" role="status" aria-live="polite">
    <progress data-testid="load-progress" max="100" value="0"></progress>
    <span class="load-stage">Loading the engine…</span>
  </div>
  <section class="model-editor" aria-label="Model code">
    <div class="model-toolbar">
      <label>example <select name="example" data-testid="model-example"></select></label>
      <label>input shape <input name="input_shape" data-testid="model-input" size="12" inputmode="numeric" title="N,C,H,W, e.g. 1,3,32,32"></label>
      <label class="model-picture">maps from your picture <input type="file" data-testid="model-picture" accept="${PICTURE_TYPES.join(",")}"></label>
      <a class="mode-switch" href="#">Back to the layer visualizer</a>
    </div>
    <div class="code-editor">
      <pre class="gutter" aria-hidden="true"></pre>
      <div class="code-area">
        <pre class="code-marks" aria-hidden="true"></pre>
        <textarea name="code" data-testid="model-code" spellcheck="false" autocapitalize="off" autocomplete="off" wrap="off" aria-label="PyTorch model code" aria-describedby="model-error"></textarea>
      </div>
    </div>
    <p class="field-error" id="model-error" data-testid="model-error" role="alert"></p>
  </section>
  <ul class="notices" data-testid="model-notices" aria-live="polite"></ul>
  <section class="model-summary" aria-label="Summary">
    <p class="stale-note" data-testid="model-stale" hidden>The code above does not give a model: the table and maps below are of the last code that did.</p>
    <div class="table-scroll" tabindex="0" aria-label="Summary table, scrolls sideways">
      <table data-testid="model-table">
        <caption>One row per layer (nested Sequentials flattened). Receptive field, jump and start in input pixels; — where no single window is shared.</caption>
        <thead><tr>${COLUMNS.map(header).join("")}</tr></thead>
        <tbody></tbody>
        <tfoot></tfoot>
      </table>
    </div>
  </section>
  <section class="model-strip" aria-label="Feature maps">
    <h2>Feature maps</h2>
    <p class="strip-note">After each layer, sample 0's channel with the widest range of values (ch k/C), scaled from its minimum (black) to its maximum (white); the input is the test card picture, your own picture (chosen above; it stays in this browser) or, for other channel counts, seeded random values; the weights are seeded as PyTorch initialises them. Click a cell of a map to box the cells it reads on every map before it.</p>
    <ol class="maps" data-testid="model-maps" tabindex="0" aria-label="Feature maps, one per layer; scrolls sideways"></ol>
  </section>
  <section class="model-practice" aria-labelledby="model-practice-title">
    <h2 id="model-practice-title">Practice on this model</h2>
    <p class="model-question" data-testid="model-question"></p>
    <form class="model-answer" novalidate>
      <label>your answer <input name="answer" data-testid="model-answer" autocomplete="off" size="16"></label>
      <button type="submit">Check</button>
      <button type="button" class="next-question">Another question</button>
    </form>
    <p class="model-marking" data-testid="model-marking" role="status"></p>
    <pre class="model-explanation" data-testid="model-explanation" hidden></pre>
  </section>
  <section class="model-layer" aria-labelledby="model-layer-title" hidden>
    <div class="model-layer-head">
      <h2 id="model-layer-title">Step through a layer</h2>
      <button type="button" class="model-layer-close">Close</button>
    </div>
    <div class="layer-view"></div>
  </section>`;
}

export class ModelView extends EventTarget {
  #examples = [];
  #generation = 0;
  #timer = null;
  #layerView = null;
  #layerIndex = null;
  #answer = null;
  #question = 0;  // the practice question's number in set 0 (the set follows the model)

  // link: a promise of parseModelHash's answer
  constructor(root, session, { link, locked = false }) {
    super();
    Object.assign(this, { root, session, locked });
    this.linked = link;
    this.code = root.querySelector('[data-testid="model-code"]');
    this.input = root.querySelector('[data-testid="model-input"]');
    this.example = root.querySelector('[data-testid="model-example"]');
    this.error = root.querySelector('[data-testid="model-error"]');
    if (locked) root.querySelector(".model-editor").inert = true;
    this.#wire();
    if (session.client.ready) this.#start();  // another widget started the shared engine
  }

  #wire() {
    const { root, session, code } = this;
    const client = session.client;
    client.addEventListener("progress", ({ detail }) => {
      root.querySelector('[data-testid="load-progress"]').value = detail.percent;
      root.querySelector(".load-stage").textContent = `${detail.stage}…`;
    });
    client.addEventListener("ready", () => this.#start());
    client.addEventListener("fatal", ({ detail }) => this.#showError(`The Python engine stopped: ${detail.message}. Reload the page to go on.`));
    code.addEventListener("input", () => { this.example.value = ""; this.#drawCode(); this.#later(); });
    code.addEventListener("scroll", () => this.#syncScroll());
    this.input.addEventListener("input", () => this.#later());
    root.querySelector('[data-testid="model-picture"]').addEventListener("change", async (event) => {
      const file = event.target.files[0];
      if (!file) return;
      try {
        // decoded here, scaled by Python to the input size; it never leaves the browser
        const picture = await readPicture(file);
        await this.session.setPicture(picture.rgba.slice().buffer, picture.width, picture.height);
      } catch (error) {
        if (!(error instanceof PictureError || error instanceof EngineError)) throw error;
        this.#notices([error.message]);
        return;
      }
      this.summarise();
    });
    this.example.addEventListener("change", () => {
      const chosen = this.#examples.find((e) => e.key === this.example.value);
      if (!chosen) return;
      code.value = chosen.code;
      this.input.value = chosen.input_shape.join(",");
      this.#drawCode();
      this.summarise();
    });
    root.querySelector(".model-summary tbody").addEventListener("click", (event) => {
      const button = event.target.closest("button[data-layer]");
      if (button) this.openLayer(Number(button.dataset.layer));
    });
    root.querySelector(".model-answer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.#practice(root.querySelector('[data-testid="model-answer"]').value);
    });
    root.querySelector(".next-question").addEventListener("click", () => {
      this.#question += 1;
      this.#practice();
    });
    root.querySelector(".model-layer-close").addEventListener("click", () => this.#closeLayer());
  }

  // first answer of the engine: the examples, then the link's model (or the default);
  // a restarted engine keeps what is in the editor
  async #start() {
    this.root.querySelector('[data-testid="load-progress"]').value = 100;
    if (!this.#examples.length) await this.#fill();
    this.#drawCode();
    await this.summarise();
  }

  async #fill() {
    const { default: fallback, examples } = await this.session.model({ action: "examples" });
    this.#examples = examples;
    this.example.replaceChildren(new Option("(your code)", ""),
      ...examples.map((e) => new Option(e.title, e.key)));
    const link = await this.linked;
    const chosen = examples.find((e) => e.key === link.example) ??
      (link.code ? null : examples.find((e) => e.key === fallback));
    this.code.value = link.code ?? chosen.code;
    this.example.value = chosen && !link.code ? chosen.key : "";
    this.input.value = link.input ?? (chosen ?? examples[0]).input_shape.join(",");
    this.#notices(link.notices);
  }

  #later() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.summarise(), 350);
  }

  get inputShape() {
    return this.input.value.split(/[,x×\s]+/).filter(Boolean).map(Number);
  }

  async summarise() {
    const mine = ++this.#generation;
    const request = { action: "summary", code: this.code.value, input_shape: this.inputShape };
    let answer;
    try {
      answer = await this.session.model(request);
    } catch (error) {
      if (mine !== this.#generation) return;
      if (!(error instanceof EngineError)) throw error;
      this.input.setAttribute("aria-invalid", String(error.field === "input_shape"));
      this.#showError(error.message);
      this.root.dataset.state = "error";
      return;
    }
    if (mine !== this.#generation) return;
    this.input.setAttribute("aria-invalid", "false");
    this.#drawCode(answer.code_error);
    if (answer.code_error) {
      this.#showError(answer.code_error.message);
    } else if (answer.layer_error) {
      this.#showError(answer.layer_error.message);
    } else {
      this.#showError("");
      this.#answer = answer;  // the last model that parsed: what the table shows
      this.#drawTable(answer);
      this.#drawMaps(answer);
      this.#notices(answer.notices);
      // an open step view follows the new model while its layer still steps, else closes
      if (this.#layerIndex !== null) {
        if (answer.rows[this.#layerIndex]?.steppable) this.openLayer(this.#layerIndex, { scroll: false });
        else this.#closeLayer();
      }
      await this.#practice();
    }
    const failed = Boolean(answer.code_error || answer.layer_error);
    // on an error the last good table and maps stay, marked as such
    for (const part of this.root.querySelectorAll(".model-summary, .model-strip")) {
      part.classList.toggle("stale", failed);
    }
    this.root.querySelector(".stale-note").hidden = !failed;
    this.root.dataset.state = failed ? "error" : "ready";
    this.dispatchEvent(new Event("change"));
  }

  // a question on the model shown (answer null), or the marking of an answer
  async #practice(answer = null) {
    const section = this.root.querySelector(".model-practice");
    const mine = this.#generation;  // a newer model's question replaces this one
    let asked;
    try {
      asked = await this.session.model({ action: "practice", seed: 0, index: this.#question, answer });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      section.hidden = true;
      return;
    }
    if (mine !== this.#generation) return;
    section.hidden = false;
    const marking = section.querySelector('[data-testid="model-marking"]');
    const explanation = section.querySelector('[data-testid="model-explanation"]');
    section.querySelector('[data-testid="model-question"]').textContent = asked.prompt;
    if (!asked.marking) {
      section.querySelector('[data-testid="model-answer"]').value = "";
      marking.textContent = "";
      explanation.hidden = true;
      return;
    }
    const { correct, understood, expected } = asked.marking;
    marking.textContent = correct ? `Right: ${expected}.`
      : understood ? `Not quite: the answer is ${expected}.`
      : `Write a number or a shape such as [1, 6, 28, 28]. Hint: ${asked.hint}`;
    marking.dataset.correct = String(correct);
    explanation.textContent = asked.marking.explanation;
    explanation.hidden = !understood;
  }

  #showError(message) {
    this.error.textContent = message;
    this.code.setAttribute("aria-invalid", String(Boolean(message)));
  }

  #notices(notices = []) {
    this.root.querySelector('[data-testid="model-notices"]').replaceChildren(...notices.map((text) => {
      const item = document.createElement("li");
      item.textContent = text;
      return item;
    }));
  }

  // line numbers, and the engine's error span underlined under the same characters
  #drawCode(codeError = null) {
    const text = this.code.value;
    const lines = text.split("\n");
    const gutter = this.root.querySelector(".gutter");
    gutter.replaceChildren(...lines.map((_, i) => {
      const number = document.createElement("span");
      number.textContent = `${i + 1}\n`;
      if (codeError && codeError.line === i + 1) number.className = "error-line";
      return number;
    }));
    const marks = this.root.querySelector(".code-marks");
    if (!codeError) {
      marks.textContent = `${text}\n`;
    } else {
      const offset = (line, column) => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
      const start = Math.min(offset(codeError.line, codeError.column), text.length);
      let end = Math.min(offset(codeError.end_line, codeError.end_column), text.length);
      if (end <= start) end = start + 1;
      const mark = document.createElement("mark");
      mark.className = "code-error";
      mark.dataset.testid = "code-error-mark";
      // past the end of a line (an unclosed bracket) the underline marks a space
      mark.textContent = text.slice(start, end).replace(/^\n?$/, " ") || " ";
      marks.replaceChildren(text.slice(0, start), mark, `${text.slice(end)}\n`);
    }
    this.#syncScroll();
  }

  #syncScroll() {
    const { scrollTop, scrollLeft } = this.code;
    const marks = this.root.querySelector(".code-marks");
    marks.scrollTop = scrollTop;
    marks.scrollLeft = scrollLeft;
    this.root.querySelector(".gutter").scrollTop = scrollTop;
  }

  #drawTable({ rows, totals }) {
    let column = 0;  // each cell carries its column's name: a phone shows it beside the value
    const cell = (text, className = "") => {
      const td = document.createElement("td");
      td.textContent = text;
      if (className) td.className = className;
      td.dataset.label = COLUMNS[column++ % COLUMNS.length];
      return td;
    };
    const body = rows.map((row) => {
      column = 0;
      const tr = document.createElement("tr");
      tr.dataset.index = row.index;
      const number = cell(String(row.index));
      const layer = cell("", "layer");
      const path = document.createElement("span");
      path.className = "path";
      path.textContent = row.path;
      const name = document.createElement("code");
      name.textContent = row.name;
      layer.append(path, " ", name);
      tr.append(number, layer, cell(shapeText(row.output_shape), "num"),
                cell(fmt(row.parameters), "num"), cell(fmt(row.macs), "num"),
                cell(row.receptive_text, "num"), cell(row.jump_text, "num"), cell(row.start_text, "num"));
      const step = cell("", "step");
      if (row.steppable && !this.locked) {
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.layer = row.index;
        button.textContent = "Step through";
        button.setAttribute("aria-label", `Step through layer ${row.path}`);
        step.append(button);
      }
      tr.append(step);
      return tr;
    });
    const table = this.root.querySelector('[data-testid="model-table"]');
    table.tBodies[0].replaceChildren(...body);
    const total = document.createElement("tr");
    const label = document.createElement("th");
    label.scope = "row";
    label.colSpan = 3;
    label.textContent = `Total (${rows.length} layers)`;
    column = 3;
    total.append(label, cell(fmt(totals.parameters), "num"), cell(fmt(totals.macs), "num"));
    total.dataset.testid = "model-totals";
    table.tFoot.replaceChildren(total);
  }

  #drawMaps({ rows, input_map: inputMap, input_name: inputName }) {
    const maps = this.root.querySelector('[data-testid="model-maps"]');
    const items = [];
    const item = (caption, map, index) => {
      const li = document.createElement("li");
      li.dataset.index = index;  // -1: the input
      const figure = document.createElement("figure");
      const frame = document.createElement("span");
      frame.className = "map-frame";
      const canvas = document.createElement("canvas");
      const [height, width] = map.grey.shape;
      Object.assign(canvas, { width, height });
      canvas.dataset.every = map.every;
      canvas.setAttribute("role", "img");
      canvas.setAttribute("aria-label", `${caption}: values ${map.low.toPrecision(3)} to ${map.high.toPrecision(3)}`);
      const pixels = new ImageData(width, height);
      map.grey.data.forEach((grey, i) => pixels.data.set([grey, grey, grey, 255], 4 * i));
      canvas.getContext("2d").putImageData(pixels, 0, 0);
      const text = document.createElement("figcaption");
      text.textContent = caption;
      frame.append(canvas);
      figure.append(frame, text);
      li.append(figure);
      items.push(li);
    };
    if (inputMap) item(`input · ${inputName}`, inputMap, -1);
    for (const row of rows) {
      if (row.map) item(`${row.index} ${row.path} · ch ${row.map.channel}/${row.map.channels} · ${row.output_shape.slice(2).join("×")}`, row.map, row.index);
    }
    maps.replaceChildren(...items);
    this.root.querySelector(".model-strip").hidden = items.length === 0;
    if (!maps.dataset.wired) {
      maps.dataset.wired = "1";
      maps.addEventListener("click", (event) => this.#pickCell(event));
    }
  }

  // a click on a layer's map: where that cell reads from, boxed on every map before it
  async #pickCell(event) {
    const canvas = event.target.closest("canvas");
    const index = Number(canvas?.closest("li").dataset.index);
    if (!canvas || index < 0) return;
    const box = canvas.getBoundingClientRect();
    const every = Number(canvas.dataset.every);
    const row = Math.min(canvas.height - 1, Math.floor((event.clientY - box.top) / box.height * canvas.height)) * every;
    const col = Math.min(canvas.width - 1, Math.floor((event.clientX - box.left) / box.width * canvas.width)) * every;
    let answer;
    try {
      answer = await this.session.model({ action: "field", index, row, col });
    } catch (error) {
      if (error instanceof EngineError) return;
      throw error;
    }
    this.#drawField(answer.boxes, index);
  }

  #drawField(boxes, picked) {
    for (const li of this.root.querySelectorAll('[data-testid="model-maps"] li')) {
      const index = Number(li.dataset.index);
      const frame = li.querySelector(".map-frame");
      frame.querySelector(".field-box")?.remove();
      const box = index <= picked ? boxes[index + 1] : null;
      if (!box) continue;
      const canvas = frame.querySelector("canvas");
      const every = Number(canvas.dataset.every);
      const [top, bottom, left, right] = box.map((v) => Math.floor(v / every));
      const mark = document.createElement("span");
      mark.className = index === picked ? "field-box picked" : "field-box";
      mark.dataset.box = box.join(",");
      // percentages of the map: the box follows the canvas however CSS scales it
      mark.style.setProperty("--top", `${100 * top / canvas.height}%`);
      mark.style.setProperty("--left", `${100 * left / canvas.width}%`);
      mark.style.setProperty("--height", `${100 * (bottom - top + 1) / canvas.height}%`);
      mark.style.setProperty("--width", `${100 * (right - left + 1) / canvas.width}%`);
      frame.append(mark);
    }
  }

  #closeLayer() {
    this.root.querySelector(".model-layer").hidden = true;
    this.#layerIndex = null;
  }

  // the step visualizer on layer `index`, with the activations that reach it
  async openLayer(index, { scroll = true } = {}) {
    const answer = await this.session.model({ action: "layer_state", index }).catch((error) => {
      if (!(error instanceof EngineError)) throw error;
      this.#notices([error.message]);
      return null;
    });
    if (!answer) return;
    this.#layerIndex = index;
    const section = this.root.querySelector(".model-layer");
    section.hidden = false;
    const row = this.#answer.rows[index];
    section.querySelector("h2").textContent = `Step through layer ${row.path}: ${row.name}`;
    if (!this.#layerView) {
      const root = section.querySelector(".layer-view");
      root.innerHTML = viewMarkup({ title: false, landmarks: false });
      // the view's compute is this layer on its real input, kept by the model page in Python
      const layerSession = Object.create(this.session);
      layerSession.compute = () => this.session.model({ action: "layer", index: this.#layerIndex });
      this.#layerView = new ScopeView(root, layerSession, { state: answer.state, notices: answer.notices, locked: true });
    } else {
      this.#layerView.load(answer.state, answer.notices);
    }
    if (scroll) section.scrollIntoView({ block: "start", behavior: matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth" });
  }

  // the link of what is shown: a shipped example by name, else the code compressed
  hash() {
    const example = this.example.value;
    return modelHash({ example, input: this.inputShape.join(","), code: this.code.value });
  }
}

// the whole page in model mode: markup, the view, its link kept in the hash
export function showModelPage(app, engine, { title = true, locked = false, keepLink = true } = {}) {
  if (!document.querySelector('link[href$="css/model.css"]')) {
    const sheet = document.createElement("link");
    sheet.rel = "stylesheet";
    sheet.href = new URL("../css/model.css", import.meta.url).href;
    document.head.append(sheet);
  }
  app.innerHTML = modelMarkup({ title });
  app.classList.add("model-mode");
  const view = new ModelView(app, engine.session(), { link: parseModelHash(location.hash), locked });
  if (keepLink) view.addEventListener("change", async () => {
    const hash = await view.hash();
    if (hash !== location.hash) history.replaceState(null, "", hash);
  });
  engine.start();
  return view;
}
