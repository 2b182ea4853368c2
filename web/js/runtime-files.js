// Which bytes a visit fetches to start Python, and how, measured over a real link
// (benchmarks/bench_link.py: 20 Mbit/s, 40 ms, a host that does not compress).
//
// First visit: the smallest download. The wasm and Pyodide's JS arrive gzipped
// (build.py writes .gz copies; the browser's DecompressionStream inflates them while
// they stream), and Python boots without its 21 MB memory snapshot.
// Once the engine is ready, warmNextVisit() fetches the plain wasm and JS and the
// gzipped snapshot into the HTTP cache. A revisit that finds them there (cache:
// "only-if-cached") restores Python from the snapshot and lets Pyodide compile the
// plain wasm from its URL, with the optimised code that code-cache.js had the
// browser keep after the first visit.

const realFetch = globalThis.fetch.bind(globalThis);

export class RuntimeFiles {
  #substitutes = new Map();  // absolute URL -> () => Promise<Response>
  #received = 0;
  #expected = 1;
  #ended = new Map();  // name -> {promise, resolve}, see ended()

  // indexURL: the pyodide/ folder; onBytes(received, expected) as bytes arrive
  constructor(indexURL, onBytes) {
    Object.assign(this, { indexURL, onBytes });
    // Pyodide fetches its wasm and standard library with the global fetch
    globalThis.fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input), indexURL).href;
      const substitute = this.#substitutes.get(url);
      return substitute ? substitute() : realFetch(input, init);
    };
  }

  url(name) {
    return new URL(name, this.indexURL).href;
  }

  // true on a revisit that can restore Python: the last visit cached what it needs
  async warm() {
    const cached = (name) => realFetch(this.url(name), { cache: "only-if-cached", mode: "same-origin" })
      .then((response) => response.ok, () => false);
    const found = await Promise.all(["snapshot.bin.gz", "pyodide.asm.wasm"].map(cached));
    return found.every(Boolean);
  }

  // the byte sizes build.py wrote for this build, to turn bytes into progress
  async expect(names) {
    try {
      const sizes = await (await realFetch(this.url("sizes.json"))).json();
      this.#expected = names.reduce((sum, name) => sum + (sizes[name] ?? 0), 0) || 1;
    } catch {
      this.#expected = 1;
    }
  }

  // a promise that settles once `name`'s download has ended, whether or not it succeeded
  ended(name) {
    return this.#ending(name).promise;
  }

  #ending(name) {
    if (!this.#ended.has(name)) this.#ended.set(name, Promise.withResolvers());
    return this.#ended.get(name);
  }

  // a response whose body counts toward the progress as it arrives
  async #counted(name) {
    const end = this.#ending(name).resolve;
    const response = await realFetch(this.url(name)).catch((error) => { end(); throw error; });
    if (!response.ok) {
      end();
      throw new Error(`${name}: HTTP ${response.status}`);
    }
    const reader = response.body.getReader();
    return new ReadableStream({
      pull: async (controller) => {
        try {
          const { done, value } = await reader.read();
          if (done) {
            end();
            controller.close();
            return;
          }
          this.#received += value.byteLength;
          this.onBytes(Math.min(this.#received, this.#expected), this.#expected);
          controller.enqueue(value);
        } catch (error) {
          end();
          controller.error(error);
        }
      },
      cancel: (reason) => {
        end();
        return reader.cancel(reason);
      },
    });
  }

  // the bytes of `name`, counted, inflated if it ends in .gz
  async stream(name) {
    const body = await this.#counted(name);
    return name.endsWith(".gz") ? body.pipeThrough(new DecompressionStream("gzip")) : body;
  }

  async bytes(name) {
    return new Uint8Array(await new Response(await this.stream(name)).arrayBuffer());
  }

  // answer Pyodide's fetch of `target` with `name` (counted, inflated), typed as `type`
  substitute(target, name, type) {
    this.#substitutes.set(this.url(target), async () =>
      new Response(await this.stream(name), { headers: { "Content-Type": type } }));
  }

  // Pyodide's JS from its .gz: defines _createPyodideModule, so loadPyodide does not
  // fetch the plain 1.3 MB file. Where a policy refuses blob: scripts, it fetches it.
  async preloadAsmJs() {
    const code = await new Response(await this.stream("pyodide.asm.js.gz")).arrayBuffer();
    const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
    try {
      await import(url);
    } catch (error) {
      console.warn(`convscope: loading Pyodide's JS uncompressed (${error.message})`);
    } finally {
      URL.revokeObjectURL(url);
    }
  }

  // after a first visit: what makes the next one fast, into the HTTP cache
  async warmNextVisit() {
    // the plain JS last: tests take its request as the sign the others are cached
    for (const name of ["pyodide.asm.wasm", "snapshot.bin.gz", "pyodide.asm.js"]) {
      await (await realFetch(this.url(name))).arrayBuffer();
    }
  }
}
