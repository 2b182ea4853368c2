// Add bytecode to the site's wheels, compiled by Pyodide's own Python, so pages do
// not compile NumPy's modules from source at every start (≈230 ms of its import).
//
//   node tools/py_compile_wheels.mjs RUNTIME_DIR WHEEL_FILE...
//
// Each wheel is rewritten in place with __pycache__/*.pyc (unchecked-hash: nothing
// checks the sources, which stay in the wheel). build.py then writes the lock's
// sha256 of the rewritten files.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [runtime, ...wheels] = process.argv.slice(2).map((p) => path.resolve(p));
globalThis.fetch = async (url) => {
  throw new Error(`no network while compiling wheels: ${url}`);
};
const { loadPyodide } = await import(pathToFileURL(path.join(runtime, "pyodide.mjs")).href);
const pyodide = await loadPyodide({ indexURL: runtime + path.sep });
pyodide.FS.mkdirTree("/wheels");
for (const wheel of wheels) {
  const name = path.basename(wheel);
  pyodide.FS.writeFile(`/wheels/${name}`, await readFile(wheel));
  pyodide.globals.set("wheel_name", name);
  pyodide.runPython(`
import compileall, os, py_compile, shutil, zipfile
source = f"/wheels/{wheel_name}"
unpacked = "/wheels/unpacked"
shutil.rmtree(unpacked, ignore_errors=True)
with zipfile.ZipFile(source) as archive:
    archive.extractall(unpacked)
    entries = [(info, archive.read(info.filename)) for info in archive.infolist()]
compileall.compile_dir(unpacked, quiet=1, workers=1,
                       invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH)
with zipfile.ZipFile(source, "w", zipfile.ZIP_DEFLATED) as archive:
    for info, data in entries:
        archive.writestr(info, data)
    for root, _, files in os.walk(unpacked):
        for file in sorted(files):
            if file.endswith(".pyc"):
                full = os.path.join(root, file)
                archive.write(full, os.path.relpath(full, unpacked))
`);
  await writeFile(wheel, pyodide.FS.readFile(`/wheels/${name}`));
  console.log(`${name}: bytecode added`);
}
