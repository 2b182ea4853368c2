// The two ways to put the current view in a course page, as text to copy.
import { KINDS, attributeName, formatValue, stateKeys, toHash } from "./state.js";

const escapeAttribute = (text) => text.replace(/&/g, "&amp;").replace(/"/g, "&quot;");


export function embedSnippets(state, base) {
  const iframe = [
    `<iframe src="${escapeAttribute(`${base}embed.html${toHash(state)}`)}"`,
    `        title="convscope: a step-by-step nn.${KINDS[state.layer].title}" loading="lazy"`,
    `        style="width: 100%; height: 640px; border: 0"></iframe>`,
    `<script src="${escapeAttribute(`${base}js/embed-resize.js`)}" defer></script>`,
  ].join("\n");
  const attributes = stateKeys(state).map((key) => `${attributeName(key)}="${escapeAttribute(formatValue(state[key]))}"`);
  const component = [
    `<script type="module" src="${escapeAttribute(`${base}js/convscope.js`)}"></script>`,
    `<conv-scope ${attributes.join(" ")}></conv-scope>`,
  ].join("\n");
  return { iframe, component };
}
