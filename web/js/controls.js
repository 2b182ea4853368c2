// The settings form: it reads like the nn.Conv2d(...) call it builds. Each edit
// is parsed with the URL's own rules; a value that does not parse is flagged at
// its control and changes nothing, so the user's other settings are kept.
import { FIELDS, INPUT_PRESETS, PADDING_MODES, WEIGHT_PRESETS, formatValue, parseValue } from "./state.js";

const HINTS = {
  int: "a whole number",
  pair: "a number or height x width, e.g. 3 or 3x5",
  padding: "a number, height x width, same or valid",
};

function fillSelect(select, values) {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
}

function gcd(a, b) {
  return b ? gcd(b, a % b) : Math.abs(a);
}

export class Controls extends EventTarget {
  constructor(form) {
    super();
    this.form = form;
    fillSelect(form.elements.padding_mode, PADDING_MODES);
    fillSelect(form.elements.input, INPUT_PRESETS);
    fillSelect(form.elements.weights, WEIGHT_PRESETS);
    this.summary = form.querySelector("[data-testid=error]");
    this.home = this.summary.previousElementSibling;  // where the message sits when no control is at fault
    this.walk = form.elements.groups_walk;
    this.walkLabel = form.querySelector(".groups-walk-label");
    form.addEventListener("change", (event) => this.#edited(event.target));
    form.querySelector(".reset-edits").addEventListener("click", () => {
      for (const key of ["input_edits", "weight_edits"]) {
        this.dispatchEvent(new CustomEvent("edit", { detail: { key, value: [] } }));
      }
    });
    form.addEventListener("submit", (event) => event.preventDefault());
  }

  show(state) {
    for (const key of Object.keys(FIELDS)) {
      const element = this.form.elements[key];
      if (!element) continue;
      if (element.type === "checkbox") element.checked = state[key];
      else element.value = formatValue(state[key]);
    }
    this.#showWalk(state);
    this.form.querySelector(".reset-edits").hidden =
      !(state.input_edits.length || state.weight_edits.length);
  }

  // the groups slider walks the divisors of gcd(in, out): 1 is standard, in == groups is depthwise
  #showWalk(state) {
    const common = gcd(state.in_channels, state.out_channels) || 1;
    this.divisors = Array.from({ length: Math.min(common, 64) }, (_, i) => i + 1)
      .filter((d) => common % d === 0);
    this.walk.max = String(this.divisors.length - 1);
    const at = this.divisors.indexOf(state.groups);
    this.walk.value = String(Math.max(0, at));
    const kind = state.groups === 1 ? "standard"
      : state.groups === state.in_channels ? "depthwise" : `${state.groups} groups`;
    this.walkLabel.textContent = `groups=${state.groups}: ${kind}`;
  }

  #edited(element) {
    let key = element.name;
    let value;
    if (key === "groups_walk") {
      key = "groups";
      value = this.divisors[Number(element.value)];
    } else if (element.type === "checkbox") {
      value = element.checked;
    } else {
      value = parseValue(key, element.value);
    }
    if (!Object.hasOwn(FIELDS, key)) return;
    if (value === null || value === undefined) {
      this.showError(key, `${key} must be ${HINTS[FIELDS[key][0]] ?? "one of the listed values"}`);
      return;
    }
    this.clearError(key);
    this.dispatchEvent(new CustomEvent("edit", { detail: { key, value } }));
  }

  // one message element: it moves next to the control at fault (or stays at the end)
  showError(field, message) {
    this.clearErrors();
    const element = this.form.elements[field];
    const anchor = element?.closest("label");
    if (anchor) {
      element.setAttribute("aria-invalid", "true");
      anchor.after(this.summary);
      this.summary.dataset.field = field;
    }
    this.summary.textContent = message;
  }

  clearError(field) {
    if (this.summary.dataset.field === field) this.clearErrors();
  }

  clearErrors() {
    for (const element of this.form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    this.home.after(this.summary);
    delete this.summary.dataset.field;
    this.summary.textContent = "";
  }
}
