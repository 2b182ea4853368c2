// The engine's home: Pyodide + NumPy + convscope in a module Web Worker, so the
// page never freezes while Python starts or computes.
//
// Protocol (postMessage):
//   page -> worker  {id, session, method: "compute" | "step" | "touching" | "snippet" |
//                    "table" | "practice" | "practice_result" | "stats", params}
//   worker -> page  {id, result} | {id, error: {field, message}}
//                   {type: "progress", stage, percent} | {type: "ready"} | {type: "fatal", message}
// Arrays travel as {shape, data: Float64Array}, their buffers transferred, not copied.
import { loadPyodide } from "../pyodide/pyodide.mjs";
import { toPlain } from "./engine-data.js";
import { fetchArchive, installSitePackages } from "./site-packages.js";

const indexURL = new URL("../pyodide/", import.meta.url).href;
// fetched while Python starts; a failure is handled where it is awaited
const packages = fetchArchive(new URL("site-packages.tar.gz", indexURL));
packages.catch(() => {});

function progress(stage, percent) {
  postMessage({ type: "progress", stage, percent });
}

// Python restored from a memory snapshot made at build time (much faster than
// booting it); a normal boot if the snapshot is missing or does not fit this runtime.
async function bootPython() {
  const options = { indexURL };
  try {
    const snapshot = await fetch(new URL("snapshot.bin", indexURL));
    if (!snapshot.ok) throw new Error(`snapshot.bin: HTTP ${snapshot.status}`);
    return await loadPyodide({ ...options, _loadSnapshot: snapshot.arrayBuffer() });
  } catch (error) {
    console.warn(`convscope: starting Python without its snapshot (${error.message})`);
    return loadPyodide(options);
  }
}

// NumPy and convscope from the site-packages archive, or from their wheels through
// the lock file if the archive cannot be had
async function installPackages(pyodide) {
  try {
    installSitePackages(pyodide, await packages);
  } catch (error) {
    console.warn(`convscope: installing NumPy and convscope from their wheels (${error.message})`);
    await pyodide.loadPackage("convscope");
  }
}

async function start() {
  progress("Starting Python", 10);
  const pyodide = await bootPython();
  progress("Installing NumPy", 50);
  await installPackages(pyodide);
  progress("Starting the engine", 80);
  const Session = pyodide.runPython("from convscope.web import Session; Session");
  return { pyodide, Session, sessions: new Map() };
}

const engine = start();
engine.then(
  () => postMessage({ type: "ready" }),
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
    } else if (method === "snippet") {
      postMessage({ id, result: session.snippet() });
      return;
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
