// The text around the canvas: the PyTorch line, shapes and formulas, and the
// arithmetic of the current step. All of it is text the engine produced.

function byTestId(root, id) {
  return root.querySelector(`[data-testid="${id}"]`);
}

const shapeText = (shape) => (shape ? `[${shape.join(", ")}]` : "None");

export function showView(root, view) {
  const set = (id, text) => { byTestId(root, id).textContent = text; };
  set("torch-code", view.torch_line);
  set("input-shape", shapeText(view.input_shape));
  set("output-shape", shapeText(view.output_shape));
  set("weight-shape", shapeText(view.weight_shape));  // None for a layer without weights
  set("bias-shape", shapeText(view.bias_shape));
  set("parameter-count", view.parameter_count.toLocaleString("en"));
  set("mac-count", view.mac_count.toLocaleString("en"));
  // what the count counts: a convolution's multiply-accumulates, a pool's window reads
  byTestId(root, "mac-count").previousElementSibling.textContent = view.cost_label ?? "multiply-accumulates";
  set("formula-h", view.formula_h);
  set("formula-w", view.formula_w);
}

export function showStep(root, step, count) {
  byTestId(root, "step-index").textContent = `step ${step.index + 1} / ${count} · ${step.title}`;
  byTestId(root, "step-equation").textContent = step.equation;
  byTestId(root, "step-value").textContent = step.value_text;
  root.querySelector(".step-value-label").textContent = step.value_label ?? "output";
}

export function showNotices(root, notices) {
  const list = byTestId(root, "notices");
  list.replaceChildren(...notices.slice(0, 5).map((text) => {
    const item = document.createElement("li");
    item.textContent = text;  // text, never markup: links carry user-written values
    return item;
  }));
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => { button.textContent = button.dataset.label; }, 1500);
}
