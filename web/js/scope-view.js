// One convscope view: state -> engine session -> view -> canvas + text panels.
// The page, the embed and every <conv-scope> element each own one; they may
// share one engine (one Pyodide worker) through separate sessions.
import { Controls } from "./controls.js";
import { palette } from "./colors.js";
import { EngineError } from "./engine-client.js";
import { filterGrid, fitLayout, hitTest } from "./layout.js";
import { copyText, showNotices, showStep, showTable, showView } from "./panels.js";
import { Player } from "./player.js";
import { Renderer, realCells } from "./render.js";
import { loadFrame } from "./frames.js";
import { PictureError, fileFrom, readPicture, showPicture } from "./picture-input.js";
import { engineConfig, frameKey, toHash, withEdit, withLayer } from "./state.js";

const STEP_CACHE = 512;
const TABLE_ROWS = 200;  // the HTML step table shows the first ones; the export has all

export class ScopeView extends EventTarget {
  #view = null;         // the last valid view; stays drawn while settings are bad
  #generation = 0;      // bumps with every compute; late answers for older ones are dropped
  #steps = new Map();   // index -> step data of the current view
  #shown = null;        // the step on screen
  #hover = {};          // {step} or {touching} under the pointer
  #live = false;        // the live engine has drawn: prebuilt frames no longer apply
  #picture = null;      // the user's own picture (input "picture"): kept here, never in the URL
  #pictureSent = null;  // the picture this view's engine session holds (none after a restart)
  #cursor = null;       // the keyboard's cell cursor: {panel, channel, row, col} or null

  // root: an element holding viewMarkup(); session: an EngineSession
  constructor(root, session, { state, notices = [], locked = false, autoplay = false,
                               keys = root } = {}) {
    super();
    Object.assign(this, { root, session, locked, autoplay });
    this.canvas = root.querySelector("canvas.scope");
    this.viewport = root.querySelector(".viewport");
    this.zoom = root.querySelector(".zoom input");
    this.editor = root.querySelector(".cell-editor");
    this.controls = new Controls(root.querySelector("form.controls"));
    this.player = new Player(root.querySelector(".player"));
    this.renderer = new Renderer(this.canvas);
    if (locked) root.querySelector("form.controls").inert = true;
    this.load(state, notices);
    this.#wire(keys);
    // settles once a prebuilt frame is drawn (or there is none): start Python after it
    this.prebuilt = this.#showPrebuilt().catch(() => {});
  }

  get state() {
    return this.current;
  }

  // a whole new state from outside (a link, an attribute); recomputes when ready
  load(state, notices = []) {
    this.current = state;
    showNotices(this.root, notices);
    this.controls.show(state);
    if (this.session.client.ready) this.recompute();
  }

  #change(key, value) {
    this.#changeAll(key === "layer" ? withLayer(this.current, value) : { ...this.current, [key]: value });
  }

  // several settings at once (a chosen one-hot cell sets three): one recompute
  #changeAll(state) {
    this.current = state;
    this.controls.show(this.current);
    this.#announce();
    if (this.session.client.ready) this.recompute();
    // before Python is up the prebuilt view stays; say the change waits for it
    else this.root.querySelector('[data-testid="pending"]').hidden = false;
  }

  #announce() {
    this.dispatchEvent(new CustomEvent("change", { detail: { state: this.current } }));
  }

  async recompute() {
    const mine = ++this.#generation;
    this.root.querySelector('[data-testid="pending"]').hidden = true;
    let result;
    try {
      await this.#sendPicture();
      result = await this.session.compute(engineConfig(this.current));
    } catch (error) {
      if (mine !== this.#generation) return;
      if (!(error instanceof EngineError)) throw error;
      this.controls.showError(error.field, error.message);
      this.#setStatus("error");
      return;
    }
    if (mine !== this.#generation) return;
    this.controls.clearErrors();
    this.#live = true;
    this.#applyView(result);
    // the picture the drawn input came from ("" for a preset), for automation
    this.root.dataset.picture = this.current.input === "picture" ? this.#picture.name : "";
    // "ready" once the step is on screen, so the view answers clicks and keys at once
    await this.#stepData(this.player.index).catch(() => {});
    if (mine !== this.#generation) return;
    this.root.dataset.frame = "live";
    this.#setStatus("ready");
    if (this.autoplay) {
      this.autoplay = false;
      // a reader who asked for less motion starts it with Play
      if (!matchMedia("(prefers-reduced-motion: reduce)").matches) this.player.play();
    }
  }

  // the engine session gets the user's picture before the first compute that reads it
  async #sendPicture() {
    const picture = this.#picture;
    if (this.current.input !== "picture" || !picture || this.#pictureSent === picture) return;
    // a copy goes (its buffer handed over): the page keeps the picture for a restarted engine
    await this.session.setPicture(picture.rgba.slice().buffer, picture.width, picture.height);
    this.#pictureSent = picture;
  }

  // a file chosen, dropped or pasted becomes the input; a file that is no picture is
  // refused at the input control, and the view and settings stay as they were
  async #usePicture(file) {
    if (!file || this.locked) return;
    let picture;
    try {
      picture = await readPicture(file);
    } catch (error) {
      if (!(error instanceof PictureError)) throw error;
      this.controls.showError("input", error.message);
      return;
    }
    this.#picture = picture;
    showPicture(this.root.querySelector(".picture-thumb"),
                this.root.querySelector(".picture-name"), picture);
    this.#change("input", "picture");  // computed again even when it already was "picture"
  }

  // steps: step data already at hand (a prebuilt frame's), by index
  #applyView(view, steps = []) {
    this.#view = view;
    this.#steps = new Map(steps.map((step, index) => [index, Promise.resolve(step)]));
    this.#shown = null;
    this.#hover = {};
    showView(this.root, view);
    this.relayout();
    this.player.setCount(view.steps, this.current.step);
    this.#clampCursor();
    this.#refreshTable();
  }

  // Before Python is up: draw the frame the build computed for this setup, if any,
  // with its steps (all of them for a small view: it plays before Python is up).
  // The live engine redraws the same numbers when it is ready.
  async #showPrebuilt() {
    if (this.#live || this.current.step !== 0) return;
    const key = frameKey(this.current);
    const frame = await loadFrame(key);
    if (!frame || this.#live || this.#view || frameKey(this.current) !== key) return;
    this.#applyView(frame.view, frame.steps);
    this.root.dataset.frame = "prebuilt";
  }

  #setStatus(status) {
    this.root.dataset.state = status;
    this.dispatchEvent(new CustomEvent("status", { detail: { status } }));
  }

  relayout() {
    if (!this.#view) return;
    // fit the viewport's own height cap (CSS), so an embed never grows itself in a loop
    const height = Number.parseFloat(getComputedStyle(this.viewport).maxHeight) || 600;
    const layout = fitLayout(this.#view, this.viewport.clientWidth - 4, height, Number(this.zoom.value));
    this.renderer.setView(this.#view, layout, palette(this.root));
    this.canvas.dataset.cell = String(layout.cell);  // lets automation find cells: grids start at MARGIN
    this.canvas.dataset.arrangement = layout.arrangement;  // "row" (side by side) or "stack"
    const place = (grid) => [grid.x, grid.y, grid.cell ?? layout.cell];
    this.canvas.dataset.grids = JSON.stringify({ inputs: layout.inputs.map(place),
                                                 outputs: layout.outputs.map(place) });
    if (this.#shown) this.#draw();
  }

  #stepData(index) {
    if (!this.#steps.has(index)) {
      if (this.#steps.size >= STEP_CACHE) this.#steps.delete(this.#steps.keys().next().value);
      this.#steps.set(index, this.session.step(index));
    }
    return this.#steps.get(index);
  }

  async #showIndex(index) {
    const mine = this.#generation;
    let step;
    try {
      step = await this.#stepData(index);
    } catch (error) {
      if (error instanceof EngineError) return;  // a newer view replaced this one
      throw error;
    }
    if (mine !== this.#generation || this.player.index !== index) return;
    const previous = this.#shown && this.#shown.index === index - 1 ? this.#shown : null;
    this.#shown = step;
    this.#shown.previous = previous;
    if (this.current.step !== index) {
      this.current = { ...this.current, step: index };
      this.#announce();
    }
    this.#draw();
    showStep(this.root, step, this.#view.steps);
    if (!this.player.playing) this.#speak(step.spoken ?? step.title);
    this.#markTableRow(step.index);
  }

  #draw() {
    performance.mark("convscope:draw-start");
    this.renderer.draw({ step: this.#shown, previous: this.#shown.previous,
                         hoverStep: this.#hover.step, touching: this.#hover.touching,
                         cursor: this.#cursor });
    // the label boxes the renderer drew, for tests: none may overlap another
    this.canvas.dataset.labels = JSON.stringify(this.renderer.labelBoxes.map(
      ({ x, y, width, height, text }) => [Math.round(x * 10) / 10, Math.round(y * 10) / 10,
                                          Math.round(width * 10) / 10, Math.round(height * 10) / 10, text]));
    performance.measure("convscope:draw", "convscope:draw-start");
    if (!performance.getEntriesByName("convscope:first-frame").length) {
      performance.mark("convscope:first-frame");
    }
    this.canvas.dataset.hover = this.#describeHover();
  }

  // what the highlight under the pointer means, for screen readers and tests
  #describeHover() {
    const hover = this.#hover;
    if (hover.step) return `receptive field of ${hover.step.title}`;
    if (hover.touching) {
      const { channels, rows, cols } = hover.touching;
      const cells = channels.length * rows.length * cols.length;
      return `input[${hover.source.join(", ")}] feeds ${cells} output cells`;
    }
    return "";
  }

  #hit(event, channels) {
    const rect = this.canvas.getBoundingClientRect();
    return hitTest(this.renderer.layout, event.clientX - rect.left, event.clientY - rect.top,
                   channels);
  }

  #pointAt(event) {
    if (this.#view && this.#shown) return this.#hoverAt(this.#hit(event));
  }

  // what the pointer (or the keyboard's cell cursor) is on: highlight what it means
  async #hoverAt(hit) {
    const view = this.#view;
    if (!view || !this.#shown) return;
    const key = hit ? `${hit.panel}:${hit.channel}:${hit.row}:${hit.col}` : "";
    if (key === this.#hover.key) return;
    this.#hover = { key };
    const mine = this.#generation;
    const stillHere = () => this.#hover.key === key && mine === this.#generation;
    if (hit?.panel === "output" && view.output_steps !== false) {
      const s = this.renderer.layout.shapes;
      const n = this.#shown.position[0];
      const index = ((n * s.outChannels + hit.channel) * s.outH + hit.row) * s.outW + hit.col;
      const step = await this.#stepData(index).catch(() => null);
      if (stillHere()) this.#hover.step = step;
    } else if (hit?.panel === "input") {
      // a padding cell holds a copy of some input pixel (or a zero): follow it to its source
      const row = view.row_sources[hit.row];
      const col = view.col_sources[hit.col];
      if (row >= 0 && col >= 0) {
        const touching = await this.session.touching(hit.channel, row, col).catch(() => null);
        if (stillHere()) Object.assign(this.#hover, { touching, source: [hit.channel, row, col] });
      }
    }
    if (this.#hover.key === key) this.#draw();
  }

  // Double-click an input or weight cell to type a value; it becomes an edit in the
  // state (and the link), applied by the engine over the preset.
  #editCell(event) {
    if (this.#view && this.#shown) return this.#editAt(this.#hit(event, this.#shown.reads.channels));
    return false;
  }

  #editAt(hit) {
    const view = this.#view;
    if (!view || !this.#shown || this.locked) return;
    if (!hit || hit.panel === "output" || (hit.panel === "filter" && !this.#shown.filter?.sources)) return;
    if (hit.panel === "input" && view.onehot_pick) {
      // a backward view draws grad_output on the left: a cell chosen there is the one-hot
      // upstream gradient (of sample 0, as the engine's one-hot cell is)
      this.#changeAll({ ...this.current, upstream: "onehot", onehot_channel: hit.channel,
                        onehot_cell: [hit.row, hit.col] });
      return true;
    }
    let key, index, offset;
    if (hit.panel === "input") {
      const [, channels, height, width] = view.input.shape;
      if (!realCells(view)(hit.row, hit.col)) return;  // padding is made, not typed
      const [row, col] = [view.row_sources[hit.row], view.col_sources[hit.col]];
      const n = this.#shown.position[0];
      key = "input_edits";
      index = [n, hit.channel, row, col];
      offset = ((n * channels + hit.channel) * height + row) * width + col;
    } else {
      const [, second, kernelH, kernelW] = view.weight.shape;
      key = "weight_edits";
      index = this.#weightCell(hit.channel, hit.row, hit.col);
      const [a, b, row, col] = index;
      offset = ((a * second + b) * kernelH + row) * kernelW + col;
    }
    const data = key === "input_edits" ? view.input.data : view.weight.data;
    const { cell } = hit.grid;
    const editor = this.editor;
    Object.assign(editor.style, {
      left: `${this.canvas.offsetLeft + hit.grid.x + hit.col * cell}px`,
      top: `${this.canvas.offsetTop + hit.grid.y + hit.row * cell}px`,
      width: `${Math.max(cell, 56)}px`, height: `${Math.max(cell, 24)}px`,
    });
    editor.value = String(data[offset]);
    editor.dataset.target = JSON.stringify({ key, index });
    editor.removeAttribute("aria-invalid");
    editor.hidden = false;
    editor.focus();
    editor.select();
    return true;
  }

  #commitEdit() {
    const editor = this.editor;
    if (editor.hidden) return;
    const text = editor.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      editor.setAttribute("aria-invalid", "true");
      return;
    }
    const { key, index } = JSON.parse(editor.dataset.target);
    editor.hidden = true;
    this.#change(key, withEdit(this.current[key], index, value));
  }

  #wire(keys) {
    const { root, session, canvas, editor, player, controls } = this;
    const client = session.client;
    client.addEventListener("progress", ({ detail }) => {
      root.querySelector('[data-testid="load-progress"]').value = detail.percent;
      root.querySelector(".load-stage").textContent = `${detail.stage}…`;
    });
    client.addEventListener("ready", () => {
      root.querySelector('[data-testid="load-progress"]').value = 100;
      this.recompute();
    });
    const down = root.querySelector(".engine-down");
    client.addEventListener("fatal", ({ detail }) => {
      this.#setStatus("error");
      down.querySelector("p").textContent = `The Python engine stopped: ${detail.message}. ` +
        "Restart it to go on; your settings are kept.";
      down.hidden = false;
    });
    client.addEventListener("start", () => {
      this.#pictureSent = null;  // a new worker: its sessions start empty
      down.hidden = true;
      if (this.#view) this.#setStatus("loading");
    });
    down.querySelector("button.restart").addEventListener("click", () => client.restart());
    controls.addEventListener("edit", ({ detail: { key, value } }) => this.#change(key, value));
    player.addEventListener("step", ({ detail: { index } }) => {
      if (this.#view) this.#showIndex(index);
    });
    keys.addEventListener("keydown", (event) => player.handleKey(event));
    this.zoom.addEventListener("input", () => this.relayout());
    new ResizeObserver(() => this.relayout()).observe(this.viewport);
    // the canvas's colours come from CSS: redraw when the system theme changes
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.relayout());
    canvas.addEventListener("mousemove", (event) => this.#pointAt(event));
    canvas.addEventListener("mouseleave", () => {
      this.#hover = {};
      if (this.#shown) this.#draw();
    });
    canvas.addEventListener("dblclick", (event) => this.#editCell(event));
    this.#wireAccess();
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.#commitEdit();
      if (event.key === "Escape") editor.hidden = true;
      event.stopPropagation();  // typing a value must not step the animation
    });
    editor.addEventListener("blur", () => { editor.hidden = true; });
    for (const button of root.querySelectorAll("button.copy, button.share")) {
      button.dataset.label = button.textContent;
    }
    root.addEventListener("click", (event) => {
      const button = event.target.closest("button.copy, button.share");
      if (!button) return;
      const share = button.classList.contains("share");
      const text = share ? this.link() : root.querySelector(`[data-testid="${button.dataset.copy}"]`).textContent;
      copyText(text, button);
      if (share && this.current.input === "picture") {
        showNotices(root, ["The link keeps input=picture but cannot carry the picture itself: " +
                           "whoever opens it is asked to choose, drop or paste their own."]);
      }
    });
    this.#wirePicture(keys);
    root.querySelector(".exports").addEventListener("click", (event) => {
      const format = event.target.closest("button[data-export]")?.dataset.export;
      if (format) this.#export(format);
    });
    root.querySelector("details.reproduce").addEventListener("toggle", async (event) => {
      if (!event.target.open || !this.#view) return;
      const code = root.querySelector('[data-testid="reproduce-code"]');
      code.textContent = "Writing the script…";
      try {
        code.textContent = await session.snippet();
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        code.textContent = error.message;  // e.g. a restarted engine has computed nothing yet
      }
    });
  }

  // the picture's three ways in: the file input, a drop on the stage, a paste on the page
  #wirePicture(keys) {
    const { root, viewport } = this;
    showPicture(root.querySelector(".picture-thumb"), root.querySelector(".picture-name"), null);
    const chooser = root.querySelector(".picture-input input[type=file]");
    chooser.addEventListener("change", () => {
      this.#usePicture(chooser.files[0]);
      chooser.value = "";  // the same file chosen again is a new choice
    });
    const carriesFiles = (event) => event.dataTransfer?.types.includes("Files") && !this.locked;
    viewport.addEventListener("dragover", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();  // lets the drop happen here, not open the file in the tab
      event.dataTransfer.dropEffect = "copy";
      viewport.classList.add("dropping");
    });
    viewport.addEventListener("dragleave", () => viewport.classList.remove("dropping"));
    viewport.addEventListener("drop", (event) => {
      viewport.classList.remove("dropping");
      if (!carriesFiles(event)) return;
      event.preventDefault();
      this.#usePicture(fileFrom(event.dataTransfer));
    });
    keys.addEventListener("paste", (event) => {
      const file = fileFrom(event.clipboardData);
      if (!file) return;  // text pasted into a field stays text
      event.preventDefault();
      this.#usePicture(file);
    });
  }

  // --- screen readers, keyboards and touch ---------------------------------------------

  // The polite live region says the step in the engine's words (its `spoken`). While
  // playing it stays quiet (a step every 250 ms would queue up faster than speech);
  // pausing says the step it stopped on. The canvas is described by the same text.
  #speak(text) {
    const region = this.root.querySelector('[data-testid="step-spoken"]');
    if (region && text && region.textContent !== text) region.textContent = text;
  }

  #wireAccess() {
    const { canvas, editor, player, root } = this;
    player.addEventListener("pause", () => {
      if (this.#shown) this.#speak(this.#shown.spoken ?? this.#shown.title);
    });
    // the cell cursor has the arrows while it is on; the player has them otherwise
    canvas.addEventListener("keydown", (event) => this.#cursorKey(event));
    canvas.addEventListener("blur", () => {
      if (this.#cursor && editor.hidden) this.#leaveCursor();
    });
    // after a cell edit started from the keyboard, the focus goes back to the picture
    editor.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== "Escape") return;
      setTimeout(() => { if (editor.hidden && this.#cursor) canvas.focus(); });
    });
    this.#wireTouch();
    root.querySelector("details.step-table").addEventListener("toggle", () => this.#refreshTable());
  }

  // i / o / w: a cursor on the input, output or weight cells; arrows move it, PageUp/Down
  // change channel, Enter types a value into it, Escape gives the arrows back to the player
  #cursorKey(event) {
    if (!this.#view || !this.#shown || event.ctrlKey || event.metaKey || event.altKey) return;
    const panels = { i: "input", o: "output", w: "filter" };
    const cursor = this.#cursor;
    let handled = true;
    if (panels[event.key] && (event.key !== "w" || this.#view.weight)) {
      this.#cursor = this.#startCursor(panels[event.key]);
    } else if (!cursor) {
      handled = false;
    } else if (event.key === "Escape") {
      this.#leaveCursor();
      event.preventDefault();
      event.stopPropagation();
      return;
    } else if (event.key === "Enter") {
      this.#editAt(this.#cursorHit());
    } else {
      const move = { ArrowLeft: [0, 0, -1], ArrowRight: [0, 0, 1], ArrowUp: [0, -1, 0],
                     ArrowDown: [0, 1, 0], PageUp: [-1, 0, 0], PageDown: [1, 0, 0] }[event.key];
      if (move) this.#cursor = { ...cursor, channel: cursor.channel + move[0],
                                 row: cursor.row + move[1], col: cursor.col + move[2] };
      else handled = false;
    }
    if (!handled) return;
    event.preventDefault();
    event.stopPropagation();  // not a step: the player's keys listen further up
    if (event.key === "Enter") return;
    this.#clampCursor();
    this.canvas.dataset.cursor = this.#cursorName();
    this.#hoverAt(this.#cursorHit()).then(() => this.#speakCursor());
  }

  // where a cursor starts: on the current step's window, output cell or filter
  #startCursor(panel) {
    const { reads, writes } = this.#shown;
    if (panel === "input") return { panel, channel: reads.channels[0], row: reads.rows[0], col: reads.cols[0] };
    if (panel === "filter") return { panel, channel: 0, row: 0, col: 0 };
    return { panel, channel: writes.channels[0] ?? 0, row: writes.rows[0] ?? 0, col: writes.cols[0] ?? 0 };
  }

  #leaveCursor() {
    this.#cursor = null;
    delete this.canvas.dataset.cursor;
    this.#hover = {};
    if (this.#shown) this.#draw();
  }

  // the cursor's grid: its channels, rows and columns as drawn
  #cursorGrid(cursor) {
    const layout = this.renderer.layout;
    if (cursor.panel === "filter") {
      const channels = this.#shown.reads.channels;
      const slot = Math.max(0, Math.min(channels.length - 1, cursor.channel));
      return { count: channels.length, grid: filterGrid(layout, channels[slot], slot) };
    }
    const grids = cursor.panel === "input" ? layout.inputs : layout.outputs;
    const grid = grids[Math.max(0, Math.min(grids.length - 1, cursor.channel))];
    return { count: grids.length, grid: { ...grid, cell: layout.cell } };
  }

  #clampCursor() {
    const cursor = this.#cursor;
    if (!cursor || !this.#shown || !this.renderer.layout) return;
    const clamp = (value, count) => Math.max(0, Math.min(count - 1, value));
    const { count } = this.#cursorGrid(cursor);
    cursor.channel = clamp(cursor.channel, count);
    const { grid } = this.#cursorGrid(cursor);
    cursor.row = clamp(cursor.row, grid.rows);
    cursor.col = clamp(cursor.col, grid.cols);
  }

  // the cursor as a hit test's answer, so hover and editing treat it as the pointer
  #cursorHit() {
    const cursor = this.#cursor;
    return cursor && { ...cursor, grid: this.#cursorGrid(cursor).grid };
  }

  // the weight cell a filter cell shows: its slice's source, flipped for a gather view
  #weightCell(slice, row, col) {
    const { sources, flipped, values } = this.#shown.filter;
    const [, kernelH, kernelW] = values.shape;
    const [a, b] = sources[slice];
    return flipped ? [a, b, kernelH - 1 - row, kernelW - 1 - col] : [a, b, row, col];
  }

  #cursorName() {
    const { panel, channel, row, col } = this.#cursor;
    if (panel === "filter") {
      return this.#shown.filter.sources
        ? `weight[${this.#weightCell(channel, row, col).join(", ")}]`
        : `${this.#shown.filter.labels[channel]}[${row}, ${col}]`;
    }
    const drawn = panel === "input" ? "drawn input" : "output";
    return `${drawn}[${channel}] row ${row}, column ${col}`;
  }

  // what the cursor is on: an output's step in the engine's words, else the hover's meaning
  #speakCursor() {
    if (!this.#cursor) return;
    const hover = this.#hover;
    const meaning = hover.step ? hover.step.spoken ?? hover.step.title : this.canvas.dataset.hover;
    this.#speak(`${this.#cursorName()}${meaning ? `: ${meaning}` : ""}`);
  }

  // Touch: a tap is a hover (the receptive field, the outputs a cell feeds); a long press
  // (500 ms) or a double tap types a value into the cell. A finger that moves pans.
  #wireTouch() {
    const canvas = this.canvas;
    let press = null;
    let lastTap = null;
    let swallow = false;  // the browser's mouse events after a touch that opened the editor
    const near = (a, b, distance) => Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) < distance;
    canvas.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "touch") return;
      clearTimeout(press?.timer);
      press = { clientX: event.clientX, clientY: event.clientY, fired: false };
      const mine = press;
      mine.timer = setTimeout(() => {
        mine.fired = true;
        this.#editCell(mine);
      }, 500);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (event.pointerType === "touch" && press && !near(press, event, 10)) {
        clearTimeout(press.timer);
        press = null;
      }
    });
    canvas.addEventListener("pointercancel", () => {
      clearTimeout(press?.timer);
      press = null;
    });
    canvas.addEventListener("pointerup", (event) => {
      if (event.pointerType !== "touch" || !press) return;
      clearTimeout(press.timer);
      const tap = { clientX: event.clientX, clientY: event.clientY, time: event.timeStamp };
      if (press.fired) {
        swallow = true;
      } else if (lastTap && tap.time - lastTap.time < 350 && near(lastTap, tap, 24)) {
        swallow = Boolean(this.#editCell(tap));
        lastTap = null;
      } else {
        this.#pointAt(tap);
        lastTap = tap;
      }
      press = null;
    });
    canvas.addEventListener("touchend", (event) => {
      if (swallow) event.preventDefault();  // keeps the focus in the cell editor
      swallow = false;
    });
    canvas.addEventListener("contextmenu", (event) => {
      if (press || swallow) event.preventDefault();
    });
  }

  // The step table as an HTML table (the engine's CSV, the export's numbers), when open:
  // at most TABLE_ROWS rows, the current step's row marked
  async #refreshTable() {
    const details = this.root.querySelector("details.step-table");
    if (!details?.open || !this.#view) return;
    const mine = this.#generation;
    const note = this.root.querySelector('[data-testid="step-table-note"]');
    note.textContent = "Computing the step table…";
    let text;
    try {
      ({ text } = await this.session.table("csv"));
    } catch (error) {
      if (mine === this.#generation) note.textContent = error.message;
      return;
    }
    if (mine !== this.#generation) return;
    showTable(this.root, text, TABLE_ROWS);
    this.#markTableRow(this.player.index);
  }

  #markTableRow(index) {
    const table = this.root.querySelector('[data-testid="step-table"]');
    if (!table?.tBodies.length) return;
    table.querySelector('tr[aria-current="true"]')?.removeAttribute("aria-current");
    table.tBodies[0].rows[index]?.setAttribute("aria-current", "true");
  }

  // export options from the Export row: scale, theme, numbers, caption
  #exportMaker(makeFrame) {
    const field = (name) => this.root.querySelector(`[name=export-${name}]`);
    const theme = field("theme").value;
    let colors = this.renderer.colors;
    if (theme) {  // the palette of the other theme, read off a hidden probe
      const probe = document.createElement("div");
      Object.assign(probe, { className: "app", hidden: true });
      probe.dataset.theme = theme;
      this.root.append(probe);
      colors = palette(probe);
      probe.remove();
    }
    return makeFrame({ view: this.#view, layout: this.renderer.layout, colors,
                       scale: Number(field("scale").value), numbers: field("numbers").checked,
                       caption: field("caption").checked ? this.#view.torch_line : "" });
  }

  // a frame as PNG, the run as GIF, or the engine's step table as CSV/JSON, downloaded
  async #export(format) {
    const status = this.root.querySelector(".export-status");
    if (!this.#view || !this.#shown) return;
    const [n, o, y, x] = this.#shown.position;
    let blob, name;
    if (format === "png" || format === "gif" || format === "webm") {
      const media = await import("./export-media.js");
      const maker = this.#exportMaker(media.frameMaker);
      if (format === "png") {
        blob = await media.pngBlob(maker, this.#shown, this.#shown.previous);
        name = `convscope-output-${n}-${o}-${y}-${x}.png`;
      } else {
        [blob, name] = await this.#exportRun(media, maker, format, status);
        if (!blob) return;
      }
    } else {
      status.textContent = "Computing the step table…";
      try {
        const { text } = await this.session.table(format);
        blob = new Blob([text], { type: format === "csv" ? "text/csv" : "application/json" });
      } catch (error) {
        status.textContent = error.message;
        return;
      }
      name = `convscope-steps.${format}`;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    status.textContent = `Saved ${name}`;
  }

  // steps from..to as GIF or WebM (1-based in the fields; default: the whole run, up to
  // MAX_FRAMES) at the player's speed, with a progress bar and a cancel button
  async #exportRun(media, maker, format, status) {
    const steps = this.#view.steps;
    const typed = (name, fallback) => {
      const value = Number.parseInt(this.root.querySelector(`[name=export-${name}]`).value, 10);
      return Number.isFinite(value) ? Math.max(1, Math.min(steps, value)) - 1 : fallback;
    };
    const from = typed("from", 0);
    const to = Math.min(typed("to", steps - 1), from + media.MAX_FRAMES - 1);
    if (to < from) {
      status.textContent = "The last step comes before the first";
      return [null, null];
    }
    const progress = this.root.querySelector(".export-progress");
    const cancel = this.root.querySelector(".export-cancel");
    const controller = new AbortController();
    const stop = () => controller.abort();
    cancel.addEventListener("click", stop, { once: true });
    progress.hidden = cancel.hidden = false;
    try {
      const encode = format === "gif" ? media.gifBlob : media.webmBlob;
      const blob = await encode(maker, {
        stepData: (index) => this.#stepData(index), from, to, signal: controller.signal,
        delayMs: Math.round(1000 / Number(this.player.speed.value)),
        onProgress: (done, total) => {
          progress.value = done / total;
          status.textContent = `Encoding frame ${done} of ${total}…`;
        },
      });
      return [blob, `convscope-steps-${from + 1}-${to + 1}.${format}`];
    } catch (error) {
      status.textContent = error.name === "AbortError" ? "Export cancelled" : error.message;
      return [null, null];
    } finally {
      cancel.removeEventListener("click", stop);
      progress.hidden = cancel.hidden = true;
    }
  }

  // a link to the main page showing this view
  link() {
    return new URL(`../index.html${toHash(this.current)}`, import.meta.url).href;
  }
}

// Run `start` once the view's prebuilt frame is on screen (or known to be missing):
// Python's start-up takes both cores of a small machine and would delay that frame.
export function afterFirstFrame(view, start) {
  view.prebuilt.then(() => requestAnimationFrame(() => setTimeout(start, 0)));
}
