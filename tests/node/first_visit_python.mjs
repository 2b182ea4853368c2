// Python as a first visit has it (the core standard library zip and the core
// site-packages, as the page's worker installs them), then runs Python code from
// stdin and prints its result (a JSON string) as the last line.
//
//   node tests/node/first_visit_python.mjs DIST [--fallback] < code.py
//
// With --fallback, py/import_fallback.py is installed reading DIST's files (the
// browser reads them with a synchronous request; tests/test_first_visit_core.py).
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const dist = path.resolve(process.argv[2]);
const indexURL = path.join(dist, "pyodide") + path.sep;
globalThis.fetch = async (url) => {
  throw new Error(`no network here: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { installSitePackages } = await import(pathToFileURL(path.join(dist, "js", "site-packages.js")).href);
const pyodide = await loadPyodide({ indexURL, stdLibURL: `${indexURL}python_stdlib.core.zip` });
installSitePackages(pyodide, new Uint8Array(gunzipSync(readFileSync(`${indexURL}site-packages.tar.gz`))));
if (process.argv.includes("--fallback")) {
  pyodide.globals.set("read_file", (name) => new Uint8Array(readFileSync(indexURL + name)));
  pyodide.runPython(`import import_fallback, site
import_fallback.install(lambda name: read_file(name).to_bytes(), site.getsitepackages()[0])`);
}
try {
  console.log(pyodide.runPython(readFileSync(0, "utf8")));
} catch (error) {
  console.error(error.message);  // Python's traceback
  process.exit(1);
}
