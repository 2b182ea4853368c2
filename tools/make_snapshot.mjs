// Make a Pyodide memory snapshot, so pages restore Python instead of booting it.
//
//   node tools/make_snapshot.mjs DIST
//
// NumPy cannot be in a snapshot (Pyodide 0.27.7 refuses it), but the standard
// library modules that NumPy and convscope import can: a first interpreter installs
// the site's packages and records which ones `import convscope.methods` brings in; a
// second, bare one imports those and is snapshotted. Pages then skip importing them
// (≈250 ms in Node, pickle alone ≈140 ms).
//
// Writes DIST/pyodide/snapshot.bin, tied to this exact pyodide.asm.wasm; the worker
// falls back to a normal start if restoring fails.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const dist = path.resolve(process.argv[2]);
const indexURL = path.join(dist, "pyodide") + path.sep;
// the standard library pages load: a snapshot holds the zip's directory, so it must be
// made with the very zip it is restored with
const stdLibURL = path.join(indexURL, "python_stdlib.core.zip");
globalThis.fetch = async (url) => {
  throw new Error(`no network while making the snapshot: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { installSitePackages } = await import(pathToFileURL(path.join(dist, "js", "site-packages.js")).href);

async function stdlibModulesOfTheEngine() {
  const pyodide = await loadPyodide({ indexURL, stdLibURL });
  const tar = gunzipSync(await readFile(path.join(indexURL, "site-packages.tar.gz")));
  installSitePackages(pyodide, new Uint8Array(tar));  // as the page's worker does
  return pyodide.runPython(`
import sys
before = set(sys.modules)
import convscope.methods
# ctypes stays out: it opens the main module through the dynamic linker, whose
# state lives in JavaScript, not in the snapshot's memory
sorted(name for name in set(sys.modules) - before
       if not name.startswith(("numpy", "convscope", "ctypes", "_ctypes")))
`).toJs();
}

const modules = await stdlibModulesOfTheEngine();
const pyodide = await loadPyodide({ indexURL, stdLibURL, _makeSnapshot: true });
pyodide.runPython(modules.map((name) => `import ${name}\n`).join(""));
const bytes = pyodide.makeMemorySnapshot();
await writeFile(path.join(indexURL, "snapshot.bin"), bytes);
console.log(`snapshot.bin: ${(bytes.length / 1e6).toFixed(1)} MB, with ${modules.join(", ")}`);
