// Which files of the standard library and of site-packages a visit imports: Pyodide
// installs the site's packages as the page's worker does and runs everything the page
// asks of the engine (tools/engine_workload.py).
//
//   node tools/find_imports.mjs DIST STATIC_IMPORTS_JSON
//
// Prints {"stdlib": [names in python_stdlib.zip], "site_packages": [paths]}; build.py
// makes the archives a first visit fetches from these lists.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gunzipSync } from "node:zlib";

const dist = path.resolve(process.argv[2]);
const staticImports = JSON.parse(process.argv[3]);
const indexURL = path.join(dist, "pyodide") + path.sep;
globalThis.fetch = async (url) => {
  throw new Error(`no network while finding imports: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(indexURL, "pyodide.mjs")).href);
const { installSitePackages } = await import(pathToFileURL(path.join(dist, "js", "site-packages.js")).href);

const pyodide = await loadPyodide({ indexURL });
const tar = gunzipSync(await readFile(path.join(indexURL, "site-packages.tar.gz")));
installSitePackages(pyodide, new Uint8Array(tar));
pyodide.globals.set("STATIC_IMPORTS", pyodide.toPy(staticImports));
const workload = path.join(path.dirname(fileURLToPath(import.meta.url)), "engine_workload.py");
pyodide.runPython(await readFile(workload, "utf8"), { filename: workload });
console.log(pyodide.runPython(`
import json, site, sys
STDLIB = "/lib/python312.zip/"
SITE = site.getsitepackages()[0] + "/"
files = sorted({module.__spec__.origin for module in list(sys.modules.values())
                if getattr(module, "__spec__", None) and module.__spec__.origin})
json.dumps({"stdlib": [f[len(STDLIB):] for f in files if f.startswith(STDLIB)],
            "site_packages": [f[len(SITE):] for f in files if f.startswith(SITE)]})
`));
