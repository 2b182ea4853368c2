// Time the engine inside Pyodide (Node.js), with the layer_timing.py CPython uses.
//
//   node benchmarks/pyodide_timing.mjs DIST LAYERS_JSON   -> prints {name: ms}
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [dist, layers] = process.argv.slice(2);
const indexURL = path.resolve(dist, "pyodide") + path.sep;
globalThis.fetch = async (url) => {
  throw new Error(`no network in the benchmark: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL });
await pyodide.loadPackage("convscope", { messageCallback: () => {} });
const source = await readFile(new URL("./layer_timing.py", import.meta.url));
pyodide.FS.writeFile("/home/pyodide/layer_timing.py", source);
pyodide.globals.set("layers_json", layers);
console.log(pyodide.runPython("import layer_timing; layer_timing.main_json(layers_json)"));
