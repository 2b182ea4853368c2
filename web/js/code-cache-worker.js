// The second, short-lived Python of a first visit (see code-cache.js). It starts the
// way a revisit does, so its wasm is compiled from the plain file in the HTTP cache,
// then does the engine's everyday work (convscope.page.warm_up) so that V8 optimises the
// code a revisit runs first. Posts "done", or "skipped" when the files a revisit
// needs are not cached (then there is nothing to warm).
import { startPython } from "./python-start.js";
import { RuntimeFiles } from "./runtime-files.js";

const files = new RuntimeFiles(new URL("../pyodide/", import.meta.url).href, () => {});

async function run() {
  if (!await files.warm()) return "skipped";
  const { pyodide } = await startPython(files);
  pyodide.runPython("from convscope.page.warm_up import warm_up; warm_up()");
  return "done";
}

run().then(postMessage, (error) => {
  console.warn(`convscope: no code cache for the next visit (${error?.message ?? error})`);
  postMessage("failed");
});
