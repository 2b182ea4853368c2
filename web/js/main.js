// The visualizer page (or, with #mode=practice, the practice page): the view, its
// state in the URL hash, and the Embed dialog.
import { EngineClient } from "./engine-client.js";
import { embedSnippets } from "./embed-snippets.js";
import { isModel } from "./model-link.js";
import { registerOffline } from "./offline.js";
import { copyText } from "./panels.js";
import { PracticeView, isPractice, parsePractice, practiceMarkup } from "./practice.js";
import { ScopeView, afterFirstFrame } from "./scope-view.js";
import { parseHash, toHash } from "./state.js";
import { viewMarkup } from "./template.js";

const app = document.getElementById("app");
const engine = EngineClient.shared();
engine.addEventListener("ready", () => performance.mark("convscope:engine-ready",
                                                        { detail: { snapshot: engine.fromSnapshot } }));
const practice = isPractice(location.hash);
const modelMode = isModel(location.hash);

// switching between the visualizer, practice and model mode is a new page
window.addEventListener("hashchange", () => {
  if (isPractice(location.hash) !== practice || isModel(location.hash) !== modelMode) location.reload();
});

if (modelMode) {  // loaded only here: the visualizer's first visit never fetches it
  import("./model-view.js").then(({ showModelPage }) => showModelPage(app, engine));
} else if (practice) {
  app.innerHTML = `<header class="masthead"><h1>conv<span>scope</span></h1></header>${practiceMarkup()}`;
  const view = new PracticeView(app, engine.session(), parsePractice(location.hash));
  view.addEventListener("change", () => history.replaceState(null, "", view.link()));
  engine.start();
} else {
  showVisualizer();
}
registerOffline(engine);

function showVisualizer() {
  app.innerHTML = viewMarkup() + document.getElementById("page-extras").innerHTML;
  const view = new ScopeView(app, engine.session(), { ...parseHash(location.hash), keys: document });

  // browsers throttle rapid history updates: write the hash at most every 250 ms
  let hashTimer = null;
  view.addEventListener("change", () => {
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => history.replaceState(null, "", toHash(view.state)), 250);
  });
  window.addEventListener("hashchange", () => {
    if (location.hash !== toHash(view.state) && !isPractice(location.hash)) {
      const { state, notices } = parseHash(location.hash);
      view.load(state, notices);
    }
  });

  const dialog = app.querySelector("dialog.embed");
  app.querySelector("button.embed-open").addEventListener("click", () => {
    const snippets = embedSnippets(view.state, new URL(".", location.href).href);
    for (const [name, text] of Object.entries(snippets)) {
      dialog.querySelector(`[data-testid="embed-${name}"]`).textContent = text;
    }
    dialog.showModal();
  });
  dialog.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-copy]");
    if (button) copyText(dialog.querySelector(`[data-testid="${button.dataset.copy}"]`).textContent, button);
    if (event.target.closest("button.close")) dialog.close();
  });
  for (const button of dialog.querySelectorAll("button[data-copy]")) button.dataset.label = button.textContent;
  afterFirstFrame(view, () => engine.start());
}
