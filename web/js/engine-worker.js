// The engine's home: Pyodide + NumPy + convscope in a module Web Worker, so the
// page never freezes while Python starts or computes.
//
// Protocol (postMessage):
//   page -> worker  {id, session, method: "compute" | "step" | "touching" | "snippet" |
//                    "table" | "practice" | "practice_result" | "set_picture" | "model" |
//                    "stats",
//                    params}
//   worker -> page  {id, result} | {id, error: {field, message}}
//                   {type: "progress", stage, percent, mark} | {type: "ready", snapshot} |
//                   {type: "fatal", message}
// Arrays travel as {shape, data: Float64Array}, their buffers transferred, not copied.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { toPlain } from "./engine-data.js";
import { RuntimeFiles } from "./runtime-files.js";
import { installSitePackages } from "./site-packages.js";

const indexURL = new URL("../pyodide/", import.meta.url).href;
const PACKAGES = "site-packages.tar.gz";
const STDLIB = "python_stdlib.core.zip";  // the modules a visit imports (build.py)

// Progress follows the bytes of this visit's downloads (0-90 %), then the stages
// that only compute. `mark` names the stage for the benchmark's timings.
function progress(stage, percent, mark = null) {
  postMessage({ type: "progress", stage, percent, mark });
}
let shownPercent = -1;
const files = new RuntimeFiles(indexURL, (received, expected) => {
  const percent = Math.round(90 * received / expected);
  if (percent === shownPercent) return;  // a message per percent, not per chunk
  shownPercent = percent;
  progress(`Downloading Python and NumPy (${(received / 1e6).toFixed(1)} of ` +
           `${(expected / 1e6).toFixed(1)} MB)`, percent);
});

// A revisit restores Python from the snapshot the last visit cached; a first visit
// boots it from the smaller download (see runtime-files.js). {pyodide, snapshot}
async function bootPython(warm) {
  const options = { indexURL };
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
function fetchTheRestOnDemand(pyodide) {
  const fallback = pyodide.pyimport("import_fallback");
  fallback.install_from(indexURL).destroy();
  fallback.destroy();
}

// NumPy and convscope from the site-packages archive, or from their wheels through
// the lock file if the archive cannot be had
async function installPackages(pyodide, packages) {
  try {
    installSitePackages(pyodide, await packages);
  } catch (error) {
    console.warn(`convscope: installing NumPy and convscope from their wheels (${error.message})`);
    await pyodide.loadPackage("convscope");
  }
}

async function start() {
  const warm = await files.warm();
  await files.expect(warm ? ["snapshot.bin.gz", STDLIB, PACKAGES]
                          : ["pyodide.asm.js.gz", "pyodide.asm.wasm.gz", STDLIB, PACKAGES]);
  progress("Downloading Python and NumPy", 0, "worker_running");
  files.substitute("python_stdlib.zip", STDLIB, "application/zip");
  // fetched while Python starts; a failure is handled where it is awaited
  const packages = files.bytes(PACKAGES);
  packages.catch(() => {});
  const { pyodide, snapshot } = await bootPython(warm);
  progress("Installing NumPy", 90, "python_restored");
  fetchTheRestOnDemand(pyodide);
  await installPackages(pyodide, packages);
  progress("Starting the engine", 95, "packages_installed");
  const Session = pyodide.runPython("from convscope.web import Session; Session");
  if (!warm) setTimeout(() => files.warmNextVisit().catch(() => {}), 0);
  return { pyodide, Session, sessions: new Map(), snapshot };
}

const engine = start();
engine.then(
  ({ snapshot }) => postMessage({ type: "ready", snapshot }),
  (error) => postMessage({ type: "fatal", message: String(error?.message ?? error) }),
);

onmessage = async ({ data: { id, session: sessionId, method, params } }) => {
  let engineParts;
  try {
    engineParts = await engine;
  } catch {
    return;  // already reported as fatal
  }
  const { pyodide, Session, sessions } = engineParts;
  if (method === "stats") {
    // for leak checks: wasm memory never shrinks, so it must stop growing; live
    // Python objects after a collection must not pile up (a leaked PyProxy pins some)
    const objects = pyodide.runPython("import gc; gc.collect(); len(gc.get_objects())");
    postMessage({ id, result: { wasm_bytes: pyodide._module.HEAP8.buffer.byteLength,
                                python_objects: objects, sessions: sessions.size } });
    return;
  }
  // each view has its own Python Session (its setup and trace), made on first use
  if (!sessions.has(sessionId)) sessions.set(sessionId, Session());
  const session = sessions.get(sessionId);
  const transfers = [];
  try {
    let proxy;
    if (method === "compute") {
      const config = pyodide.toPy(params);
      proxy = session.compute(config);
      config.destroy();
    } else if (method === "step") {
      proxy = session.step(params.index);
    } else if (method === "touching") {
      proxy = session.touching(params.channel, params.row, params.col);
    } else if (method === "table") {
      proxy = session.table(params.kind);
    } else if (method === "practice") {
      proxy = session.practice(params.seed, params.level, params.index, params.answer ?? null,
                               params.test ?? false);
    } else if (method === "practice_result") {
      const [answers, hinted] = [pyodide.toPy(params.answers), pyodide.toPy(params.hinted)];
      proxy = session.practice_result(params.seed, answers, hinted);
      answers.destroy();
      hinted.destroy();
    } else if (method === "set_picture") {
      const rgba = pyodide.toPy(new Uint8Array(params.rgba));  // a memoryview (a copy)
      proxy = session.set_picture(rgba, params.width, params.height);
      rgba.destroy();
    } else if (method === "snippet") {
      proxy = session.script();
    } else if (method === "model") {
      const request = pyodide.toPy(params);
      proxy = session.model(request);
      request.destroy();
    } else {
      throw new Error(`unknown method ${method}`);
    }
    const result = toPlain(proxy, transfers);
    if (result && result.error) postMessage({ id, error: result.error });
    else postMessage({ id, result }, transfers);
  } catch (error) {
    // a Python exception here is a bug, not a user error: report it, keep running
    postMessage({ id, error: { field: "", message: String(error?.message ?? error) } });
  }
};
