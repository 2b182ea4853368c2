// First frames the engine computed at build time (tools/prebake.mjs), so a page can
// draw at once while Python starts; the live engine then redraws the same numbers.
import { decodeArrays } from "./engine-data.js";

const BASE = new URL("../prebuilt/", import.meta.url);
let index = null;  // frame key -> file, fetched once per page

export async function loadFrame(key) {
  index ??= fetch(new URL("index.json", BASE))
    .then((response) => (response.ok ? response.json() : {}))
    .catch(() => ({}));
  const file = (await index)[key];
  if (!file) return null;
  try {
    const response = await fetch(new URL(file, BASE));
    return response.ok ? decodeArrays(await response.json()) : null;
  } catch {
    return null;  // no frame: the page just waits for the engine
  }
}
