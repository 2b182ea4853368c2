// The engine of a notebook widget: convscope in the Jupyter kernel (CPython), reached
// through the widget's custom messages. It has the interface of EngineClient, so the
// site's ScopeView and its EngineSession work on it unchanged:
//
//   view -> kernel  {type: "convscope:call", id, session, method, params}
//   kernel -> view  {type: "convscope:answer", id, result} | {..., id, error: {field, message}}
//
// The kernel answers with the engine's arrays as binary buffers ({"$buffer": i} in the
// message): they become Float64Array, as the worker's answers do (engine-data.js). JSON
// has no NaN or infinity: such a number comes as {"$float": "NaN" | "Infinity" | "-Infinity"}.
import { EngineError, EngineSession } from "./engine-client.js";

// every view of a widget has its own sessions: ids carry a per-view prefix, since the
// kernel's answers reach all views of the model
const viewId = () => Math.random().toString(36).slice(2, 10);

export class KernelClient extends EventTarget {
  #pending = new Map();  // id -> {resolve, reject}
  #nextId = 1;
  #nextSession = 1;
  #prefix = viewId();

  constructor(model) {
    super();
    this.model = model;
    this.ready = true;     // the kernel runs already: nothing to load
    this.failed = null;
    this.receive = (message, buffers) => this.#receive(message, buffers);
    model.on("msg:custom", this.receive);
  }

  get started() {
    return true;
  }

  start() {}

  restart() {}

  // the view is gone: stop listening, fail what waits
  close() {
    this.model.off("msg:custom", this.receive);
    for (const { reject } of this.#pending.values()) {
      reject(new EngineError({ field: "", message: "the view was closed" }));
    }
    this.#pending.clear();
  }

  call(session, method, params = {}) {
    const id = `${this.#prefix}:${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.model.send({ type: "convscope:call", id, session: `${this.#prefix}:${session}`,
                        method, params });
    });
  }

  #receive(message, buffers = []) {
    if (message?.type !== "convscope:answer" || !this.#pending.has(message.id)) return;
    const { resolve, reject } = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (message.error) reject(new EngineError(message.error));
    else resolve(withArrays(message.result, buffers));
  }

  session() {
    return new EngineSession(this, this.#nextSession++);
  }
}

// {"$buffer": i} -> Float64Array of buffers[i] (a DataView or ArrayBuffer; copied, so
// the array is aligned whatever the message's layout); {"$float": text} -> the number
function withArrays(value, buffers) {
  if (Array.isArray(value)) return value.map((item) => withArrays(item, buffers));
  if (value && typeof value === "object") {
    if (typeof value.$float === "string") return Number(value.$float);  // NaN, ±Infinity
    if (Number.isInteger(value.$buffer)) {
      const buffer = buffers[value.$buffer];
      const bytes = ArrayBuffer.isView(buffer)
        ? buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength)
        : buffer.slice(0);
      return new Float64Array(bytes);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withArrays(item, buffers)]));
  }
  return value;
}
