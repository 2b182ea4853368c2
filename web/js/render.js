// Draws one frame: a function of (view, layout, colours, step, hover). What does
// not change from step to step (the padded input, the empty output grids) is
// cached per batch sample; output cells are painted incrementally as steps advance.
import { cellText, scaleOf, valueColor } from "./colors.js";
import DESIGN from "./design.js";
import { filterGrid } from "./layout.js";

// px: smaller cells show colour only; the alpha of cells that are not real input
const { numbers_from: NUMBERS_FROM, padding_alpha: PADDING_ALPHA } = DESIGN.canvas;

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

// A label above a grid, fitted into `room` px (a smaller font, then an ellipsis); returns
// the box it drew, {x, y, width, height, text}, so tests can check that none overlap.
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
  const at = baseline === "bottom" ? y - 4 : y;
  ctx.fillText(shown, x, at);
  const metrics = ctx.measureText(shown);
  const top = at - metrics.actualBoundingBoxAscent;
  return { x: x - metrics.actualBoundingBoxLeft, y: top,
           width: metrics.actualBoundingBoxLeft + metrics.actualBoundingBoxRight,
           height: metrics.actualBoundingBoxAscent + metrics.actualBoundingBoxDescent, text: shown };
}

function strokeCell(ctx, grid, cell, row, col, color, width) {
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.strokeRect(grid.x + col * cell + width / 2, grid.y + row * cell + width / 2,
                 cell - width, cell - width);
}

// which drawn input cells hold real input values (the rest is padding, or a transposed
// convolution's inserted zeros and border): the view's real rows/columns, or its sides
export function realCells(view) {
  if (view.real_rows) {
    const rows = new Set(view.real_rows);
    const cols = new Set(view.real_cols);
    return (r, c) => rows.has(r) && cols.has(c);
  }
  const [top, , left] = view.sides;
  const [, , height, width] = view.input.shape;
  return (r, c) => r >= top && r < top + height && c >= left && c < left + width;
}

export class Renderer {
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
    // a filter of weights has their scale; one of input values (a pool's window), the input's
    this.scales = { input, weight: view.weight ? scaleOf(view.weight.data) : input,
                    output: scaleOf(view.output.data) };
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
          writeNumber(ctx, grid, cell, r, col, value, inPadding ? { dark: false } : color, colors,
                      inPadding);
        }
      }
      gridLines(ctx, grid, cell, colors);
      // the original input inside its padding ring
      ctx.strokeStyle = colors.text;
      ctx.lineWidth = 1.5;
      ctx.strokeRect(grid.x + left * cell, grid.y + top * cell, (s.paddedW - left - right) * cell,
                     (s.paddedH - top - bottom) * cell);
      const input = view.input_name ?? "input";  // the backward pass draws grad_output here
      const name = s.batch > 1 ? `${input}[${n}, ${c}]` : `${input}[${c}]`;
      const how = view.input_label ? `, ${view.input_label}` : top || left ? " + padding" : "";
      labels.push(label(ctx, `${name}  ${height}×${width}${how}`, grid.x, grid.y, colors, c === 0,
                        grid.room));
    }
    for (let o = 0; o < s.outChannels; o++) {
      const grid = layout.outputs[o];
      gridLines(ctx, grid, cell, colors);
      ctx.strokeStyle = colors.muted;
      ctx.strokeRect(grid.x, grid.y, grid.cols * cell, grid.rows * cell);
      const output = view.output_names?.[o] ??
        `${view.output_name ?? "output"}[${s.batch > 1 ? `${n}, ` : ""}${o}]`;
      labels.push(label(ctx, `${output}  ${s.outH}×${s.outW}`,
                        grid.x, grid.y, colors, o === 0, grid.room));
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
      const { canvas, ctx } = makeLayer(layout, this.dpr);
      for (let o = 0; o < s.outChannels; o++) {
        for (let y = 0; y < s.outH; y++) {
          for (let x = 0; x < s.outW; x++) {
            const value = state.data[(o * s.outH + y) * s.outW + x];
            const color = valueColor(colors, value, this.scales.output);
            fillCell(ctx, layout.outputs[o], layout.cell, y, x, color.fill);
            writeNumber(ctx, layout.outputs[o], layout.cell, y, x, value, color, colors);
          }
        }
      }
      this.painted = null;
      return canvas;
    }
    const perSample = s.outChannels * s.outH * s.outW;
    const first = n * perSample;
    // outputs that are not one step each (view.output_steps false) show their final values
    const last = view.output_steps === false ? first + perSample - 1 : Math.min(index, first + perSample - 1);
    if (!this.painted || this.painted.n !== n || this.painted.upTo > last) {
      const { canvas, ctx } = makeLayer(layout, this.dpr);
      this.painted = { n, upTo: first - 1, canvas, ctx };
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
    // every label box drawn in this frame (the grids' from the cached base, the filter's)
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
    const grid = cursor.panel === "filter"
      ? filterGrid(layout, step.reads.channels[cursor.channel] ?? 0, cursor.channel)
      : (cursor.panel === "input" ? layout.inputs : layout.outputs)[cursor.channel];
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
      this.labelBoxes.push(label(ctx, `${filter.note.label}${value}`, last.x,
                                 last.y + last.rows * cell + 6, colors, false, last.room, "top"));
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
      ctx.strokeRect(grid.x + c0 * cell - 2, grid.y + r0 * cell - 2, (c1 - c0 + 1) * cell + 4,
                     (r1 - r0 + 1) * cell + 4);
      ctx.setLineDash([]);
    }
  }

  // the previous window as a ghost, and an arrow for the move the stride made
  #stride(previous, step) {
    const { ctx, layout, colors } = this;
    const cell = layout.cell;
    const grid = layout.inputs[step.reads.channels[0]];
    // a step that reads nothing (a backward step for a cell no window read) has no window
    if (!grid || !previous.reads.channels.length) return;
    const corner = (st) => [grid.x + (st.reads.cols[0] + 0.5) * cell,
                            grid.y + (st.reads.rows[0] + 0.5) * cell];
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
    if (!writes.rows.length || !writes.cols.length) return;  // a stamp cropped away whole
    if (!reads.channels.length) return;  // nothing read: a backward step's unread cell
    const grid = layout.inputs[reads.channels[0]];
    const out = layout.outputs[writes.channels[0]];
    const [y, x] = [(writes.rows[0] + writes.rows.at(-1)) / 2, writes.cols[0]];
    ctx.strokeStyle = colors.accent;
    ctx.globalAlpha = 0.5;
    ctx.setLineDash([2, 4]);
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(grid.x + (reads.cols.at(-1) + 1) * cell + 2,
               grid.y + (reads.rows[0] + reads.rows.at(-1) + 1) * cell / 2);
    ctx.lineTo(out.x + x * cell, out.y + (y + 0.5) * cell);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.globalAlpha = 1;
  }
}
