// Starting Pyodide + NumPy + convscope in a worker: what the engine's worker and the
// code-cache worker share. `files` (runtime-files.js) fetches and counts the bytes.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { installSitePackages } from "./site-packages.js";

const PACKAGES = "site-packages.tar.gz";
const STDLIB = "python_stdlib.core.zip";  // the modules a visit imports (build.py)

// A revisit restores Python from the snapshot the last visit cached; a first visit
// boots it from the smaller download (see runtime-files.js). {pyodide, snapshot}
async function bootPython(files, warm) {
  const options = { indexURL: files.indexURL };
  if (warm) {
    try {
      const snapshot = files.bytes("snapshot.bin.gz");
      return { pyodide: await loadPyodide({ ...options, _loadSnapshot: snapshot }), snapshot: true };
    } catch (error) {
      console.warn(`convscope: starting Python without its snapshot (${error.message})`);
    }
  } else {
    files.substitute("pyodide.asm.wasm", "pyodide.asm.wasm.gz", "application/wasm");
    await files.preloadAsmJs();
  }
  return { pyodide: await loadPyodide(options), snapshot: false };
}

// The core zip holds only what the engine imports; anything else is fetched on its
// first import (py/import_fallback.py, which the build puts in that zip)
function fetchTheRestOnDemand(pyodide, indexURL) {
  const fallback = pyodide.pyimport("import_fallback");
  fallback.install_from(indexURL).destroy();
  fallback.destroy();
}

// NumPy and convscope from the site-packages archive, or from their wheels through
// the lock file if the archive cannot be had
async function installPackages(pyodide, packages, stage) {
  try {
    const archive = await packages;
    stage("Installing NumPy", 90);
    installSitePackages(pyodide, archive);
  } catch (error) {
    console.warn(`convscope: installing NumPy and convscope from their wheels (${error.message})`);
    await pyodide.loadPackage("convscope");
  }
}

// Python with NumPy and convscope installed (not yet imported): {pyodide, warm, snapshot}.
// warm: this visit found what the last one cached. stage(name, percent, mark) reports
// progress (name and percent null: a mark only); byte progress comes from `files`.
export async function startPython(files, stage = () => {}) {
  const warm = await files.warm();
  await files.expect(warm ? ["snapshot.bin.gz", STDLIB, PACKAGES]
                          : ["pyodide.asm.js.gz", "pyodide.asm.wasm.gz", STDLIB, PACKAGES]);
  stage("Downloading Python and NumPy", 0, "worker_running");
  files.substitute("python_stdlib.zip", STDLIB, "application/zip");
  // fetched while Python starts; a failure is handled where it is awaited. A first
  // visit's link carries the wasm first: Python's start waits for all of it (it compiles
  // as it streams), and NumPy's files are not needed until Python has started.
  const packages = warm ? files.bytes(PACKAGES)
                        : files.ended("pyodide.asm.wasm.gz").then(() => files.bytes(PACKAGES));
  packages.catch(() => {});
  const { pyodide, snapshot } = await bootPython(files, warm);
  // a mark only: the bar keeps following NumPy's files, which may still be arriving
  stage(null, null, "python_restored");
  fetchTheRestOnDemand(pyodide, files.indexURL);
  await installPackages(pyodide, packages, stage);
  return { pyodide, warm, snapshot };
}
