// Run the torch fixture checks inside real Pyodide, loaded from a built dist/.
//
//   node tests/node/pyodide_fixtures.mjs DIST_DIR TESTS_DIR
//
// convscope is installed through dist's pyodide-lock.json, as on the site: one
// loadPackage("convscope") resolves it and numpy. Every network request is
// refused and reported: Pyodide in Node silently falls back to a CDN for a wheel
// it cannot find, and that must fail the test, not hide. (loadPackage after
// start-up rather than loadPyodide({packages}), whose early CDN log crashes
// Pyodide 0.27.7 in Node before the request can be seen.)
// Every fixture set tests/fixture_sets.py finds runs (tests/ is copied in whole).
// Prints one JSON line: {ready_ms, sets: {name: {count, failures, ...}}, offsite}.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [distDir, testsDir] = process.argv.slice(2).map((p) => path.resolve(p));
const indexURL = path.join(distDir, "pyodide") + path.sep;

const offsite = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (resource, init) => {
  const url = String(resource?.url ?? resource);
  if (!url.startsWith("file:") && !url.startsWith(indexURL)) {
    offsite.push(url);
    throw new Error(`refused a request outside dist/: ${url}`);
  }
  return realFetch(resource, init);
};

const result = { offsite };
// Pyodide can die outside any promise (e.g. after a refused CDN fetch): report, don't dump
process.on("uncaughtException", (error) => {
  result.error = String(error?.stack ?? error).slice(0, 2000);
  console.log(JSON.stringify(result));
  process.exit(1);
});
try {
  const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
  const started = performance.now();
  const pyodide = await loadPyodide({ indexURL });
  await pyodide.loadPackage("convscope", { messageCallback: () => {} });
  pyodide.runPython("import convscope");
  result.ready_ms = performance.now() - started;

  // tests/*.py and tests/fixtures/ (the sets, their checks) into /tests
  const copy = async (from, to) => {
    pyodide.FS.mkdirTree(to);
    for (const entry of await readdir(from, { withFileTypes: true })) {
      const source = path.join(from, entry.name);
      if (entry.isDirectory() && (to === "/tests" ? entry.name === "fixtures" : true)) {
        await copy(source, `${to}/${entry.name}`);
      } else if (entry.isFile() && (to !== "/tests" || entry.name.endsWith(".py"))) {
        pyodide.FS.writeFile(`${to}/${entry.name}`, await readFile(source));
      }
    }
  };
  await copy(testsDir, "/tests");
  const report = pyodide.runPython(`
import json, pathlib, sys
import numpy as np
sys.path.insert(0, "/tests")
from fixture_sets import run_all
json.dumps({"sets": run_all(pathlib.Path("/tests")),
            "python": sys.version.split()[0], "numpy": np.__version__})
`);
  Object.assign(result, JSON.parse(report));
} catch (error) {
  result.error = String(error?.stack ?? error).slice(0, 2000);
}
console.log(JSON.stringify(result));
