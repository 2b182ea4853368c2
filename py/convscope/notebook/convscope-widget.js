// convscope notebook widget: bundled by build.py from web/js (do not edit).
var __defProp = Object.defineProperty;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __esm = (fn, res, err) => function __init() {
  if (err) throw err[0];
  try {
    return fn && (res = (0, fn[__getOwnPropNames(fn)[0]])(fn = 0)), res;
  } catch (e) {
    throw err = [e], e;
  }
};
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};

// js/colors.js
function resolver(element) {
  const probe = document.createElement("span");
  probe.style.display = "none";
  element.append(probe);
  return {
    text(name) {
      probe.style.color = `var(${name})`;
      return getComputedStyle(probe).color;
    },
    rgb(name) {
      return this.text(name).match(/[\d.]+/g).slice(0, 3).map(Number);
    },
    done: () => probe.remove()
  };
}
function palette(element) {
  const read = resolver(element);
  const colors = {
    negative: read.rgb("--value-negative"),
    zero: read.rgb("--value-zero"),
    positive: read.rgb("--value-positive"),
    accent: read.text("--accent"),
    hover: read.text("--hover"),
    grid: read.text("--grid-line"),
    text: read.text("--text"),
    muted: read.text("--muted"),
    background: read.text("--canvas-bg"),
    veil: read.text("--veil"),
    groups: [0, 1, 2, 3].map((i) => read.text(`--group-${i}`))
  };
  read.done();
  return colors;
}
function scaleOf(values) {
  let max = 0;
  for (const v of values) if (Math.abs(v) > max && Number.isFinite(v)) max = Math.abs(v);
  return max || 1;
}
function valueColor(colors, value, scale) {
  const t = Math.max(-1, Math.min(1, value / scale));
  const end = t < 0 ? colors.negative : colors.positive;
  const a = Math.abs(t);
  const [r, g, b] = colors.zero.map((z, i) => Math.round(z + (end[i] - z) * a));
  return { fill: `rgb(${r},${g},${b})`, dark: 0.299 * r + 0.587 * g + 0.114 * b < 140 };
}
function cellText(value) {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e5) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || magnitude < 1e-3 && magnitude > 0) return value.toExponential(0);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return Number(text) === 0 ? "0" : text.replace(/^(-?)0\./, "$1.");
}
var init_colors = __esm({
  "js/colors.js"() {
  }
});

// js/design.js
var design_default;
var init_design = __esm({
  "js/design.js"() {
    design_default = { "canvas": { "margin": 16, "label": 18, "min_cell": 3, "max_cell": 44, "filter_min_width": 96, "numbers_from": 20, "caption": 30, "padding_alpha": 0.45 } };
  }
});

// js/layout.js
function shapesOf(view) {
  const [batch, channels, paddedH, paddedW] = view.padded.shape;
  const [groupChannels, kernelH, kernelW] = view.filter_shape;
  const [, outChannels, outH, outW] = view.output.shape;
  return {
    batch,
    channels,
    paddedH,
    paddedW,
    outChannels,
    groupChannels,
    kernelH,
    kernelW,
    outH,
    outW,
    groups: view.groups
  };
}
function fitCell(view, width, height, zoom = 1) {
  const s = shapesOf(view);
  const fixed = 2 * MARGIN + 2 * columnGap(12) + FILTER_MIN_WIDTH;
  const byWidth = Math.floor((width - fixed) / (s.paddedW + s.outW));
  const rows = Math.max(s.channels * s.paddedH, s.outChannels * s.outH);
  const labels = Math.max(s.channels, s.outChannels) * (LABEL + 12) + 2 * MARGIN;
  const byHeight = Math.floor((height - labels) / rows);
  let cell = Math.max(MIN_CELL, Math.min(MAX_CELL, byWidth, Math.max(byHeight, READABLE)));
  while (cell > MIN_CELL && computeLayout(view, cell).width > width) cell -= 1;
  return cell * zoom;
}
function fitStackedCell(view, width, height) {
  const s = shapesOf(view);
  const byWidth = Math.floor((width - 2 * MARGIN) / Math.max(s.paddedW, s.outW, s.kernelW));
  let cell = Math.max(MIN_CELL, Math.min(MAX_CELL, byWidth));
  while (cell > MIN_TOUCH && computeLayout(view, cell, "stack", width).height > height) cell -= 1;
  return cell;
}
function fitArrangement(view, width, height, zoom = 1) {
  const row = fitCell(view, width, height);
  if (row < MIN_TOUCH && width < STACK_BELOW) {
    const stacked = fitStackedCell(view, width, height);
    const rowFits = computeLayout(view, row).width <= width;
    if (stacked > row || !rowFits && stacked >= row) return { cell: stacked * zoom, arrangement: "stack" };
  }
  return { cell: row * zoom, arrangement: "row" };
}
function fitLayout(view, width, height, zoom = 1) {
  const { cell, arrangement } = fitArrangement(view, width, height, zoom);
  return computeLayout(view, cell, arrangement, width);
}
function columnGap(cell) {
  return Math.max(36, cell * 2);
}
function filterCellSize(s, cell) {
  const room = Math.floor(s.paddedH * cell / s.kernelH);
  return Math.max(cell, Math.min(28, room, Math.floor(160 / s.kernelW)));
}
function flow(count, w, h, x, y, width, vgap) {
  const perRow = Math.max(1, Math.floor((width - x - MARGIN + FLOW_GAP) / (w + FLOW_GAP)));
  const grids = Array.from({ length: count }, (_, i) => {
    const column = i % perRow;
    const last = column === perRow - 1 || i === count - 1;
    return {
      x: x + column * (w + FLOW_GAP),
      y: y + Math.floor(i / perRow) * (h + vgap),
      room: last ? width - x - column * (w + FLOW_GAP) - 4 : w + FLOW_GAP - 8
    };
  });
  return { grids, bottom: grids.at(-1).y + h };
}
function computeLayout(view, cell, arrangement = "row", width = Infinity) {
  if (arrangement === "stack") return stackedLayout(view, cell, width);
  const s = shapesOf(view);
  const gap = Math.max(12, Math.round(cell * 0.6)) + LABEL;
  const inputX = MARGIN;
  const filterCell = filterCellSize(s, cell);
  const filterX = inputX + s.paddedW * cell + columnGap(cell);
  const outputX = filterX + Math.max(s.kernelW * filterCell, FILTER_MIN_WIDTH) + columnGap(cell);
  const top = MARGIN + LABEL;
  const total = outputX + s.outW * cell + MARGIN;
  const inputs = Array.from({ length: s.channels }, (_, c) => ({
    x: inputX,
    y: top + c * (s.paddedH * cell + gap),
    rows: s.paddedH,
    cols: s.paddedW,
    room: filterX - inputX - 8
  }));
  const outputs = Array.from({ length: s.outChannels }, (_, o) => ({
    x: outputX,
    y: top + o * (s.outH * cell + gap),
    rows: s.outH,
    cols: s.outW,
    room: total - outputX - 4
  }));
  const bottom = (grids) => grids.at(-1).y + grids.at(-1).rows * cell;
  const filterBottom = inputs.at(-1).y + s.kernelH * filterCell + 3 * LABEL;
  return {
    arrangement,
    cell,
    filterCell,
    shapes: s,
    inputs,
    outputs,
    filterX,
    label: LABEL,
    filterRoom: outputX - filterX - 8,
    width: total,
    height: Math.max(bottom(inputs), bottom(outputs), filterBottom) + MARGIN + LABEL
  };
}
function stackedLayout(view, cell, width) {
  const s = shapesOf(view);
  const gap = Math.max(12, Math.round(cell * 0.6)) + LABEL;
  const fit = Number.isFinite(width) ? width : 2 * MARGIN + Math.max(s.paddedW, s.outW) * cell;
  const wide = Math.max(fit, 2 * MARGIN + Math.max(s.paddedW, s.outW) * cell);
  const filterCell = Math.max(cell, Math.min(
    28,
    Math.floor(160 / s.kernelW),
    Math.floor((wide - 2 * MARGIN) / s.kernelW)
  ));
  const place = (count, rows, cols, size, y) => {
    const placed = flow(count, cols * size, rows * size, MARGIN, y, wide, gap);
    placed.grids = placed.grids.map((grid) => ({ ...grid, rows, cols }));
    return placed;
  };
  const inputs = place(s.channels, s.paddedH, s.paddedW, cell, MARGIN + LABEL);
  const filters = place(s.groupChannels, s.kernelH, s.kernelW, filterCell, inputs.bottom + gap);
  const outputs = place(s.outChannels, s.outH, s.outW, cell, filters.bottom + NOTE + gap);
  return {
    arrangement: "stack",
    cell,
    filterCell,
    shapes: s,
    label: LABEL,
    inputs: inputs.grids,
    outputs: outputs.grids,
    filters: filters.grids,
    width: wide,
    height: outputs.bottom + MARGIN + LABEL
  };
}
function filterGrid(layout, channel, slot = 0) {
  const s = layout.shapes;
  if (layout.arrangement === "stack") {
    const grid = layout.filters[Math.min(slot, layout.filters.length - 1)];
    return { ...grid, rows: s.kernelH, cols: s.kernelW, cell: layout.filterCell };
  }
  return {
    x: layout.filterX,
    y: layout.inputs[channel].y,
    rows: s.kernelH,
    cols: s.kernelW,
    cell: layout.filterCell,
    room: layout.filterRoom
  };
}
function hitTest(layout, x, y, channels = []) {
  const find = (grids, panel) => {
    for (let channel = 0; channel < grids.length; channel++) {
      const grid = grids[channel];
      const cell = grid.cell ?? layout.cell;
      const col = Math.floor((x - grid.x) / cell);
      const row = Math.floor((y - grid.y) / cell);
      if (row >= 0 && row < grid.rows && col >= 0 && col < grid.cols) {
        return { panel, channel, row, col, grid: { ...grid, cell } };
      }
    }
    return null;
  };
  return find(layout.inputs, "input") ?? find(layout.outputs, "output") ?? find(channels.map((channel, slot) => filterGrid(layout, channel, slot)), "filter");
}
var MARGIN, LABEL, MIN_CELL, MAX_CELL, FILTER_MIN_WIDTH, MIN_TOUCH, STACK_BELOW, FLOW_GAP, NOTE, READABLE;
var init_layout = __esm({
  "js/layout.js"() {
    init_design();
    ({
      margin: MARGIN,
      label: LABEL,
      min_cell: MIN_CELL,
      max_cell: MAX_CELL,
      filter_min_width: FILTER_MIN_WIDTH
    } = design_default.canvas);
    MIN_TOUCH = 24;
    STACK_BELOW = 720;
    FLOW_GAP = 24;
    NOTE = 22;
    READABLE = 22;
  }
});

// js/render.js
function makeLayer(layout, dpr) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.ceil(layout.width * dpr);
  canvas.height = Math.ceil(layout.height * dpr);
  const ctx = canvas.getContext("2d");
  ctx.scale(dpr, dpr);
  return { canvas, ctx };
}
function fillCell(ctx, grid, cell, row, col, color) {
  ctx.fillStyle = color;
  ctx.fillRect(grid.x + col * cell, grid.y + row * cell, cell, cell);
}
function writeNumber(ctx, grid, cell, row, col, value, color, colors, faint = false) {
  if (cell < NUMBERS_FROM || colors.numbers === false) return;
  ctx.fillStyle = color.dark ? "#fff" : colors.text;
  ctx.globalAlpha = faint ? 0.7 : 1;
  ctx.font = `${faint ? "italic " : ""}${Math.min(13, Math.round(cell * 0.34))}px system-ui, sans-serif`;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  ctx.fillText(cellText(value), grid.x + (col + 0.5) * cell, grid.y + (row + 0.5) * cell + 0.5);
  ctx.globalAlpha = 1;
}
function gridLines(ctx, grid, cell, colors) {
  if (cell < 6) return;
  ctx.strokeStyle = colors.grid;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let r = 0; r <= grid.rows; r++) {
    ctx.moveTo(grid.x, grid.y + r * cell);
    ctx.lineTo(grid.x + grid.cols * cell, grid.y + r * cell);
  }
  for (let c = 0; c <= grid.cols; c++) {
    ctx.moveTo(grid.x + c * cell, grid.y);
    ctx.lineTo(grid.x + c * cell, grid.y + grid.rows * cell);
  }
  ctx.stroke();
}
function label(ctx, text, x, y, colors, bold = false, room = Infinity, baseline = "bottom") {
  ctx.fillStyle = colors.text;
  ctx.textAlign = "left";
  ctx.textBaseline = baseline;
  let size = 12;
  const font = () => `${bold ? "600 " : ""}${size}px system-ui, sans-serif`;
  ctx.font = font();
  while (size > 10 && ctx.measureText(text).width > room) {
    size -= 1;
    ctx.font = font();
  }
  let shown = text;
  while (shown.length > 1 && ctx.measureText(shown).width > room) shown = `${shown.slice(0, -2)}…`;
  const at2 = baseline === "bottom" ? y - 4 : y;
  ctx.fillText(shown, x, at2);
  const metrics = ctx.measureText(shown);
  const top = at2 - metrics.actualBoundingBoxAscent;
  return {
    x: x - metrics.actualBoundingBoxLeft,
    y: top,
    width: metrics.actualBoundingBoxLeft + metrics.actualBoundingBoxRight,
    height: metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent,
    text: shown
  };
}
function strokeCell(ctx, grid, cell, row, col, color, width) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(
    grid.x + col * cell + width / 2,
    grid.y + row * cell + width / 2,
    cell - width,
    cell - width
  );
}
function realCells(view) {
  if (view.real_rows) {
    const rows = new Set(view.real_rows);
    const cols = new Set(view.real_cols);
    return (r, c) => rows.has(r) && cols.has(c);
  }
  const [top, , left] = view.sides;
  const [, , height, width] = view.input.shape;
  return (r, c) => r >= top && r < top + height && c >= left && c < left + width;
}
var NUMBERS_FROM, PADDING_ALPHA, Renderer;
var init_render = __esm({
  "js/render.js"() {
    init_colors();
    init_design();
    init_layout();
    ({ numbers_from: NUMBERS_FROM, padding_alpha: PADDING_ALPHA } = design_default.canvas);
    Renderer = class {
      constructor(canvas) {
        this.canvas = canvas;
        this.ctx = canvas.getContext("2d");
      }
      // a new view or layout: size the canvas for the screen's pixel ratio, drop caches
      // numbers: false draws colours only (an export option)
      setView(view, layout, colors, dpr = window.devicePixelRatio || 1, { numbers = true } = {}) {
        Object.assign(this, { view, layout, dpr, colors: numbers ? colors : { ...colors, numbers: false } });
        this.canvas.width = Math.ceil(layout.width * dpr);
        this.canvas.height = Math.ceil(layout.height * dpr);
        this.canvas.style.width = `${layout.width}px`;
        this.canvas.style.height = `${layout.height}px`;
        const input = scaleOf(view.padded.data);
        this.scales = {
          input,
          weight: view.weight ? scaleOf(view.weight.data) : input,
          output: scaleOf(view.output.data)
        };
        this.base = null;
        this.painted = null;
      }
      #inputBase(n) {
        if (this.base?.n === n) return this.base;
        const { view, layout, colors } = this;
        const { ctx, canvas } = makeLayer(layout, this.dpr);
        const s = layout.shapes;
        const [top, bottom, left, right] = view.sides;
        const [, , height, width] = view.input.shape;
        const real = realCells(view);
        ctx.fillStyle = colors.background;
        ctx.fillRect(0, 0, layout.width, layout.height);
        const cell = layout.cell;
        const labels = [];
        for (let c = 0; c < s.channels; c++) {
          const grid = layout.inputs[c];
          const offset = (n * s.channels + c) * s.paddedH * s.paddedW;
          for (let r = 0; r < s.paddedH; r++) {
            for (let col = 0; col < s.paddedW; col++) {
              const value = view.padded.data[offset + r * s.paddedW + col];
              const inPadding = !real(r, col);
              const color = valueColor(colors, value, this.scales.input);
              ctx.globalAlpha = inPadding ? PADDING_ALPHA : 1;
              fillCell(ctx, grid, cell, r, col, color.fill);
              ctx.globalAlpha = 1;
              writeNumber(
                ctx,
                grid,
                cell,
                r,
                col,
                value,
                inPadding ? { dark: false } : color,
                colors,
                inPadding
              );
            }
          }
          gridLines(ctx, grid, cell, colors);
          ctx.strokeStyle = colors.text;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(
            grid.x + left * cell,
            grid.y + top * cell,
            (s.paddedW - left - right) * cell,
            (s.paddedH - top - bottom) * cell
          );
          const input = view.input_name ?? "input";
          const name = s.batch > 1 ? `${input}[${n}, ${c}]` : `${input}[${c}]`;
          const how = view.input_label ? `, ${view.input_label}` : top || left ? " + padding" : "";
          labels.push(label(
            ctx,
            `${name}  ${height}×${width}${how}`,
            grid.x,
            grid.y,
            colors,
            c === 0,
            grid.room
          ));
        }
        for (let o = 0; o < s.outChannels; o++) {
          const grid = layout.outputs[o];
          gridLines(ctx, grid, cell, colors);
          ctx.strokeStyle = colors.muted;
          ctx.strokeRect(grid.x, grid.y, grid.cols * cell, grid.rows * cell);
          const output = view.output_names?.[o] ?? `${view.output_name ?? "output"}[${s.batch > 1 ? `${n}, ` : ""}${o}]`;
          labels.push(label(
            ctx,
            `${output}  ${s.outH}×${s.outW}`,
            grid.x,
            grid.y,
            colors,
            o === 0,
            grid.room
          ));
        }
        this.base = { n, canvas, labels };
        this.painted = null;
        return this.base;
      }
      // output cells of sample n with raster index <= `index`, painted incrementally; a
      // step that carries the running output (`state`: a transposed convolution's sums) is
      // painted whole instead
      #outputLayer(n, index, state = null) {
        const { view, layout, colors } = this;
        const s = layout.shapes;
        if (state) {
          const { canvas, ctx: ctx2 } = makeLayer(layout, this.dpr);
          for (let o = 0; o < s.outChannels; o++) {
            for (let y = 0; y < s.outH; y++) {
              for (let x = 0; x < s.outW; x++) {
                const value = state.data[(o * s.outH + y) * s.outW + x];
                const color = valueColor(colors, value, this.scales.output);
                fillCell(ctx2, layout.outputs[o], layout.cell, y, x, color.fill);
                writeNumber(ctx2, layout.outputs[o], layout.cell, y, x, value, color, colors);
              }
            }
          }
          this.painted = null;
          return canvas;
        }
        const perSample = s.outChannels * s.outH * s.outW;
        const first = n * perSample;
        const last = view.output_steps === false ? first + perSample - 1 : Math.min(index, first + perSample - 1);
        if (!this.painted || this.painted.n !== n || this.painted.upTo > last) {
          const { canvas, ctx: ctx2 } = makeLayer(layout, this.dpr);
          this.painted = { n, upTo: first - 1, canvas, ctx: ctx2 };
        }
        const { ctx } = this.painted;
        for (let i = this.painted.upTo + 1; i <= last; i++) {
          const local = i - first;
          const o = Math.floor(local / (s.outH * s.outW));
          const y = Math.floor(local / s.outW) % s.outH;
          const x = local % s.outW;
          const value = view.output.data[i];
          const color = valueColor(colors, value, this.scales.output);
          fillCell(ctx, layout.outputs[o], layout.cell, y, x, color.fill);
          writeNumber(ctx, layout.outputs[o], layout.cell, y, x, value, color, colors);
        }
        this.painted.upTo = Math.max(this.painted.upTo, last);
        return this.painted.canvas;
      }
      // a step is the cells it reads (input), the filter it applies and the cells it writes
      // cursor: {panel, channel, row, col} of the keyboard's cell cursor, outlined
      draw({ step, previous = null, hoverStep = null, touching = null, cursor = null }) {
        const { ctx, layout, colors, dpr } = this;
        if (!step) return;
        const n = step.position[0];
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        const base = this.#inputBase(n);
        ctx.drawImage(base.canvas, 0, 0);
        this.labelBoxes = [...base.labels];
        ctx.drawImage(this.#outputLayer(n, step.index, step.state), 0, 0);
        ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
        const s = layout.shapes;
        if (s.groups > 1) {
          const inPerGroup = s.channels / s.groups;
          const outPerGroup = s.outChannels / s.groups;
          for (let c = 0; c < s.channels; c++) {
            this.#groupMark(layout.inputs[c], Math.floor(c / inPerGroup), !step.reads.channels.includes(c));
          }
          for (let oc = 0; oc < s.outChannels; oc++) {
            this.#groupMark(layout.outputs[oc], Math.floor(oc / outPerGroup), Math.floor(oc / outPerGroup) !== step.group);
          }
        }
        if (step.filter) this.#filter(step);
        if (previous) this.#stride(previous, step);
        this.#window(step, colors.accent, 2.5);
        if (hoverStep) this.#window(hoverStep, colors.hover, 2, false);
        if (touching) this.#touching(touching);
        const cell = layout.cell;
        const { writes } = step;
        for (const o of writes.channels) {
          for (const y of writes.rows) {
            for (const x of writes.cols) {
              strokeCell(ctx, layout.outputs[o], cell, y, x, colors.accent, Math.max(2, Math.min(3, cell / 6)));
            }
          }
        }
        if (cell < 10) this.#guides(step);
        this.#link(step);
        if (cursor) this.#cursor(step, cursor);
      }
      // the keyboard's cell cursor: a thick outline in the text colour, inside the cell
      #cursor(step, cursor) {
        const { ctx, layout, colors } = this;
        const grid = cursor.panel === "filter" ? filterGrid(layout, step.reads.channels[cursor.channel] ?? 0, cursor.channel) : (cursor.panel === "input" ? layout.inputs : layout.outputs)[cursor.channel];
        if (!grid) return;
        const cell = grid.cell ?? layout.cell;
        ctx.setLineDash([]);
        strokeCell(ctx, grid, cell, cursor.row, cursor.col, colors.background, 5);
        strokeCell(ctx, grid, cell, cursor.row, cursor.col, colors.text, 3);
      }
      // with tiny cells, cross-hairs lead the eye to the window and the output cell
      #guides(step) {
        const { ctx, layout, colors } = this;
        const cell = layout.cell;
        const { reads, writes } = step;
        const centre = (values) => (values[0] + values.at(-1) + 1) / 2;
        const cross = (grid, row, col) => {
          ctx.beginPath();
          ctx.moveTo(grid.x, grid.y + row * cell);
          ctx.lineTo(grid.x + grid.cols * cell, grid.y + row * cell);
          ctx.moveTo(grid.x + col * cell, grid.y);
          ctx.lineTo(grid.x + col * cell, grid.y + grid.rows * cell);
          ctx.stroke();
        };
        ctx.strokeStyle = colors.accent;
        ctx.globalAlpha = 0.6;
        ctx.lineWidth = 1;
        for (const channel of reads.channels) {
          cross(layout.inputs[channel], centre(reads.rows), centre(reads.cols));
        }
        if (writes.rows.length && writes.cols.length) {
          for (const o of writes.channels) cross(layout.outputs[o], centre(writes.rows), centre(writes.cols));
        }
        ctx.globalAlpha = 1;
      }
      #groupMark(grid, group, dimmed) {
        const { ctx, layout, colors } = this;
        const cell = layout.cell;
        ctx.fillStyle = colors.groups[group % colors.groups.length];
        ctx.fillRect(grid.x - 8, grid.y, 4, grid.rows * cell);
        if (dimmed) {
          ctx.fillStyle = colors.veil;
          ctx.fillRect(grid.x, grid.y, grid.cols * cell, grid.rows * cell);
        }
      }
      // the step's filter (a conv's weights, a pool's window), one slice beside each channel read
      #filter(step) {
        const { ctx, layout, colors } = this;
        const cell = layout.filterCell;
        const s = layout.shapes;
        const { filter, reads } = step;
        reads.channels.forEach((channel, i) => {
          const grid = filterGrid(layout, channel, i);
          const offset = i * s.kernelH * s.kernelW;
          for (let r = 0; r < s.kernelH; r++) {
            for (let c = 0; c < s.kernelW; c++) {
              const value = filter.values.data[offset + r * s.kernelW + c];
              const color = valueColor(colors, value, this.scales.weight);
              fillCell(ctx, grid, cell, r, c, color.fill);
              writeNumber(ctx, grid, cell, r, c, value, color, colors);
            }
          }
          gridLines(ctx, grid, cell, colors);
          ctx.strokeStyle = colors.accent;
          ctx.lineWidth = 2;
          ctx.strokeRect(grid.x, grid.y, grid.cols * cell, grid.rows * cell);
          if (filter.mark && filter.mark[0] === i) {
            strokeCell(ctx, grid, cell, filter.mark[1], filter.mark[2], colors.text, 3);
          }
          this.labelBoxes.push(label(ctx, filter.labels[i], grid.x, grid.y, colors, i === 0, grid.room));
        });
        const last = filterGrid(layout, reads.channels.at(-1), reads.channels.length - 1);
        if (filter.note) {
          const value = filter.note.value === null ? "" : ` = ${cellText(filter.note.value)}`;
          this.labelBoxes.push(label(
            ctx,
            `${filter.note.label}${value}`,
            last.x,
            last.y + last.rows * cell + 6,
            colors,
            false,
            last.room,
            "top"
          ));
        }
      }
      // the taps of a step's window on each input channel it reads
      #window(step, color, width, box = true) {
        const { ctx, layout } = this;
        const cell = layout.cell;
        const { channels, rows, cols } = step.reads;
        for (const channel of channels) {
          const grid = layout.inputs[channel];
          for (const r of rows) {
            for (const c of cols) strokeCell(ctx, grid, cell, r, c, color, width);
          }
          if (!box) continue;
          const [r0, r1] = [rows[0], rows.at(-1)];
          const [c0, c1] = [cols[0], cols.at(-1)];
          ctx.setLineDash([4, 3]);
          ctx.lineWidth = 1;
          ctx.strokeRect(
            grid.x + c0 * cell - 2,
            grid.y + r0 * cell - 2,
            (c1 - c0 + 1) * cell + 4,
            (r1 - r0 + 1) * cell + 4
          );
          ctx.setLineDash([]);
        }
      }
      // the previous window as a ghost, and an arrow for the move the stride made
      #stride(previous, step) {
        const { ctx, layout, colors } = this;
        const cell = layout.cell;
        const grid = layout.inputs[step.reads.channels[0]];
        if (!grid || !previous.reads.channels.length) return;
        const corner = (st) => [
          grid.x + (st.reads.cols[0] + 0.5) * cell,
          grid.y + (st.reads.rows[0] + 0.5) * cell
        ];
        const [x0, y0] = corner(previous);
        const [x1, y1] = corner(step);
        if (x0 === x1 && y0 === y1) return;
        ctx.globalAlpha = 0.55;
        this.#window(previous, colors.muted, 1, false);
        ctx.globalAlpha = 1;
        ctx.strokeStyle = colors.accent;
        ctx.fillStyle = colors.accent;
        ctx.lineWidth = 1.5;
        ctx.beginPath();
        ctx.moveTo(x0, y0);
        ctx.lineTo(x1, y1);
        ctx.stroke();
        const angle = Math.atan2(y1 - y0, x1 - x0);
        const head = Math.max(5, cell / 4);
        ctx.beginPath();
        ctx.moveTo(x1, y1);
        ctx.lineTo(x1 - head * Math.cos(angle - 0.45), y1 - head * Math.sin(angle - 0.45));
        ctx.lineTo(x1 - head * Math.cos(angle + 0.45), y1 - head * Math.sin(angle + 0.45));
        ctx.fill();
      }
      #touching(touching) {
        const { layout, colors, ctx } = this;
        const cell = layout.cell;
        for (const o of touching.channels) {
          for (const y of touching.rows) {
            for (const x of touching.cols) strokeCell(ctx, layout.outputs[o], cell, y, x, colors.hover, 2);
          }
        }
      }
      // a faint line from the window to the output cell it produces
      #link(step) {
        const { ctx, layout, colors } = this;
        const cell = layout.cell;
        const { reads, writes } = step;
        if (!writes.rows.length || !writes.cols.length) return;
        if (!reads.channels.length) return;
        const grid = layout.inputs[reads.channels[0]];
        const out = layout.outputs[writes.channels[0]];
        const [y, x] = [(writes.rows[0] + writes.rows.at(-1)) / 2, writes.cols[0]];
        ctx.strokeStyle = colors.accent;
        ctx.globalAlpha = 0.5;
        ctx.setLineDash([2, 4]);
        ctx.lineWidth = 1;
        ctx.beginPath();
        ctx.moveTo(
          grid.x + (reads.cols.at(-1) + 1) * cell + 2,
          grid.y + (reads.rows[0] + reads.rows.at(-1) + 1) * cell / 2
        );
        ctx.lineTo(out.x + x * cell, out.y + (y + 0.5) * cell);
        ctx.stroke();
        ctx.setLineDash([]);
        ctx.globalAlpha = 1;
      }
    };
  }
});

// vendor/gifenc.esm.js
function F(t = 256) {
  let e = 0, s = new Uint8Array(t);
  return { get buffer() {
    return s.buffer;
  }, reset() {
    e = 0;
  }, bytesView() {
    return s.subarray(0, e);
  }, bytes() {
    return s.slice(0, e);
  }, writeByte(r) {
    n(e + 1), s[e] = r, e++;
  }, writeBytes(r, o = 0, i = r.length) {
    n(e + i);
    for (let c = 0; c < i; c++) s[e++] = r[c + o];
  }, writeBytesView(r, o = 0, i = r.byteLength) {
    n(e + i), s.set(r.subarray(o, o + i), e), e += i;
  } };
  function n(r) {
    var o = s.length;
    if (o >= r) return;
    var i = 1024 * 1024;
    r = Math.max(r, o * (o < i ? 2 : 1.125) >>> 0), o != 0 && (r = Math.max(r, 256));
    let c = s;
    s = new Uint8Array(r), e > 0 && s.set(c.subarray(0, e), 0);
  }
}
function at(t, e, s, n, r = F(512), o = new Uint8Array(256), i = new Int32Array(J), c = new Int32Array(J)) {
  let x = i.length, a = Math.max(2, n);
  o.fill(0), c.fill(0), i.fill(-1);
  let l = 0, f = 0, g = a + 1, h = g, b = false, w = h, _ = (1 << w) - 1, u = 1 << g - 1, k = u + 1, B = u + 2, p = 0, A = s[0], z = 0;
  for (let y = x; y < 65536; y *= 2) ++z;
  z = 8 - z, r.writeByte(a), I(u);
  let d = s.length;
  for (let y = 1; y < d; y++) {
    t: {
      let m = s[y], v = (m << O) + A, M = m << z ^ A;
      if (i[M] === v) {
        A = c[M];
        break t;
      }
      let V = M === 0 ? 1 : x - M;
      for (; i[M] >= 0; ) if (M -= V, M < 0 && (M += x), i[M] === v) {
        A = c[M];
        break t;
      }
      I(A), A = m, B < 1 << O ? (c[M] = B++, i[M] = v) : (i.fill(-1), B = u + 2, b = true, I(u));
    }
  }
  return I(A), I(k), r.writeByte(0), r.bytesView();
  function I(y) {
    for (l &= lt[f], f > 0 ? l |= y << f : l = y, f += w; f >= 8; ) o[p++] = l & 255, p >= 254 && (r.writeByte(p), r.writeBytesView(o, 0, p), p = 0), l >>= 8, f -= 8;
    if ((B > _ || b) && (b ? (w = h, _ = (1 << w) - 1, b = false) : (++w, _ = w === O ? 1 << w : (1 << w) - 1)), y == k) {
      for (; f > 0; ) o[p++] = l & 255, p >= 254 && (r.writeByte(p), r.writeBytesView(o, 0, p), p = 0), l >>= 8, f -= 8;
      p > 0 && (r.writeByte(p), r.writeBytesView(o, 0, p), p = 0);
    }
  }
}
function D(t, e, s) {
  return t << 8 & 63488 | e << 2 & 992 | s >> 3;
}
function G(t, e, s, n) {
  return t >> 4 | e & 240 | (s & 240) << 4 | (n & 240) << 8;
}
function j(t, e, s) {
  return t >> 4 << 8 | e & 240 | s >> 4;
}
function R(t, e, s) {
  return t < e ? e : t > s ? s : t;
}
function T(t) {
  return t * t;
}
function tt(t, e, s) {
  var n = 0, r = 1e100;
  let o = t[e], i = o.cnt, c = o.ac, x = o.rc, a = o.gc, l = o.bc;
  for (var f = o.fw; f != 0; f = t[f].fw) {
    let h = t[f], b = h.cnt, w = i * b / (i + b);
    if (!(w >= r)) {
      var g = 0;
      s && (g += w * T(h.ac - c), g >= r) || (g += w * T(h.rc - x), !(g >= r) && (g += w * T(h.gc - a), !(g >= r) && (g += w * T(h.bc - l), !(g >= r) && (r = g, n = f))));
    }
  }
  o.err = r, o.nn = n;
}
function Q() {
  return { ac: 0, rc: 0, gc: 0, bc: 0, cnt: 0, nn: 0, fw: 0, bk: 0, tm: 0, mtm: 0, err: 0 };
}
function ut(t, e) {
  let s = e === "rgb444" ? 4096 : 65536, n = new Array(s), r = t.length;
  if (e === "rgba4444") for (let o = 0; o < r; ++o) {
    let i = t[o], c = i >> 24 & 255, x = i >> 16 & 255, a = i >> 8 & 255, l = i & 255, f = G(l, a, x, c), g = f in n ? n[f] : n[f] = Q();
    g.rc += l, g.gc += a, g.bc += x, g.ac += c, g.cnt++;
  }
  else if (e === "rgb444") for (let o = 0; o < r; ++o) {
    let i = t[o], c = i >> 16 & 255, x = i >> 8 & 255, a = i & 255, l = j(a, x, c), f = l in n ? n[l] : n[l] = Q();
    f.rc += a, f.gc += x, f.bc += c, f.cnt++;
  }
  else for (let o = 0; o < r; ++o) {
    let i = t[o], c = i >> 16 & 255, x = i >> 8 & 255, a = i & 255, l = D(a, x, c), f = l in n ? n[l] : n[l] = Q();
    f.rc += a, f.gc += x, f.bc += c, f.cnt++;
  }
  return n;
}
function H(t, e, s = {}) {
  let { format: n = "rgb565", clearAlpha: r = true, clearAlphaColor: o = 0, clearAlphaThreshold: i = 0, oneBitAlpha: c = false } = s;
  if (!t || !t.buffer) throw new Error("quantize() expected RGBA Uint8Array data");
  if (!(t instanceof Uint8Array) && !(t instanceof Uint8ClampedArray)) throw new Error("quantize() expected RGBA Uint8Array data");
  let x = new Uint32Array(t.buffer), a = s.useSqrt !== false, l = n === "rgba4444", f = ut(x, n), g = f.length, h = g - 1, b = new Uint32Array(g + 1);
  for (var w = 0, u = 0; u < g; ++u) {
    let C = f[u];
    if (C != null) {
      var _ = 1 / C.cnt;
      l && (C.ac *= _), C.rc *= _, C.gc *= _, C.bc *= _, f[w++] = C;
    }
  }
  T(e) / w < 0.022 && (a = false);
  for (var u = 0; u < w - 1; ++u) f[u].fw = u + 1, f[u + 1].bk = u, a && (f[u].cnt = Math.sqrt(f[u].cnt));
  a && (f[u].cnt = Math.sqrt(f[u].cnt));
  var k, B, p;
  for (u = 0; u < w; ++u) {
    tt(f, u, false);
    var A = f[u].err;
    for (B = ++b[0]; B > 1 && (p = B >> 1, !(f[k = b[p]].err <= A)); B = p) b[B] = k;
    b[B] = u;
  }
  var z = w - e;
  for (u = 0; u < z; ) {
    for (var d; ; ) {
      var I = b[1];
      if (d = f[I], d.tm >= d.mtm && f[d.nn].mtm <= d.tm) break;
      d.mtm == h ? I = b[1] = b[b[0]--] : (tt(f, I, false), d.tm = u);
      var A = f[I].err;
      for (B = 1; (p = B + B) <= b[0] && (p < b[0] && f[b[p]].err > f[b[p + 1]].err && p++, !(A <= f[k = b[p]].err)); B = p) b[B] = k;
      b[B] = I;
    }
    var y = f[d.nn], m = d.cnt, v = y.cnt, _ = 1 / (m + v);
    l && (d.ac = _ * (m * d.ac + v * y.ac)), d.rc = _ * (m * d.rc + v * y.rc), d.gc = _ * (m * d.gc + v * y.gc), d.bc = _ * (m * d.bc + v * y.bc), d.cnt += y.cnt, d.mtm = ++u, f[y.bk].fw = y.fw, f[y.fw].bk = y.bk, y.mtm = h;
  }
  let M = [];
  var V = 0;
  for (u = 0; ; ++V) {
    let L = R(Math.round(f[u].rc), 0, 255), C = R(Math.round(f[u].gc), 0, 255), Y = R(Math.round(f[u].bc), 0, 255), E = 255;
    if (l) {
      if (E = R(Math.round(f[u].ac), 0, 255), c) {
        let st = typeof c == "number" ? c : 127;
        E = E <= st ? 0 : 255;
      }
      r && E <= i && (L = C = Y = o, E = 0);
    }
    let K = l ? [L, C, Y, E] : [L, C, Y];
    if (xt(M, K) || M.push(K), (u = f[u].fw) == 0) break;
  }
  return M;
}
function xt(t, e) {
  for (let s = 0; s < t.length; s++) {
    let n = t[s], r = n[0] === e[0] && n[1] === e[1] && n[2] === e[2], o = n.length >= 4 && e.length >= 4 ? n[3] === e[3] : true;
    if (r && o) return true;
  }
  return false;
}
function nt(t, e, s = "rgb565") {
  if (!t || !t.buffer) throw new Error("quantize() expected RGBA Uint8Array data");
  if (!(t instanceof Uint8Array) && !(t instanceof Uint8ClampedArray)) throw new Error("quantize() expected RGBA Uint8Array data");
  if (e.length > 256) throw new Error("applyPalette() only works with 256 colors or less");
  let n = new Uint32Array(t.buffer), r = n.length, o = s === "rgb444" ? 4096 : 65536, i = new Uint8Array(r), c = new Array(o), x = s === "rgba4444";
  if (s === "rgba4444") for (let a = 0; a < r; a++) {
    let l = n[a], f = l >> 24 & 255, g = l >> 16 & 255, h = l >> 8 & 255, b = l & 255, w = G(b, h, g, f), _ = w in c ? c[w] : c[w] = gt(b, h, g, f, e);
    i[a] = _;
  }
  else {
    let a = s === "rgb444" ? j : D;
    for (let l = 0; l < r; l++) {
      let f = n[l], g = f >> 16 & 255, h = f >> 8 & 255, b = f & 255, w = a(b, h, g), _ = w in c ? c[w] : c[w] = bt(b, h, g, e);
      i[l] = _;
    }
  }
  return i;
}
function gt(t, e, s, n, r) {
  let o = 0, i = 1e100;
  for (let c = 0; c < r.length; c++) {
    let x = r[c], a = x[3], l = q(a - n);
    if (l > i) continue;
    let f = x[0];
    if (l += q(f - t), l > i) continue;
    let g = x[1];
    if (l += q(g - e), l > i) continue;
    let h = x[2];
    l += q(h - s), !(l > i) && (i = l, o = c);
  }
  return o;
}
function bt(t, e, s, n) {
  let r = 0, o = 1e100;
  for (let i = 0; i < n.length; i++) {
    let c = n[i], x = c[0], a = q(x - t);
    if (a > o) continue;
    let l = c[1];
    if (a += q(l - e), a > o) continue;
    let f = c[2];
    a += q(f - s), !(a > o) && (o = a, r = i);
  }
  return r;
}
function q(t) {
  return t * t;
}
function ct(t = {}) {
  let { initialCapacity: e = 4096, auto: s = true } = t, n = F(e), r = 5003, o = new Uint8Array(256), i = new Int32Array(r), c = new Int32Array(r), x = false;
  return { reset() {
    n.reset(), x = false;
  }, finish() {
    n.writeByte(X.trailer);
  }, bytes() {
    return n.bytes();
  }, bytesView() {
    return n.bytesView();
  }, get buffer() {
    return n.buffer;
  }, get stream() {
    return n;
  }, writeHeader: a, writeFrame(l, f, g, h = {}) {
    let { transparent: b = false, transparentIndex: w = 0, delay: _ = 0, palette: u = null, repeat: k = 0, colorDepth: B = 8, dispose: p = -1 } = h, A = false;
    if (s ? x || (A = true, a(), x = true) : A = Boolean(h.first), f = Math.max(0, Math.floor(f)), g = Math.max(0, Math.floor(g)), A) {
      if (!u) throw new Error("First frame must include a { palette } option");
      pt(n, f, g, u, B), it(n, u), k >= 0 && dt(n, k);
    }
    let z = Math.round(_ / 10);
    wt(n, p, z, b, w);
    let d = Boolean(u) && !A;
    ht(n, f, g, d ? u : null), d && it(n, u), yt(n, l, f, g, B, o, i, c);
  } };
  function a() {
    ft(n, "GIF89a");
  }
}
function wt(t, e, s, n, r) {
  t.writeByte(33), t.writeByte(249), t.writeByte(4), r < 0 && (r = 0, n = false);
  var o, i;
  n ? (o = 1, i = 2) : (o = 0, i = 0), e >= 0 && (i = e & 7), i <<= 2;
  let c = 0;
  t.writeByte(0 | i | c | o), S(t, s), t.writeByte(r || 0), t.writeByte(0);
}
function pt(t, e, s, n, r = 8) {
  let o = 1, i = 0, c = Z(n.length) - 1, x = o << 7 | r - 1 << 4 | i << 3 | c, a = 0, l = 0;
  S(t, e), S(t, s), t.writeBytes([x, a, l]);
}
function dt(t, e) {
  t.writeByte(33), t.writeByte(255), t.writeByte(11), ft(t, "NETSCAPE2.0"), t.writeByte(3), t.writeByte(1), S(t, e), t.writeByte(0);
}
function it(t, e) {
  let s = 1 << Z(e.length);
  for (let n = 0; n < s; n++) {
    let r = [0, 0, 0];
    n < e.length && (r = e[n]), t.writeByte(r[0]), t.writeByte(r[1]), t.writeByte(r[2]);
  }
}
function ht(t, e, s, n) {
  if (t.writeByte(44), S(t, 0), S(t, 0), S(t, e), S(t, s), n) {
    let r = 0, o = 0, i = Z(n.length) - 1;
    t.writeByte(128 | r | o | 0 | i);
  } else t.writeByte(0);
}
function yt(t, e, s, n, r = 8, o, i, c) {
  $(s, n, e, r, t, o, i, c);
}
function S(t, e) {
  t.writeByte(e & 255), t.writeByte(e >> 8 & 255);
}
function ft(t, e) {
  for (var s = 0; s < e.length; s++) t.writeByte(e.charCodeAt(s));
}
function Z(t) {
  return Math.max(Math.ceil(Math.log2(t)), 1);
}
var X, O, J, lt, $;
var init_gifenc_esm = __esm({
  "vendor/gifenc.esm.js"() {
    X = { signature: "GIF", version: "89a", trailer: 59, extensionIntroducer: 33, applicationExtensionLabel: 255, graphicControlExtensionLabel: 249, imageSeparator: 44, signatureSize: 3, versionSize: 3, globalColorTableFlagMask: 128, colorResolutionMask: 112, sortFlagMask: 8, globalColorTableSizeMask: 7, applicationIdentifierSize: 8, applicationAuthCodeSize: 3, disposalMethodMask: 28, userInputFlagMask: 2, transparentColorFlagMask: 1, localColorTableFlagMask: 128, interlaceFlagMask: 64, idSortFlagMask: 32, localColorTableSizeMask: 7 };
    O = 12;
    J = 5003;
    lt = [0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767, 65535];
    $ = at;
  }
});

// vendor/webm-muxer.mjs
var __accessCheck, __privateGet, __privateAdd, __privateSet, __privateMethod, EBMLFloat32, EBMLFloat64, measureUnsignedInt, measureEBMLVarInt, readBits, writeBits, Target, ArrayBufferTarget, StreamTarget, FileSystemWritableFileStreamTarget, _helper, _helperView, _writeByte, writeByte_fn, _writeFloat32, writeFloat32_fn, _writeFloat64, writeFloat64_fn, _writeUnsignedInt, writeUnsignedInt_fn, _writeString, writeString_fn, Writer, _target, _buffer, _bytes, _ensureSize, ensureSize_fn, ArrayBufferTargetWriter, _trackingWrites, _trackedWrites, _trackedStart, _trackedEnd, BaseStreamTargetWriter, DEFAULT_CHUNK_SIZE, MAX_CHUNKS_AT_ONCE, _sections, _lastFlushEnd, _ensureMonotonicity, _chunked, _chunkSize, _chunks, _writeDataIntoChunks, writeDataIntoChunks_fn, _insertSectionIntoChunk, insertSectionIntoChunk_fn, _createChunk, createChunk_fn, _flushChunks, flushChunks_fn, StreamTargetWriter, FileSystemWritableFileStreamTargetWriter, VIDEO_TRACK_NUMBER, AUDIO_TRACK_NUMBER, SUBTITLE_TRACK_NUMBER, VIDEO_TRACK_TYPE, AUDIO_TRACK_TYPE, SUBTITLE_TRACK_TYPE, MAX_CHUNK_LENGTH_MS, CODEC_PRIVATE_MAX_SIZE, APP_NAME, SEGMENT_SIZE_BYTES, CLUSTER_SIZE_BYTES, FIRST_TIMESTAMP_BEHAVIORS, _options, _writer, _segment, _segmentInfo, _seekHead, _tracksElement, _segmentDuration, _colourElement, _videoCodecPrivate, _audioCodecPrivate, _subtitleCodecPrivate, _cues, _currentCluster, _currentClusterTimestamp, _duration, _videoChunkQueue, _audioChunkQueue, _subtitleChunkQueue, _firstVideoTimestamp, _firstAudioTimestamp, _lastVideoTimestamp, _lastAudioTimestamp, _lastSubtitleTimestamp, _colorSpace, _finalized, _validateOptions, validateOptions_fn, _createFileHeader, createFileHeader_fn, _writeEBMLHeader, writeEBMLHeader_fn, _createCodecPrivatePlaceholders, createCodecPrivatePlaceholders_fn, _createColourElement, createColourElement_fn, _createSeekHead, createSeekHead_fn, _createSegmentInfo, createSegmentInfo_fn, _createTracks, createTracks_fn, _createSegment, createSegment_fn, _createCues, createCues_fn, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn, _segmentDataOffset, segmentDataOffset_get, _writeVideoDecoderConfig, writeVideoDecoderConfig_fn, _fixVP9ColorSpace, fixVP9ColorSpace_fn, _writeSubtitleChunks, writeSubtitleChunks_fn, _createInternalChunk, createInternalChunk_fn, _validateTimestamp, validateTimestamp_fn, _writeBlock, writeBlock_fn, _createCodecPrivateElement, createCodecPrivateElement_fn, _writeCodecPrivate, writeCodecPrivate_fn, _createNewCluster, createNewCluster_fn, _finalizeCurrentCluster, finalizeCurrentCluster_fn, _ensureNotFinalized, ensureNotFinalized_fn, Muxer, timestampRegex, textEncoder, _options2, _config, _preambleSeen, _preambleBytes, _preambleEmitted, _parseTimestamp, parseTimestamp_fn, _formatTimestamp, formatTimestamp_fn;
var init_webm_muxer = __esm({
  "vendor/webm-muxer.mjs"() {
    __accessCheck = (obj, member, msg) => {
      if (!member.has(obj))
        throw TypeError("Cannot " + msg);
    };
    __privateGet = (obj, member, getter) => {
      __accessCheck(obj, member, "read from private field");
      return getter ? getter.call(obj) : member.get(obj);
    };
    __privateAdd = (obj, member, value) => {
      if (member.has(obj))
        throw TypeError("Cannot add the same private member more than once");
      member instanceof WeakSet ? member.add(obj) : member.set(obj, value);
    };
    __privateSet = (obj, member, value, setter) => {
      __accessCheck(obj, member, "write to private field");
      setter ? setter.call(obj, value) : member.set(obj, value);
      return value;
    };
    __privateMethod = (obj, member, method) => {
      __accessCheck(obj, member, "access private method");
      return method;
    };
    EBMLFloat32 = class {
      constructor(value) {
        this.value = value;
      }
    };
    EBMLFloat64 = class {
      constructor(value) {
        this.value = value;
      }
    };
    measureUnsignedInt = (value) => {
      if (value < 1 << 8) {
        return 1;
      } else if (value < 1 << 16) {
        return 2;
      } else if (value < 1 << 24) {
        return 3;
      } else if (value < 2 ** 32) {
        return 4;
      } else if (value < 2 ** 40) {
        return 5;
      } else {
        return 6;
      }
    };
    measureEBMLVarInt = (value) => {
      if (value < (1 << 7) - 1) {
        return 1;
      } else if (value < (1 << 14) - 1) {
        return 2;
      } else if (value < (1 << 21) - 1) {
        return 3;
      } else if (value < (1 << 28) - 1) {
        return 4;
      } else if (value < 2 ** 35 - 1) {
        return 5;
      } else if (value < 2 ** 42 - 1) {
        return 6;
      } else {
        throw new Error("EBML VINT size not supported " + value);
      }
    };
    readBits = (bytes, start, end) => {
      let result = 0;
      for (let i = start; i < end; i++) {
        let byteIndex = Math.floor(i / 8);
        let byte = bytes[byteIndex];
        let bitIndex = 7 - (i & 7);
        let bit = (byte & 1 << bitIndex) >> bitIndex;
        result <<= 1;
        result |= bit;
      }
      return result;
    };
    writeBits = (bytes, start, end, value) => {
      for (let i = start; i < end; i++) {
        let byteIndex = Math.floor(i / 8);
        let byte = bytes[byteIndex];
        let bitIndex = 7 - (i & 7);
        byte &= ~(1 << bitIndex);
        byte |= (value & 1 << end - i - 1) >> end - i - 1 << bitIndex;
        bytes[byteIndex] = byte;
      }
    };
    Target = class {
    };
    ArrayBufferTarget = class extends Target {
      constructor() {
        super(...arguments);
        this.buffer = null;
      }
    };
    StreamTarget = class extends Target {
      constructor(options) {
        super();
        this.options = options;
        if (typeof options !== "object") {
          throw new TypeError("StreamTarget requires an options object to be passed to its constructor.");
        }
        if (options.onData) {
          if (typeof options.onData !== "function") {
            throw new TypeError("options.onData, when provided, must be a function.");
          }
          if (options.onData.length < 2) {
            throw new TypeError(
              "options.onData, when provided, must be a function that takes in at least two arguments (data and position). Ignoring the position argument, which specifies the byte offset at which the data is to be written, can lead to broken outputs."
            );
          }
        }
        if (options.onHeader && typeof options.onHeader !== "function") {
          throw new TypeError("options.onHeader, when provided, must be a function.");
        }
        if (options.onCluster && typeof options.onCluster !== "function") {
          throw new TypeError("options.onCluster, when provided, must be a function.");
        }
        if (options.chunked !== void 0 && typeof options.chunked !== "boolean") {
          throw new TypeError("options.chunked, when provided, must be a boolean.");
        }
        if (options.chunkSize !== void 0 && (!Number.isInteger(options.chunkSize) || options.chunkSize < 1024)) {
          throw new TypeError("options.chunkSize, when provided, must be an integer and not smaller than 1024.");
        }
      }
    };
    FileSystemWritableFileStreamTarget = class extends Target {
      constructor(stream, options) {
        super();
        this.stream = stream;
        this.options = options;
        if (!(stream instanceof FileSystemWritableFileStream)) {
          throw new TypeError("FileSystemWritableFileStreamTarget requires a FileSystemWritableFileStream instance.");
        }
        if (options !== void 0 && typeof options !== "object") {
          throw new TypeError("FileSystemWritableFileStreamTarget's options, when provided, must be an object.");
        }
        if (options) {
          if (options.chunkSize !== void 0 && (!Number.isInteger(options.chunkSize) || options.chunkSize <= 0)) {
            throw new TypeError("options.chunkSize, when provided, must be a positive integer");
          }
        }
      }
    };
    Writer = class {
      constructor() {
        __privateAdd(this, _writeByte);
        __privateAdd(this, _writeFloat32);
        __privateAdd(this, _writeFloat64);
        __privateAdd(this, _writeUnsignedInt);
        __privateAdd(this, _writeString);
        this.pos = 0;
        __privateAdd(this, _helper, new Uint8Array(8));
        __privateAdd(this, _helperView, new DataView(__privateGet(this, _helper).buffer));
        this.offsets = /* @__PURE__ */ new WeakMap();
        this.dataOffsets = /* @__PURE__ */ new WeakMap();
      }
      seek(newPos) {
        this.pos = newPos;
      }
      writeEBMLVarInt(value, width = measureEBMLVarInt(value)) {
        let pos = 0;
        switch (width) {
          case 1:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 7 | value);
            break;
          case 2:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 6 | value >> 8);
            __privateGet(this, _helperView).setUint8(pos++, value);
            break;
          case 3:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 5 | value >> 16);
            __privateGet(this, _helperView).setUint8(pos++, value >> 8);
            __privateGet(this, _helperView).setUint8(pos++, value);
            break;
          case 4:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 4 | value >> 24);
            __privateGet(this, _helperView).setUint8(pos++, value >> 16);
            __privateGet(this, _helperView).setUint8(pos++, value >> 8);
            __privateGet(this, _helperView).setUint8(pos++, value);
            break;
          case 5:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 3 | value / 2 ** 32 & 7);
            __privateGet(this, _helperView).setUint8(pos++, value >> 24);
            __privateGet(this, _helperView).setUint8(pos++, value >> 16);
            __privateGet(this, _helperView).setUint8(pos++, value >> 8);
            __privateGet(this, _helperView).setUint8(pos++, value);
            break;
          case 6:
            __privateGet(this, _helperView).setUint8(pos++, 1 << 2 | value / 2 ** 40 & 3);
            __privateGet(this, _helperView).setUint8(pos++, value / 2 ** 32 | 0);
            __privateGet(this, _helperView).setUint8(pos++, value >> 24);
            __privateGet(this, _helperView).setUint8(pos++, value >> 16);
            __privateGet(this, _helperView).setUint8(pos++, value >> 8);
            __privateGet(this, _helperView).setUint8(pos++, value);
            break;
          default:
            throw new Error("Bad EBML VINT size " + width);
        }
        this.write(__privateGet(this, _helper).subarray(0, pos));
      }
      writeEBML(data) {
        if (data === null)
          return;
        if (data instanceof Uint8Array) {
          this.write(data);
        } else if (Array.isArray(data)) {
          for (let elem of data) {
            this.writeEBML(elem);
          }
        } else {
          this.offsets.set(data, this.pos);
          __privateMethod(this, _writeUnsignedInt, writeUnsignedInt_fn).call(this, data.id);
          if (Array.isArray(data.data)) {
            let sizePos = this.pos;
            let sizeSize = data.size === -1 ? 1 : data.size ?? 4;
            if (data.size === -1) {
              __privateMethod(this, _writeByte, writeByte_fn).call(this, 255);
            } else {
              this.seek(this.pos + sizeSize);
            }
            let startPos = this.pos;
            this.dataOffsets.set(data, startPos);
            this.writeEBML(data.data);
            if (data.size !== -1) {
              let size = this.pos - startPos;
              let endPos = this.pos;
              this.seek(sizePos);
              this.writeEBMLVarInt(size, sizeSize);
              this.seek(endPos);
            }
          } else if (typeof data.data === "number") {
            let size = data.size ?? measureUnsignedInt(data.data);
            this.writeEBMLVarInt(size);
            __privateMethod(this, _writeUnsignedInt, writeUnsignedInt_fn).call(this, data.data, size);
          } else if (typeof data.data === "string") {
            this.writeEBMLVarInt(data.data.length);
            __privateMethod(this, _writeString, writeString_fn).call(this, data.data);
          } else if (data.data instanceof Uint8Array) {
            this.writeEBMLVarInt(data.data.byteLength, data.size);
            this.write(data.data);
          } else if (data.data instanceof EBMLFloat32) {
            this.writeEBMLVarInt(4);
            __privateMethod(this, _writeFloat32, writeFloat32_fn).call(this, data.data.value);
          } else if (data.data instanceof EBMLFloat64) {
            this.writeEBMLVarInt(8);
            __privateMethod(this, _writeFloat64, writeFloat64_fn).call(this, data.data.value);
          }
        }
      }
    };
    _helper = /* @__PURE__ */ new WeakMap();
    _helperView = /* @__PURE__ */ new WeakMap();
    _writeByte = /* @__PURE__ */ new WeakSet();
    writeByte_fn = function(value) {
      __privateGet(this, _helperView).setUint8(0, value);
      this.write(__privateGet(this, _helper).subarray(0, 1));
    };
    _writeFloat32 = /* @__PURE__ */ new WeakSet();
    writeFloat32_fn = function(value) {
      __privateGet(this, _helperView).setFloat32(0, value, false);
      this.write(__privateGet(this, _helper).subarray(0, 4));
    };
    _writeFloat64 = /* @__PURE__ */ new WeakSet();
    writeFloat64_fn = function(value) {
      __privateGet(this, _helperView).setFloat64(0, value, false);
      this.write(__privateGet(this, _helper));
    };
    _writeUnsignedInt = /* @__PURE__ */ new WeakSet();
    writeUnsignedInt_fn = function(value, width = measureUnsignedInt(value)) {
      let pos = 0;
      switch (width) {
        case 6:
          __privateGet(this, _helperView).setUint8(pos++, value / 2 ** 40 | 0);
        case 5:
          __privateGet(this, _helperView).setUint8(pos++, value / 2 ** 32 | 0);
        case 4:
          __privateGet(this, _helperView).setUint8(pos++, value >> 24);
        case 3:
          __privateGet(this, _helperView).setUint8(pos++, value >> 16);
        case 2:
          __privateGet(this, _helperView).setUint8(pos++, value >> 8);
        case 1:
          __privateGet(this, _helperView).setUint8(pos++, value);
          break;
        default:
          throw new Error("Bad UINT size " + width);
      }
      this.write(__privateGet(this, _helper).subarray(0, pos));
    };
    _writeString = /* @__PURE__ */ new WeakSet();
    writeString_fn = function(str) {
      this.write(new Uint8Array(str.split("").map((x) => x.charCodeAt(0))));
    };
    ArrayBufferTargetWriter = class extends Writer {
      constructor(target) {
        super();
        __privateAdd(this, _ensureSize);
        __privateAdd(this, _target, void 0);
        __privateAdd(this, _buffer, new ArrayBuffer(2 ** 16));
        __privateAdd(this, _bytes, new Uint8Array(__privateGet(this, _buffer)));
        __privateSet(this, _target, target);
      }
      write(data) {
        __privateMethod(this, _ensureSize, ensureSize_fn).call(this, this.pos + data.byteLength);
        __privateGet(this, _bytes).set(data, this.pos);
        this.pos += data.byteLength;
      }
      finalize() {
        __privateMethod(this, _ensureSize, ensureSize_fn).call(this, this.pos);
        __privateGet(this, _target).buffer = __privateGet(this, _buffer).slice(0, this.pos);
      }
    };
    _target = /* @__PURE__ */ new WeakMap();
    _buffer = /* @__PURE__ */ new WeakMap();
    _bytes = /* @__PURE__ */ new WeakMap();
    _ensureSize = /* @__PURE__ */ new WeakSet();
    ensureSize_fn = function(size) {
      let newLength = __privateGet(this, _buffer).byteLength;
      while (newLength < size)
        newLength *= 2;
      if (newLength === __privateGet(this, _buffer).byteLength)
        return;
      let newBuffer = new ArrayBuffer(newLength);
      let newBytes = new Uint8Array(newBuffer);
      newBytes.set(__privateGet(this, _bytes), 0);
      __privateSet(this, _buffer, newBuffer);
      __privateSet(this, _bytes, newBytes);
    };
    BaseStreamTargetWriter = class extends Writer {
      constructor(target) {
        super();
        this.target = target;
        __privateAdd(this, _trackingWrites, false);
        __privateAdd(this, _trackedWrites, void 0);
        __privateAdd(this, _trackedStart, void 0);
        __privateAdd(this, _trackedEnd, void 0);
      }
      write(data) {
        if (!__privateGet(this, _trackingWrites))
          return;
        let pos = this.pos;
        if (pos < __privateGet(this, _trackedStart)) {
          if (pos + data.byteLength <= __privateGet(this, _trackedStart))
            return;
          data = data.subarray(__privateGet(this, _trackedStart) - pos);
          pos = 0;
        }
        let neededSize = pos + data.byteLength - __privateGet(this, _trackedStart);
        let newLength = __privateGet(this, _trackedWrites).byteLength;
        while (newLength < neededSize)
          newLength *= 2;
        if (newLength !== __privateGet(this, _trackedWrites).byteLength) {
          let copy = new Uint8Array(newLength);
          copy.set(__privateGet(this, _trackedWrites), 0);
          __privateSet(this, _trackedWrites, copy);
        }
        __privateGet(this, _trackedWrites).set(data, pos - __privateGet(this, _trackedStart));
        __privateSet(this, _trackedEnd, Math.max(__privateGet(this, _trackedEnd), pos + data.byteLength));
      }
      startTrackingWrites() {
        __privateSet(this, _trackingWrites, true);
        __privateSet(this, _trackedWrites, new Uint8Array(2 ** 10));
        __privateSet(this, _trackedStart, this.pos);
        __privateSet(this, _trackedEnd, this.pos);
      }
      getTrackedWrites() {
        if (!__privateGet(this, _trackingWrites)) {
          throw new Error("Can't get tracked writes since nothing was tracked.");
        }
        let slice = __privateGet(this, _trackedWrites).subarray(0, __privateGet(this, _trackedEnd) - __privateGet(this, _trackedStart));
        let result = {
          data: slice,
          start: __privateGet(this, _trackedStart),
          end: __privateGet(this, _trackedEnd)
        };
        __privateSet(this, _trackedWrites, void 0);
        __privateSet(this, _trackingWrites, false);
        return result;
      }
    };
    _trackingWrites = /* @__PURE__ */ new WeakMap();
    _trackedWrites = /* @__PURE__ */ new WeakMap();
    _trackedStart = /* @__PURE__ */ new WeakMap();
    _trackedEnd = /* @__PURE__ */ new WeakMap();
    DEFAULT_CHUNK_SIZE = 2 ** 24;
    MAX_CHUNKS_AT_ONCE = 2;
    StreamTargetWriter = class extends BaseStreamTargetWriter {
      constructor(target, ensureMonotonicity) {
        super(target);
        __privateAdd(this, _writeDataIntoChunks);
        __privateAdd(this, _insertSectionIntoChunk);
        __privateAdd(this, _createChunk);
        __privateAdd(this, _flushChunks);
        __privateAdd(this, _sections, []);
        __privateAdd(this, _lastFlushEnd, 0);
        __privateAdd(this, _ensureMonotonicity, void 0);
        __privateAdd(this, _chunked, void 0);
        __privateAdd(this, _chunkSize, void 0);
        __privateAdd(this, _chunks, []);
        __privateSet(this, _ensureMonotonicity, ensureMonotonicity);
        __privateSet(this, _chunked, target.options?.chunked ?? false);
        __privateSet(this, _chunkSize, target.options?.chunkSize ?? DEFAULT_CHUNK_SIZE);
      }
      write(data) {
        super.write(data);
        __privateGet(this, _sections).push({
          data: data.slice(),
          start: this.pos
        });
        this.pos += data.byteLength;
      }
      flush() {
        if (__privateGet(this, _sections).length === 0)
          return;
        let chunks = [];
        let sorted = [...__privateGet(this, _sections)].sort((a, b) => a.start - b.start);
        chunks.push({
          start: sorted[0].start,
          size: sorted[0].data.byteLength
        });
        for (let i = 1; i < sorted.length; i++) {
          let lastChunk = chunks[chunks.length - 1];
          let section = sorted[i];
          if (section.start <= lastChunk.start + lastChunk.size) {
            lastChunk.size = Math.max(lastChunk.size, section.start + section.data.byteLength - lastChunk.start);
          } else {
            chunks.push({
              start: section.start,
              size: section.data.byteLength
            });
          }
        }
        for (let chunk of chunks) {
          chunk.data = new Uint8Array(chunk.size);
          for (let section of __privateGet(this, _sections)) {
            if (chunk.start <= section.start && section.start < chunk.start + chunk.size) {
              chunk.data.set(section.data, section.start - chunk.start);
            }
          }
          if (__privateGet(this, _chunked)) {
            __privateMethod(this, _writeDataIntoChunks, writeDataIntoChunks_fn).call(this, chunk.data, chunk.start);
            __privateMethod(this, _flushChunks, flushChunks_fn).call(this);
          } else {
            if (__privateGet(this, _ensureMonotonicity) && chunk.start < __privateGet(this, _lastFlushEnd)) {
              throw new Error("Internal error: Monotonicity violation.");
            }
            this.target.options.onData?.(chunk.data, chunk.start);
            __privateSet(this, _lastFlushEnd, chunk.start + chunk.data.byteLength);
          }
        }
        __privateGet(this, _sections).length = 0;
      }
      finalize() {
        if (__privateGet(this, _chunked)) {
          __privateMethod(this, _flushChunks, flushChunks_fn).call(this, true);
        }
      }
    };
    _sections = /* @__PURE__ */ new WeakMap();
    _lastFlushEnd = /* @__PURE__ */ new WeakMap();
    _ensureMonotonicity = /* @__PURE__ */ new WeakMap();
    _chunked = /* @__PURE__ */ new WeakMap();
    _chunkSize = /* @__PURE__ */ new WeakMap();
    _chunks = /* @__PURE__ */ new WeakMap();
    _writeDataIntoChunks = /* @__PURE__ */ new WeakSet();
    writeDataIntoChunks_fn = function(data, position) {
      let chunkIndex = __privateGet(this, _chunks).findIndex((x) => x.start <= position && position < x.start + __privateGet(this, _chunkSize));
      if (chunkIndex === -1)
        chunkIndex = __privateMethod(this, _createChunk, createChunk_fn).call(this, position);
      let chunk = __privateGet(this, _chunks)[chunkIndex];
      let relativePosition = position - chunk.start;
      let toWrite = data.subarray(0, Math.min(__privateGet(this, _chunkSize) - relativePosition, data.byteLength));
      chunk.data.set(toWrite, relativePosition);
      let section = {
        start: relativePosition,
        end: relativePosition + toWrite.byteLength
      };
      __privateMethod(this, _insertSectionIntoChunk, insertSectionIntoChunk_fn).call(this, chunk, section);
      if (chunk.written[0].start === 0 && chunk.written[0].end === __privateGet(this, _chunkSize)) {
        chunk.shouldFlush = true;
      }
      if (__privateGet(this, _chunks).length > MAX_CHUNKS_AT_ONCE) {
        for (let i = 0; i < __privateGet(this, _chunks).length - 1; i++) {
          __privateGet(this, _chunks)[i].shouldFlush = true;
        }
        __privateMethod(this, _flushChunks, flushChunks_fn).call(this);
      }
      if (toWrite.byteLength < data.byteLength) {
        __privateMethod(this, _writeDataIntoChunks, writeDataIntoChunks_fn).call(this, data.subarray(toWrite.byteLength), position + toWrite.byteLength);
      }
    };
    _insertSectionIntoChunk = /* @__PURE__ */ new WeakSet();
    insertSectionIntoChunk_fn = function(chunk, section) {
      let low = 0;
      let high = chunk.written.length - 1;
      let index = -1;
      while (low <= high) {
        let mid = Math.floor(low + (high - low + 1) / 2);
        if (chunk.written[mid].start <= section.start) {
          low = mid + 1;
          index = mid;
        } else {
          high = mid - 1;
        }
      }
      chunk.written.splice(index + 1, 0, section);
      if (index === -1 || chunk.written[index].end < section.start)
        index++;
      while (index < chunk.written.length - 1 && chunk.written[index].end >= chunk.written[index + 1].start) {
        chunk.written[index].end = Math.max(chunk.written[index].end, chunk.written[index + 1].end);
        chunk.written.splice(index + 1, 1);
      }
    };
    _createChunk = /* @__PURE__ */ new WeakSet();
    createChunk_fn = function(includesPosition) {
      let start = Math.floor(includesPosition / __privateGet(this, _chunkSize)) * __privateGet(this, _chunkSize);
      let chunk = {
        start,
        data: new Uint8Array(__privateGet(this, _chunkSize)),
        written: [],
        shouldFlush: false
      };
      __privateGet(this, _chunks).push(chunk);
      __privateGet(this, _chunks).sort((a, b) => a.start - b.start);
      return __privateGet(this, _chunks).indexOf(chunk);
    };
    _flushChunks = /* @__PURE__ */ new WeakSet();
    flushChunks_fn = function(force = false) {
      for (let i = 0; i < __privateGet(this, _chunks).length; i++) {
        let chunk = __privateGet(this, _chunks)[i];
        if (!chunk.shouldFlush && !force)
          continue;
        for (let section of chunk.written) {
          if (__privateGet(this, _ensureMonotonicity) && chunk.start + section.start < __privateGet(this, _lastFlushEnd)) {
            throw new Error("Internal error: Monotonicity violation.");
          }
          this.target.options.onData?.(
            chunk.data.subarray(section.start, section.end),
            chunk.start + section.start
          );
          __privateSet(this, _lastFlushEnd, chunk.start + section.end);
        }
        __privateGet(this, _chunks).splice(i--, 1);
      }
    };
    FileSystemWritableFileStreamTargetWriter = class extends StreamTargetWriter {
      constructor(target, ensureMonotonicity) {
        super(new StreamTarget({
          onData: (data, position) => target.stream.write({
            type: "write",
            data,
            position
          }),
          chunked: true,
          chunkSize: target.options?.chunkSize
        }), ensureMonotonicity);
      }
    };
    VIDEO_TRACK_NUMBER = 1;
    AUDIO_TRACK_NUMBER = 2;
    SUBTITLE_TRACK_NUMBER = 3;
    VIDEO_TRACK_TYPE = 1;
    AUDIO_TRACK_TYPE = 2;
    SUBTITLE_TRACK_TYPE = 17;
    MAX_CHUNK_LENGTH_MS = 2 ** 15;
    CODEC_PRIVATE_MAX_SIZE = 2 ** 13;
    APP_NAME = "https://github.com/Vanilagy/webm-muxer";
    SEGMENT_SIZE_BYTES = 6;
    CLUSTER_SIZE_BYTES = 5;
    FIRST_TIMESTAMP_BEHAVIORS = ["strict", "offset", "permissive"];
    Muxer = class {
      constructor(options) {
        __privateAdd(this, _validateOptions);
        __privateAdd(this, _createFileHeader);
        __privateAdd(this, _writeEBMLHeader);
        __privateAdd(this, _createCodecPrivatePlaceholders);
        __privateAdd(this, _createColourElement);
        __privateAdd(this, _createSeekHead);
        __privateAdd(this, _createSegmentInfo);
        __privateAdd(this, _createTracks);
        __privateAdd(this, _createSegment);
        __privateAdd(this, _createCues);
        __privateAdd(this, _maybeFlushStreamingTargetWriter);
        __privateAdd(this, _segmentDataOffset);
        __privateAdd(this, _writeVideoDecoderConfig);
        __privateAdd(this, _fixVP9ColorSpace);
        __privateAdd(this, _writeSubtitleChunks);
        __privateAdd(this, _createInternalChunk);
        __privateAdd(this, _validateTimestamp);
        __privateAdd(this, _writeBlock);
        __privateAdd(this, _createCodecPrivateElement);
        __privateAdd(this, _writeCodecPrivate);
        __privateAdd(this, _createNewCluster);
        __privateAdd(this, _finalizeCurrentCluster);
        __privateAdd(this, _ensureNotFinalized);
        __privateAdd(this, _options, void 0);
        __privateAdd(this, _writer, void 0);
        __privateAdd(this, _segment, void 0);
        __privateAdd(this, _segmentInfo, void 0);
        __privateAdd(this, _seekHead, void 0);
        __privateAdd(this, _tracksElement, void 0);
        __privateAdd(this, _segmentDuration, void 0);
        __privateAdd(this, _colourElement, void 0);
        __privateAdd(this, _videoCodecPrivate, void 0);
        __privateAdd(this, _audioCodecPrivate, void 0);
        __privateAdd(this, _subtitleCodecPrivate, void 0);
        __privateAdd(this, _cues, void 0);
        __privateAdd(this, _currentCluster, void 0);
        __privateAdd(this, _currentClusterTimestamp, void 0);
        __privateAdd(this, _duration, 0);
        __privateAdd(this, _videoChunkQueue, []);
        __privateAdd(this, _audioChunkQueue, []);
        __privateAdd(this, _subtitleChunkQueue, []);
        __privateAdd(this, _firstVideoTimestamp, void 0);
        __privateAdd(this, _firstAudioTimestamp, void 0);
        __privateAdd(this, _lastVideoTimestamp, -1);
        __privateAdd(this, _lastAudioTimestamp, -1);
        __privateAdd(this, _lastSubtitleTimestamp, -1);
        __privateAdd(this, _colorSpace, void 0);
        __privateAdd(this, _finalized, false);
        __privateMethod(this, _validateOptions, validateOptions_fn).call(this, options);
        __privateSet(this, _options, {
          type: "webm",
          firstTimestampBehavior: "strict",
          ...options
        });
        this.target = options.target;
        let ensureMonotonicity = !!__privateGet(this, _options).streaming;
        if (options.target instanceof ArrayBufferTarget) {
          __privateSet(this, _writer, new ArrayBufferTargetWriter(options.target));
        } else if (options.target instanceof StreamTarget) {
          __privateSet(this, _writer, new StreamTargetWriter(options.target, ensureMonotonicity));
        } else if (options.target instanceof FileSystemWritableFileStreamTarget) {
          __privateSet(this, _writer, new FileSystemWritableFileStreamTargetWriter(options.target, ensureMonotonicity));
        } else {
          throw new Error(`Invalid target: ${options.target}`);
        }
        __privateMethod(this, _createFileHeader, createFileHeader_fn).call(this);
      }
      addVideoChunk(chunk, meta, timestamp) {
        if (!(chunk instanceof EncodedVideoChunk)) {
          throw new TypeError("addVideoChunk's first argument (chunk) must be of type EncodedVideoChunk.");
        }
        if (meta && typeof meta !== "object") {
          throw new TypeError("addVideoChunk's second argument (meta), when provided, must be an object.");
        }
        if (timestamp !== void 0 && (!Number.isFinite(timestamp) || timestamp < 0)) {
          throw new TypeError(
            "addVideoChunk's third argument (timestamp), when provided, must be a non-negative real number."
          );
        }
        let data = new Uint8Array(chunk.byteLength);
        chunk.copyTo(data);
        this.addVideoChunkRaw(data, chunk.type, timestamp ?? chunk.timestamp, meta);
      }
      addVideoChunkRaw(data, type, timestamp, meta) {
        if (!(data instanceof Uint8Array)) {
          throw new TypeError("addVideoChunkRaw's first argument (data) must be an instance of Uint8Array.");
        }
        if (type !== "key" && type !== "delta") {
          throw new TypeError("addVideoChunkRaw's second argument (type) must be either 'key' or 'delta'.");
        }
        if (!Number.isFinite(timestamp) || timestamp < 0) {
          throw new TypeError("addVideoChunkRaw's third argument (timestamp) must be a non-negative real number.");
        }
        if (meta && typeof meta !== "object") {
          throw new TypeError("addVideoChunkRaw's fourth argument (meta), when provided, must be an object.");
        }
        __privateMethod(this, _ensureNotFinalized, ensureNotFinalized_fn).call(this);
        if (!__privateGet(this, _options).video)
          throw new Error("No video track declared.");
        if (__privateGet(this, _firstVideoTimestamp) === void 0)
          __privateSet(this, _firstVideoTimestamp, timestamp);
        if (meta)
          __privateMethod(this, _writeVideoDecoderConfig, writeVideoDecoderConfig_fn).call(this, meta);
        let videoChunk = __privateMethod(this, _createInternalChunk, createInternalChunk_fn).call(this, data, type, timestamp, VIDEO_TRACK_NUMBER);
        if (__privateGet(this, _options).video.codec === "V_VP9")
          __privateMethod(this, _fixVP9ColorSpace, fixVP9ColorSpace_fn).call(this, videoChunk);
        __privateSet(this, _lastVideoTimestamp, videoChunk.timestamp);
        while (__privateGet(this, _audioChunkQueue).length > 0 && __privateGet(this, _audioChunkQueue)[0].timestamp <= videoChunk.timestamp) {
          let audioChunk = __privateGet(this, _audioChunkQueue).shift();
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, audioChunk, false);
        }
        if (!__privateGet(this, _options).audio || videoChunk.timestamp <= __privateGet(this, _lastAudioTimestamp)) {
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, videoChunk, true);
        } else {
          __privateGet(this, _videoChunkQueue).push(videoChunk);
        }
        __privateMethod(this, _writeSubtitleChunks, writeSubtitleChunks_fn).call(this);
        __privateMethod(this, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn).call(this);
      }
      addAudioChunk(chunk, meta, timestamp) {
        if (!(chunk instanceof EncodedAudioChunk)) {
          throw new TypeError("addAudioChunk's first argument (chunk) must be of type EncodedAudioChunk.");
        }
        if (meta && typeof meta !== "object") {
          throw new TypeError("addAudioChunk's second argument (meta), when provided, must be an object.");
        }
        if (timestamp !== void 0 && (!Number.isFinite(timestamp) || timestamp < 0)) {
          throw new TypeError(
            "addAudioChunk's third argument (timestamp), when provided, must be a non-negative real number."
          );
        }
        let data = new Uint8Array(chunk.byteLength);
        chunk.copyTo(data);
        this.addAudioChunkRaw(data, chunk.type, timestamp ?? chunk.timestamp, meta);
      }
      addAudioChunkRaw(data, type, timestamp, meta) {
        if (!(data instanceof Uint8Array)) {
          throw new TypeError("addAudioChunkRaw's first argument (data) must be an instance of Uint8Array.");
        }
        if (type !== "key" && type !== "delta") {
          throw new TypeError("addAudioChunkRaw's second argument (type) must be either 'key' or 'delta'.");
        }
        if (!Number.isFinite(timestamp) || timestamp < 0) {
          throw new TypeError("addAudioChunkRaw's third argument (timestamp) must be a non-negative real number.");
        }
        if (meta && typeof meta !== "object") {
          throw new TypeError("addAudioChunkRaw's fourth argument (meta), when provided, must be an object.");
        }
        __privateMethod(this, _ensureNotFinalized, ensureNotFinalized_fn).call(this);
        if (!__privateGet(this, _options).audio)
          throw new Error("No audio track declared.");
        if (__privateGet(this, _firstAudioTimestamp) === void 0)
          __privateSet(this, _firstAudioTimestamp, timestamp);
        if (meta?.decoderConfig) {
          if (__privateGet(this, _options).streaming) {
            __privateSet(this, _audioCodecPrivate, __privateMethod(this, _createCodecPrivateElement, createCodecPrivateElement_fn).call(this, meta.decoderConfig.description));
          } else {
            __privateMethod(this, _writeCodecPrivate, writeCodecPrivate_fn).call(this, __privateGet(this, _audioCodecPrivate), meta.decoderConfig.description);
          }
        }
        let audioChunk = __privateMethod(this, _createInternalChunk, createInternalChunk_fn).call(this, data, type, timestamp, AUDIO_TRACK_NUMBER);
        __privateSet(this, _lastAudioTimestamp, audioChunk.timestamp);
        while (__privateGet(this, _videoChunkQueue).length > 0 && __privateGet(this, _videoChunkQueue)[0].timestamp <= audioChunk.timestamp) {
          let videoChunk = __privateGet(this, _videoChunkQueue).shift();
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, videoChunk, true);
        }
        if (!__privateGet(this, _options).video || audioChunk.timestamp <= __privateGet(this, _lastVideoTimestamp)) {
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, audioChunk, !__privateGet(this, _options).video);
        } else {
          __privateGet(this, _audioChunkQueue).push(audioChunk);
        }
        __privateMethod(this, _writeSubtitleChunks, writeSubtitleChunks_fn).call(this);
        __privateMethod(this, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn).call(this);
      }
      addSubtitleChunk(chunk, meta, timestamp) {
        if (typeof chunk !== "object" || !chunk) {
          throw new TypeError("addSubtitleChunk's first argument (chunk) must be an object.");
        } else {
          if (!(chunk.body instanceof Uint8Array)) {
            throw new TypeError("body must be an instance of Uint8Array.");
          }
          if (!Number.isFinite(chunk.timestamp) || chunk.timestamp < 0) {
            throw new TypeError("timestamp must be a non-negative real number.");
          }
          if (!Number.isFinite(chunk.duration) || chunk.duration < 0) {
            throw new TypeError("duration must be a non-negative real number.");
          }
          if (chunk.additions && !(chunk.additions instanceof Uint8Array)) {
            throw new TypeError("additions, when present, must be an instance of Uint8Array.");
          }
        }
        if (typeof meta !== "object") {
          throw new TypeError("addSubtitleChunk's second argument (meta) must be an object.");
        }
        __privateMethod(this, _ensureNotFinalized, ensureNotFinalized_fn).call(this);
        if (!__privateGet(this, _options).subtitles)
          throw new Error("No subtitle track declared.");
        if (meta?.decoderConfig) {
          if (__privateGet(this, _options).streaming) {
            __privateSet(this, _subtitleCodecPrivate, __privateMethod(this, _createCodecPrivateElement, createCodecPrivateElement_fn).call(this, meta.decoderConfig.description));
          } else {
            __privateMethod(this, _writeCodecPrivate, writeCodecPrivate_fn).call(this, __privateGet(this, _subtitleCodecPrivate), meta.decoderConfig.description);
          }
        }
        let subtitleChunk = __privateMethod(this, _createInternalChunk, createInternalChunk_fn).call(this, chunk.body, "key", timestamp ?? chunk.timestamp, SUBTITLE_TRACK_NUMBER, chunk.duration, chunk.additions);
        __privateSet(this, _lastSubtitleTimestamp, subtitleChunk.timestamp);
        __privateGet(this, _subtitleChunkQueue).push(subtitleChunk);
        __privateMethod(this, _writeSubtitleChunks, writeSubtitleChunks_fn).call(this);
        __privateMethod(this, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn).call(this);
      }
      finalize() {
        if (__privateGet(this, _finalized)) {
          throw new Error("Cannot finalize a muxer more than once.");
        }
        while (__privateGet(this, _videoChunkQueue).length > 0)
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, __privateGet(this, _videoChunkQueue).shift(), true);
        while (__privateGet(this, _audioChunkQueue).length > 0)
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, __privateGet(this, _audioChunkQueue).shift(), true);
        while (__privateGet(this, _subtitleChunkQueue).length > 0 && __privateGet(this, _subtitleChunkQueue)[0].timestamp <= __privateGet(this, _duration)) {
          __privateMethod(this, _writeBlock, writeBlock_fn).call(this, __privateGet(this, _subtitleChunkQueue).shift(), false);
        }
        if (__privateGet(this, _currentCluster)) {
          __privateMethod(this, _finalizeCurrentCluster, finalizeCurrentCluster_fn).call(this);
        }
        __privateGet(this, _writer).writeEBML(__privateGet(this, _cues));
        if (!__privateGet(this, _options).streaming) {
          let endPos = __privateGet(this, _writer).pos;
          let segmentSize = __privateGet(this, _writer).pos - __privateGet(this, _segmentDataOffset, segmentDataOffset_get);
          __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(__privateGet(this, _segment)) + 4);
          __privateGet(this, _writer).writeEBMLVarInt(segmentSize, SEGMENT_SIZE_BYTES);
          __privateGet(this, _segmentDuration).data = new EBMLFloat64(__privateGet(this, _duration));
          __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(__privateGet(this, _segmentDuration)));
          __privateGet(this, _writer).writeEBML(__privateGet(this, _segmentDuration));
          __privateGet(this, _seekHead).data[0].data[1].data = __privateGet(this, _writer).offsets.get(__privateGet(this, _cues)) - __privateGet(this, _segmentDataOffset, segmentDataOffset_get);
          __privateGet(this, _seekHead).data[1].data[1].data = __privateGet(this, _writer).offsets.get(__privateGet(this, _segmentInfo)) - __privateGet(this, _segmentDataOffset, segmentDataOffset_get);
          __privateGet(this, _seekHead).data[2].data[1].data = __privateGet(this, _writer).offsets.get(__privateGet(this, _tracksElement)) - __privateGet(this, _segmentDataOffset, segmentDataOffset_get);
          __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(__privateGet(this, _seekHead)));
          __privateGet(this, _writer).writeEBML(__privateGet(this, _seekHead));
          __privateGet(this, _writer).seek(endPos);
        }
        __privateMethod(this, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn).call(this);
        __privateGet(this, _writer).finalize();
        __privateSet(this, _finalized, true);
      }
    };
    _options = /* @__PURE__ */ new WeakMap();
    _writer = /* @__PURE__ */ new WeakMap();
    _segment = /* @__PURE__ */ new WeakMap();
    _segmentInfo = /* @__PURE__ */ new WeakMap();
    _seekHead = /* @__PURE__ */ new WeakMap();
    _tracksElement = /* @__PURE__ */ new WeakMap();
    _segmentDuration = /* @__PURE__ */ new WeakMap();
    _colourElement = /* @__PURE__ */ new WeakMap();
    _videoCodecPrivate = /* @__PURE__ */ new WeakMap();
    _audioCodecPrivate = /* @__PURE__ */ new WeakMap();
    _subtitleCodecPrivate = /* @__PURE__ */ new WeakMap();
    _cues = /* @__PURE__ */ new WeakMap();
    _currentCluster = /* @__PURE__ */ new WeakMap();
    _currentClusterTimestamp = /* @__PURE__ */ new WeakMap();
    _duration = /* @__PURE__ */ new WeakMap();
    _videoChunkQueue = /* @__PURE__ */ new WeakMap();
    _audioChunkQueue = /* @__PURE__ */ new WeakMap();
    _subtitleChunkQueue = /* @__PURE__ */ new WeakMap();
    _firstVideoTimestamp = /* @__PURE__ */ new WeakMap();
    _firstAudioTimestamp = /* @__PURE__ */ new WeakMap();
    _lastVideoTimestamp = /* @__PURE__ */ new WeakMap();
    _lastAudioTimestamp = /* @__PURE__ */ new WeakMap();
    _lastSubtitleTimestamp = /* @__PURE__ */ new WeakMap();
    _colorSpace = /* @__PURE__ */ new WeakMap();
    _finalized = /* @__PURE__ */ new WeakMap();
    _validateOptions = /* @__PURE__ */ new WeakSet();
    validateOptions_fn = function(options) {
      if (typeof options !== "object") {
        throw new TypeError("The muxer requires an options object to be passed to its constructor.");
      }
      if (!(options.target instanceof Target)) {
        throw new TypeError("The target must be provided and an instance of Target.");
      }
      if (options.video) {
        if (typeof options.video.codec !== "string") {
          throw new TypeError(`Invalid video codec: ${options.video.codec}. Must be a string.`);
        }
        if (!Number.isInteger(options.video.width) || options.video.width <= 0) {
          throw new TypeError(`Invalid video width: ${options.video.width}. Must be a positive integer.`);
        }
        if (!Number.isInteger(options.video.height) || options.video.height <= 0) {
          throw new TypeError(`Invalid video height: ${options.video.height}. Must be a positive integer.`);
        }
        if (options.video.frameRate !== void 0) {
          if (!Number.isFinite(options.video.frameRate) || options.video.frameRate <= 0) {
            throw new TypeError(
              `Invalid video frame rate: ${options.video.frameRate}. Must be a positive number.`
            );
          }
        }
        if (options.video.alpha !== void 0 && typeof options.video.alpha !== "boolean") {
          throw new TypeError(`Invalid video alpha: ${options.video.alpha}. Must be a boolean.`);
        }
      }
      if (options.audio) {
        if (typeof options.audio.codec !== "string") {
          throw new TypeError(`Invalid audio codec: ${options.audio.codec}. Must be a string.`);
        }
        if (!Number.isInteger(options.audio.numberOfChannels) || options.audio.numberOfChannels <= 0) {
          throw new TypeError(
            `Invalid number of audio channels: ${options.audio.numberOfChannels}. Must be a positive integer.`
          );
        }
        if (!Number.isInteger(options.audio.sampleRate) || options.audio.sampleRate <= 0) {
          throw new TypeError(
            `Invalid audio sample rate: ${options.audio.sampleRate}. Must be a positive integer.`
          );
        }
        if (options.audio.bitDepth !== void 0) {
          if (!Number.isInteger(options.audio.bitDepth) || options.audio.bitDepth <= 0) {
            throw new TypeError(
              `Invalid audio bit depth: ${options.audio.bitDepth}. Must be a positive integer.`
            );
          }
        }
      }
      if (options.subtitles) {
        if (typeof options.subtitles.codec !== "string") {
          throw new TypeError(`Invalid subtitles codec: ${options.subtitles.codec}. Must be a string.`);
        }
      }
      if (options.type !== void 0 && !["webm", "matroska"].includes(options.type)) {
        throw new TypeError(`Invalid type: ${options.type}. Must be 'webm' or 'matroska'.`);
      }
      if (options.firstTimestampBehavior && !FIRST_TIMESTAMP_BEHAVIORS.includes(options.firstTimestampBehavior)) {
        throw new TypeError(`Invalid first timestamp behavior: ${options.firstTimestampBehavior}`);
      }
      if (options.streaming !== void 0 && typeof options.streaming !== "boolean") {
        throw new TypeError(`Invalid streaming option: ${options.streaming}. Must be a boolean.`);
      }
    };
    _createFileHeader = /* @__PURE__ */ new WeakSet();
    createFileHeader_fn = function() {
      if (__privateGet(this, _writer) instanceof BaseStreamTargetWriter && __privateGet(this, _writer).target.options.onHeader) {
        __privateGet(this, _writer).startTrackingWrites();
      }
      __privateMethod(this, _writeEBMLHeader, writeEBMLHeader_fn).call(this);
      if (!__privateGet(this, _options).streaming) {
        __privateMethod(this, _createSeekHead, createSeekHead_fn).call(this);
      }
      __privateMethod(this, _createSegmentInfo, createSegmentInfo_fn).call(this);
      __privateMethod(this, _createCodecPrivatePlaceholders, createCodecPrivatePlaceholders_fn).call(this);
      __privateMethod(this, _createColourElement, createColourElement_fn).call(this);
      if (!__privateGet(this, _options).streaming) {
        __privateMethod(this, _createTracks, createTracks_fn).call(this);
        __privateMethod(this, _createSegment, createSegment_fn).call(this);
      } else {
      }
      __privateMethod(this, _createCues, createCues_fn).call(this);
      __privateMethod(this, _maybeFlushStreamingTargetWriter, maybeFlushStreamingTargetWriter_fn).call(this);
    };
    _writeEBMLHeader = /* @__PURE__ */ new WeakSet();
    writeEBMLHeader_fn = function() {
      let ebmlHeader = { id: 440786851, data: [
        { id: 17030, data: 1 },
        { id: 17143, data: 1 },
        { id: 17138, data: 4 },
        { id: 17139, data: 8 },
        { id: 17026, data: __privateGet(this, _options).type ?? "webm" },
        { id: 17031, data: 2 },
        { id: 17029, data: 2 }
      ] };
      __privateGet(this, _writer).writeEBML(ebmlHeader);
    };
    _createCodecPrivatePlaceholders = /* @__PURE__ */ new WeakSet();
    createCodecPrivatePlaceholders_fn = function() {
      __privateSet(this, _videoCodecPrivate, { id: 236, size: 4, data: new Uint8Array(CODEC_PRIVATE_MAX_SIZE) });
      __privateSet(this, _audioCodecPrivate, { id: 236, size: 4, data: new Uint8Array(CODEC_PRIVATE_MAX_SIZE) });
      __privateSet(this, _subtitleCodecPrivate, { id: 236, size: 4, data: new Uint8Array(CODEC_PRIVATE_MAX_SIZE) });
    };
    _createColourElement = /* @__PURE__ */ new WeakSet();
    createColourElement_fn = function() {
      __privateSet(this, _colourElement, { id: 21936, data: [
        { id: 21937, data: 2 },
        { id: 21946, data: 2 },
        { id: 21947, data: 2 },
        { id: 21945, data: 0 }
      ] });
    };
    _createSeekHead = /* @__PURE__ */ new WeakSet();
    createSeekHead_fn = function() {
      const kaxCues = new Uint8Array([28, 83, 187, 107]);
      const kaxInfo = new Uint8Array([21, 73, 169, 102]);
      const kaxTracks = new Uint8Array([22, 84, 174, 107]);
      let seekHead = { id: 290298740, data: [
        { id: 19899, data: [
          { id: 21419, data: kaxCues },
          { id: 21420, size: 5, data: 0 }
        ] },
        { id: 19899, data: [
          { id: 21419, data: kaxInfo },
          { id: 21420, size: 5, data: 0 }
        ] },
        { id: 19899, data: [
          { id: 21419, data: kaxTracks },
          { id: 21420, size: 5, data: 0 }
        ] }
      ] };
      __privateSet(this, _seekHead, seekHead);
    };
    _createSegmentInfo = /* @__PURE__ */ new WeakSet();
    createSegmentInfo_fn = function() {
      let segmentDuration = { id: 17545, data: new EBMLFloat64(0) };
      __privateSet(this, _segmentDuration, segmentDuration);
      let segmentInfo = { id: 357149030, data: [
        { id: 2807729, data: 1e6 },
        { id: 19840, data: APP_NAME },
        { id: 22337, data: APP_NAME },
        !__privateGet(this, _options).streaming ? segmentDuration : null
      ] };
      __privateSet(this, _segmentInfo, segmentInfo);
    };
    _createTracks = /* @__PURE__ */ new WeakSet();
    createTracks_fn = function() {
      let tracksElement = { id: 374648427, data: [] };
      __privateSet(this, _tracksElement, tracksElement);
      if (__privateGet(this, _options).video) {
        tracksElement.data.push({ id: 174, data: [
          { id: 215, data: VIDEO_TRACK_NUMBER },
          { id: 29637, data: VIDEO_TRACK_NUMBER },
          { id: 131, data: VIDEO_TRACK_TYPE },
          { id: 134, data: __privateGet(this, _options).video.codec },
          __privateGet(this, _videoCodecPrivate),
          __privateGet(this, _options).video.frameRate ? { id: 2352003, data: 1e9 / __privateGet(this, _options).video.frameRate } : null,
          { id: 224, data: [
            { id: 176, data: __privateGet(this, _options).video.width },
            { id: 186, data: __privateGet(this, _options).video.height },
            __privateGet(this, _options).video.alpha ? { id: 21440, data: 1 } : null,
            __privateGet(this, _colourElement)
          ] }
        ] });
      }
      if (__privateGet(this, _options).audio) {
        __privateSet(this, _audioCodecPrivate, __privateGet(this, _options).streaming ? __privateGet(this, _audioCodecPrivate) || null : { id: 236, size: 4, data: new Uint8Array(CODEC_PRIVATE_MAX_SIZE) });
        tracksElement.data.push({ id: 174, data: [
          { id: 215, data: AUDIO_TRACK_NUMBER },
          { id: 29637, data: AUDIO_TRACK_NUMBER },
          { id: 131, data: AUDIO_TRACK_TYPE },
          { id: 134, data: __privateGet(this, _options).audio.codec },
          __privateGet(this, _audioCodecPrivate),
          { id: 225, data: [
            { id: 181, data: new EBMLFloat32(__privateGet(this, _options).audio.sampleRate) },
            { id: 159, data: __privateGet(this, _options).audio.numberOfChannels },
            __privateGet(this, _options).audio.bitDepth ? { id: 25188, data: __privateGet(this, _options).audio.bitDepth } : null
          ] }
        ] });
      }
      if (__privateGet(this, _options).subtitles) {
        tracksElement.data.push({ id: 174, data: [
          { id: 215, data: SUBTITLE_TRACK_NUMBER },
          { id: 29637, data: SUBTITLE_TRACK_NUMBER },
          { id: 131, data: SUBTITLE_TRACK_TYPE },
          { id: 134, data: __privateGet(this, _options).subtitles.codec },
          __privateGet(this, _subtitleCodecPrivate)
        ] });
      }
    };
    _createSegment = /* @__PURE__ */ new WeakSet();
    createSegment_fn = function() {
      let segment = {
        id: 408125543,
        size: __privateGet(this, _options).streaming ? -1 : SEGMENT_SIZE_BYTES,
        data: [
          !__privateGet(this, _options).streaming ? __privateGet(this, _seekHead) : null,
          __privateGet(this, _segmentInfo),
          __privateGet(this, _tracksElement)
        ]
      };
      __privateSet(this, _segment, segment);
      __privateGet(this, _writer).writeEBML(segment);
      if (__privateGet(this, _writer) instanceof BaseStreamTargetWriter && __privateGet(this, _writer).target.options.onHeader) {
        let { data, start } = __privateGet(this, _writer).getTrackedWrites();
        __privateGet(this, _writer).target.options.onHeader(data, start);
      }
    };
    _createCues = /* @__PURE__ */ new WeakSet();
    createCues_fn = function() {
      __privateSet(this, _cues, { id: 475249515, data: [] });
    };
    _maybeFlushStreamingTargetWriter = /* @__PURE__ */ new WeakSet();
    maybeFlushStreamingTargetWriter_fn = function() {
      if (__privateGet(this, _writer) instanceof StreamTargetWriter) {
        __privateGet(this, _writer).flush();
      }
    };
    _segmentDataOffset = /* @__PURE__ */ new WeakSet();
    segmentDataOffset_get = function() {
      return __privateGet(this, _writer).dataOffsets.get(__privateGet(this, _segment));
    };
    _writeVideoDecoderConfig = /* @__PURE__ */ new WeakSet();
    writeVideoDecoderConfig_fn = function(meta) {
      if (!meta.decoderConfig)
        return;
      if (meta.decoderConfig.colorSpace) {
        let colorSpace = meta.decoderConfig.colorSpace;
        __privateSet(this, _colorSpace, colorSpace);
        __privateGet(this, _colourElement).data = [
          { id: 21937, data: {
            "rgb": 1,
            "bt709": 1,
            "bt470bg": 5,
            "smpte170m": 6
          }[colorSpace.matrix] },
          { id: 21946, data: {
            "bt709": 1,
            "smpte170m": 6,
            "iec61966-2-1": 13
          }[colorSpace.transfer] },
          { id: 21947, data: {
            "bt709": 1,
            "bt470bg": 5,
            "smpte170m": 6
          }[colorSpace.primaries] },
          { id: 21945, data: [1, 2][Number(colorSpace.fullRange)] }
        ];
        if (!__privateGet(this, _options).streaming) {
          let endPos = __privateGet(this, _writer).pos;
          __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(__privateGet(this, _colourElement)));
          __privateGet(this, _writer).writeEBML(__privateGet(this, _colourElement));
          __privateGet(this, _writer).seek(endPos);
        }
      }
      if (meta.decoderConfig.description) {
        if (__privateGet(this, _options).streaming) {
          __privateSet(this, _videoCodecPrivate, __privateMethod(this, _createCodecPrivateElement, createCodecPrivateElement_fn).call(this, meta.decoderConfig.description));
        } else {
          __privateMethod(this, _writeCodecPrivate, writeCodecPrivate_fn).call(this, __privateGet(this, _videoCodecPrivate), meta.decoderConfig.description);
        }
      }
    };
    _fixVP9ColorSpace = /* @__PURE__ */ new WeakSet();
    fixVP9ColorSpace_fn = function(chunk) {
      if (chunk.type !== "key")
        return;
      if (!__privateGet(this, _colorSpace))
        return;
      let i = 0;
      if (readBits(chunk.data, 0, 2) !== 2)
        return;
      i += 2;
      let profile = (readBits(chunk.data, i + 1, i + 2) << 1) + readBits(chunk.data, i + 0, i + 1);
      i += 2;
      if (profile === 3)
        i++;
      let showExistingFrame = readBits(chunk.data, i + 0, i + 1);
      i++;
      if (showExistingFrame)
        return;
      let frameType = readBits(chunk.data, i + 0, i + 1);
      i++;
      if (frameType !== 0)
        return;
      i += 2;
      let syncCode = readBits(chunk.data, i + 0, i + 24);
      i += 24;
      if (syncCode !== 4817730)
        return;
      if (profile >= 2)
        i++;
      let colorSpaceID = {
        "rgb": 7,
        "bt709": 2,
        "bt470bg": 1,
        "smpte170m": 3
      }[__privateGet(this, _colorSpace).matrix];
      writeBits(chunk.data, i + 0, i + 3, colorSpaceID);
    };
    _writeSubtitleChunks = /* @__PURE__ */ new WeakSet();
    writeSubtitleChunks_fn = function() {
      let lastWrittenMediaTimestamp = Math.min(
        __privateGet(this, _options).video ? __privateGet(this, _lastVideoTimestamp) : Infinity,
        __privateGet(this, _options).audio ? __privateGet(this, _lastAudioTimestamp) : Infinity
      );
      let queue = __privateGet(this, _subtitleChunkQueue);
      while (queue.length > 0 && queue[0].timestamp <= lastWrittenMediaTimestamp) {
        __privateMethod(this, _writeBlock, writeBlock_fn).call(this, queue.shift(), !__privateGet(this, _options).video && !__privateGet(this, _options).audio);
      }
    };
    _createInternalChunk = /* @__PURE__ */ new WeakSet();
    createInternalChunk_fn = function(data, type, timestamp, trackNumber, duration, additions) {
      let adjustedTimestamp = __privateMethod(this, _validateTimestamp, validateTimestamp_fn).call(this, timestamp, trackNumber);
      let internalChunk = {
        data,
        additions,
        type,
        timestamp: adjustedTimestamp,
        duration,
        trackNumber
      };
      return internalChunk;
    };
    _validateTimestamp = /* @__PURE__ */ new WeakSet();
    validateTimestamp_fn = function(timestamp, trackNumber) {
      let lastTimestamp = trackNumber === VIDEO_TRACK_NUMBER ? __privateGet(this, _lastVideoTimestamp) : trackNumber === AUDIO_TRACK_NUMBER ? __privateGet(this, _lastAudioTimestamp) : __privateGet(this, _lastSubtitleTimestamp);
      if (trackNumber !== SUBTITLE_TRACK_NUMBER) {
        let firstTimestamp = trackNumber === VIDEO_TRACK_NUMBER ? __privateGet(this, _firstVideoTimestamp) : __privateGet(this, _firstAudioTimestamp);
        if (__privateGet(this, _options).firstTimestampBehavior === "strict" && lastTimestamp === -1 && timestamp !== 0) {
          throw new Error(
            `The first chunk for your media track must have a timestamp of 0 (received ${timestamp}). Non-zero first timestamps are often caused by directly piping frames or audio data from a MediaStreamTrack into the encoder. Their timestamps are typically relative to the age of the document, which is probably what you want.

If you want to offset all timestamps of a track such that the first one is zero, set firstTimestampBehavior: 'offset' in the options.
If you want to allow non-zero first timestamps, set firstTimestampBehavior: 'permissive'.
`
          );
        } else if (__privateGet(this, _options).firstTimestampBehavior === "offset") {
          timestamp -= firstTimestamp;
        }
      }
      if (timestamp < lastTimestamp) {
        throw new Error(
          `Timestamps must be monotonically increasing (went from ${lastTimestamp} to ${timestamp}).`
        );
      }
      if (timestamp < 0) {
        throw new Error(`Timestamps must be non-negative (received ${timestamp}).`);
      }
      return timestamp;
    };
    _writeBlock = /* @__PURE__ */ new WeakSet();
    writeBlock_fn = function(chunk, canCreateNewCluster) {
      if (__privateGet(this, _options).streaming && !__privateGet(this, _tracksElement)) {
        __privateMethod(this, _createTracks, createTracks_fn).call(this);
        __privateMethod(this, _createSegment, createSegment_fn).call(this);
      }
      let msTimestamp = Math.floor(chunk.timestamp / 1e3);
      let relativeTimestamp = msTimestamp - __privateGet(this, _currentClusterTimestamp);
      let shouldCreateNewClusterFromKeyFrame = canCreateNewCluster && chunk.type === "key" && relativeTimestamp >= 1e3;
      let clusterWouldBeTooLong = relativeTimestamp >= MAX_CHUNK_LENGTH_MS;
      if (!__privateGet(this, _currentCluster) || shouldCreateNewClusterFromKeyFrame || clusterWouldBeTooLong) {
        __privateMethod(this, _createNewCluster, createNewCluster_fn).call(this, msTimestamp);
        relativeTimestamp = 0;
      }
      if (relativeTimestamp < 0) {
        return;
      }
      let prelude = new Uint8Array(4);
      let view = new DataView(prelude.buffer);
      view.setUint8(0, 128 | chunk.trackNumber);
      view.setInt16(1, relativeTimestamp, false);
      if (chunk.duration === void 0 && !chunk.additions) {
        view.setUint8(3, Number(chunk.type === "key") << 7);
        let simpleBlock = { id: 163, data: [
          prelude,
          chunk.data
        ] };
        __privateGet(this, _writer).writeEBML(simpleBlock);
      } else {
        let msDuration = Math.floor(chunk.duration / 1e3);
        let blockGroup = { id: 160, data: [
          { id: 161, data: [
            prelude,
            chunk.data
          ] },
          chunk.duration !== void 0 ? { id: 155, data: msDuration } : null,
          chunk.additions ? { id: 30113, data: chunk.additions } : null
        ] };
        __privateGet(this, _writer).writeEBML(blockGroup);
      }
      __privateSet(this, _duration, Math.max(__privateGet(this, _duration), msTimestamp));
    };
    _createCodecPrivateElement = /* @__PURE__ */ new WeakSet();
    createCodecPrivateElement_fn = function(data) {
      return { id: 25506, size: 4, data: new Uint8Array(data) };
    };
    _writeCodecPrivate = /* @__PURE__ */ new WeakSet();
    writeCodecPrivate_fn = function(element, data) {
      let endPos = __privateGet(this, _writer).pos;
      __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(element));
      let codecPrivateElementSize = 2 + 4 + data.byteLength;
      let voidDataSize = CODEC_PRIVATE_MAX_SIZE - codecPrivateElementSize;
      if (voidDataSize < 0) {
        let newByteLength = data.byteLength + voidDataSize;
        if (data instanceof ArrayBuffer) {
          data = data.slice(0, newByteLength);
        } else {
          data = data.buffer.slice(0, newByteLength);
        }
        voidDataSize = 0;
      }
      element = [
        __privateMethod(this, _createCodecPrivateElement, createCodecPrivateElement_fn).call(this, data),
        { id: 236, size: 4, data: new Uint8Array(voidDataSize) }
      ];
      __privateGet(this, _writer).writeEBML(element);
      __privateGet(this, _writer).seek(endPos);
    };
    _createNewCluster = /* @__PURE__ */ new WeakSet();
    createNewCluster_fn = function(timestamp) {
      if (__privateGet(this, _currentCluster)) {
        __privateMethod(this, _finalizeCurrentCluster, finalizeCurrentCluster_fn).call(this);
      }
      if (__privateGet(this, _writer) instanceof BaseStreamTargetWriter && __privateGet(this, _writer).target.options.onCluster) {
        __privateGet(this, _writer).startTrackingWrites();
      }
      __privateSet(this, _currentCluster, {
        id: 524531317,
        size: __privateGet(this, _options).streaming ? -1 : CLUSTER_SIZE_BYTES,
        data: [
          { id: 231, data: timestamp }
        ]
      });
      __privateGet(this, _writer).writeEBML(__privateGet(this, _currentCluster));
      __privateSet(this, _currentClusterTimestamp, timestamp);
      let clusterOffsetFromSegment = __privateGet(this, _writer).offsets.get(__privateGet(this, _currentCluster)) - __privateGet(this, _segmentDataOffset, segmentDataOffset_get);
      __privateGet(this, _cues).data.push({ id: 187, data: [
        { id: 179, data: timestamp },
        __privateGet(this, _options).video ? { id: 183, data: [
          { id: 247, data: VIDEO_TRACK_NUMBER },
          { id: 241, data: clusterOffsetFromSegment }
        ] } : null,
        __privateGet(this, _options).audio ? { id: 183, data: [
          { id: 247, data: AUDIO_TRACK_NUMBER },
          { id: 241, data: clusterOffsetFromSegment }
        ] } : null
      ] });
    };
    _finalizeCurrentCluster = /* @__PURE__ */ new WeakSet();
    finalizeCurrentCluster_fn = function() {
      if (!__privateGet(this, _options).streaming) {
        let clusterSize = __privateGet(this, _writer).pos - __privateGet(this, _writer).dataOffsets.get(__privateGet(this, _currentCluster));
        let endPos = __privateGet(this, _writer).pos;
        __privateGet(this, _writer).seek(__privateGet(this, _writer).offsets.get(__privateGet(this, _currentCluster)) + 4);
        __privateGet(this, _writer).writeEBMLVarInt(clusterSize, CLUSTER_SIZE_BYTES);
        __privateGet(this, _writer).seek(endPos);
      }
      if (__privateGet(this, _writer) instanceof BaseStreamTargetWriter && __privateGet(this, _writer).target.options.onCluster) {
        let { data, start } = __privateGet(this, _writer).getTrackedWrites();
        __privateGet(this, _writer).target.options.onCluster(data, start, __privateGet(this, _currentClusterTimestamp));
      }
    };
    _ensureNotFinalized = /* @__PURE__ */ new WeakSet();
    ensureNotFinalized_fn = function() {
      if (__privateGet(this, _finalized)) {
        throw new Error("Cannot add new video or audio chunks after the file has been finalized.");
      }
    };
    timestampRegex = /(?:(\d{2}):)?(\d{2}):(\d{2}).(\d{3})/;
    textEncoder = new TextEncoder();
    _options2 = /* @__PURE__ */ new WeakMap();
    _config = /* @__PURE__ */ new WeakMap();
    _preambleSeen = /* @__PURE__ */ new WeakMap();
    _preambleBytes = /* @__PURE__ */ new WeakMap();
    _preambleEmitted = /* @__PURE__ */ new WeakMap();
    _parseTimestamp = /* @__PURE__ */ new WeakSet();
    parseTimestamp_fn = function(string) {
      let match = timestampRegex.exec(string);
      if (!match)
        throw new Error("Expected match.");
      return 60 * 60 * 1e3 * Number(match[1] || "0") + 60 * 1e3 * Number(match[2]) + 1e3 * Number(match[3]) + Number(match[4]);
    };
    _formatTimestamp = /* @__PURE__ */ new WeakSet();
    formatTimestamp_fn = function(timestamp) {
      let hours = Math.floor(timestamp / (60 * 60 * 1e3));
      let minutes = Math.floor(timestamp % (60 * 60 * 1e3) / (60 * 1e3));
      let seconds = Math.floor(timestamp % (60 * 1e3) / 1e3);
      let milliseconds = timestamp % 1e3;
      return hours.toString().padStart(2, "0") + ":" + minutes.toString().padStart(2, "0") + ":" + seconds.toString().padStart(2, "0") + "." + milliseconds.toString().padStart(3, "0");
    };
  }
});

// js/export-media.js
var export_media_exports = {};
__export(export_media_exports, {
  MAX_FRAMES: () => MAX_FRAMES,
  frameMaker: () => frameMaker,
  gifBlob: () => gifBlob,
  pngBlob: () => pngBlob,
  webmBlob: () => webmBlob
});
function frameMaker({ view, layout, colors, scale = 1, numbers = true, caption = "" }) {
  const frame = document.createElement("canvas");
  const renderer = new Renderer(document.createElement("canvas"));
  renderer.setView(view, layout, colors, scale, { numbers });
  const top = caption ? CAPTION : 0;
  frame.width = Math.ceil(layout.width * scale);
  frame.height = Math.ceil((layout.height + top) * scale);
  const context = frame.getContext("2d", { willReadFrequently: true });
  return {
    canvas: frame,
    draw(step, previous = null) {
      renderer.draw({ step, previous });
      context.setTransform(1, 0, 0, 1, 0, 0);
      context.fillStyle = colors.background;
      context.fillRect(0, 0, frame.width, frame.height);
      if (caption) {
        context.fillStyle = colors.text;
        context.font = `${13 * scale}px ui-monospace, monospace`;
        context.textBaseline = "middle";
        context.fillText(caption, 16 * scale, top / 2 * scale);
      }
      context.drawImage(renderer.canvas, 0, top * scale);
      return frame;
    }
  };
}
function pngBlob(maker, step, previous) {
  const canvas = maker.draw(step, previous);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
async function eachFrame(maker, { stepData, from, to, onProgress, signal }, use) {
  const total = to - from + 1;
  let previous = null;
  for (let index = from; index <= to; index++) {
    if (signal?.aborted) throw new DOMException("the export was cancelled", "AbortError");
    const step = await stepData(index);
    use(maker.draw(step, previous), index - from);
    previous = step;
    onProgress?.(index - from + 1, total);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
async function gifBlob(maker, options) {
  const gif = ct();
  const context = maker.canvas.getContext("2d", { willReadFrequently: true });
  const pixels2 = () => context.getImageData(0, 0, maker.canvas.width, maker.canvas.height);
  maker.draw(await options.stepData(options.to));
  const palette2 = H(pixels2().data, 256);
  await eachFrame(maker, options, (canvas, number) => {
    const { data, width, height } = pixels2();
    gif.writeFrame(
      nt(data, palette2),
      width,
      height,
      { palette: number === 0 ? palette2 : void 0, delay: options.delayMs }
    );
  });
  gif.finish();
  return new Blob([gif.bytes()], { type: "image/gif" });
}
async function webmBlob(maker, options) {
  if (!("VideoEncoder" in globalThis)) throw new Error("this browser cannot encode video");
  const width = maker.canvas.width + maker.canvas.width % 2;
  const height = maker.canvas.height + maker.canvas.height % 2;
  const even = document.createElement("canvas");
  Object.assign(even, { width, height });
  const context = even.getContext("2d");
  const delay = options.delayMs * 1e3;
  const muxer = new Muxer({
    target: new ArrayBufferTarget(),
    video: {
      codec: "V_VP8",
      width,
      height,
      frameRate: 1e3 / options.delayMs
    }
  });
  let failure = null;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => muxer.addVideoChunk(chunk, meta),
    error: (error) => {
      failure = error;
    }
  });
  encoder.configure({ codec: "vp8", width, height, bitrate: 4e6 });
  try {
    await eachFrame(maker, options, (canvas, number) => {
      if (failure) throw failure;
      context.drawImage(canvas, 0, 0);
      const frame = new VideoFrame(even, { timestamp: number * delay, duration: delay });
      encoder.encode(frame, { keyFrame: number % 30 === 0 });
      frame.close();
    });
    await encoder.flush();
  } finally {
    if (encoder.state !== "closed") encoder.close();
  }
  if (failure) throw failure;
  muxer.finalize();
  return new Blob([muxer.target.buffer], { type: "video/webm" });
}
var MAX_FRAMES, CAPTION;
var init_export_media = __esm({
  "js/export-media.js"() {
    init_gifenc_esm();
    init_webm_muxer();
    init_design();
    init_render();
    MAX_FRAMES = 400;
    CAPTION = design_default.canvas.caption;
  }
});

// css/convscope.css
var convscope_default = `/* convscope: the palette and sizes live in variables; a theme swaps them. The build
   writes the palette's variables where the two palette markers stand, from
   convscope.figure.design (the CLI's figures draw with the same colours). */
/* Each colour is light-dark(light, dark): the theme follows the reader's system
   unless data-theme="light" or "dark" picks one (color-scheme decides).
   Every text colour reaches WCAG AA (4.5:1) on --bg, --panel and --code-bg, and the
   colours that carry meaning on the canvas (accent = the window, hover, the diverging
   scale, the background) stay apart under protanopia, deuteranopia and tritanopia
   (tests/test_accessibility.py checks both). The diverging ends are light in the light
   theme and dark in the dark one, so a cell's number is dark on every fill of the light
   theme and white on every fill of the dark one, at 4.5:1 or more. */
.app {
  color-scheme: light dark;
  --bg: light-dark(#f7f7f5, #111827);
  --panel: light-dark(#ffffff, #1f2937);
  --text: light-dark(#1f2937, #f3f4f6);
  --muted: light-dark(#4b5563, #9ca3af);
  --border: light-dark(#e5e7eb, #374151);
  --accent: light-dark(#9a3412, #fdba74);
  --hover: light-dark(#164e63, #a5f3fc);
  --error: light-dark(#b91c1c, #fca5a5);
  --error-bg: light-dark(#fef2f2, #3b1d1d);
  --notice-bg: light-dark(#fffbeb, #3a2f12);
  --code-bg: light-dark(#f3f4f6, #111827);
  --canvas-bg: light-dark(#ffffff, #1f2937);
  --grid-line: light-dark(rgba(31, 41, 55, 0.14), rgba(243, 244, 246, 0.12));
  --veil: light-dark(rgba(255, 255, 255, 0.72), rgba(31, 41, 55, 0.75));
  --value-negative: light-dark(#60a5fa, #2563eb);
  --value-zero: light-dark(#f8fafc, #374151);
  --value-positive: light-dark(#f87171, #dc2626);
  --group-0: #0d9488;
  --group-1: #d97706;
  --group-2: #7c3aed;
  --group-3: #db2777;
  --radius: 8px;
  --gap: 12px;
  --mono: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  container: scope / inline-size;
  background: var(--bg);
  color: var(--text);
}
.app[data-theme="light"] { color-scheme: light; }
.app[data-theme="dark"] { color-scheme: dark; }
:host { display: block; }

* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; color-scheme: light dark; background: light-dark(#f7f7f5, #111827); }
.app { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; max-width: 1400px;
       margin: 0 auto; padding: 16px 20px 32px; display: grid; gap: var(--gap);
       grid-template-columns: minmax(0, 1fr); }  /* no panel may widen the page */
@media (max-width: 480px) {
  .app { padding: 12px 10px 24px; }
}
/* for screen readers only: the embed's page heading */
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
code, pre, input, select { font-family: var(--mono); }

.masthead { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 18px; }
.masthead h1 { margin: 0; font-size: 26px; letter-spacing: -0.02em; }
.masthead h1 span { color: var(--accent); }
.tagline { margin: 0; color: var(--muted); flex: 1 1 420px; }
.load { display: flex; align-items: center; gap: 4px 8px; flex-wrap: wrap; color: var(--muted); font-size: 13px; }
/* the stage text changes as Python starts: one line in a box as wide as the longest
   text, so where it sits (beside the bar, or on its own line on a phone) and its height
   never change, and the page below does not jump */
.load .load-stage { flex: 0 1 26em; min-width: 0; white-space: nowrap; overflow: hidden;
                    text-overflow: ellipsis; }
.load .pending { flex-basis: 100%; }  /* its own line: the stage text beside it changes */
.app:not([data-state="loading"]) .load { display: none; }
.load progress { width: 160px; accent-color: var(--accent); }

.notices { margin: 0; padding: 0; list-style: none; display: grid; gap: 4px; }
.notices li { background: var(--notice-bg); border-radius: var(--radius); padding: 6px 12px; font-size: 13px; }

.controls, .code-panel, .shape-panel, .stage { background: var(--panel); border: 1px solid var(--border);
  border-radius: var(--radius); padding: 12px 14px; }
.controls { display: grid; gap: 8px; }
.controls fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 12px; }
.controls legend { float: left; width: 70px; color: var(--muted); font-size: 13px; }
.controls label { display: inline-flex; align-items: center; gap: 4px; font-family: var(--mono); font-size: 13px; }
.controls input, .controls select { font-size: 14px; padding: 3px 6px; border: 1px solid var(--border);
  border-radius: 5px; background: var(--bg); color: var(--text); }
.controls input:focus-visible, .controls select:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.controls [aria-invalid="true"] { border-color: var(--error); background: var(--error-bg); }
.code-word { font-family: var(--mono); color: var(--muted); }
/* a kind's own controls are items of the fieldset's row, like the fixed ones */
.call-arguments, .kind-data { display: contents; }
.layer-summary { flex: 1 1 60%; color: var(--muted); font-size: 13px; }
.groups-walk input { width: 220px; accent-color: var(--accent); }
.groups-walk-label { font-size: 13px; color: var(--muted); }
.field-error { margin: 0; color: var(--error); font-size: 13px; }
.field-error:empty { display: none; }
.field-error[data-field] { display: inline-block; max-width: min(480px, 100%); padding: 3px 8px; border-radius: 5px;
  background: var(--error-bg); font-size: 12px; }

.code-line { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.code-panel pre { margin: 0; padding: 6px 10px; background: var(--code-bg); border-radius: 5px;
  overflow-x: auto; font-size: 14px; }
/* the PyTorch line wraps on a narrow screen rather than scroll */
.code-line pre { flex: 1 1 auto; min-width: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.reproduce { margin-top: 8px; }
.reproduce summary { cursor: pointer; color: var(--accent); }
.reproduce pre { max-height: 260px; font-size: 12px; white-space: pre-wrap; word-break: break-all; }
.reproduce p { margin: 6px 0; color: var(--muted); font-size: 13px; }
button { font: inherit; font-size: 13px; padding: 4px 10px; border: 1px solid var(--border);
  border-radius: 5px; background: var(--bg); color: var(--text); cursor: pointer; }
button:hover { border-color: var(--accent); }
button:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
/* scrolling regions take the keyboard focus (tabindex=0 in the markup) */
pre[tabindex]:focus-visible, .scope:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }

.shape-panel dl { margin: 0; display: flex; flex-wrap: wrap; gap: 8px 22px; align-items: end; }
/* input → output: the arrow is drawn, not said (a <dl> holds only dt/dd groups) */
.shape-panel .to-output { display: grid; grid-template-columns: auto auto; column-gap: 22px; align-items: end; }
.shape-panel .to-output::before { content: "→"; content: "→" / ""; grid-row: 1 / span 2; font-size: 20px; line-height: 1.2;
  color: var(--accent); }
.shape-panel .to-output dt, .shape-panel .to-output dd { grid-column: 2; }
.shape-panel dt { color: var(--muted); font-size: 12px; }
.shape-panel dd { margin: 0; font-family: var(--mono); font-size: 15px; }
.formula { margin: 6px 0 0; font-family: var(--mono); font-size: 13px; color: var(--muted); overflow-wrap: anywhere; }

.stage { display: grid; gap: 10px; grid-template-columns: minmax(0, 1fr) 320px; }
.stage > * { min-width: 0; }
.player { grid-column: 1 / -1; display: flex; flex-wrap: wrap; align-items: center; gap: 6px 8px; }
.player .scrub { flex: 1 1 200px; accent-color: var(--accent); }
.player label { font-size: 12px; color: var(--muted); display: inline-flex; gap: 4px; align-items: center; }
.player label input { width: 80px; }
.step-index { font-family: var(--mono); font-size: 13px; }
.viewport { overflow: auto; max-height: 78vh; border: 1px solid var(--border); border-radius: 6px; background: var(--canvas-bg); }
.viewport { position: relative; }
.scope { display: block; touch-action: manipulation; }  /* pans and pinch-zooms; no double-tap zoom */
.arithmetic kbd { font-family: var(--mono); font-size: 11px; border: 1px solid var(--border); border-radius: 4px;
  padding: 0 4px; }
.step-table { margin-top: 10px; }
.step-table summary { cursor: pointer; color: var(--accent); }
.step-table summary:focus-visible, .table-wrap:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.table-note { color: var(--muted); font-size: 12px; }
.table-wrap { overflow: auto; max-height: 320px; border: 1px solid var(--border); border-radius: 5px; }
.table-wrap table { border-collapse: collapse; font-family: var(--mono); font-size: 11px; }
.table-wrap caption { text-align: left; padding: 4px 6px; font-family: system-ui, sans-serif; color: var(--muted); }
.table-wrap th, .table-wrap td { padding: 2px 6px; border-bottom: 1px solid var(--border); text-align: right;
  white-space: nowrap; max-width: 28ch; overflow: hidden; text-overflow: ellipsis; }
.table-wrap th { position: sticky; top: 0; background: var(--panel); }
.table-wrap tr[aria-current="true"] td { background: var(--code-bg); color: var(--accent); font-weight: 600; }
.cell-editor { position: absolute; font-size: 13px; text-align: center; padding: 0; border: 2px solid var(--accent);
  border-radius: 3px; background: var(--panel); color: var(--text); min-width: 56px; }
.cell-editor[aria-invalid="true"] { border-color: var(--error); }
.arithmetic h2 { margin: 0 0 6px; font-size: 15px; }
.arithmetic pre { margin: 0; padding: 8px; background: var(--code-bg); border-radius: 5px; font-size: 12px;
  white-space: pre-wrap; word-break: break-word; max-height: 52vh; overflow: auto; }
.arithmetic p { margin: 8px 0 0; }
.arithmetic strong { font-family: var(--mono); font-size: 18px; color: var(--accent); }
.hint { color: var(--muted); font-size: 12px; }
.app[data-state="error"] .scope { opacity: 0.55; }
footer { color: var(--muted); font-size: 12px; }

@container scope (max-width: 900px) {
  .stage { grid-template-columns: minmax(0, 1fr); }
}
/* thumb-sized controls in a narrow view (a phone, a narrow embed) or under a finger:
   44 CSS px targets (WCAG 2.5.5) */
@container scope (max-width: 600px) {
  .player button, .code-panel button, .controls button, .engine-down button { min-width: 44px; min-height: 44px; }
  .player { gap: 8px; }
  .player .scrub, .player label input { min-height: 44px; }
  .player label { flex: 1 1 40%; }
  .player label input { flex: 1 1 0; width: 0; min-width: 0; }
  .controls input:not([type=checkbox]):not([type=range]), .controls select, .exports select,
  .exports input:not([type=checkbox]) { min-height: 44px; min-width: 44px; }
  .controls input[type=checkbox], .exports input[type=checkbox] { width: 24px; height: 24px; }
  .groups-walk input { min-height: 44px; width: 100%; }
  .reproduce summary, .step-table summary { padding-block: 12px; }
}
@media (pointer: coarse) {
  .player button, .code-panel button, .controls button { min-width: 44px; min-height: 44px; }
  .player .scrub { min-height: 44px; }
}
.player .play { min-width: 64px; }
dialog.embed { max-width: min(760px, 92vw); border: 1px solid var(--border); border-radius: var(--radius);
  background: var(--panel); color: var(--text); }
dialog.embed pre { background: var(--code-bg); padding: 8px; border-radius: 5px; white-space: pre-wrap;
  word-break: break-all; font-size: 12px; }
dialog.embed h2 { margin-top: 0; font-size: 17px; }
dialog::backdrop { background: rgba(0, 0, 0, 0.4); }
a { color: var(--accent); }
.app.embedded { padding: 8px; max-width: none; }
body.embedded { background: transparent; }
.app.embedded .viewport, :host .viewport { max-height: 560px; }
.app.placeholder { display: block; padding: 16px; border: 1px dashed var(--border); border-radius: var(--radius); }
.placeholder-title { margin: 0 0 6px; font-weight: 600; }
.placeholder-title span { color: var(--accent); }
.placeholder-setup, .placeholder-shape { margin: 4px 0; font-size: 13px; color: var(--muted); }
.placeholder .start { margin-top: 8px; }
:host(:focus-visible) { outline: 2px solid light-dark(#9a3412, #fdba74); outline-offset: 2px; }
.engine-down { display: flex; gap: 12px; align-items: center; background: var(--error-bg); color: var(--error);
  border-radius: var(--radius); padding: 8px 12px; }
.engine-down p { margin: 0; }
.practice { background: var(--panel); border: 1px solid var(--border); border-radius: var(--radius);
  padding: 14px 16px; display: grid; gap: 10px; }
.practice-bar { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; }
.practice-bar h2 { margin: 0; font-size: 17px; }
.practice .score { margin-left: auto; }
.practice .prompt { font-size: 17px; margin: 0; }
.practice .question-number { margin: 0; color: var(--muted); font-size: 13px; }
.practice .choices { margin: 0; display: grid; gap: 4px; }
.practice .answer input { font-size: 15px; padding: 4px 8px; border: 1px solid var(--border); border-radius: 5px;
  background: var(--bg); color: var(--text); }
.practice .answer input[aria-invalid="true"] { border-color: var(--error); }
.practice .answer-hint { color: var(--muted); font-size: 13px; }
.practice .feedback { border-left: 4px solid var(--error); padding: 6px 12px; background: var(--error-bg); border-radius: 5px; }
.practice .feedback[data-correct="true"] { border-color: #16a34a; background: light-dark(#f0fdf4, #14281b); }
.practice .feedback pre { white-space: pre-wrap; font-size: 13px; margin: 6px 0; }
.practice .verdict { margin: 0; font-weight: 600; }
.practice [hidden] { display: none !important; }
.practice .question-area { display: grid; gap: 10px; }
.practice .answer { display: grid; gap: 8px; }
.practice .answer-row { display: flex; flex-wrap: wrap; align-items: center; gap: 6px 10px; }
.practice .options { border: 0; padding: 0; margin: 0; display: grid; gap: 6px; }
.practice .options legend { color: var(--muted); font-size: 13px; padding: 0; margin-bottom: 4px; }
.practice .option { display: flex; align-items: baseline; gap: 8px; padding: 6px 10px; border: 1px solid var(--border);
  border-radius: 6px; cursor: pointer; overflow-wrap: anywhere; }
.practice .option:has(input:checked) { border-color: var(--accent); background: var(--code-bg); }
.practice .option:has(input:focus-visible) { outline: 2px solid var(--accent); outline-offset: 1px; }
.practice kbd { font-family: var(--mono); font-size: 12px; border: 1px solid var(--border); border-radius: 4px;
  padding: 0 5px; color: var(--muted); }
.practice button:focus-visible, .practice a:focus-visible, .practice select:focus-visible,
.practice input:focus-visible, .practice summary:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.practice .hint { margin: 0; color: var(--text); font-size: 14px; padding: 6px 12px; background: var(--notice-bg); border-radius: 5px; }
.practice .mistake { margin: 6px 0 0; font-weight: 600; color: var(--error); }
.practice .quick-check { margin: 4px 0; font-family: var(--mono); font-size: 13px; }
.practice .mistakes ul { margin: 4px 0; padding-left: 20px; font-size: 13px; }
.practice .score-card { display: grid; gap: 10px; }
.practice .score-card h3 { margin: 0; font-size: 19px; }
.practice .score-card h3:focus { outline: none; }
.practice .score-verdict { margin: 0; font-weight: 600; border-left: 4px solid var(--error); padding: 4px 10px; }
.practice .score-verdict[data-strong="true"] { border-color: #16a34a; }
.practice .tallies { display: flex; flex-wrap: wrap; gap: 12px 32px; align-items: start; }
.practice .tallies table { border-collapse: collapse; font-size: 14px; }
.practice .tallies caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
.practice .tallies th { text-align: left; font-weight: normal; padding: 2px 16px 2px 0; }
.practice .tallies td { font-family: var(--mono); }
.practice .review { margin: 0; padding: 0; list-style: none; display: grid; gap: 8px; }
.practice .review > li { border: 1px solid var(--border); border-left: 4px solid var(--error); border-radius: 6px;
  padding: 6px 12px; overflow-wrap: anywhere; }
.practice .review > li[data-correct="true"] { border-left-color: #16a34a; }
.practice .review > li:focus { outline: 2px solid var(--accent); outline-offset: 1px; }
.practice .review p { margin: 4px 0; }
.practice .review-title { font-weight: 600; }
.practice .review pre, .practice .result-text pre { white-space: pre-wrap; font-size: 13px; margin: 6px 0;
  background: var(--code-bg); padding: 6px 8px; border-radius: 5px; }
.exports { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 8px; font-size: 13px; color: var(--muted); }
.export-status { font-size: 12px; }
.picture-input { display: inline-flex; flex-wrap: wrap; align-items: center; gap: 4px 8px; }
/* the file input is the label's, out of sight: the label is the button ("No file chosen"
   would be wrong after a drop or a paste) */
.controls .picture-choose { font-family: inherit; padding: 4px 10px; border: 1px solid var(--border);
  border-radius: 5px; background: var(--bg); cursor: pointer; }
.controls .picture-choose:hover { border-color: var(--accent); }
.controls .picture-choose:focus-within { outline: 2px solid var(--accent); outline-offset: 1px; }
.picture-choose input { position: absolute; width: 1px; height: 1px; opacity: 0; pointer-events: none; }
.picture-thumb { border: 1px solid var(--border); border-radius: 3px; }
.picture-name { font-size: 12px; color: var(--muted); overflow-wrap: anywhere; }
.viewport.dropping { outline: 3px dashed var(--accent); outline-offset: -3px; }

/* prefers-contrast: more: text and accent at 7:1 or more (WCAG AAA) on every panel, firmer borders */
@media (prefers-contrast: more) {
  .app {
    --bg: light-dark(#ffffff, #030712);
    --panel: light-dark(#ffffff, #111827);
    --text: light-dark(#030712, #ffffff);
    --muted: light-dark(#374151, #d1d5db);
    --border: light-dark(#4b5563, #9ca3af);
    --accent: light-dark(#7c2d12, #fed7aa);
    --error: light-dark(#991b1b, #fecaca);
    --error-bg: light-dark(#fef2f2, #2a1010);
    --notice-bg: light-dark(#fffbeb, #2a220b);
    --code-bg: light-dark(#f3f4f6, #030712);
    --canvas-bg: light-dark(#ffffff, #111827);
    --grid-line: light-dark(rgba(3, 7, 18, 0.3), rgba(255, 255, 255, 0.3));
  }
  body { background: light-dark(#ffffff, #030712); }
  :host(:focus-visible) { outline-color: light-dark(#7c2d12, #fed7aa); }
}

/* prefers-reduced-motion: nothing moves by itself (the player does not autoplay either) */
@media (prefers-reduced-motion: reduce) {
  *, ::before, ::after { transition: none !important; animation: none !important; scroll-behavior: auto !important; }
}
`;

// js/engine-client.js
var EngineError = class extends Error {
  constructor({ field, message }) {
    super(message);
    this.field = field;
  }
};
var EngineSession = class {
  constructor(client, id) {
    Object.assign(this, { client, id });
  }
  compute(config) {
    return this.client.call(this.id, "compute", config);
  }
  step(index) {
    return this.client.call(this.id, "step", { index });
  }
  touching(channel, row, col) {
    return this.client.call(this.id, "touching", { channel, row, col });
  }
  practice(seed, level, index, answer, test = false) {
    return this.client.call(this.id, "practice", { seed, level, index, answer, test });
  }
  practiceResult(seed, answers, hinted) {
    return this.client.call(this.id, "practice_result", { seed, answers, hinted });
  }
  async snippet() {
    return (await this.client.call(this.id, "snippet")).text;
  }
  // the user's picture for input "picture": RGBA bytes (an ArrayBuffer, handed over)
  setPicture(rgba, width, height) {
    return this.client.call(this.id, "set_picture", { rgba, width, height }, [rgba]);
  }
  // the step table as "csv" or "json" text
  table(format) {
    return this.client.call(this.id, "table", { format });
  }
  // model mode (convscope.model.page): {action: "examples" | "summary" | "layer_state" | "layer", ...}
  model(request) {
    return this.client.call(this.id, "model", request);
  }
};

// js/kernel-client.js
var viewId = () => Math.random().toString(36).slice(2, 10);
var KernelClient = class extends EventTarget {
  #pending = /* @__PURE__ */ new Map();
  // id -> {resolve, reject}
  #nextId = 1;
  #nextSession = 1;
  #prefix = viewId();
  constructor(model) {
    super();
    this.model = model;
    this.ready = true;
    this.failed = null;
    this.receive = (message, buffers) => this.#receive(message, buffers);
    model.on("msg:custom", this.receive);
  }
  get started() {
    return true;
  }
  start() {
  }
  restart() {
  }
  // the view is gone: stop listening, fail what waits
  close() {
    this.model.off("msg:custom", this.receive);
    for (const { reject } of this.#pending.values()) {
      reject(new EngineError({ field: "", message: "the view was closed" }));
    }
    this.#pending.clear();
  }
  call(session, method, params = {}) {
    const id = `${this.#prefix}:${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.model.send({
        type: "convscope:call",
        id,
        session: `${this.#prefix}:${session}`,
        method,
        params
      });
    });
  }
  #receive(message, buffers = []) {
    if (message?.type !== "convscope:answer" || !this.#pending.has(message.id)) return;
    const { resolve, reject } = this.#pending.get(message.id);
    this.#pending.delete(message.id);
    if (message.error) reject(new EngineError(message.error));
    else resolve(withArrays(message.result, buffers));
  }
  session() {
    return new EngineSession(this, this.#nextSession++);
  }
};
function withArrays(value, buffers) {
  if (Array.isArray(value)) return value.map((item) => withArrays(item, buffers));
  if (value && typeof value === "object") {
    if (typeof value.$float === "string") return Number(value.$float);
    if (Number.isInteger(value.$buffer)) {
      const buffer = buffers[value.$buffer];
      const bytes = ArrayBuffer.isView(buffer) ? buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength) : buffer.slice(0);
      return new Float64Array(bytes);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withArrays(item, buffers)]));
  }
  return value;
}

// js/template.js
var PANELS = ["controls", "code", "shapes", "stage", "arithmetic"];
function viewMarkup({ title = true, landmarks = true } = {}) {
  const [panel, end] = landmarks ? ["section", "section"] : ['div role="group"', "div"];
  return `
  ${title ? `<header class="masthead">
    <h1>conv<span>scope</span></h1>
    <p class="tagline">PyTorch's <code>Conv2d</code>, <code>ConvTranspose2d</code>, <code>MaxPool2d</code> and <code>AvgPool2d</code>, computed step by step — every number from a NumPy engine checked against PyTorch, running in your browser.</p>
  </header>` : ""}
  <div class="load" role="status" aria-live="polite">
    <progress data-testid="load-progress" max="100" value="0"></progress>
    <span class="load-stage">Loading the engine…</span>
    <span class="pending" data-testid="pending" hidden>Your change is kept and computed as soon as Python is ready.</span>
  </div>
  <ul class="notices" data-testid="notices" aria-live="polite"></ul>
  <div class="engine-down" role="alert" hidden>
    <p data-testid="engine-error"></p>
    <button type="button" class="restart">Restart the engine</button>
  </div>

  <form class="controls" data-panel="controls" autocomplete="off" novalidate>
    <fieldset class="call">
      <legend>Layer</legend>
      <label class="layer-kind">layer <select name="layer"></select></label>
      <span class="layer-summary"></span>
      <span class="code-word call-open">nn.Conv2d(</span>
      <span class="call-arguments"></span>
      <span class="code-word">)</span>
      <datalist id="padding-words"><option value="same"><option value="valid"></datalist>
    </fieldset>
    <fieldset class="groups-walk">
      <legend>Groups</legend>
      <input name="groups_walk" type="range" min="0" max="0" value="0" aria-label="groups, from standard to depthwise">
      <span class="groups-walk-label"></span>
    </fieldset>
    <fieldset class="data">
      <legend>Data</legend>
      <span class="kind-data"></span>
      <label>batch <input name="batch" inputmode="numeric" size="2"></label>
      <label>input_size <input name="input_size" size="6" title="height x width, e.g. 28x28"></label>
      <label>input <select name="input"></select></label>
      <span class="picture-input" hidden>
        <label class="picture-choose"><input type="file" accept="image/png,image/jpeg,image/webp" aria-label="choose a picture (PNG, JPEG or WebP)">Choose a picture…</label>
        <canvas class="picture-thumb" hidden aria-hidden="true"></canvas>
        <span class="picture-name" data-testid="picture-name"></span>
      </span>
      <label>weights <select name="weights"></select></label>
      <label>seed <input name="seed" inputmode="numeric" size="4"></label>
      <button type="button" class="reset-edits" hidden>Reset edited cells</button>
    </fieldset>
    <p class="field-error" data-testid="error" role="alert"></p>
  </form>

  <${panel} class="code-panel" data-panel="code" aria-label="PyTorch code">
    <div class="code-line">
      <pre data-testid="torch-code">nn.Conv2d(…)</pre>
      <button type="button" class="copy" data-copy="torch-code">Copy</button>
      <button type="button" class="share">Copy link</button>
      <button type="button" class="embed-open">Embed</button>
    </div>
    <div class="exports" role="group" aria-label="Export">
      <span>Export</span>
      <button type="button" data-export="png">Frame (PNG)</button>
      <button type="button" data-export="csv">Step table (CSV)</button>
      <button type="button" data-export="json">Step table (JSON)</button>
      <button type="button" data-export="gif">Animation (GIF)</button>
      <button type="button" data-export="webm">Video (WebM)</button>
      <label>scale <select name="export-scale"><option selected>1</option><option>2</option><option>3</option></select></label>
      <label>theme <select name="export-theme"><option value="">as shown</option><option>light</option><option>dark</option></select></label>
      <label><input type="checkbox" name="export-numbers" checked> numbers</label>
      <label><input type="checkbox" name="export-caption" checked> caption</label>
      <label>steps <input name="export-from" size="4" inputmode="numeric" aria-label="first step">
        to <input name="export-to" size="4" inputmode="numeric" aria-label="last step"></label>
      <progress class="export-progress" max="1" value="0" hidden></progress>
      <button type="button" class="export-cancel" hidden>Cancel</button>
      <span class="export-status" data-testid="export-status" role="status"></span>
    </div>
    <details class="reproduce">
      <summary>Reproduce in PyTorch</summary>
      <p>A complete script: it builds this layer, sets the exact input, weights and bias shown here, runs it and checks PyTorch's output against convscope's.</p>
      <pre data-testid="reproduce-code" tabindex="0"></pre>
      <button type="button" class="copy" data-copy="reproduce-code">Copy script</button>
    </details>
  </${end}>

  <${panel} class="shape-panel" data-panel="shapes" aria-label="Shapes">
    <dl>
      <div><dt>input</dt><dd data-testid="input-shape">…</dd></div>
      <div class="to-output"><dt>output</dt><dd data-testid="output-shape">…</dd></div>
      <div><dt>weight</dt><dd data-testid="weight-shape">…</dd></div>
      <div><dt>bias</dt><dd data-testid="bias-shape">…</dd></div>
      <div><dt>parameters</dt><dd data-testid="parameter-count">…</dd></div>
      <div><dt>multiply-accumulates</dt><dd data-testid="mac-count">…</dd></div>
    </dl>
    <p class="formula" data-testid="formula-h"></p>
    <p class="formula" data-testid="formula-w"></p>
    <p class="backward-note" data-testid="backward-note" hidden></p>
  </${end}>

  <${panel} class="stage" data-panel="stage" aria-label="Animation">
    <div class="player" role="group" aria-label="Step controls">
      <button type="button" data-action="start" title="First step (Home)" aria-label="First step">|◀</button>
      <button type="button" data-action="back" title="Step back (←)" aria-label="Step back">◀</button>
      <button type="button" data-action="play" title="Play / pause (space)" aria-label="Play" class="play">Play</button>
      <button type="button" data-action="forward" title="Step forward (→)" aria-label="Step forward">▶</button>
      <button type="button" data-action="end" title="Last step (End)" aria-label="Last step">▶|</button>
      <input class="scrub" type="range" min="0" max="0" value="0" aria-label="step">
      <label class="speed">speed <input type="range" min="1" max="60" value="4" aria-label="steps per second"></label>
      <label class="zoom">zoom <input type="range" min="0.5" max="4" step="0.25" value="1" aria-label="zoom"></label>
      <span class="step-index" data-testid="step-index">step –</span>
    </div>
    <div class="viewport">
      <canvas class="scope" tabindex="0" role="img" aria-label="The input, the filter and the output; the window at the current step" aria-describedby="step-spoken"></canvas>
      <input class="cell-editor" hidden aria-label="cell value">
    </div>
    <div class="arithmetic" data-panel="arithmetic">
      <h2>This step</h2>
      <pre data-testid="step-equation" tabindex="0"></pre>
      <p><span class="step-value-label">output</span> = <strong data-testid="step-value">–</strong></p>
      <p class="visually-hidden" id="step-spoken" data-testid="step-spoken" role="status" aria-live="polite" aria-atomic="true"></p>
      <p class="hint">Hover (or tap) an output cell to see its receptive field; hover (or tap) an input cell to see every output it feeds. Double-click, double-tap or long-press an input or weight cell to type a value (Enter applies). Keys: ← → step, space play/pause, Home/End. On the focused picture, <kbd>i</kbd>, <kbd>o</kbd> or <kbd>w</kbd> put a cell cursor on the input, output or weights: arrows move it (PageUp/PageDown: channel), Enter types a value, Esc gives the arrows back to stepping.</p>
      <details class="step-table">
        <summary>Step table</summary>
        <p class="table-note" data-testid="step-table-note"></p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Step table">
          <table data-testid="step-table"></table>
        </div>
      </details>
    </div>
  </${end}>`;
}
function showPanels(root, panels) {
  for (const element of root.querySelectorAll("[data-panel]")) {
    element.hidden = !panels.includes(element.dataset.panel);
  }
}

// js/options.js
function applyOptions(root, { panels = PANELS, theme = "auto" } = {}) {
  showPanels(root, panels);
  if (theme !== "auto") root.dataset.theme = theme;
  root.querySelector("button.embed-open").hidden = true;
}

// js/kinds.js
var kinds_default = { "default": "conv2d", "kinds": [{ "name": "conv2d", "title": "Conv2d", "summary": "a window of every input channel times a filter, summed, + bias: one output cell", "arguments": [{ "name": "in_channels", "form": "int", "default": 1, "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "out_channels", "form": "int", "default": 2, "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "kernel_size", "form": "pair", "default": [3, 3], "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "stride", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "padding", "form": "padding", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "dilation", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "groups", "form": "int", "default": 1, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "bias", "form": "bool", "default": true, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "padding_mode", "form": "choice", "default": "zeros", "choices": ["zeros", "reflect", "replicate", "circular"], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "direction", "form": "choice", "default": "forward", "choices": ["forward", "backward"], "positional": false, "data": true, "quiet": true, "when": [] }, { "name": "gradient", "form": "choice", "default": "input", "choices": ["input", "weight", "bias", "input_stamps"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "upstream", "form": "choice", "default": "ones", "choices": ["ones", "random", "onehot", "mse"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "onehot_channel", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "onehot_cell", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "target", "form": "choice", "default": "zeros", "choices": ["zeros", "ones", "random"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "mse"]] }], "weight_presets": ["random", "ones", "identity", "sobel", "blur"] }, { "name": "conv_transpose2d", "title": "ConvTranspose2d", "summary": "each input cell times the kernel, added into an output window (or: the convolution of a zero-spread input with the flipped kernel)", "arguments": [{ "name": "in_channels", "form": "int", "default": 1, "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "out_channels", "form": "int", "default": 1, "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "kernel_size", "form": "pair", "default": [3, 3], "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "stride", "form": "pair", "default": [2, 2], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "padding", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "output_padding", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "groups", "form": "int", "default": 1, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "bias", "form": "bool", "default": true, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "dilation", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "output_size", "form": "optional_pair", "default": null, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "view", "form": "choice", "default": "scatter", "choices": ["scatter", "gather"], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "direction", "form": "choice", "default": "forward", "choices": ["forward", "backward"], "positional": false, "data": true, "quiet": true, "when": [] }, { "name": "gradient", "form": "choice", "default": "input", "choices": ["input", "weight", "bias"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "upstream", "form": "choice", "default": "ones", "choices": ["ones", "random", "onehot", "mse"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "onehot_channel", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "onehot_cell", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "target", "form": "choice", "default": "zeros", "choices": ["zeros", "ones", "random"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "mse"]] }], "weight_presets": ["random", "ones", "identity", "sobel", "blur"] }, { "name": "max_pool2d", "title": "MaxPool2d", "summary": "the largest value in each window of each channel; no weights", "arguments": [{ "name": "kernel_size", "form": "pair", "default": [2, 2], "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "stride", "form": "optional_pair", "default": null, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "padding", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "dilation", "form": "pair", "default": [1, 1], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "ceil_mode", "form": "bool", "default": false, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "in_channels", "form": "int", "default": 1, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "direction", "form": "choice", "default": "forward", "choices": ["forward", "backward"], "positional": false, "data": true, "quiet": true, "when": [] }, { "name": "gradient", "form": "choice", "default": "input", "choices": ["input"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "upstream", "form": "choice", "default": "ones", "choices": ["ones", "random", "onehot", "mse"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "onehot_channel", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "onehot_cell", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "target", "form": "choice", "default": "zeros", "choices": ["zeros", "ones", "random"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "mse"]] }], "weight_presets": [] }, { "name": "avg_pool2d", "title": "AvgPool2d", "summary": "the mean of each window of each channel: its sum over the divisor; no weights", "arguments": [{ "name": "kernel_size", "form": "pair", "default": [2, 2], "choices": [], "positional": true, "data": false, "quiet": false, "when": [] }, { "name": "stride", "form": "optional_pair", "default": null, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "padding", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "ceil_mode", "form": "bool", "default": false, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "count_include_pad", "form": "bool", "default": true, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "divisor_override", "form": "optional_int", "default": null, "choices": [], "positional": false, "data": false, "quiet": false, "when": [] }, { "name": "in_channels", "form": "int", "default": 1, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "direction", "form": "choice", "default": "forward", "choices": ["forward", "backward"], "positional": false, "data": true, "quiet": true, "when": [] }, { "name": "gradient", "form": "choice", "default": "input", "choices": ["input"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "upstream", "form": "choice", "default": "ones", "choices": ["ones", "random", "onehot", "mse"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"]] }, { "name": "onehot_channel", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "onehot_cell", "form": "pair", "default": [0, 0], "choices": [], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "onehot"]] }, { "name": "target", "form": "choice", "default": "zeros", "choices": ["zeros", "ones", "random"], "positional": false, "data": true, "quiet": true, "when": [["direction", "backward"], ["upstream", "mse"]] }], "weight_presets": [] }], "data": [{ "name": "input_size", "form": "pair", "default": [5, 5], "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "batch", "form": "int", "default": 1, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "input", "form": "choice", "default": "arange", "choices": ["arange", "random", "digit", "edge", "drawn_digit", "test_card", "picture"], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "weights", "form": "choice", "default": "random", "choices": ["random", "ones", "identity", "sobel", "blur"], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "seed", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "input_edits", "form": "edits", "default": [], "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "weight_edits", "form": "edits", "default": [], "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }, { "name": "step", "form": "int", "default": 0, "choices": [], "positional": false, "data": true, "quiet": false, "when": [] }], "picture": { "max_side": 512, "max_file_bytes": 2e7 }, "link_edits": { "max_text": 4e3, "index_digits": 4 } };

// js/state.js
var KINDS = Object.fromEntries(kinds_default.kinds.map((kind) => [kind.name, kind]));
var DEFAULT_LAYER = kinds_default.default;
function fieldsOf(layer = DEFAULT_LAYER) {
  const kind = KINDS[layer] ?? KINDS[DEFAULT_LAYER];
  const fields = { layer: { name: "layer", form: "choice", default: DEFAULT_LAYER, choices: Object.keys(KINDS) } };
  for (const argument of kind.arguments) fields[argument.name] = argument;
  for (const argument of kinds_default.data) {
    if (argument.name === "weights") {
      if (kind.weight_presets.length) fields.weights = { ...argument, choices: kind.weight_presets };
    } else if (!(argument.name === "weight_edits" && !kind.weight_presets.length)) {
      fields[argument.name] = argument;
    }
  }
  return fields;
}
var ALL_KEYS = [...new Set(Object.keys(KINDS).flatMap((layer) => Object.keys(fieldsOf(layer))))];
var MAX_LENGTH = { edits: kinds_default.link_edits.max_text };
var INVALID = void 0;
var MAX_VALUE_LENGTH = 40;
function defaults(layer = DEFAULT_LAYER) {
  const state = Object.fromEntries(Object.entries(fieldsOf(layer)).map(([key, field]) => [key, structuredClone(field.default)]));
  return { ...state, layer: KINDS[layer] ? layer : DEFAULT_LAYER };
}
function parseInt10(text) {
  return /^[+-]?\d{1,9}$/.test(text) ? Number.parseInt(text, 10) : INVALID;
}
function parsePair(text) {
  const parts = text.replace(/[()\s]/g, "").split(/[x×,]/i);
  if (parts.length === 1) {
    const value = parseInt10(parts[0]);
    return value === INVALID ? INVALID : [value, value];
  }
  if (parts.length !== 2) return INVALID;
  const pair = parts.map(parseInt10);
  return pair.includes(INVALID) ? INVALID : pair;
}
var INDEX = `(\\d{1,${kinds_default.link_edits.index_digits}})`;
var EDIT = new RegExp(`^${INDEX}\\.${INDEX}\\.${INDEX}\\.${INDEX}:(-?\\d+(?:\\.\\d+)?(?:e[+-]?\\d+)?)$`, "i");
function parseEdits(text) {
  if (!text) return [];
  const edits = text.split("|").map((part) => {
    const match = EDIT.exec(part);
    return match ? [...match.slice(1, 5).map(Number), Number(match[5])] : INVALID;
  });
  return edits.includes(INVALID) || edits.some((e) => !Number.isFinite(e[4])) ? INVALID : edits;
}
var BOOLEANS = /* @__PURE__ */ new Map([["true", true], ["false", false], ["1", true], ["0", false]]);
var isNone = (text) => text === "" || text.toLowerCase() === "none";
var PARSERS = {
  edits: parseEdits,
  int: parseInt10,
  pair: parsePair,
  padding: (text) => text === "same" || text === "valid" ? text : parsePair(text),
  bool: (text) => BOOLEANS.get(text.toLowerCase()) ?? INVALID,
  optional_pair: (text) => isNone(text) ? null : parsePair(text),
  optional_int: (text) => isNone(text) ? null : parseInt10(text)
};
function parseValue(key, text, layer = DEFAULT_LAYER) {
  const field = fieldsOf(layer)[key];
  if (!field || text.length > (MAX_LENGTH[field.form] ?? MAX_VALUE_LENGTH)) return INVALID;
  if (field.form === "choice") return field.choices.includes(text) ? text : INVALID;
  return PARSERS[field.form](text.trim());
}
function formatValue(value) {
  if (value === null) return "None";
  if (Array.isArray(value) && Array.isArray(value[0])) {
    return value.map((edit) => `${edit.slice(0, -1).join(".")}:${edit.at(-1)}`).join("|");
  }
  if (Array.isArray(value)) return value[0] === value[1] ? String(value[0]) : `${value[0]}x${value[1]}`;
  return String(value);
}
function stateKeys(state) {
  const fields = fieldsOf(state.layer);
  return Object.keys(fields).filter((key) => !(key === "layer" && state.layer === DEFAULT_LAYER) && !(fields[key].form === "edits" && state[key].length === 0) && !(fields[key].quiet && formatValue(state[key]) === formatValue(fields[key].default)));
}
function toHash(state) {
  return "#" + stateKeys(state).map((key) => `${key}=${encodeURIComponent(formatValue(state[key]))}`).join("&");
}
function withLayer(state, layer) {
  const next = defaults(layer);
  for (const key of Object.keys(fieldsOf(layer))) {
    if (key === "layer" || !Object.hasOwn(state, key)) continue;
    const carried = parseValue(key, formatValue(state[key]), layer);
    if (carried !== INVALID) next[key] = carried;
  }
  return { ...next, step: 0 };
}
function withEdit(edits, index, value) {
  const key = index.join(".");
  return [...edits.filter((edit) => edit.slice(0, -1).join(".") !== key), [...index, value]];
}
function frameKey(state) {
  return toHash({ ...state, step: 0 });
}
function engineConfig(state) {
  const { step, ...config } = state;
  return config;
}

// js/controls.js
var HINTS = {
  int: "a whole number",
  pair: "a number or height x width, e.g. 3 or 3x5",
  padding: "a number, height x width, same or valid",
  optional_pair: "None (empty), a number or height x width",
  optional_int: "None (empty) or a whole number"
};
var SIZES = { int: 3, pair: 5, padding: 6, optional_pair: 5, optional_int: 5 };
var TITLES = {
  pair: "3 or 3x5",
  padding: "1, 1x2, same or valid",
  optional_pair: "empty for None, 2 or 2x3",
  optional_int: "empty for None"
};
function fillSelect(select, values) {
  select.replaceChildren(...values.map((value) => new Option(value, value)));
}
function gcd(a, b) {
  return b ? gcd(b, a % b) : Math.abs(a);
}
function argumentControl(argument) {
  const label2 = document.createElement("label");
  label2.append(`${argument.name}${argument.positional || argument.data ? " " : "= "}`);
  let control;
  if (argument.form === "choice") {
    control = document.createElement("select");
    fillSelect(control, argument.choices);
  } else {
    control = document.createElement("input");
    if (argument.form === "bool") {
      control.type = "checkbox";
      label2.className = "check";
    } else {
      control.size = SIZES[argument.form] ?? 5;
      if (argument.form.endsWith("int")) control.inputMode = "numeric";
      if (TITLES[argument.form]) control.title = TITLES[argument.form];
      if (argument.form === "padding") control.setAttribute("list", "padding-words");
      if (argument.form.startsWith("optional")) control.placeholder = "None";
    }
  }
  control.name = argument.name;
  label2.append(control);
  return label2;
}
var Controls = class extends EventTarget {
  constructor(form) {
    super();
    this.form = form;
    fillSelect(form.elements.layer, Object.values(KINDS).map((kind) => kind.name));
    for (const option of form.elements.layer.options) option.textContent = `nn.${KINDS[option.value].title}`;
    this.summary = form.querySelector("[data-testid=error]");
    this.home = this.summary.previousElementSibling;
    this.walk = form.elements.groups_walk;
    this.walkLabel = form.querySelector(".groups-walk-label");
    form.addEventListener("change", (event) => this.#edited(event.target));
    form.querySelector(".reset-edits").addEventListener("click", () => {
      for (const key of ["input_edits", "weight_edits"]) {
        this.dispatchEvent(new CustomEvent("edit", { detail: { key, value: [] } }));
      }
    });
    form.addEventListener("submit", (event) => event.preventDefault());
  }
  // the kind's own controls: its constructor's arguments in the call, its data settings
  // (a pool's in_channels) beside the data; built again only when the kind changes
  #build(layer) {
    if (this.layer === layer) return;
    this.layer = layer;
    const kind = KINDS[layer];
    const constructor = kind.arguments.filter((argument) => !argument.data);
    this.form.querySelector(".call-open").textContent = `nn.${kind.title}(`;
    this.form.querySelector(".call-arguments").replaceChildren(...constructor.map(argumentControl));
    this.form.querySelector(".kind-data").replaceChildren(
      ...kind.arguments.filter((argument) => argument.data).map(argumentControl)
    );
    this.form.querySelector(".layer-summary").textContent = kind.summary;
    const weights = fieldsOf(layer).weights;
    this.form.elements.weights.closest("label").hidden = !weights;
    if (weights) fillSelect(this.form.elements.weights, weights.choices);
    fillSelect(this.form.elements.input, fieldsOf(layer).input.choices);
  }
  show(state) {
    this.#build(state.layer);
    this.fields = fieldsOf(state.layer);
    for (const key of Object.keys(this.fields)) {
      const element = this.form.elements[key];
      if (!element) continue;
      if (element.type === "checkbox") element.checked = state[key];
      else element.value = state[key] === null ? "" : formatValue(state[key]);
    }
    for (const field of Object.values(this.fields)) {
      const element = this.form.elements[field.name];
      if (element && field.when?.length) {
        element.closest("label").hidden = !field.when.every(([key, value]) => state[key] === value);
      }
    }
    this.#showWalk(state);
    this.form.querySelector(".picture-input").hidden = state.input !== "picture";
    this.form.querySelector(".reset-edits").hidden = !(state.input_edits.length || state.weight_edits?.length);
  }
  // the groups slider walks the divisors of gcd(in, out): 1 is standard, in == groups is depthwise
  #showWalk(state) {
    const walk = this.walk.closest("fieldset");
    walk.hidden = !("groups" in this.fields && "out_channels" in this.fields);
    if (walk.hidden) return;
    const common = gcd(state.in_channels, state.out_channels) || 1;
    this.divisors = Array.from({ length: Math.min(common, 64) }, (_, i) => i + 1).filter((d) => common % d === 0);
    this.walk.max = String(this.divisors.length - 1);
    const at2 = this.divisors.indexOf(state.groups);
    this.walk.value = String(Math.max(0, at2));
    const grouping = state.groups === 1 ? "standard" : state.groups === state.in_channels ? "depthwise" : `${state.groups} groups`;
    this.walkLabel.textContent = `groups=${state.groups}: ${grouping}`;
  }
  #edited(element) {
    let key = element.name;
    let value;
    if (key === "groups_walk") {
      key = "groups";
      value = this.divisors[Number(element.value)];
    } else if (element.type === "checkbox") {
      value = element.checked;
    } else {
      value = parseValue(key, element.value, this.layer);
    }
    if (!Object.hasOwn(this.fields, key)) return;
    if (value === void 0) {
      this.showError(key, `${key} must be ${HINTS[this.fields[key].form] ?? "one of the listed values"}`);
      return;
    }
    this.clearError(key);
    this.dispatchEvent(new CustomEvent("edit", { detail: { key, value } }));
  }
  // one message element: it moves next to the control at fault (or stays at the end)
  showError(field, message) {
    this.clearErrors();
    const element = this.form.elements[field];
    const anchor = element?.closest("label");
    if (anchor) {
      element.setAttribute("aria-invalid", "true");
      anchor.after(this.summary);
      this.summary.dataset.field = field;
    }
    this.summary.textContent = message;
  }
  clearError(field) {
    if (this.summary.dataset.field === field) this.clearErrors();
  }
  clearErrors() {
    for (const element of this.form.querySelectorAll("[aria-invalid]")) element.removeAttribute("aria-invalid");
    this.home.after(this.summary);
    delete this.summary.dataset.field;
    this.summary.textContent = "";
  }
};

// js/scope-view.js
init_colors();
init_layout();

// js/panels.js
function byTestId(root, id) {
  return root.querySelector(`[data-testid="${id}"]`);
}
var shapeText = (shape) => shape ? `[${shape.join(", ")}]` : "None";
function showView(root, view) {
  const set = (id, text) => {
    byTestId(root, id).textContent = text;
  };
  set("torch-code", view.torch_line);
  set("input-shape", shapeText(view.input_shape));
  set("output-shape", shapeText(view.output_shape));
  set("weight-shape", shapeText(view.weight_shape));
  set("bias-shape", shapeText(view.bias_shape));
  set("parameter-count", view.parameter_count.toLocaleString("en"));
  set("mac-count", view.mac_count.toLocaleString("en"));
  byTestId(root, "mac-count").previousElementSibling.textContent = view.cost_label ?? "multiply-accumulates";
  set("formula-h", view.formula_h);
  set("formula-w", view.formula_w);
  showBackward(root, view);
}
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
function showStep(root, step, count) {
  byTestId(root, "step-index").textContent = `step ${step.index + 1} / ${count} · ${step.title}`;
  byTestId(root, "step-equation").textContent = step.equation;
  byTestId(root, "step-value").textContent = step.value_text;
  root.querySelector(".step-value-label").textContent = step.value_label ?? "output";
}
function showNotices(root, notices) {
  const list = byTestId(root, "notices");
  list.replaceChildren(...notices.slice(0, 5).map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}
async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select and copy";
  }
  setTimeout(() => {
    button.textContent = button.dataset.label;
  }, 1500);
}
function showTable(root, csv, limit) {
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
  byTestId(root, "step-table-note").textContent = body.length > limit ? `The first ${limit} of ${body.length} steps; Export → Step table (CSV) has every one.` : `All ${body.length} steps.`;
}
function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      row.push(field);
      field = "";
    } else if (char === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (char !== "\r") field += char;
  }
  if (field || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

// js/player.js
var Player = class extends EventTarget {
  constructor(root) {
    super();
    this.root = root;
    this.count = 0;
    this.index = 0;
    this.timer = null;
    this.scrub = root.querySelector(".scrub");
    this.speed = root.querySelector(".speed input");
    this.playButton = root.querySelector('[data-action="play"]');
    root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action) this.act(action);
    });
    this.scrub.addEventListener("input", () => this.go(Number(this.scrub.value)));
    this.speed.addEventListener("input", () => this.playing && this.#schedule());
  }
  get playing() {
    return this.timer !== null;
  }
  setCount(count, index = this.index) {
    this.count = count;
    this.scrub.max = String(Math.max(0, count - 1));
    this.go(index);
  }
  go(index) {
    const clamped = Math.max(0, Math.min(this.count - 1, Math.trunc(index) || 0));
    this.index = clamped;
    this.scrub.value = String(clamped);
    this.dispatchEvent(new CustomEvent("step", { detail: { index: clamped } }));
  }
  act(action) {
    if (action === "play") return this.playing ? this.pause() : this.play();
    this.pause();
    if (action === "start") this.go(0);
    else if (action === "end") this.go(this.count - 1);
    else if (action === "back") this.go(this.index - 1);
    else if (action === "forward") this.go(this.index + 1);
  }
  play() {
    if (this.count < 2) return;
    if (this.index >= this.count - 1) this.go(0);
    this.#schedule();
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-label", "Pause");
  }
  #schedule() {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.index >= this.count - 1) this.pause();
      else this.go(this.index + 1);
    }, 1e3 / Number(this.speed.value));
  }
  pause() {
    const was = this.playing;
    clearInterval(this.timer);
    this.timer = null;
    if (was) this.dispatchEvent(new CustomEvent("pause", { detail: { index: this.index } }));
    this.playButton.textContent = "Play";
    this.playButton.setAttribute("aria-label", "Play");
  }
  // ←/→ step, space play/pause, Home/End; not while the user types in a field
  handleKey(event) {
    if (event.target.closest?.("input, select, textarea, [contenteditable]") && event.target.type !== "range") return;
    const action = { ArrowRight: "forward", ArrowLeft: "back", Home: "start", End: "end", " ": "play" }[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    this.act(action);
  }
};

// js/scope-view.js
init_render();

// no-frames:frames.js
async function loadFrame() {
  return null;
}

// js/picture-input.js
var PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp"];
var { max_side: MAX_SIDE, max_file_bytes: MAX_FILE_BYTES } = kinds_default.picture;
var PictureError = class extends Error {
};
var megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
async function readPicture(file) {
  const name = file.name || "the pasted picture";
  if (!PICTURE_TYPES.includes(file.type)) {
    throw new PictureError(`“${name}” is not a PNG, JPEG or WebP picture`);
  }
  if (file.size > MAX_FILE_BYTES) {
    throw new PictureError(`“${name}” is ${megabytes(file.size)}; pictures up to ${megabytes(MAX_FILE_BYTES)} are read`);
  }
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PictureError(`“${name}” could not be read as a picture (is the file damaged?)`);
  }
  try {
    return { ...pixels(bitmap), name, original: [bitmap.width, bitmap.height] };
  } finally {
    bitmap.close();
  }
}
function pixels(bitmap) {
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  context.imageSmoothingQuality = "high";
  context.drawImage(bitmap, 0, 0, width, height);
  return { rgba: context.getImageData(0, 0, width, height).data, width, height };
}
function fileFrom(transfer) {
  return transfer?.files?.[0] ?? null;
}
function showPicture(canvas, label2, picture) {
  canvas.hidden = !picture;
  if (!picture) {
    label2.textContent = "none yet: choose one, drop one on the stage or paste one (Ctrl+V)";
    return;
  }
  const { width, height, original: [ow, oh] } = picture;
  const scale = 40 / Math.max(width, height);
  canvas.width = Math.max(1, Math.round(width * scale));
  canvas.height = Math.max(1, Math.round(height * scale));
  const full = new OffscreenCanvas(width, height);
  full.getContext("2d").putImageData(new ImageData(picture.rgba, width, height), 0, 0);
  const context = canvas.getContext("2d");
  context.fillStyle = "#fff";
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.drawImage(full, 0, 0, canvas.width, canvas.height);
  const shrunk = ow === width && oh === height ? "" : `, read at ${width}×${height}`;
  label2.textContent = `${picture.name} (${ow}×${oh}${shrunk}); stays in this browser`;
}

// js/scope-view.js
var STEP_CACHE = 512;
var TABLE_ROWS = 200;
var ScopeView = class extends EventTarget {
  #view = null;
  // the last valid view; stays drawn while settings are bad
  #generation = 0;
  // bumps with every compute; late answers for older ones are dropped
  #steps = /* @__PURE__ */ new Map();
  // index -> step data of the current view
  #shown = null;
  // the step on screen
  #hover = {};
  // {step} or {touching} under the pointer
  #live = false;
  // the live engine has drawn: prebuilt frames no longer apply
  #picture = null;
  // the user's own picture (input "picture"): kept here, never in the URL
  #pictureSent = null;
  // the picture this view's engine session holds (none after a restart)
  #cursor = null;
  // the keyboard's cell cursor: {panel, channel, row, col} or null
  // root: an element holding viewMarkup(); session: an EngineSession
  constructor(root, session, {
    state,
    notices = [],
    locked = false,
    autoplay = false,
    keys = root
  } = {}) {
    super();
    Object.assign(this, { root, session, locked, autoplay });
    this.canvas = root.querySelector("canvas.scope");
    this.viewport = root.querySelector(".viewport");
    this.zoom = root.querySelector(".zoom input");
    this.editor = root.querySelector(".cell-editor");
    this.controls = new Controls(root.querySelector("form.controls"));
    this.player = new Player(root.querySelector(".player"));
    this.renderer = new Renderer(this.canvas);
    if (locked) root.querySelector("form.controls").inert = true;
    this.load(state, notices);
    this.#wire(keys);
    this.prebuilt = this.#showPrebuilt().catch(() => {
    });
  }
  get state() {
    return this.current;
  }
  // a whole new state from outside (a link, an attribute); recomputes when ready
  load(state, notices = []) {
    this.current = state;
    showNotices(this.root, notices);
    this.controls.show(state);
    if (this.session.client.ready) this.recompute();
  }
  #change(key, value) {
    this.#changeAll(key === "layer" ? withLayer(this.current, value) : { ...this.current, [key]: value });
  }
  // several settings at once (a chosen one-hot cell sets three): one recompute
  #changeAll(state) {
    this.current = state;
    this.controls.show(this.current);
    this.#announce();
    if (this.session.client.ready) this.recompute();
    else this.root.querySelector('[data-testid="pending"]').hidden = false;
  }
  #announce() {
    this.dispatchEvent(new CustomEvent("change", { detail: { state: this.current } }));
  }
  async recompute() {
    const mine = ++this.#generation;
    this.root.querySelector('[data-testid="pending"]').hidden = true;
    let result;
    try {
      await this.#sendPicture();
      result = await this.session.compute(engineConfig(this.current));
    } catch (error) {
      if (mine !== this.#generation) return;
      if (!(error instanceof EngineError)) throw error;
      this.controls.showError(error.field, error.message);
      this.#setStatus("error");
      return;
    }
    if (mine !== this.#generation) return;
    this.controls.clearErrors();
    this.#live = true;
    this.#applyView(result);
    this.root.dataset.picture = this.current.input === "picture" ? this.#picture.name : "";
    await this.#stepData(this.player.index).catch(() => {
    });
    if (mine !== this.#generation) return;
    this.root.dataset.frame = "live";
    this.#setStatus("ready");
    if (this.autoplay) {
      this.autoplay = false;
      if (!matchMedia("(prefers-reduced-motion: reduce)").matches) this.player.play();
    }
  }
  // the engine session gets the user's picture before the first compute that reads it
  async #sendPicture() {
    const picture = this.#picture;
    if (this.current.input !== "picture" || !picture || this.#pictureSent === picture) return;
    await this.session.setPicture(picture.rgba.slice().buffer, picture.width, picture.height);
    this.#pictureSent = picture;
  }
  // a file chosen, dropped or pasted becomes the input; a file that is no picture is
  // refused at the input control, and the view and settings stay as they were
  async #usePicture(file) {
    if (!file || this.locked) return;
    let picture;
    try {
      picture = await readPicture(file);
    } catch (error) {
      if (!(error instanceof PictureError)) throw error;
      this.controls.showError("input", error.message);
      return;
    }
    this.#picture = picture;
    showPicture(
      this.root.querySelector(".picture-thumb"),
      this.root.querySelector(".picture-name"),
      picture
    );
    this.#change("input", "picture");
  }
  // steps: step data already at hand (a prebuilt frame's), by index
  #applyView(view, steps = []) {
    this.#view = view;
    this.#steps = new Map(steps.map((step, index) => [index, Promise.resolve(step)]));
    this.#shown = null;
    this.#hover = {};
    showView(this.root, view);
    this.relayout();
    this.player.setCount(view.steps, this.current.step);
    this.#clampCursor();
    this.#refreshTable();
  }
  // Before Python is up: draw the frame the build computed for this setup, if any,
  // with its steps (all of them for a small view: it plays before Python is up).
  // The live engine redraws the same numbers when it is ready.
  async #showPrebuilt() {
    if (this.#live || this.current.step !== 0) return;
    const key = frameKey(this.current);
    const frame = await loadFrame(key);
    if (!frame || this.#live || this.#view || frameKey(this.current) !== key) return;
    this.#applyView(frame.view, frame.steps);
    this.root.dataset.frame = "prebuilt";
  }
  #setStatus(status) {
    this.root.dataset.state = status;
    this.dispatchEvent(new CustomEvent("status", { detail: { status } }));
  }
  relayout() {
    if (!this.#view) return;
    const height = Number.parseFloat(getComputedStyle(this.viewport).maxHeight) || 600;
    const layout = fitLayout(this.#view, this.viewport.clientWidth - 4, height, Number(this.zoom.value));
    this.renderer.setView(this.#view, layout, palette(this.root));
    this.canvas.dataset.cell = String(layout.cell);
    this.canvas.dataset.arrangement = layout.arrangement;
    const place = (grid) => [grid.x, grid.y, grid.cell ?? layout.cell];
    this.canvas.dataset.grids = JSON.stringify({
      inputs: layout.inputs.map(place),
      outputs: layout.outputs.map(place)
    });
    if (this.#shown) this.#draw();
  }
  #stepData(index) {
    if (!this.#steps.has(index)) {
      if (this.#steps.size >= STEP_CACHE) this.#steps.delete(this.#steps.keys().next().value);
      this.#steps.set(index, this.session.step(index));
    }
    return this.#steps.get(index);
  }
  async #showIndex(index) {
    const mine = this.#generation;
    let step;
    try {
      step = await this.#stepData(index);
    } catch (error) {
      if (error instanceof EngineError) return;
      throw error;
    }
    if (mine !== this.#generation || this.player.index !== index) return;
    const previous = this.#shown && this.#shown.index === index - 1 ? this.#shown : null;
    this.#shown = step;
    this.#shown.previous = previous;
    if (this.current.step !== index) {
      this.current = { ...this.current, step: index };
      this.#announce();
    }
    this.#draw();
    showStep(this.root, step, this.#view.steps);
    if (!this.player.playing) this.#speak(step.spoken ?? step.title);
    this.#markTableRow(step.index);
  }
  #draw() {
    performance.mark("convscope:draw-start");
    this.renderer.draw({
      step: this.#shown,
      previous: this.#shown.previous,
      hoverStep: this.#hover.step,
      touching: this.#hover.touching,
      cursor: this.#cursor
    });
    this.canvas.dataset.labels = JSON.stringify(this.renderer.labelBoxes.map(
      ({ x, y, width, height, text }) => [
        Math.round(x * 10) / 10,
        Math.round(y * 10) / 10,
        Math.round(width * 10) / 10,
        Math.round(height * 10) / 10,
        text
      ]
    ));
    performance.measure("convscope:draw", "convscope:draw-start");
    if (!performance.getEntriesByName("convscope:first-frame").length) {
      performance.mark("convscope:first-frame");
    }
    this.canvas.dataset.hover = this.#describeHover();
  }
  // what the highlight under the pointer means, for screen readers and tests
  #describeHover() {
    const hover = this.#hover;
    if (hover.step) return `receptive field of ${hover.step.title}`;
    if (hover.touching) {
      const { channels, rows, cols } = hover.touching;
      const cells = channels.length * rows.length * cols.length;
      return `input[${hover.source.join(", ")}] feeds ${cells} output cells`;
    }
    return "";
  }
  #hit(event, channels) {
    const rect = this.canvas.getBoundingClientRect();
    return hitTest(
      this.renderer.layout,
      event.clientX - rect.left,
      event.clientY - rect.top,
      channels
    );
  }
  #pointAt(event) {
    if (this.#view && this.#shown) return this.#hoverAt(this.#hit(event));
  }
  // what the pointer (or the keyboard's cell cursor) is on: highlight what it means
  async #hoverAt(hit) {
    const view = this.#view;
    if (!view || !this.#shown) return;
    const key = hit ? `${hit.panel}:${hit.channel}:${hit.row}:${hit.col}` : "";
    if (key === this.#hover.key) return;
    this.#hover = { key };
    const mine = this.#generation;
    const stillHere = () => this.#hover.key === key && mine === this.#generation;
    if (hit?.panel === "output" && view.output_steps !== false) {
      const s = this.renderer.layout.shapes;
      const n = this.#shown.position[0];
      const index = ((n * s.outChannels + hit.channel) * s.outH + hit.row) * s.outW + hit.col;
      const step = await this.#stepData(index).catch(() => null);
      if (stillHere()) this.#hover.step = step;
    } else if (hit?.panel === "input") {
      const row = view.row_sources[hit.row];
      const col = view.col_sources[hit.col];
      if (row >= 0 && col >= 0) {
        const touching = await this.session.touching(hit.channel, row, col).catch(() => null);
        if (stillHere()) Object.assign(this.#hover, { touching, source: [hit.channel, row, col] });
      }
    }
    if (this.#hover.key === key) this.#draw();
  }
  // Double-click an input or weight cell to type a value; it becomes an edit in the
  // state (and the link), applied by the engine over the preset.
  #editCell(event) {
    if (this.#view && this.#shown) return this.#editAt(this.#hit(event, this.#shown.reads.channels));
    return false;
  }
  #editAt(hit) {
    const view = this.#view;
    if (!view || !this.#shown || this.locked) return;
    if (!hit || hit.panel === "output" || hit.panel === "filter" && !this.#shown.filter?.sources) return;
    if (hit.panel === "input" && view.onehot_pick) {
      this.#changeAll({
        ...this.current,
        upstream: "onehot",
        onehot_channel: hit.channel,
        onehot_cell: [hit.row, hit.col]
      });
      return true;
    }
    let key, index, offset;
    if (hit.panel === "input") {
      const [, channels, height, width] = view.input.shape;
      if (!realCells(view)(hit.row, hit.col)) return;
      const [row, col] = [view.row_sources[hit.row], view.col_sources[hit.col]];
      const n = this.#shown.position[0];
      key = "input_edits";
      index = [n, hit.channel, row, col];
      offset = ((n * channels + hit.channel) * height + row) * width + col;
    } else {
      const [, second, kernelH, kernelW] = view.weight.shape;
      key = "weight_edits";
      index = this.#weightCell(hit.channel, hit.row, hit.col);
      const [a, b, row, col] = index;
      offset = ((a * second + b) * kernelH + row) * kernelW + col;
    }
    const data = key === "input_edits" ? view.input.data : view.weight.data;
    const { cell } = hit.grid;
    const editor = this.editor;
    Object.assign(editor.style, {
      left: `${this.canvas.offsetLeft + hit.grid.x + hit.col * cell}px`,
      top: `${this.canvas.offsetTop + hit.grid.y + hit.row * cell}px`,
      width: `${Math.max(cell, 56)}px`,
      height: `${Math.max(cell, 24)}px`
    });
    editor.value = String(data[offset]);
    editor.dataset.target = JSON.stringify({ key, index });
    editor.removeAttribute("aria-invalid");
    editor.hidden = false;
    editor.focus();
    editor.select();
    return true;
  }
  #commitEdit() {
    const editor = this.editor;
    if (editor.hidden) return;
    const text = editor.value.trim();
    const value = Number(text);
    if (text === "" || !Number.isFinite(value)) {
      editor.setAttribute("aria-invalid", "true");
      return;
    }
    const { key, index } = JSON.parse(editor.dataset.target);
    editor.hidden = true;
    this.#change(key, withEdit(this.current[key], index, value));
  }
  #wire(keys) {
    const { root, session, canvas, editor, player, controls } = this;
    const client = session.client;
    client.addEventListener("progress", ({ detail }) => {
      root.querySelector('[data-testid="load-progress"]').value = detail.percent;
      root.querySelector(".load-stage").textContent = `${detail.stage}…`;
    });
    client.addEventListener("ready", () => {
      root.querySelector('[data-testid="load-progress"]').value = 100;
      this.recompute();
    });
    const down = root.querySelector(".engine-down");
    client.addEventListener("fatal", ({ detail }) => {
      this.#setStatus("error");
      down.querySelector("p").textContent = `The Python engine stopped: ${detail.message}. Restart it to go on; your settings are kept.`;
      down.hidden = false;
    });
    client.addEventListener("start", () => {
      this.#pictureSent = null;
      down.hidden = true;
      if (this.#view) this.#setStatus("loading");
    });
    down.querySelector("button.restart").addEventListener("click", () => client.restart());
    controls.addEventListener("edit", ({ detail: { key, value } }) => this.#change(key, value));
    player.addEventListener("step", ({ detail: { index } }) => {
      if (this.#view) this.#showIndex(index);
    });
    keys.addEventListener("keydown", (event) => player.handleKey(event));
    this.zoom.addEventListener("input", () => this.relayout());
    new ResizeObserver(() => this.relayout()).observe(this.viewport);
    matchMedia("(prefers-color-scheme: dark)").addEventListener("change", () => this.relayout());
    canvas.addEventListener("mousemove", (event) => this.#pointAt(event));
    canvas.addEventListener("mouseleave", () => {
      this.#hover = {};
      if (this.#shown) this.#draw();
    });
    canvas.addEventListener("dblclick", (event) => this.#editCell(event));
    this.#wireAccess();
    editor.addEventListener("keydown", (event) => {
      if (event.key === "Enter") this.#commitEdit();
      if (event.key === "Escape") editor.hidden = true;
      event.stopPropagation();
    });
    editor.addEventListener("blur", () => {
      editor.hidden = true;
    });
    for (const button of root.querySelectorAll("button.copy, button.share")) {
      button.dataset.label = button.textContent;
    }
    root.addEventListener("click", (event) => {
      const button = event.target.closest("button.copy, button.share");
      if (!button) return;
      const share = button.classList.contains("share");
      const text = share ? this.link() : root.querySelector(`[data-testid="${button.dataset.copy}"]`).textContent;
      copyText(text, button);
      if (share && this.current.input === "picture") {
        showNotices(root, ["The link keeps input=picture but cannot carry the picture itself: whoever opens it is asked to choose, drop or paste their own."]);
      }
    });
    this.#wirePicture(keys);
    root.querySelector(".exports").addEventListener("click", (event) => {
      const format = event.target.closest("button[data-export]")?.dataset.export;
      if (format) this.#export(format);
    });
    root.querySelector("details.reproduce").addEventListener("toggle", async (event) => {
      if (!event.target.open || !this.#view) return;
      const code = root.querySelector('[data-testid="reproduce-code"]');
      code.textContent = "Writing the script…";
      try {
        code.textContent = await session.snippet();
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        code.textContent = error.message;
      }
    });
  }
  // the picture's three ways in: the file input, a drop on the stage, a paste on the page
  #wirePicture(keys) {
    const { root, viewport } = this;
    showPicture(root.querySelector(".picture-thumb"), root.querySelector(".picture-name"), null);
    const chooser = root.querySelector(".picture-input input[type=file]");
    chooser.addEventListener("change", () => {
      this.#usePicture(chooser.files[0]);
      chooser.value = "";
    });
    const carriesFiles = (event) => event.dataTransfer?.types.includes("Files") && !this.locked;
    viewport.addEventListener("dragover", (event) => {
      if (!carriesFiles(event)) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      viewport.classList.add("dropping");
    });
    viewport.addEventListener("dragleave", () => viewport.classList.remove("dropping"));
    viewport.addEventListener("drop", (event) => {
      viewport.classList.remove("dropping");
      if (!carriesFiles(event)) return;
      event.preventDefault();
      this.#usePicture(fileFrom(event.dataTransfer));
    });
    keys.addEventListener("paste", (event) => {
      const file = fileFrom(event.clipboardData);
      if (!file) return;
      event.preventDefault();
      this.#usePicture(file);
    });
  }
  // --- screen readers, keyboards and touch ---------------------------------------------
  // The polite live region says the step in the engine's words (its `spoken`). While
  // playing it stays quiet (a step every 250 ms would queue up faster than speech);
  // pausing says the step it stopped on. The canvas is described by the same text.
  #speak(text) {
    const region = this.root.querySelector('[data-testid="step-spoken"]');
    if (region && text && region.textContent !== text) region.textContent = text;
  }
  #wireAccess() {
    const { canvas, editor, player, root } = this;
    player.addEventListener("pause", () => {
      if (this.#shown) this.#speak(this.#shown.spoken ?? this.#shown.title);
    });
    canvas.addEventListener("keydown", (event) => this.#cursorKey(event));
    canvas.addEventListener("blur", () => {
      if (this.#cursor && editor.hidden) this.#leaveCursor();
    });
    editor.addEventListener("keydown", (event) => {
      if (event.key !== "Enter" && event.key !== "Escape") return;
      setTimeout(() => {
        if (editor.hidden && this.#cursor) canvas.focus();
      });
    });
    this.#wireTouch();
    root.querySelector("details.step-table").addEventListener("toggle", () => this.#refreshTable());
  }
  // i / o / w: a cursor on the input, output or weight cells; arrows move it, PageUp/Down
  // change channel, Enter types a value into it, Escape gives the arrows back to the player
  #cursorKey(event) {
    if (!this.#view || !this.#shown || event.ctrlKey || event.metaKey || event.altKey) return;
    const panels = { i: "input", o: "output", w: "filter" };
    const cursor = this.#cursor;
    let handled = true;
    if (panels[event.key] && (event.key !== "w" || this.#view.weight)) {
      this.#cursor = this.#startCursor(panels[event.key]);
    } else if (!cursor) {
      handled = false;
    } else if (event.key === "Escape") {
      this.#leaveCursor();
      event.preventDefault();
      event.stopPropagation();
      return;
    } else if (event.key === "Enter") {
      this.#editAt(this.#cursorHit());
    } else {
      const move = {
        ArrowLeft: [0, 0, -1],
        ArrowRight: [0, 0, 1],
        ArrowUp: [0, -1, 0],
        ArrowDown: [0, 1, 0],
        PageUp: [-1, 0, 0],
        PageDown: [1, 0, 0]
      }[event.key];
      if (move) this.#cursor = {
        ...cursor,
        channel: cursor.channel + move[0],
        row: cursor.row + move[1],
        col: cursor.col + move[2]
      };
      else handled = false;
    }
    if (!handled) return;
    event.preventDefault();
    event.stopPropagation();
    if (event.key === "Enter") return;
    this.#clampCursor();
    this.canvas.dataset.cursor = this.#cursorName();
    this.#hoverAt(this.#cursorHit()).then(() => this.#speakCursor());
  }
  // where a cursor starts: on the current step's window, output cell or filter
  #startCursor(panel) {
    const { reads, writes } = this.#shown;
    if (panel === "input") return { panel, channel: reads.channels[0], row: reads.rows[0], col: reads.cols[0] };
    if (panel === "filter") return { panel, channel: 0, row: 0, col: 0 };
    return { panel, channel: writes.channels[0] ?? 0, row: writes.rows[0] ?? 0, col: writes.cols[0] ?? 0 };
  }
  #leaveCursor() {
    this.#cursor = null;
    delete this.canvas.dataset.cursor;
    this.#hover = {};
    if (this.#shown) this.#draw();
  }
  // the cursor's grid: its channels, rows and columns as drawn
  #cursorGrid(cursor) {
    const layout = this.renderer.layout;
    if (cursor.panel === "filter") {
      const channels = this.#shown.reads.channels;
      const slot = Math.max(0, Math.min(channels.length - 1, cursor.channel));
      return { count: channels.length, grid: filterGrid(layout, channels[slot], slot) };
    }
    const grids = cursor.panel === "input" ? layout.inputs : layout.outputs;
    const grid = grids[Math.max(0, Math.min(grids.length - 1, cursor.channel))];
    return { count: grids.length, grid: { ...grid, cell: layout.cell } };
  }
  #clampCursor() {
    const cursor = this.#cursor;
    if (!cursor || !this.#shown || !this.renderer.layout) return;
    const clamp = (value, count2) => Math.max(0, Math.min(count2 - 1, value));
    const { count } = this.#cursorGrid(cursor);
    cursor.channel = clamp(cursor.channel, count);
    const { grid } = this.#cursorGrid(cursor);
    cursor.row = clamp(cursor.row, grid.rows);
    cursor.col = clamp(cursor.col, grid.cols);
  }
  // the cursor as a hit test's answer, so hover and editing treat it as the pointer
  #cursorHit() {
    const cursor = this.#cursor;
    return cursor && { ...cursor, grid: this.#cursorGrid(cursor).grid };
  }
  // the weight cell a filter cell shows: its slice's source, flipped for a gather view
  #weightCell(slice, row, col) {
    const { sources, flipped, values } = this.#shown.filter;
    const [, kernelH, kernelW] = values.shape;
    const [a, b] = sources[slice];
    return flipped ? [a, b, kernelH - 1 - row, kernelW - 1 - col] : [a, b, row, col];
  }
  #cursorName() {
    const { panel, channel, row, col } = this.#cursor;
    if (panel === "filter") {
      return this.#shown.filter.sources ? `weight[${this.#weightCell(channel, row, col).join(", ")}]` : `${this.#shown.filter.labels[channel]}[${row}, ${col}]`;
    }
    const drawn = panel === "input" ? "drawn input" : "output";
    return `${drawn}[${channel}] row ${row}, column ${col}`;
  }
  // what the cursor is on: an output's step in the engine's words, else the hover's meaning
  #speakCursor() {
    if (!this.#cursor) return;
    const hover = this.#hover;
    const meaning = hover.step ? hover.step.spoken ?? hover.step.title : this.canvas.dataset.hover;
    this.#speak(`${this.#cursorName()}${meaning ? `: ${meaning}` : ""}`);
  }
  // Touch: a tap is a hover (the receptive field, the outputs a cell feeds); a long press
  // (500 ms) or a double tap types a value into the cell. A finger that moves pans.
  #wireTouch() {
    const canvas = this.canvas;
    let press = null;
    let lastTap = null;
    let swallow = false;
    const near = (a, b, distance) => Math.hypot(a.clientX - b.clientX, a.clientY - b.clientY) < distance;
    canvas.addEventListener("pointerdown", (event) => {
      if (event.pointerType !== "touch") return;
      clearTimeout(press?.timer);
      press = { clientX: event.clientX, clientY: event.clientY, fired: false };
      const mine = press;
      mine.timer = setTimeout(() => {
        mine.fired = true;
        this.#editCell(mine);
      }, 500);
    });
    canvas.addEventListener("pointermove", (event) => {
      if (event.pointerType === "touch" && press && !near(press, event, 10)) {
        clearTimeout(press.timer);
        press = null;
      }
    });
    canvas.addEventListener("pointercancel", () => {
      clearTimeout(press?.timer);
      press = null;
    });
    canvas.addEventListener("pointerup", (event) => {
      if (event.pointerType !== "touch" || !press) return;
      clearTimeout(press.timer);
      const tap = { clientX: event.clientX, clientY: event.clientY, time: event.timeStamp };
      if (press.fired) {
        swallow = true;
      } else if (lastTap && tap.time - lastTap.time < 350 && near(lastTap, tap, 24)) {
        swallow = Boolean(this.#editCell(tap));
        lastTap = null;
      } else {
        this.#pointAt(tap);
        lastTap = tap;
      }
      press = null;
    });
    canvas.addEventListener("touchend", (event) => {
      if (swallow) event.preventDefault();
      swallow = false;
    });
    canvas.addEventListener("contextmenu", (event) => {
      if (press || swallow) event.preventDefault();
    });
  }
  // The step table as an HTML table (the engine's CSV, the export's numbers), when open:
  // at most TABLE_ROWS rows, the current step's row marked
  async #refreshTable() {
    const details = this.root.querySelector("details.step-table");
    if (!details?.open || !this.#view) return;
    const mine = this.#generation;
    const note = this.root.querySelector('[data-testid="step-table-note"]');
    note.textContent = "Computing the step table…";
    let text;
    try {
      ({ text } = await this.session.table("csv"));
    } catch (error) {
      if (mine === this.#generation) note.textContent = error.message;
      return;
    }
    if (mine !== this.#generation) return;
    showTable(this.root, text, TABLE_ROWS);
    this.#markTableRow(this.player.index);
  }
  #markTableRow(index) {
    const table = this.root.querySelector('[data-testid="step-table"]');
    if (!table?.tBodies.length) return;
    table.querySelector('tr[aria-current="true"]')?.removeAttribute("aria-current");
    table.tBodies[0].rows[index]?.setAttribute("aria-current", "true");
  }
  // export options from the Export row: scale, theme, numbers, caption
  #exportMaker(makeFrame) {
    const field = (name) => this.root.querySelector(`[name=export-${name}]`);
    const theme = field("theme").value;
    let colors = this.renderer.colors;
    if (theme) {
      const probe = document.createElement("div");
      Object.assign(probe, { className: "app", hidden: true });
      probe.dataset.theme = theme;
      this.root.append(probe);
      colors = palette(probe);
      probe.remove();
    }
    return makeFrame({
      view: this.#view,
      layout: this.renderer.layout,
      colors,
      scale: Number(field("scale").value),
      numbers: field("numbers").checked,
      caption: field("caption").checked ? this.#view.torch_line : ""
    });
  }
  // a frame as PNG, the run as GIF, or the engine's step table as CSV/JSON, downloaded
  async #export(format) {
    const status = this.root.querySelector(".export-status");
    if (!this.#view || !this.#shown) return;
    const [n, o, y, x] = this.#shown.position;
    let blob, name;
    if (format === "png" || format === "gif" || format === "webm") {
      const media = await Promise.resolve().then(() => (init_export_media(), export_media_exports));
      const maker = this.#exportMaker(media.frameMaker);
      if (format === "png") {
        blob = await media.pngBlob(maker, this.#shown, this.#shown.previous);
        name = `convscope-output-${n}-${o}-${y}-${x}.png`;
      } else {
        [blob, name] = await this.#exportRun(media, maker, format, status);
        if (!blob) return;
      }
    } else {
      status.textContent = "Computing the step table…";
      try {
        const { text } = await this.session.table(format);
        blob = new Blob([text], { type: format === "csv" ? "text/csv" : "application/json" });
      } catch (error) {
        status.textContent = error.message;
        return;
      }
      name = `convscope-steps.${format}`;
    }
    const link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 1e4);
    status.textContent = `Saved ${name}`;
  }
  // steps from..to as GIF or WebM (1-based in the fields; default: the whole run, up to
  // MAX_FRAMES) at the player's speed, with a progress bar and a cancel button
  async #exportRun(media, maker, format, status) {
    const steps = this.#view.steps;
    const typed = (name, fallback) => {
      const value = Number.parseInt(this.root.querySelector(`[name=export-${name}]`).value, 10);
      return Number.isFinite(value) ? Math.max(1, Math.min(steps, value)) - 1 : fallback;
    };
    const from = typed("from", 0);
    const to = Math.min(typed("to", steps - 1), from + media.MAX_FRAMES - 1);
    if (to < from) {
      status.textContent = "The last step comes before the first";
      return [null, null];
    }
    const progress = this.root.querySelector(".export-progress");
    const cancel = this.root.querySelector(".export-cancel");
    const controller = new AbortController();
    const stop = () => controller.abort();
    cancel.addEventListener("click", stop, { once: true });
    progress.hidden = cancel.hidden = false;
    try {
      const encode = format === "gif" ? media.gifBlob : media.webmBlob;
      const blob = await encode(maker, {
        stepData: (index) => this.#stepData(index),
        from,
        to,
        signal: controller.signal,
        delayMs: Math.round(1e3 / Number(this.player.speed.value)),
        onProgress: (done, total) => {
          progress.value = done / total;
          status.textContent = `Encoding frame ${done} of ${total}…`;
        }
      });
      return [blob, `convscope-steps-${from + 1}-${to + 1}.${format}`];
    } catch (error) {
      status.textContent = error.name === "AbortError" ? "Export cancelled" : error.message;
      return [null, null];
    } finally {
      cancel.removeEventListener("click", stop);
      progress.hidden = cancel.hidden = true;
    }
  }
  // a link to the main page showing this view
  link() {
    return new URL(`../index.html${toHash(this.current)}`, import.meta.url).href;
  }
};

// js/notebook-widget.js
function themeOf(option) {
  const light = document.body.dataset.jpThemeLight;
  if (option !== "auto" || light === void 0) return option;
  return light === "true" ? "light" : "dark";
}
function render({ model, el }) {
  const shadow = el.shadowRoot ?? el.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = convscope_default;
  const root = document.createElement("div");
  root.className = "app embedded notebook";
  root.dataset.state = "loading";
  root.innerHTML = viewMarkup({ title: false, landmarks: false });
  shadow.replaceChildren(style, root);
  const options = model.get("_options");
  const client = new KernelClient(model);
  const view = new ScopeView(root, client.session(), {
    state: { ...model.get("_state"), step: model.get("step") },
    locked: options.locked,
    autoplay: options.autoplay,
    keys: root
  });
  applyOptions(root, { ...options, theme: themeOf(options.theme) });
  root.querySelector("button.share").hidden = true;
  root.tabIndex = -1;
  root.addEventListener("keydown", (event) => {
    if (event.defaultPrevented) event.stopPropagation();
  });
  view.addEventListener("change", ({ detail: { state } }) => {
    if (state.step === model.get("step")) return;
    model.set("step", state.step);
    model.save_changes();
  });
  const onStep = () => {
    const step = model.get("step");
    view.current = { ...view.current, step };
    if (!view.player.count || step === view.player.index) return;
    view.player.pause();
    view.player.go(step);
  };
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
var notebook_widget_default = { render };
export {
  notebook_widget_default as default
};
