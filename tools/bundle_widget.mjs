// Bundle the notebook widget (js/notebook-widget.js and the site modules it imports, with
// css/convscope.css as text) into one ES module, with the pinned esbuild (esbuild-wasm,
// run by Node). build.py runs it on the site being built, whose js/kinds.js the build has
// just written from Python, so the widget reads the same kinds as the site.
//
//   node tools/bundle_widget.mjs ESBUILD_PACKAGE_DIR SITE_DIR OUT_FILE
//
// The widget has no prebuilt frames (the kernel computes at once): frames.js is replaced
// by a module that has none, so the bundle never fetches anything.
import { createRequire } from "node:module";
import path from "node:path";

const [esbuildDir, site, out] = process.argv.slice(2);
const esbuild = createRequire(import.meta.url)(path.resolve(esbuildDir, "lib", "main.js"));

const noFrames = {
  name: "no-prebuilt-frames",
  setup(build) {
    build.onResolve({ filter: /\/frames\.js$/ }, () => ({ path: "frames.js", namespace: "no-frames" }));
    build.onLoad({ filter: /.*/, namespace: "no-frames" }, () => ({
      contents: "// the notebook widget has no prebuilt frames: the kernel computes at once\n" +
                "export async function loadFrame() { return null; }\n",
      loader: "js",
    }));
  },
};

await esbuild.build({
  absWorkingDir: path.resolve(site),
  entryPoints: ["js/notebook-widget.js"],
  outfile: path.resolve(out),
  bundle: true,
  format: "esm",
  target: "es2022",
  loader: { ".css": "text" },
  plugins: [noFrames],
  legalComments: "inline",
  charset: "utf8",
  banner: { js: "// convscope notebook widget: bundled by build.py from web/js (do not edit)." },
  logLevel: "warning",
});
