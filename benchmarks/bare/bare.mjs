// The bare platform for the real-link benchmark: Pyodide's documented start and
// NumPy from the site's lock, ready when NumPy is imported.
import { loadPyodide } from "../pyodide/pyodide.mjs";

const pyodide = await loadPyodide({ indexURL: new URL("../pyodide/", import.meta.url).href });
await pyodide.loadPackage("numpy");
pyodide.runPython("import numpy");
performance.mark("bare:ready");
document.getElementById("state").textContent = "ready";
document.body.dataset.state = "ready";
