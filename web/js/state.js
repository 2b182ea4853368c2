// The page state: a plain object whose serialisation is the URL hash, with
// torch's argument names. Parsing never throws: a malformed value falls back
// to its default and is reported as a notice.

export const PADDING_MODES = ["zeros", "reflect", "replicate", "circular"];
export const INPUT_PRESETS = ["arange", "random", "digit", "edge"];
export const WEIGHT_PRESETS = ["random", "ones", "identity", "sobel", "blur"];

// key -> [kind, default]; the order is the order of the hash
export const FIELDS = {
  in_channels: ["int", 1],
  out_channels: ["int", 2],
  kernel_size: ["pair", [3, 3]],
  stride: ["pair", [1, 1]],
  padding: ["padding", [1, 1]],
  dilation: ["pair", [1, 1]],
  groups: ["int", 1],
  bias: ["bool", true],
  padding_mode: [PADDING_MODES, "zeros"],
  input_size: ["pair", [5, 5]],
  batch: ["int", 1],
  input: [INPUT_PRESETS, "arange"],
  weights: [WEIGHT_PRESETS, "random"],
  seed: ["int", 0],
  input_edits: ["edits", []],   // cells typed in over the preset: n.c.row.col:value|...
  weight_edits: ["edits", []],  // o.i.row.col:value|...
  step: ["int", 0],
};

// nothing legitimate is longer; refuse before parsing
const MAX_LENGTH = { edits: 4000 };
const MAX_VALUE_LENGTH = 40;

// snake_case URL keys are kebab-case element attributes: in_channels -> in-channels
export const attributeName = (key) => key.replace(/_/g, "-");

export function defaults() {
  return Object.fromEntries(Object.entries(FIELDS).map(([key, [, value]]) => [key, value]));
}

function parseInt10(text) {
  return /^[+-]?\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : null;
}

// "3" -> [3, 3]; "3x5", "3,5", "(3, 5)" -> [3, 5]
function parsePair(text) {
  const parts = text.replace(/[()\s]/g, "").split(/[x×,]/i);
  if (parts.length === 1) {
    const value = parseInt10(parts[0]);
    return value === null ? null : [value, value];
  }
  if (parts.length !== 2) return null;
  const pair = parts.map(parseInt10);
  return pair.includes(null) ? null : pair;
}

// "0.0.1.2:5|0.0.2.2:-1.5" -> [[0, 0, 1, 2, 5], [0, 0, 2, 2, -1.5]]
function parseEdits(text) {
  if (!text) return [];
  const edits = text.split("|").map((part) => {
    const match = /^(\d{1,4})\.(\d{1,4})\.(\d{1,4})\.(\d{1,4}):(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)$/i.exec(part);
    return match ? [...match.slice(1, 5).map(Number), Number(match[5])] : null;
  });
  return edits.includes(null) || edits.some((e) => !Number.isFinite(e[4])) ? null : edits;
}

// a Map, not an object literal: "constructor" must not parse as a boolean
const BOOLEANS = new Map([["true", true], ["false", false], ["1", true], ["0", false]]);

const PARSERS = {
  edits: parseEdits,
  int: parseInt10,
  pair: parsePair,
  padding: (text) => (text === "same" || text === "valid" ? text : parsePair(text)),
  bool: (text) => BOOLEANS.get(text.toLowerCase()) ?? null,
};

export function parseValue(key, text) {
  const [kind] = FIELDS[key];
  if (text.length > (MAX_LENGTH[kind] ?? MAX_VALUE_LENGTH)) return null;
  if (Array.isArray(kind)) return kind.includes(text) ? text : null;
  return PARSERS[kind](text.trim());
}

// URL hash -> {state, notices}; unknown keys and bad values become notices
export function parseHash(hash) {
  const state = defaults();
  const notices = [];
  const text = hash.replace(/^#/, "");
  if (!text) return { state, notices };
  for (const part of text.split("&").slice(0, 100)) {
    if (!part) continue;
    const [rawKey, ...rest] = part.split("=");
    let key, value;
    try {
      key = decodeURIComponent(rawKey);
      value = decodeURIComponent(rest.join("="));
    } catch {
      notices.push(`ignored a malformed part of the link`);
      continue;
    }
    if (!Object.hasOwn(FIELDS, key)) {
      notices.push(`ignored unknown setting “${key.slice(0, 30)}”`);
      continue;
    }
    const parsed = parseValue(key, value);
    if (parsed === null) {
      notices.push(`${key}: “${value.slice(0, 30)}” is not valid, using ${formatValue(state[key])}`);
    } else {
      state[key] = parsed;
    }
  }
  return { state, notices };
}

export function formatValue(value) {
  if (Array.isArray(value) && Array.isArray(value[0])) {
    return value.map((edit) => `${edit.slice(0, -1).join(".")}:${edit.at(-1)}`).join("|");
  }
  if (Array.isArray(value)) return value[0] === value[1] ? String(value[0]) : `${value[0]}x${value[1]}`;
  return String(value);
}

// every setting in the link, but cell edits only when there are some
export function toHash(state) {
  return "#" + Object.keys(FIELDS)
    .filter((key) => !(Array.isArray(state[key]) && state[key].length === 0 && FIELDS[key][0] === "edits"))
    .map((key) => `${key}=${encodeURIComponent(formatValue(state[key]))}`).join("&");
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
  const state = defaults();
  const notices = [];
  const options = {};
  for (const { name, value } of attributes) {
    const key = name.replace(/-/g, "_");
    if (Object.hasOwn(FIELDS, key)) {
      const parsed = parseValue(key, value);
      if (parsed === null) notices.push(`${name}: “${value.slice(0, 30)}” is not valid, using ${formatValue(state[key])}`);
      else state[key] = parsed;
    } else if (Object.hasOwn(VIEW_OPTIONS, name)) {
      const parsed = VIEW_OPTIONS[name](value || "true");
      if (parsed !== null) options[name] = parsed;
    }
  }
  return { state, notices, options };
}

// Options of an embedded view (iframe hash keys or <conv-scope> attributes), beside the state.
export const VIEW_OPTIONS = {
  panels: (text) => text.split(",").map((name) => name.trim()).filter(Boolean),
  locked: PARSERS.bool,
  autoplay: PARSERS.bool,
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
