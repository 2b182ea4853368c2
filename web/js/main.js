// The visualizer page: URL hash -> state -> engine (worker) -> view -> canvas + text.
import { Controls } from "./controls.js";
import { palette } from "./colors.js";
import { EngineClient, EngineError } from "./engine-client.js";
import { computeLayout, fitCell, hitTest } from "./layout.js";
import { copyText, showNotices, showStep, showView } from "./panels.js";
import { Player } from "./player.js";
import { Renderer } from "./render.js";
import { engineConfig, parseHash, toHash, withEdit } from "./state.js";

const app = document.getElementById("app");
const canvas = app.querySelector("canvas.scope");
const viewport = app.querySelector(".viewport");
const zoom = app.querySelector(".zoom input");
const editor = app.querySelector(".cell-editor");
const controls = new Controls(document.getElementById("controls"));
const player = new Player(app.querySelector(".player"));
const renderer = new Renderer(canvas);
const engine = new EngineClient();

const STEP_CACHE = 512;
let state;
let view = null;            // the last valid view; stays drawn while settings are bad
let generation = 0;         // bumps with every compute; late answers for older ones are dropped
let steps = new Map();      // index -> step data of the current view
let shown = null;           // the step on screen
let hover = {};             // {step} or {touching} under the pointer

function loadState(hash) {
  const parsed = parseHash(hash);
  state = parsed.state;
  showNotices(app, parsed.notices);
  controls.show(state);
}

let hashTimer = null;
function writeHash() {
  // browsers throttle rapid history updates: write at most every 250 ms
  clearTimeout(hashTimer);
  hashTimer = setTimeout(() => history.replaceState(null, "", toHash(state)), 250);
}

async function recompute() {
  const mine = ++generation;
  let result;
  try {
    result = await engine.compute(engineConfig(state));
  } catch (error) {
    if (mine !== generation) return;
    if (!(error instanceof EngineError)) throw error;
    controls.showError(error.field, error.message);
    app.dataset.state = view ? "error" : "error";
    return;
  }
  if (mine !== generation) return;
  controls.clearErrors();
  view = result;
  steps = new Map();
  shown = null;
  hover = {};
  showView(app, view);
  relayout();
  player.setCount(view.steps, state.step);
  app.dataset.state = "ready";
}

function relayout() {
  if (!view) return;
  const cell = fitCell(view, viewport.clientWidth - 4, window.innerHeight * 0.78, Number(zoom.value));
  renderer.setView(view, computeLayout(view, cell), palette(app));
  canvas.dataset.cell = String(cell);  // lets automation find cells: grids start at MARGIN
  if (shown) draw();
}

async function stepData(index) {
  if (!steps.has(index)) {
    if (steps.size >= STEP_CACHE) steps.delete(steps.keys().next().value);
    steps.set(index, engine.step(index));
  }
  return steps.get(index);
}

async function showIndex(index) {
  const mine = generation;
  let step;
  try {
    step = await stepData(index);
  } catch (error) {
    if (error instanceof EngineError) return;  // a newer view replaced this one
    throw error;
  }
  if (mine !== generation || player.index !== index) return;
  const previous = shown && shown.index === index - 1 ? shown : null;
  shown = step;
  shown.previous = previous;
  state.step = index;
  writeHash();
  draw();
  showStep(app, step, view.steps);
}

function draw() {
  performance.mark("convscope:draw-start");
  renderer.draw({ step: shown, previous: shown.previous, hoverStep: hover.step,
                  touching: hover.touching });
  performance.measure("convscope:draw", "convscope:draw-start");
  if (!performance.getEntriesByName("convscope:first-frame").length) {
    performance.mark("convscope:first-frame");
  }
  canvas.dataset.hover = describeHover();
}

// what the highlight under the pointer means, for screen readers and tests
function describeHover() {
  if (hover.step) return `receptive field of output[${hover.step.position.join(", ")}]`;
  if (hover.touching) {
    const cells = hover.touching.channels.length * hover.touching.rows.filter(Boolean).length *
      hover.touching.cols.filter(Boolean).length;
    return `input[${hover.source.join(", ")}] feeds ${cells} output cells`;
  }
  return "";
}

async function pointAt(event) {
  if (!view || !shown) return;
  const rect = canvas.getBoundingClientRect();
  const hit = hitTest(renderer.layout, event.clientX - rect.left, event.clientY - rect.top);
  const key = hit ? `${hit.kind}:${hit.channel}:${hit.row}:${hit.col}` : "";
  if (key === hover.key) return;
  hover = { key };
  const mine = generation;
  if (hit?.kind === "output") {
    const s = renderer.layout.shapes;
    const n = shown.position[0];
    const index = ((n * s.outChannels + hit.channel) * s.outH + hit.row) * s.outW + hit.col;
    const step = await stepData(index).catch(() => null);
    if (hover.key === key && mine === generation) hover.step = step;
  } else if (hit?.kind === "input") {
    // a padding cell holds a copy of some input pixel (or a zero): follow it to its source
    const row = view.row_sources[hit.row];
    const col = view.col_sources[hit.col];
    if (row >= 0 && col >= 0) {
      const touching = await engine.touching(hit.channel, row, col).catch(() => null);
      if (hover.key === key && mine === generation) {
        Object.assign(hover, { touching, source: [hit.channel, row, col] });
      }
    }
  }
  if (hover.key === key) draw();
}

// Double-click an input or weight cell to type a value; it becomes an edit in the
// state (and the link), applied by the engine over the preset.
function editCell(event) {
  if (!view || !shown) return;
  const rect = canvas.getBoundingClientRect();
  const hit = hitTest(renderer.layout, event.clientX - rect.left, event.clientY - rect.top,
                      shown.channels);
  if (!hit || hit.kind === "output") return;
  let key, index, offset;
  if (hit.kind === "input") {
    const [top, , left] = view.sides;
    const [, channels, height, width] = view.input.shape;
    const [row, col] = [hit.row - top, hit.col - left];
    if (row < 0 || row >= height || col < 0 || col >= width) return;  // padding comes from the mode
    const n = shown.position[0];
    key = "input_edits";
    index = [n, hit.channel, row, col];
    offset = ((n * channels + hit.channel) * height + row) * width + col;
  } else {
    const [outChannels, groupChannels, kernelH, kernelW] = view.weight.shape;
    const o = shown.position[1];
    key = "weight_edits";
    index = [o, hit.channel, hit.row, hit.col];
    offset = ((o * groupChannels + hit.channel) * kernelH + hit.row) * kernelW + hit.col;
  }
  const data = key === "input_edits" ? view.input.data : view.weight.data;
  const { cell } = hit.grid;
  Object.assign(editor.style, {
    left: `${canvas.offsetLeft + hit.grid.x + hit.col * cell}px`,
    top: `${canvas.offsetTop + hit.grid.y + hit.row * cell}px`,
    width: `${Math.max(cell, 56)}px`, height: `${Math.max(cell, 24)}px`,
  });
  editor.value = String(data[offset]);
  editor.dataset.target = JSON.stringify({ key, index });
  editor.removeAttribute("aria-invalid");
  editor.hidden = false;
  editor.focus();
  editor.select();
}

function commitEdit() {
  if (editor.hidden) return;
  const value = Number(editor.value.trim());
  if (editor.value.trim() === "" || !Number.isFinite(value)) {
    editor.setAttribute("aria-invalid", "true");
    return;
  }
  const { key, index } = JSON.parse(editor.dataset.target);
  editor.hidden = true;
  applyEdit(key, withEdit(state[key], index, value));
}

function applyEdit(key, value) {
  state = { ...state, [key]: value };
  controls.show(state);
  writeHash();
  if (engine.ready) recompute();
}

// --- wiring -------------------------------------------------------------------------------

loadState(location.hash);

engine.addEventListener("progress", ({ detail }) => {
  app.querySelector('[data-testid="load-progress"]').value = detail.percent;
  app.querySelector(".load-stage").textContent = `${detail.stage}…`;
});
engine.addEventListener("ready", () => {
  performance.mark("convscope:engine-ready");
  app.querySelector('[data-testid="load-progress"]').value = 100;
  recompute();
});
engine.addEventListener("fatal", ({ detail }) => {
  app.dataset.state = "error";
  controls.showError("", `The Python engine stopped: ${detail.message}. Reload the page to restart it; your settings are kept in the link.`);
});

controls.addEventListener("edit", ({ detail: { key, value } }) => applyEdit(key, value));
canvas.addEventListener("dblclick", editCell);
editor.addEventListener("keydown", (event) => {
  if (event.key === "Enter") commitEdit();
  if (event.key === "Escape") editor.hidden = true;
  event.stopPropagation();  // typing a value must not step the animation
});
editor.addEventListener("blur", () => { editor.hidden = true; });

player.addEventListener("step", ({ detail: { index } }) => {
  if (view) showIndex(index);
});

window.addEventListener("hashchange", () => {
  if (location.hash === toHash(state)) return;
  loadState(location.hash);
  if (engine.ready) recompute();
});
document.addEventListener("keydown", (event) => player.handleKey(event));
zoom.addEventListener("input", relayout);
new ResizeObserver(() => relayout()).observe(viewport);
canvas.addEventListener("mousemove", pointAt);
canvas.addEventListener("mouseleave", () => {
  hover = {};
  if (shown) draw();
});

for (const button of app.querySelectorAll("button.copy, button.share")) {
  button.dataset.label = button.textContent;
}
app.addEventListener("click", (event) => {
  const button = event.target.closest("button.copy, button.share");
  if (!button) return;
  const text = button.classList.contains("share")
    ? location.href.split("#")[0] + toHash(state)
    : app.querySelector(`[data-testid="${button.dataset.copy}"]`).textContent;
  copyText(text, button);
});
app.querySelector("details.reproduce").addEventListener("toggle", async (event) => {
  if (!event.target.open || !view) return;
  const code = app.querySelector('[data-testid="reproduce-code"]');
  code.textContent = "Writing the script…";
  code.textContent = await engine.snippet();
});
