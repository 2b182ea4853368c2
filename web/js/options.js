// View options shared by the embed page and <conv-scope>: panels, theme, and no
// page-only buttons in an embedded view.
import { PANELS, showPanels } from "./template.js";

export function applyOptions(root, { panels = PANELS, theme = "auto" } = {}) {
  showPanels(root, panels);
  if (theme !== "auto") root.dataset.theme = theme;
  root.querySelector("button.embed-open").hidden = true;
}
