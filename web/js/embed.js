// The visualizer with minimal chrome, for an iframe in a course page. Configured by
// the main page's URL hash plus view options (panels, locked, autoplay, theme), it
// tells its parent its height so the host can size the iframe:
//
//   widget -> parent  {type: "convscope:height", height}   (on every size change)
//   parent -> widget  {type: "convscope:get-height"}       (asks for it again)
// Any other message is ignored.
import { EngineClient } from "./engine-client.js";
import { isModel } from "./model-link.js";
import { registerOffline } from "./offline.js";
import { applyOptions } from "./options.js";
import { PracticeView, isPractice, parsePractice, practiceMarkup } from "./practice.js";
import { ScopeView, afterFirstFrame } from "./scope-view.js";
import { parseHash, splitOptions } from "./state.js";
import { viewMarkup } from "./template.js";

const app = document.getElementById("app");
const { options, hash } = splitOptions(location.hash);
const engine = EngineClient.shared();
let view;
if (isModel(hash)) {  // #mode=model&...: a model's table (locked=true: a fixed model)
  const { showModelPage } = await import("./model-view.js");
  view = showModelPage(app, engine, { title: false, locked: options.locked, keepLink: false });
  if (options.theme && options.theme !== "auto") app.dataset.theme = options.theme;
} else if (isPractice(hash)) {  // #mode=practice&seed=42&level=easy: exercises instead
  app.innerHTML = practiceMarkup();
  view = new PracticeView(app, engine.session(), parsePractice(hash));
  if (options.theme && options.theme !== "auto") app.dataset.theme = options.theme;
  engine.start();
} else {
  app.innerHTML = viewMarkup({ title: false });
  view = new ScopeView(app, engine.session(), { ...parseHash(hash), keys: document,
                                                locked: options.locked, autoplay: options.autoplay });
  applyOptions(app, options);
  afterFirstFrame(view, () => engine.start());
}

function reportHeight() {
  if (window.parent === window) return;
  const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
  window.parent.postMessage({ type: "convscope:height", height }, "*");
}
new ResizeObserver(reportHeight).observe(document.documentElement);
window.addEventListener("message", (event) => {
  if (event.source === window.parent && event.data?.type === "convscope:get-height") reportHeight();
});
view.addEventListener("status", reportHeight);
view.addEventListener("change", reportHeight);
registerOffline(engine);
