// The engine's home: Pyodide + NumPy + convscope in a module Web Worker, so the
// page never freezes while Python starts or computes.
//
// Protocol (postMessage):
//   page -> worker  {id, session, method, params}: a method of convscope.methods (the
//                   table the notebook's kernel answers through too), or "stats"
//   worker -> page  {id, result} | {id, error: {field, message}}
//                   {type: "progress", stage, percent, mark} (stage and percent null:
//                   a mark only) | {type: "ready", snapshot} |
//                   {type: "next-visit-ready", codeCached} | {type: "fatal", message}
// Arrays travel as {shape, data: Float64Array}, their buffers transferred, not copied.
import { warmCodeCache } from "./code-cache.js";
import { toPlain } from "./engine-data.js";
import { startPython } from "./python-start.js";
import { RuntimeFiles } from "./runtime-files.js";
// python-start.js's own imports, named here too so that they are fetched with it, not
// one round trip after it (≈50 ms on a first visit over the benchmark's link)
import "../pyodide/pyodide.mjs";
import "./site-packages.js";

const indexURL = new URL("../pyodide/", import.meta.url).href;

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

// After a first visit's engine is ready: fetch what the next visit restores from, then
// have the browser keep compiled code for it. The page hears when both are done.
async function prepareNextVisit() {
  await files.warmNextVisit();
  const codeCached = await warmCodeCache();
  postMessage({ type: "next-visit-ready", codeCached });
}

async function start() {
  const { pyodide, warm, snapshot } = await startPython(files, progress);
  progress("Starting the engine", 95, "packages_installed");
  const methods = pyodide.pyimport("convscope.methods");
  if (!warm) setTimeout(() => prepareNextVisit().catch(() => {}), 0);
  return { pyodide, Session: methods.Session, answer: methods.answer, sessions: new Map(),
           snapshot };
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
  const { pyodide, Session, answer, sessions } = engineParts;
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
    // params become a Python dict (a picture's ArrayBuffer a memoryview, copied)
    const call = pyodide.toPy(params ?? {});
    let proxy;
    try {
      proxy = answer(session, method, call);
    } finally {
      call.destroy();
    }
    const result = toPlain(proxy, transfers);
    if (result && result.error) postMessage({ id, error: result.error });
    else postMessage({ id, result }, transfers);
  } catch (error) {
    // convscope.methods answers every Python exception itself: this is a bug in the
    // conversion. Report it, keep running
    postMessage({ id, error: { field: "", message: String(error?.message ?? error) } });
  }
};
