// The two ways to put the current view in a course page, as text to copy.
import { FIELDS, attributeName, formatValue, toHash } from "./state.js";

const escapeAttribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");


export function embedSnippets(state, base) {
  const iframe = [
    `<iframe src="${escapeAttribute(`${base}embed.html${toHash(state)}`)}"`,
    `        title="convscope: a step-by-step nn.Conv2d" loading="lazy"`,
    `        style="width: 100%; height: 640px; border: 0"></iframe>`,
    `<script src="${escapeAttribute(`${base}js/embed-resize.js`)}" defer></script>`,
  ].join("\n");
  const attributes = Object.keys(FIELDS)
    .filter((key) => !(FIELDS[key][0] === "edits" && state[key].length === 0))
    .map((key) => `${attributeName(key)}="${escapeAttribute(formatValue(state[key]))}"`);
  const component = [
    `<script type="module" src="${escapeAttribute(`${base}js/convscope.js`)}"></script>`,
    `<conv-scope ${attributes.join(" ")}></conv-scope>`,
  ].join("\n");
  return { iframe, component };
}
