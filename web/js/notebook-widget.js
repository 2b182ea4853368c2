// convscope as a Jupyter widget (anywidget's module interface): the site's view, renderer
// and panels, drawn in the notebook; every number from convscope in the kernel
// (kernel-client.js). build.py bundles this module and the site's modules it imports,
// with the stylesheet, into py/convscope/notebook/convscope-widget.js.
//
// The model's traits: `_state` the page state (the URL hash's keys, from Python),
// `_options` the view options, `_revision` bumped when the layer or input changed,
// `step` the step shown, both ways.
import STYLESHEET from "../css/convscope.css";
import { KernelClient } from "./kernel-client.js";
import { applyOptions } from "./options.js";
import { ScopeView } from "./scope-view.js";
import { viewMarkup } from "./template.js";

// "auto" follows JupyterLab's theme where it says which (else the system's)
function themeOf(option) {
  const light = document.body.dataset.jpThemeLight;
  if (option !== "auto" || light === undefined) return option;
  return light === "true" ? "light" : "dark";
}

function render({ model, el }) {
  // a shadow root: the site's stylesheet styles the view and nothing of the notebook
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = STYLESHEET;
  const root = document.createElement("div");
  root.className = "app embedded notebook";
  root.dataset.state = "loading";
  root.innerHTML = viewMarkup({ title: false, landmarks: false });
  shadow.replaceChildren(style, root);

  const options = model.get("_options");
  const client = new KernelClient(model);
  const view = new ScopeView(root, client.session(), {
    state: { ...model.get("_state"), step: model.get("step") },
    locked: options.locked, autoplay: options.autoplay, keys: root,
  });
  applyOptions(root, { ...options, theme: themeOf(options.theme) });
  // a page link needs the site's address: convscope.link(...) in Python writes one
  root.querySelector("button.share").hidden = true;
  root.tabIndex = -1;  // keys step the view once it has been clicked
  // a key the view used (← → space Home End, the cell cursor's) is not also the notebook's
  // command (JupyterLab takes its shortcuts as the event bubbles to the document)
  root.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) event.stopPropagation();
  });

  // stepping in the view (buttons, scrub, keys, play) -> w.step
  view.addEventListener("change", ({ detail: { state } }) => {
    if (state.step === model.get("step")) return;
    model.set("step", state.step);
    model.save_changes();
  });
  // w.step = 7 in Python -> the view. The kernel answers the view's first compute only
  // after the cells queued before it (a "Run all"), so a step may come before there is
  // anything to step: the view's state keeps it for that compute.
  const onStep = () => {
    const step = model.get("step");
    view.current = { ...view.current, step };
    if (!view.player.count || step === view.player.index) return;
    view.player.pause();
    view.player.go(step);
  };
  // w.layer / w.x replaced (Python bumps _revision with the new state, in one message):
  // the new state, or the same state with new numbers, computed again
  const onRevision = () => view.load({ ...model.get("_state"), step: model.get("step") });
  model.on("change:step", onStep);
  model.on("change:_revision", onRevision);
  return () => {
    view.player.pause();
    model.off("change:step", onStep);
    model.off("change:_revision", onRevision);
    client.close();
  };
}

export default { render };
