// The page's handle on the engine worker: calls return promises; load progress,
// readiness and a dead worker arrive as events ("progress", "ready", "fatal").
// One client is one Pyodide runtime; views use separate sessions of it.

export class EngineError extends Error {
  constructor({ field, message }) {
    super(message);
    this.field = field;
  }
}

let shared = null;

// Past these the engine counts as stalled: the page says so and offers a restart.
export const START_TIMEOUT_MS = 90_000;
export const CALL_TIMEOUT_MS = 30_000;

export class EngineClient extends EventTarget {
  #worker = null;
  #pending = new Map();   // id -> {resolve, reject, timer}
  #startTimer = null;
  #nextId = 1;
  #nextSession = 1;

  // the one client of this page: many widgets, one Python runtime
  static shared() {
    shared ??= new EngineClient();
    return shared;
  }

  constructor() {
    super();
    this.ready = false;
    this.failed = null;
  }

  get started() {
    return this.#worker !== null;
  }

  // start Python in the worker (once); "ready" follows
  start() {
    if (this.#worker) return;
    this.failed = null;
    this.#startTimer = setTimeout(() => this.#fail(
      `Python did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    performance.mark("convscope:engine-start");
    this.#worker = new Worker(new URL("./engine-worker.js", import.meta.url), { type: "module" });
    this.#worker.onmessage = ({ data }) => this.#receive(data);
    this.#worker.onerror = (event) => {
      event.preventDefault();
      this.#fail(event.message || "the engine worker failed to start");
    };
    this.dispatchEvent(new Event("start"));
  }

  #receive(data) {
    if (data.type === "progress") {
      // "convscope:engine python_restored" etc.: where start-up time goes, for the benchmark
      if (data.mark) performance.mark(`convscope:engine ${data.mark}`);
      if (data.stage !== null) this.dispatchEvent(new CustomEvent("progress", { detail: data }));
    } else if (data.type === "ready") {
      clearTimeout(this.#startTimer);
      this.ready = true;
      this.fromSnapshot = data.snapshot;  // Python restored, not booted (a revisit)
      this.dispatchEvent(new Event("ready"));
    } else if (data.type === "next-visit-ready") {
      // a first visit has cached what makes the next one fast (the benchmark waits for it)
      performance.mark("convscope:next-visit-ready", { detail: { codeCached: data.codeCached } });
    } else if (data.type === "fatal") {
      this.#fail(data.message);
    } else if (this.#pending.has(data.id)) {
      const { resolve, reject, timer } = this.#pending.get(data.id);
      clearTimeout(timer);
      this.#pending.delete(data.id);
      if (data.error) reject(new EngineError(data.error));
      else resolve(data.result);
    }
  }

  // the worker died or stalled: stop it, fail what waits, tell the views
  #fail(message) {
    if (this.failed) return;
    this.#stop();
    this.failed = message;
    this.dispatchEvent(new CustomEvent("fatal", { detail: { message } }));
  }

  #stop() {
    clearTimeout(this.#startTimer);
    this.#worker?.terminate();
    this.#worker = null;
    this.ready = false;
    for (const { reject, timer } of this.#pending.values()) {
      clearTimeout(timer);
      reject(new EngineError({ field: "", message: "the engine was stopped" }));
    }
    this.#pending.clear();
  }

  // a fresh worker; views keep their state and recompute on "ready"
  restart() {
    this.#stop();
    this.start();
  }

  // transfer: buffers in params to hand over to the worker rather than copy
  call(session, method, params = {}, transfer = []) {
    if (this.failed) return Promise.reject(new EngineError({ field: "", message: this.failed }));
    this.start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(
        `the engine did not answer within ${CALL_TIMEOUT_MS / 1000} s`), CALL_TIMEOUT_MS);
      this.#pending.set(id, { resolve, reject, timer });
      this.#worker.postMessage({ id, session, method, params }, transfer);
    });
  }

  session() {
    return new EngineSession(this, this.#nextSession++);
  }

  // {wasm_bytes, python_objects, sessions}: what the runtime holds, for leak checks
  stats() {
    return this.call(0, "stats");
  }
}

// One view's conversation with the engine: its own setup and trace in Python.
export class EngineSession {
  constructor(client, id) {
    Object.assign(this, { client, id });
  }

  compute(config) { return this.client.call(this.id, "compute", config); }
  step(index) { return this.client.call(this.id, "step", { index }); }
  touching(channel, row, col) { return this.client.call(this.id, "touching", { channel, row, col }); }
  practice(seed, level, index, answer, test = false) {
    return this.client.call(this.id, "practice", { seed, level, index, answer, test });
  }
  practiceResult(seed, answers, hinted) {
    return this.client.call(this.id, "practice_result", { seed, answers, hinted });
  }
  async snippet() { return (await this.client.call(this.id, "snippet")).text; }
  // the user's picture for input "picture": RGBA bytes (an ArrayBuffer, handed over)
  setPicture(rgba, width, height) {
    return this.client.call(this.id, "set_picture", { rgba, width, height }, [rgba]);
  }
  // the step table as "csv" or "json" text
  table(format) { return this.client.call(this.id, "table", { format }); }
  // model mode (convscope.model.page): {action: "examples" | "summary" | "layer_state" | "layer", ...}
  model(request) { return this.client.call(this.id, "model", request); }
}
