// The page state: a plain object whose serialisation is the URL hash, with
// torch's argument names. Parsing never throws: a malformed value falls back
// to its default and is reported as a notice.

// Every layer kind's signature comes from Python (convscope.page.settings.manifest), written by
// the build into js/kinds.js: the page knows each kind's arguments before Python runs.
import MANIFEST from "./kinds.js";

export const KINDS = Object.fromEntries(MANIFEST.kinds.map((kind) => [kind.name, kind]));
export const DEFAULT_LAYER = MANIFEST.default;

// the fields of a kind, in the order of the hash: layer, the constructor's arguments,
// then the data; key -> {form, default, choices}. A kind without weights has no
// weights preset or weight edits.
export function fieldsOf(layer = DEFAULT_LAYER) {
  const kind = KINDS[layer] ?? KINDS[DEFAULT_LAYER];
  const fields = { layer: { name: "layer", form: "choice", default: DEFAULT_LAYER, choices: Object.keys(KINDS) } };
  for (const argument of kind.arguments) fields[argument.name] = argument;
  for (const argument of MANIFEST.data) {
    if (argument.name === "weights") {
      if (kind.weight_presets.length) fields.weights = { ...argument, choices: kind.weight_presets };
    } else if (!(argument.name === "weight_edits" && !kind.weight_presets.length)) {
      fields[argument.name] = argument;
    }
  }
  return fields;
}

// every key some kind knows (element attributes to observe, keys a link may carry)
export const ALL_KEYS = [...new Set(Object.keys(KINDS).flatMap((layer) => Object.keys(fieldsOf(layer))))];

// nothing legitimate is longer; refuse before parsing
const MAX_LENGTH = { edits: MANIFEST.link_edits.max_text };
const INVALID = undefined;  // what a parser returns for text it cannot read (null means None)
const MAX_VALUE_LENGTH = 40;

// snake_case URL keys are kebab-case element attributes: in_channels -> in-channels
export const attributeName = (key) => key.replace(/_/g, "-");

export function defaults(layer = DEFAULT_LAYER) {
  const state = Object.fromEntries(Object.entries(fieldsOf(layer)).map(([key, field]) => [key, structuredClone(field.default)]));
  return { ...state, layer: KINDS[layer] ? layer : DEFAULT_LAYER };
}

function parseInt10(text) {
  return /^[+-]?\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : INVALID;
}

// "3" -> [3, 3]; "3x5", "3,5", "(3, 5)" -> [3, 5]
function parsePair(text) {
  const parts = text.replace(/[()\s]/g, "").split(/[x×,]/i);
  if (parts.length === 1) {
    const value = parseInt10(parts[0]);
    return value === INVALID ? INVALID : [value, value];
  }
  if (parts.length !== 2) return INVALID;
  const pair = parts.map(parseInt10);
  return pair.includes(INVALID) ? INVALID : pair;
}

// one typed-in cell, n.c.row.col:value, each index of at most the manifest's digits
const INDEX = `(\\d{1,${MANIFEST.link_edits.index_digits}})`;
const EDIT = new RegExp(`^${INDEX}\\.${INDEX}\\.${INDEX}\\.${INDEX}:(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)$`, "i");

// "0.0.1.2:5|0.0.2.2:-1.5" -> [[0, 0, 1, 2, 5], [0, 0, 2, 2, -1.5]]
function parseEdits(text) {
  if (!text) return [];
  const edits = text.split("|").map((part) => {
    const match = EDIT.exec(part);
    return match ? [...match.slice(1, 5).map(Number), Number(match[5])] : INVALID;
  });
  return edits.includes(INVALID) || edits.some((e) => !Number.isFinite(e[4])) ? INVALID : edits;
}

// a Map, not an object literal: "constructor" must not parse as a boolean
const BOOLEANS = new Map([["true", true], ["false", false], ["1", true], ["0", false]]);

const isNone = (text) => text === "" || text.toLowerCase() === "none";

const PARSERS = {
  edits: parseEdits,
  int: parseInt10,
  pair: parsePair,
  padding: (text) => (text === "same" || text === "valid" ? text : parsePair(text)),
  bool: (text) => BOOLEANS.get(text.toLowerCase()) ?? INVALID,
  optional_pair: (text) => (isNone(text) ? null : parsePair(text)),
  optional_int: (text) => (isNone(text) ? null : parseInt10(text)),
};

// text -> value for field `key` of layer kind `layer`; undefined when it does not parse
export function parseValue(key, text, layer = DEFAULT_LAYER) {
  const field = fieldsOf(layer)[key];
  if (!field || text.length > (MAX_LENGTH[field.form] ?? MAX_VALUE_LENGTH)) return INVALID;
  if (field.form === "choice") return field.choices.includes(text) ? text : INVALID;
  return PARSERS[field.form](text.trim());
}

// the kind a list of [key, text] pairs asks for: its `layer` entry, if it names one
function layerOf(entries) {
  const text = entries.find(([key]) => key === "layer")?.[1];
  return Object.hasOwn(KINDS, text ?? "") ? text : DEFAULT_LAYER;
}

// [key, text] pairs -> {state, notices}, for links and element attributes alike;
// `named` writes a key as the notice shows it (a link's key, an attribute's name)
function readEntries(entries, named = (key) => key) {
  const layer = layerOf(entries);
  const fields = fieldsOf(layer);
  const state = defaults(layer);
  const notices = [];
  for (const [key, value] of entries) {
    if (!ALL_KEYS.includes(key)) {
      notices.push(`ignored unknown setting “${named(key).slice(0, 30)}”`);
    } else if (!Object.hasOwn(fields, key)) {
      notices.push(`ignored ${named(key)}: nn.${KINDS[layer].title} has no such argument`);
    } else {
      const parsed = parseValue(key, value, layer);
      if (parsed === INVALID) {
        notices.push(`${named(key)}: “${value.slice(0, 30)}” is not valid, using ${formatValue(state[key])}`);
      } else {
        state[key] = parsed;
      }
    }
  }
  return { state, notices };
}

// URL hash -> {state, notices}; unknown keys and bad values become notices
export function parseHash(hash) {
  const entries = [];
  const notices = [];
  const text = hash.replace(/^#/, "");
  for (const part of text ? text.split("&").slice(0, 100) : []) {
    if (!part) continue;
    const [rawKey, ...rest] = part.split("=");
    try {
      entries.push([decodeURIComponent(rawKey), decodeURIComponent(rest.join("="))]);
    } catch {
      notices.push(`ignored a malformed part of the link`);
    }
  }
  const read = readEntries(entries);
  // the user's own picture stays in the browser that chose it: a link names it, never holds it
  if (read.state.input === "picture") {
    read.notices.push("this link used a picture of its own, which a link cannot carry: " +
                      "choose, drop or paste one");
  }
  return { state: read.state, notices: [...notices, ...read.notices] };
}

export function formatValue(value) {
  if (value === null) return "None";
  if (Array.isArray(value) && Array.isArray(value[0])) {
    return value.map((edit) => `${edit.slice(0, -1).join(".")}:${edit.at(-1)}`).join("|");
  }
  if (Array.isArray(value)) return value[0] === value[1] ? String(value[0]) : `${value[0]}x${value[1]}`;
  return String(value);
}

// the keys a state's link or element writes: its kind's, but `layer` only when it is
// not Conv2d (links made before the other kinds have none), cell edits only when
// there are some, and a quiet setting (the backward pass's) only away from its default
export function stateKeys(state) {
  const fields = fieldsOf(state.layer);
  return Object.keys(fields).filter((key) => !(key === "layer" && state.layer === DEFAULT_LAYER) &&
    !(fields[key].form === "edits" && state[key].length === 0) &&
    !(fields[key].quiet && formatValue(state[key]) === formatValue(fields[key].default)));
}

export function toHash(state) {
  return "#" + stateKeys(state).map((key) => `${key}=${encodeURIComponent(formatValue(state[key]))}`).join("&");
}

// the state for another kind: what the two kinds share (same name, valid for both) stays
export function withLayer(state, layer) {
  const next = defaults(layer);
  for (const key of Object.keys(fieldsOf(layer))) {
    if (key === "layer" || !Object.hasOwn(state, key)) continue;
    const carried = parseValue(key, formatValue(state[key]), layer);
    if (carried !== INVALID) next[key] = carried;
  }
  return { ...next, step: 0 };
}

// the edits with one cell set to `value` (the same cell typed twice keeps the last)
export function withEdit(edits, index, value) {
  const key = index.join(".");
  return [...edits.filter((edit) => edit.slice(0, -1).join(".") !== key), [...index, value]];
}

// the name of a prebuilt first frame: the whole setup, at step 0
export function frameKey(state) {
  return toHash({ ...state, step: 0 });
}

// what the engine needs: every field but the view position
export function engineConfig(state) {
  const { step, ...config } = state;
  return config;
}

// Element attributes ({name, value} pairs, kebab-case keys plus view options) ->
// {state, notices, options}; bad values fall back with a notice, as links do.
export function readAttributes(attributes) {
  const options = {};
  const entries = [];
  for (const { name, value } of attributes) {
    if (Object.hasOwn(VIEW_OPTIONS, name)) {
      const parsed = VIEW_OPTIONS[name](value || "true");
      if (parsed !== null) options[name] = parsed;
    } else if (ALL_KEYS.includes(name.replace(/-/g, "_"))) {
      entries.push([name.replace(/-/g, "_"), value]);
    }
  }
  return { ...readEntries(entries, attributeName), options };
}

// Options of an embedded view (iframe hash keys or <conv-scope> attributes), beside the state.
export const VIEW_OPTIONS = {
  panels: (text) => text.split(",").map((name) => name.trim()).filter(Boolean),
  locked: (text) => PARSERS.bool(text) ?? null,
  autoplay: (text) => PARSERS.bool(text) ?? null,
  theme: (text) => (["light", "dark", "auto"].includes(text) ? text : null),
};

// "#panels=stage&locked=1&in_channels=3" -> {options: {panels, locked}, hash: "#in_channels=3"}
export function splitOptions(hash) {
  const options = {};
  const rest = [];
  for (const part of hash.replace(/^#/, "").split("&")) {
    const [key, ...value] = part.split("=");
    if (Object.hasOwn(VIEW_OPTIONS, key)) {
      let text = "";
      try { text = decodeURIComponent(value.join("=")); } catch { /* keep the default */ }
      const parsed = text.length <= 200 ? VIEW_OPTIONS[key](text) : null;
      if (parsed !== null) options[key] = parsed;
    } else if (part) {
      rest.push(part);
    }
  }
  return { options, hash: rest.length ? `#${rest.join("&")}` : "" };
}
