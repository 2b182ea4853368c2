// The settings form: it reads like the nn.Xxx(...) call it builds, for whichever
// layer kind is chosen; the kind's arguments (from Python, js/kinds.js) make the
// controls. Each edit is parsed with the URL's own rules; a value that does not parse
// is flagged at its control and changes nothing, so the user's other settings are kept.
import { KINDS, fieldsOf, formatValue, parseValue } from "./state.js";

const HINTS = {
  int: "a whole number",
  pair: "a number or height x width, e.g. 3 or 3x5",
  padding: "a number, height x width, same or valid",
  optional_pair: "None (empty), a number or height x width",
  optional_int: "None (empty) or a whole number",
};
const SIZES = { int: 3, pair: 5, padding: 6, optional_pair: 5, optional_int: 5 };
const TITLES = { pair: "3 or 3x5", padding: "1, 1x2, same or valid", optional_pair: "empty for None, 2 or 2x3",
                 optional_int: "empty for None" };

function fillSelect(select, values) {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
}

function gcd(a, b) {
  return b ? gcd(b, a % b) : Math.abs(a);
}

// one labelled control for an argument: "stride= [1]", "bias= [x]", "padding_mode= [zeros v]"
function argumentControl(argument) {
  const label = document.createElement("label");
  label.append(`${argument.name}${argument.positional || argument.data ? " " : "= "}`);
  let control;
  if (argument.form === "choice") {
    control = document.createElement("select");
    fillSelect(control, argument.choices);
  } else {
    control = document.createElement("input");
    if (argument.form === "bool") {
      control.type = "checkbox";
      label.className = "check";
    } else {
      control.size = SIZES[argument.form] ?? 5;
      if (argument.form.endsWith("int")) control.inputMode = "numeric";
      if (TITLES[argument.form]) control.title = TITLES[argument.form];
      if (argument.form === "padding") control.setAttribute("list", "padding-words");
      if (argument.form.startsWith("optional")) control.placeholder = "None";
    }
  }
  control.name = argument.name;
  label.append(control);
  return label;
}

export class Controls extends EventTarget {
  constructor(form) {
    super();
    this.form = form;
    fillSelect(form.elements.layer, Object.values(KINDS).map((kind) => kind.name));
    for (const option of form.elements.layer.options) option.textContent = `nn.${KINDS[option.value].title}`;
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

  // the kind's own controls: its constructor's arguments in the call, its data settings
  // (a pool's in_channels) beside the data; built again only when the kind changes
  #build(layer) {
    if (this.layer === layer) return;
    this.layer = layer;
    const kind = KINDS[layer];
    const constructor = kind.arguments.filter((argument) => !argument.data);
    this.form.querySelector(".call-open").textContent = `nn.${kind.title}(`;
    this.form.querySelector(".call-arguments").replaceChildren(...constructor.map(argumentControl));
    this.form.querySelector(".kind-data").replaceChildren(
      ...kind.arguments.filter((argument) => argument.data).map(argumentControl));
    this.form.querySelector(".layer-summary").textContent = kind.summary;
    const weights = fieldsOf(layer).weights;
    this.form.elements.weights.closest("label").hidden = !weights;
    if (weights) fillSelect(this.form.elements.weights, weights.choices);
    fillSelect(this.form.elements.input, fieldsOf(layer).input.choices);
  }

  show(state) {
    this.#build(state.layer);
    this.fields = fieldsOf(state.layer);
    for (const key of Object.keys(this.fields)) {
      const element = this.form.elements[key];
      if (!element) continue;
      if (element.type === "checkbox") element.checked = state[key];
      else element.value = state[key] === null ? "" : formatValue(state[key]);
    }
    // a control that applies only to some settings (the backward pass's) shows with them
    for (const field of Object.values(this.fields)) {
      const element = this.form.elements[field.name];
      if (element && field.when?.length) {
        element.closest("label").hidden = !field.when.every(([key, value]) => state[key] === value);
      }
    }
    this.#showWalk(state);
    // the user's own picture: its chooser shows with input=picture (scope-view.js wires it)
    this.form.querySelector(".picture-input").hidden = state.input !== "picture";
    this.form.querySelector(".reset-edits").hidden =
      !(state.input_edits.length || state.weight_edits?.length);
  }

  // the groups slider walks the divisors of gcd(in, out): 1 is standard, in == groups is depthwise
  #showWalk(state) {
    const walk = this.walk.closest("fieldset");
    walk.hidden = !("groups" in this.fields && "out_channels" in this.fields);
    if (walk.hidden) return;
    const common = gcd(state.in_channels, state.out_channels) || 1;
    this.divisors = Array.from({ length: Math.min(common, 64) }, (_, i) => i + 1)
      .filter((d) => common % d === 0);
    this.walk.max = String(this.divisors.length - 1);
    const at = this.divisors.indexOf(state.groups);
    this.walk.value = String(Math.max(0, at));
    const grouping = state.groups === 1 ? "standard"
      : state.groups === state.in_channels ? "depthwise" : `${state.groups} groups`;
    this.walkLabel.textContent = `groups=${state.groups}: ${grouping}`;
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
      value = parseValue(key, element.value, this.layer);
    }
    if (!Object.hasOwn(this.fields, key)) return;
    if (value === undefined) {
      this.showError(key, `${key} must be ${HINTS[this.fields[key].form] ?? "one of the listed values"}`);
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
