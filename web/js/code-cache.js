// Have the browser keep Pyodide's compiled WebAssembly for the next visit.
//
// A revisit is fastest when Chrome loads the wasm's optimised machine code from its
// code cache instead of compiling it again (over a 20 Mbit/s link: engine ready in
// ≈1.1 s instead of ≈1.4 s). Chrome writes that cache only for a module compiled from
// a cacheable response, and only once V8 has optimised some of its code, about two
// seconds after the last of it. The first visit's engine compiles the gzipped copy
// of the wasm, which no cache can hold. So once the plain file is in the HTTP cache,
// a short-lived worker (code-cache-worker.js) starts Python from it, as a revisit
// will, does the engine's everyday work, and is kept alive LINGER_MS before it stops.
// Nothing depends on it: without the cache the next visit compiles as before.

const LINGER_MS = 5000;

// resolves true once the worker has done its work and lingered, false if it could not
export function warmCodeCache() {
  if (typeof Worker === "undefined") return Promise.resolve(false);  // no nested workers
  return new Promise((resolve) => {
    const worker = new Worker(new URL("./code-cache-worker.js", import.meta.url), { type: "module" });
    const stop = (done) => {
      worker.terminate();
      resolve(done);
    };
    worker.onmessage = ({ data }) => {
      if (data === "done") setTimeout(() => stop(true), LINGER_MS);
      else stop(false);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      stop(false);
    };
  });
}
