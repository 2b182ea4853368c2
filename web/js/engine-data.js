// How the engine's answers travel: Python dicts become plain objects whose arrays
// are Float64Array (exact for the engine's float32 values). Shared by the worker,
// the build's prebuilt frames (Node) and the page that reads those frames.

// Python dict (PyProxy) -> plain object; packed bytes -> Float64Array, buffers collected
export function toPlain(proxy, transfers = []) {
  const value = proxy.toJs({ dict_converter: Object.fromEntries, create_pyproxies: false });
  proxy.destroy();
  return unpack(value, transfers);
}

function unpack(value, transfers) {
  if (value === undefined) return null;  // Python's None arrives as undefined
  if (value instanceof Uint8Array) {
    const copy = value.slice();  // own, aligned buffer we can transfer
    transfers.push(copy.buffer);
    return new Float64Array(copy.buffer);
  }
  return mapTree(value, (item) => unpack(item, transfers));
}

function mapTree(value, map) {
  if (Array.isArray(value)) return value.map(map);
  if (value && typeof value === "object" && !ArrayBuffer.isView(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, map(v)]));
  }
  return value;
}

// Float64Array -> {float32: base64}: JSON for a prebuilt frame (the page's values are
// float32, so nothing is lost); and back.
export function encodeArrays(value) {
  if (value instanceof Float64Array) {
    const bytes = new Uint8Array(Float32Array.from(value).buffer);
    return { float32: btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join("")) };
  }
  return mapTree(value, encodeArrays);
}

export function decodeArrays(value) {
  if (value && typeof value.float32 === "string") {
    const bytes = Uint8Array.from(atob(value.float32), (c) => c.charCodeAt(0));
    return Float64Array.from(new Float32Array(bytes.buffer));
  }
  return mapTree(value, decodeArrays);
}
