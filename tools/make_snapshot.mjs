// Make a Pyodide memory snapshot of the bare interpreter (no packages: NumPy
// cannot be snapshotted in 0.27.7), so pages restore Python instead of booting it.
//
//   node tools/make_snapshot.mjs DIST/pyodide
//
// Writes DIST/pyodide/snapshot.bin. The snapshot is tied to this exact
// pyodide.asm.wasm; the worker falls back to a normal start if restoring fails.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const indexURL = path.resolve(process.argv[2]) + path.sep;
globalThis.fetch = async (url) => {
  throw new Error(`no network while making the snapshot: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL, _makeSnapshot: true });
const bytes = pyodide.makeMemorySnapshot();
await writeFile(path.join(indexURL, "snapshot.bin"), bytes);
console.log(`snapshot.bin: ${(bytes.length / 1e6).toFixed(1)} MB`);
