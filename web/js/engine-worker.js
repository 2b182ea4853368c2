// The engine's home: Pyodide + NumPy + convscope in a module Web Worker, so the
// page never freezes while Python starts or computes.
//
// Protocol (postMessage):
//   page -> worker  {id, session, method: "compute" | "step" | "touching" | "snippet" |
//                    "table" | "practice" | "practice_result" | "set_picture" | "model" |
//                    "stats",
//                    params}
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
  const Session = pyodide.runPython("from convscope.web import Session; Session");
  if (!warm) setTimeout(() => prepareNextVisit().catch(() => {}), 0);
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
