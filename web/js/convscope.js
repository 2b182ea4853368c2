// <conv-scope>: convscope as a web component for course pages.
//
//   <script type="module" src=".../js/convscope.js"></script>
//   <conv-scope in-channels="1" out-channels="2" kernel-size="3" padding="1"></conv-scope>
//
// Attributes are the URL hash keys in kebab-case (in-channels, kernel-size, input-size,
// padding-mode, ...) plus the view options panels, locked, autoplay and theme. Every
// widget on a page shares ONE Python runtime (one worker). A widget shows a light
// placeholder and starts only when it scrolls into view or its Start button is pressed.
//
// mode="model" shows a model's summary instead: attributes example and input, or the
// model's code as the element's text (never run: parsed by the engine).
//
// Until a widget starts, only this module and state.js are loaded: the view, the
// renderer and the engine client come with the first start (dynamic import).
import { ALL_KEYS, KINDS, VIEW_OPTIONS, attributeName, formatValue, readAttributes, stateKeys } from "./state.js";

const STYLESHEET = new URL("../css/convscope.css", import.meta.url).href;
const MODEL_STYLESHEET = new URL("../css/model.css", import.meta.url).href;

// <conv-scope mode="model"> holds its model's code as text: indented like the page's
// markup around it, so the common indentation goes
function modelCode(text) {
  const lines = text.replace(/^\s*\n/, "").replace(/\s+$/, "").split("\n");
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.match(/^ */)[0].length));
  return lines.map((l) => l.slice(indent)).join("\n") + "\n";
}

function escapeText(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span.innerHTML;
}

class ConvScopeElement extends HTMLElement {
  static observedAttributes = [...ALL_KEYS.map(attributeName), ...Object.keys(VIEW_OPTIONS),
                               "mode", "level", "question"];

  #view = null;
  #observer = null;

  connectedCallback() {
    if (this.shadowRoot) return;
    this.attachShadow({ mode: "open" });
    this.dataset.state = "idle";
    this.#placeholder();
    // start a little before the widget scrolls into view
    this.#observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) this.start();
    }, { rootMargin: "100px" });
    this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
  }

  // what the widget will show, before any Python runs: the configured setup and a button
  #placeholder() {
    const { state, options } = readAttributes(this.attributes);
    const mode = this.getAttribute("mode");
    const summary = mode === "practice"
      ? `practice: layer arithmetic, set ${this.getAttribute("seed") ?? 0}, ${this.getAttribute("level") ?? "medium"}`
      : mode === "model"
      ? `model: ${this.getAttribute("example") ?? "the code in this widget"}, input ${this.getAttribute("input") ?? "as the example"}`
      : stateKeys(state)
      .filter((key) => !["layer", "step", "input_edits", "weight_edits"].includes(key))
      .map((key) => `${key}=${formatValue(state[key])}`).join(", ");
    this.shadowRoot.innerHTML = `
      <link rel="stylesheet" href="${STYLESHEET}">
      <div class="app placeholder" ${options.theme && options.theme !== "auto" ? `data-theme="${options.theme}"` : ""}>
        <p class="placeholder-title">conv<span>scope</span>: ${mode === "model" ? "a model, layer by layer" : `nn.${KINDS[state.layer].title} step by step`}</p>
        <p class="placeholder-setup"><code>${escapeText(summary)}</code></p>
        <p class="placeholder-shape">input shape <code>[${state.batch}, ${state.in_channels}, ${state.input_size.join(", ")}]</code></p>
        <button type="button" class="start">Start</button>
      </div>`;
    this.shadowRoot.querySelector("button.start").addEventListener("click", () => this.start());
  }

  // build the view and (once per page) the shared engine
  async start() {
    if (this.#view || this.dataset.state !== "idle") return;
    this.#observer?.disconnect();
    this.dataset.state = "loading";
    const [{ EngineClient }, { ScopeView, afterFirstFrame }, { applyOptions }, { viewMarkup },
           practice] = await Promise.all([
      import("./engine-client.js"), import("./scope-view.js"), import("./options.js"),
      import("./template.js"), import("./practice.js")]);
    const { state, notices, options } = readAttributes(this.attributes);
    const engine = EngineClient.shared();
    if (this.getAttribute("mode") === "model") {  // a model's table: example, input, the code inside
      const { ModelView, modelMarkup } = await import("./model-view.js");
      this.shadowRoot.innerHTML = `<link rel="stylesheet" href="${STYLESHEET}">
        <link rel="stylesheet" href="${MODEL_STYLESHEET}">
        <div class="app embedded model-mode" data-state="loading">${modelMarkup({ title: false })}</div>`;
      const root = this.shadowRoot.querySelector(".app");
      if (options.theme && options.theme !== "auto") root.dataset.theme = options.theme;
      const code = this.textContent.trim() ? modelCode(this.textContent) : null;
      const link = Promise.resolve({ example: this.getAttribute("example"), code, notices: [],
                                     input: this.getAttribute("input") });
      this.#view = new ModelView(root, engine.session(), { link, locked: options.locked });
      this.#view.addEventListener("change", () => { this.dataset.state = root.dataset.state; });
      engine.start();
      return;
    }
    if (this.getAttribute("mode") === "practice") {  // exercises: seed, level, question, test, feedback
      this.shadowRoot.innerHTML = `<link rel="stylesheet" href="${STYLESHEET}">
        <div class="app embedded" data-state="loading">${practice.practiceMarkup()}</div>`;
      const root = this.shadowRoot.querySelector(".app");
      const settings = practice.parsePractice(["seed", "level", "question", "test", "feedback"]
        .filter((name) => this.hasAttribute(name))
        .map((name) => `${name}=${encodeURIComponent(this.getAttribute(name))}`).join("&"));
      this.#view = new practice.PracticeView(root, engine.session(), settings);
      this.#view.addEventListener("change", () => { this.dataset.state = "ready"; });
      engine.start();
      return;
    }
    this.shadowRoot.innerHTML = `<link rel="stylesheet" href="${STYLESHEET}">
      <div class="app embedded" data-state="loading">${viewMarkup({ title: false, landmarks: false })}</div>`;
    const root = this.shadowRoot.querySelector(".app");
    if (!this.hasAttribute("tabindex")) this.tabIndex = 0;  // keys step the focused widget
    this.#view = new ScopeView(root, engine.session(), { state, notices, keys: this,
                                                          locked: options.locked,
                                                          autoplay: options.autoplay });
    applyOptions(root, options);
    this.#view.addEventListener("status", ({ detail }) => { this.dataset.state = detail.status; });
    afterFirstFrame(this.#view, () => engine.start());
  }

  attributeChangedCallback() {
    if (!this.#view) {
      if (this.shadowRoot) this.#placeholder();
      return;
    }
    if (["practice", "model"].includes(this.getAttribute("mode"))) return;  // a started one stays
    const { state, notices } = readAttributes(this.attributes);
    this.#view.load(state, notices);
  }
}

if (!customElements.get("conv-scope")) customElements.define("conv-scope", ConvScopeElement);
