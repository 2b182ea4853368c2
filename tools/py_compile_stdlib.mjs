// Replace the core standard library zip's sources with bytecode, compiled by Pyodide's
// own Python, so a first visit does not compile them at every import: over a 20 Mbit/s
// link that took Python's start from ≈1.5 s to ≈0.4 s, for 0.6 MB more to download.
//
//   node tools/py_compile_stdlib.mjs RUNTIME_DIR ZIP_FILE
//
// Each `name.py` becomes `name.pyc` in the same place (zipimport loads sourceless
// bytecode from there), unchecked-hash: the hash is of the official source, which
// nothing checks at run time. Other entries are copied as they are; the zip is
// rewritten in place with the same order, dates and compression.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtime, zip] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.fetch = async (url) => {
  throw new Error(`no network while compiling the standard library: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: runtime + path.sep });
pyodide.FS.writeFile("/core.zip", await readFile(zip));
const count = pyodide.runPython(`
import importlib.util, sys, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

# where zipimport says the module's file is, so tracebacks name it as before
place = f"/lib/python{sys.version_info.major}{sys.version_info.minor}.zip/"
compiled = 0
with zipfile.ZipFile("/core.zip") as source:
    entries = [(info, source.read(info)) for info in source.infolist()]
with zipfile.ZipFile("/core.zip", "w", compresslevel=9) as target:
    for info, data in entries:
        if info.filename.endswith(".py"):
            code = compile(data, place + info.filename, "exec", dont_inherit=True)
            data = bytes(_code_to_hash_pyc(code, importlib.util.source_hash(data), checked=False))
            info = zipfile.ZipInfo(info.filename + "c", info.date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            compiled += 1
        target.writestr(info, data)
compiled
`);
await writeFile(zip, pyodide.FS.readFile("/core.zip"));
console.log(`${path.basename(zip)}: ${count} modules compiled`);
