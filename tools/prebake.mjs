// Write js/kinds.js, every layer kind's signature from Python (convscope.page.settings.manifest),
// css/convscope.css's palette and js/design.js (convscope.figure.design),
// which the page's state and controls read before Python runs. Then compute the first frames pages show, and play, before Python starts: the main page's default
// view and every <conv-scope> of the example pages, with the same engine (Pyodide,
// the built convscope wheel) and the same conversion the page's worker uses.
//
//   node tools/prebake.mjs DIST
//
// Writes DIST/js/kinds.js, DIST/js/design.js, the palette into DIST/css/convscope.css,
// DIST/prebuilt/index.json (frame key -> file) and one JSON file per frame.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const dist = path.resolve(process.argv[2]);
const PLAYABLE_STEPS = 200;
const load = (file) => import(pathToFileURL(path.join(dist, file)).href);

globalThis.fetch = async (url) => {
  throw new Error(`no network while prebaking frames: ${url}`);
};

async function exampleStates() {
  const states = [];
  const folder = path.join(dist, "examples");
  for (const name of (await readdir(folder)).filter((file) => file.endsWith(".html"))) {
    const html = await readFile(path.join(folder, name), "utf8");
    for (const [, attributes] of html.matchAll(/<conv-scope\b([^>]*)>/g)) {
      const pairs = [...attributes.matchAll(/([\w-]+)="([^"]*)"/g)]
        .map(([, attributeName, value]) => ({ name: attributeName, value }));
      states.push(readAttributes(pairs).state);
    }
  }
  return states;
}

// Python as a first visit has it: the core standard library and site-packages, no
// fallback (fetch throws), so the build fails if the core misses something
const { loadPyodide } = await load("pyodide/pyodide.mjs");
const { installSitePackages } = await load("js/site-packages.js");
const indexURL = path.join(dist, "pyodide") + path.sep;
const pyodide = await loadPyodide({ indexURL, stdLibURL: path.join(indexURL, "python_stdlib.core.zip") });
installSitePackages(pyodide, new Uint8Array(gunzipSync(await readFile(path.join(indexURL, "site-packages.tar.gz")))));
const manifest = pyodide.runPython("import json; from convscope.page.settings import manifest; json.dumps(manifest())");
await writeFile(path.join(dist, "js", "kinds.js"),
                `// Written by the build (tools/prebake.mjs) from convscope.page.settings.manifest(): do not edit.\nexport default ${manifest};\n`);
// one drawing: the palette into the stylesheet, the canvas's sizes into js/design.js
const design = pyodide.pyimport("convscope.figure.design");
const stylesheet = path.join(dist, "css", "convscope.css");
await writeFile(stylesheet, design.stylesheet(await readFile(stylesheet, "utf8")));
await writeFile(path.join(dist, "js", "design.js"), design.design_module());
// the worker's own way in: convscope.methods
const methods = pyodide.pyimport("convscope.methods");
const { defaults, engineConfig, frameKey, readAttributes } = await load("js/state.js");
const { encodeArrays, toPlain } = await load("js/engine-data.js");

const folder = path.join(dist, "prebuilt");
await mkdir(folder, { recursive: true });
const index = {};
for (const state of [defaults(), ...(await exampleStates())]) {
  const key = frameKey(state);
  if (index[key]) continue;
  const session = methods.Session();
  const config = pyodide.toPy(engineConfig(state));
  let view;
  try {
    view = toPlain(methods.answer(session, "compute", config));
  } finally {
    config.destroy();
  }
  if (view.error) throw new Error(`cannot prebake ${key}: ${view.error.message}`);
  // every step of a small view, so it plays, steps and scrubs before Python is up;
  // a large one gets its first step only (the file stays small)
  const count = view.steps <= PLAYABLE_STEPS ? view.steps : 1;
  const steps = Array.from({ length: count }, (_, i) => {
    const params = pyodide.toPy({ index: i });
    try {
      return toPlain(methods.answer(session, "step", params));
    } finally {
      params.destroy();
    }
  });
  session.destroy();
  const file = `frame-${Object.keys(index).length}.json`;
  await writeFile(path.join(folder, file),
                  JSON.stringify(encodeArrays({ key, view, steps })));
  index[key] = file;
}
await writeFile(path.join(folder, "index.json"), JSON.stringify(index, null, 1));
console.log(`prebuilt ${Object.keys(index).length} frames`);
