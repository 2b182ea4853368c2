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
  showBackward(root, view);
}

// the backward pass says where its upstream gradient comes from and, for input.grad,
// that it is a transposed convolution, with a link to that layer's stamp view
function showBackward(root, view) {
  const note = byTestId(root, "backward-note");
  note.hidden = view.direction !== "backward";
  if (note.hidden) return;
  const link = document.createElement("a");
  link.textContent = "the same geometry as ConvTranspose2d, stamp by stamp";
  link.href = view.transpose_link ?? "";
  link.hidden = !view.transpose_link;
  note.replaceChildren(`${view.upstream_text}. ${view.note ?? ""}${view.note ? " " : ""}`, link);
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

// the engine's step table (CSV text: a header row, then one row per step; a list is its
// values joined by spaces) as an HTML table of at most `limit` rows, with a note saying so
export function showTable(root, csv, limit) {
  const rows = parseCsv(csv);
  const [header, ...body] = rows;
  const table = byTestId(root, "step-table");
  const caption = document.createElement("caption");
  caption.textContent = "One row per step, the numbers of the CSV export";
  const head = document.createElement("thead");
  const headRow = document.createElement("tr");
  for (const name of header ?? []) {
    const cell = document.createElement("th");
    cell.scope = "col";
    cell.textContent = name;
    headRow.append(cell);
  }
  head.append(headRow);
  const tbody = document.createElement("tbody");
  for (const values of body.slice(0, limit)) {
    const row = document.createElement("tr");
    for (const value of values) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    tbody.append(row);
  }
  table.replaceChildren(caption, head, tbody);
  byTestId(root, "step-table-note").textContent = body.length > limit
    ? `The first ${limit} of ${body.length} steps; Export → Step table (CSV) has every one.`
    : `All ${body.length} steps.`;
}

// RFC 4180 CSV (quoted fields may hold commas, quotes and newlines)
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") { row.push(field); field = ""; }
    else if (char === "\n") { row.push(field); rows.push(row); row = []; field = ""; }
    else if (char !== "\r") field += char;
  }
  if (field || row.length) { row.push(field); rows.push(row); }
  return rows;
}
