// The page's handle on the engine worker: calls return promises; load progress,
// readiness and a dead worker arrive as events ("progress", "ready", "fatal").

export class EngineError extends Error {
  constructor({ field, message }) {
    super(message);
    this.field = field;
  }
}

export class EngineClient extends EventTarget {
  #worker;
  #pending = new Map();
  #nextId = 1;

  constructor() {
    super();
    this.ready = false;
    this.#worker = new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module" });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message || "the engine worker failed to start");
    };
  }

  #receive(data) {
    if (data.type === "progress") {
      this.dispatchEvent(new CustomEvent("progress", { detail: data }));
    } else if (data.type === "ready") {
      this.ready = true;
      this.dispatchEvent(new Event("ready"));
    } else if (data.type === "fatal") {
      this.#fail(data.message);
    } else if (this.#pending.has(data.id)) {
      const { resolve, reject } = this.#pending.get(data.id);
      this.#pending.delete(data.id);
      if (data.error) reject(new EngineError(data.error));
      else resolve(data.result);
    }
  }

  #fail(message) {
    this.dispatchEvent(new CustomEvent("fatal", { detail: { message } }));
    for (const { reject } of this.#pending.values()) reject(new EngineError({ field: "", message }));
    this.#pending.clear();
  }

  call(method, params = {}) {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, method, params });
    });
  }

  compute(config) { return this.call("compute", config); }
  step(index) { return this.call("step", { index }); }
  touching(channel, row, col) { return this.call("touching", { channel, row, col }); }
  snippet() { return this.call("snippet"); }
}
