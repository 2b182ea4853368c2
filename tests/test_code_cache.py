"""A first visit leaves the browser compiled code for the next (web/js/code-cache.js)."""

import gzip
import json
import shutil
import subprocess

import pytest
from conftest import ROOT, SAMPLE, SNAPSHOT
from playwright.sync_api import expect

from convscope.kinds import KINDS
from convscope.page.warm_up import ROUNDS, warm_up

NEXT_VISIT = "() => performance.getEntriesByName('convscope:next-visit-ready')[0]?.detail"


def test_the_warm_up_computes_every_kind_forward_and_backward_in_each_round():
    # a view the engine refused would warm nothing
    assert warm_up(rounds=1) == 2 * len(KINDS)
    assert warm_up() == ROUNDS * 2 * len(KINDS)


def test_the_first_visit_wasm_is_the_plain_module_with_one_unread_section_more(dist):
    import build

    plain = (dist / "pyodide" / "pyodide.asm.wasm").read_bytes()
    first = gzip.decompress((dist / "pyodide" / "pyodide.asm.wasm.gz").read_bytes())
    assert first.startswith(plain) and len(first) > len(plain)
    # V8 reads both as the same module (imports, exports), the first with the section
    script = """
const fs = require("fs");
const describe = (path) => {
  const module = new WebAssembly.Module(fs.readFileSync(path));
  return {imports: WebAssembly.Module.imports(module), exports: WebAssembly.Module.exports(module),
          marked: WebAssembly.Module.customSections(module, section).length};
};
const [plain, section, scratch] = process.argv.slice(1);
fs.writeFileSync(scratch, require("zlib").gunzipSync(fs.readFileSync(plain + ".gz")));
console.log(JSON.stringify([describe(plain), describe(scratch)]));
"""
    scratch = ROOT / "build" / "first-visit.wasm"
    scratch.parent.mkdir(exist_ok=True)
    try:
        output = subprocess.run(
            [shutil.which("node"), "-e", script, str(dist / "pyodide" / "pyodide.asm.wasm"),
             build.FIRST_VISIT_SECTION.decode(), str(scratch)],
            capture_output=True, text=True, check=True).stdout
    finally:
        scratch.unlink(missing_ok=True)
    plain_module, first_module = json.loads(output)
    assert plain_module["marked"] == 0 and first_module["marked"] == 1
    assert first_module["imports"] == plain_module["imports"]
    assert first_module["exports"] == plain_module["exports"]


@pytest.mark.browser
def test_a_first_visit_leaves_compiled_wasm_in_the_code_cache(disk_profile, site):
    page = disk_profile.open()
    page.goto(f"{site.url}index.html{SAMPLE}")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    page.wait_for_function(NEXT_VISIT, timeout=90_000)
    assert page.evaluate(NEXT_VISIT) == {"codeCached": True}
    disk_profile.close()
    # Chromium's code cache for WebAssembly: the optimised code of pyodide.asm.wasm
    entries = [path.stat().st_size for path in (disk_profile.path / "Default" / "Code Cache"
                                                / "wasm").glob("*_0")]
    assert max(entries, default=0) > 256_000, entries

    page = disk_profile.open()
    page.goto(f"{site.url}index.html{SAMPLE}")
    page.wait_for_selector("#app[data-state=ready]", timeout=60_000)
    expect(page.get_by_test_id("step-value")).to_have_text("12")
    assert page.evaluate(SNAPSHOT) is True
