// Where every grid goes on the canvas, as a pure function of the view's shapes, a cell
// size and an arrangement:
//  - "row" (side by side): input channels (padded) on the left, the current filter in
//    the middle beside the channels it reads, output channels on the right;
//  - "stack" (narrow screens): the input channels, then the filter slices, then the
//    output channels, top to bottom; the grids of one part sit side by side when the
//    width holds them.
// fitLayout picks "stack" when side by side would make cells smaller than MIN_TOUCH
// CSS px in a narrow view (a phone, a narrow embed) and stacking gives larger ones.
// Every grid carries `room`: how wide its label may be drawn without reaching the next.

import DESIGN from "./design.js";  // written by the build from convscope.figure.design

// the sizes the CLI's figures share (convscope.figure.design)
export const { margin: MARGIN, label: LABEL, min_cell: MIN_CELL, max_cell: MAX_CELL,
               filter_min_width: FILTER_MIN_WIDTH } = DESIGN.canvas;
export const MIN_TOUCH = 24;    // px: a cell a finger can hit (WCAG 2.5.8)
export const STACK_BELOW = 720; // px: wider views stay side by side (zoom helps there)
const FLOW_GAP = 24;            // px between grids side by side in the stacked view
const NOTE = 22;                // px under the filter for its note (bias, max, sum ÷ n)

// the drawn input (padded), the filter a step shows (one slice per channel it reads)
// and the output; `groups` splits the channels into the groups a step may read
export function shapesOf(view) {
  const [batch, channels, paddedH, paddedW] = view.padded.shape;
  const [groupChannels, kernelH, kernelW] = view.filter_shape;
  const [, outChannels, outH, outW] = view.output.shape;
  return { batch, channels, paddedH, paddedW, outChannels, groupChannels, kernelH, kernelW,
           outH, outW, groups: view.groups };
}

const READABLE = 22;     // px: the smallest cell that still shows its number

// The cell size, times zoom, that fits the columns into `width` CSS pixels and,
// when numbers stay readable, the tallest column into `height` (side by side).
export function fitCell(view, width, height, zoom = 1) {
  const s = shapesOf(view);
  const fixed = 2 * MARGIN + 2 * columnGap(12) + FILTER_MIN_WIDTH;
  const byWidth = Math.floor((width - fixed) / (s.paddedW + s.outW));
  const rows = Math.max(s.channels * s.paddedH, s.outChannels * s.outH);
  const labels = Math.max(s.channels, s.outChannels) * (LABEL + 12) + 2 * MARGIN;
  const byHeight = Math.floor((height - labels) / rows);
  let cell = Math.max(MIN_CELL, Math.min(MAX_CELL, byWidth, Math.max(byHeight, READABLE)));
  // gaps and the filter column grow with the cell: shrink until the whole layout fits
  while (cell > MIN_CELL && computeLayout(view, cell).width > width) cell -= 1;
  return cell * zoom;
}

// The stacked view's cell: the largest whose layout fits `height` (not below MIN_TOUCH:
// the viewport scrolls then) and whose widest grid fits `width`.
export function fitStackedCell(view, width, height) {
  const s = shapesOf(view);
  const byWidth = Math.floor((width - 2 * MARGIN) / Math.max(s.paddedW, s.outW, s.kernelW));
  let cell = Math.max(MIN_CELL, Math.min(MAX_CELL, byWidth));
  while (cell > MIN_TOUCH && computeLayout(view, cell, "stack", width).height > height) cell -= 1;
  return cell;
}

// {cell, arrangement} for a view `width` × `height` CSS px; zoom scales the cell
export function fitArrangement(view, width, height, zoom = 1) {
  const row = fitCell(view, width, height);
  if (row < MIN_TOUCH && width < STACK_BELOW) {
    const stacked = fitStackedCell(view, width, height);
    const rowFits = computeLayout(view, row).width <= width;
    if (stacked > row || (!rowFits && stacked >= row)) return { cell: stacked * zoom, arrangement: "stack" };
  }
  return { cell: row * zoom, arrangement: "row" };
}

export function fitLayout(view, width, height, zoom = 1) {
  const { cell, arrangement } = fitArrangement(view, width, height, zoom);
  return computeLayout(view, cell, arrangement, width);
}

function columnGap(cell) {
  return Math.max(36, cell * 2);
}

// filters are small: draw them larger than the input when there is room beside a channel
function filterCellSize(s, cell) {
  const room = Math.floor((s.paddedH * cell) / s.kernelH);
  return Math.max(cell, Math.min(28, room, Math.floor(160 / s.kernelW)));
}

// `count` grids of w × h in rows from (x, y), as many to a row as `width` holds;
// each grid's label room reaches to the next grid of its row, or the right edge
function flow(count, w, h, x, y, width, vgap) {
  const perRow = Math.max(1, Math.floor((width - x - MARGIN + FLOW_GAP) / (w + FLOW_GAP)));
  const grids = Array.from({ length: count }, (_, i) => {
    const column = i % perRow;
    const last = column === perRow - 1 || i === count - 1;
    return { x: x + column * (w + FLOW_GAP), y: y + Math.floor(i / perRow) * (h + vgap),
             room: last ? width - x - column * (w + FLOW_GAP) - 4 : w + FLOW_GAP - 8 };
  });
  return { grids, bottom: grids.at(-1).y + h };
}

export function computeLayout(view, cell, arrangement = "row", width = Infinity) {
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
    x: inputX, y: top + c * (s.paddedH * cell + gap), rows: s.paddedH, cols: s.paddedW,
    room: filterX - inputX - 8,
  }));
  const outputs = Array.from({ length: s.outChannels }, (_, o) => ({
    x: outputX, y: top + o * (s.outH * cell + gap), rows: s.outH, cols: s.outW,
    room: total - outputX - 4,
  }));
  const bottom = (grids) => grids.at(-1).y + grids.at(-1).rows * cell;
  const filterBottom = inputs.at(-1).y + s.kernelH * filterCell + 3 * LABEL;
  return {
    arrangement, cell, filterCell, shapes: s, inputs, outputs, filterX, label: LABEL,
    filterRoom: outputX - filterX - 8,
    width: total,
    height: Math.max(bottom(inputs), bottom(outputs), filterBottom) + MARGIN + LABEL,
  };
}

function stackedLayout(view, cell, width) {
  const s = shapesOf(view);
  const gap = Math.max(12, Math.round(cell * 0.6)) + LABEL;
  const fit = Number.isFinite(width) ? width : 2 * MARGIN + Math.max(s.paddedW, s.outW) * cell;
  const wide = Math.max(fit, 2 * MARGIN + Math.max(s.paddedW, s.outW) * cell);
  const filterCell = Math.max(cell, Math.min(28, Math.floor(160 / s.kernelW),
                                             Math.floor((wide - 2 * MARGIN) / s.kernelW)));
  const place = (count, rows, cols, size, y) => {
    const placed = flow(count, cols * size, rows * size, MARGIN, y, wide, gap);
    placed.grids = placed.grids.map((grid) => ({ ...grid, rows, cols }));
    return placed;
  };
  const inputs = place(s.channels, s.paddedH, s.paddedW, cell, MARGIN + LABEL);
  const filters = place(s.groupChannels, s.kernelH, s.kernelW, filterCell, inputs.bottom + gap);
  const outputs = place(s.outChannels, s.outH, s.outW, cell, filters.bottom + NOTE + gap);
  return {
    arrangement: "stack", cell, filterCell, shapes: s, label: LABEL,
    inputs: inputs.grids, outputs: outputs.grids, filters: filters.grids,
    width: wide,
    height: outputs.bottom + MARGIN + LABEL,
  };
}

// the filter slice for input channel `channel`, the `slot`-th slice the step shows: side
// by side it sits level with that channel; stacked, in the filter row's slot
export function filterGrid(layout, channel, slot = 0) {
  const s = layout.shapes;
  if (layout.arrangement === "stack") {
    const grid = layout.filters[Math.min(slot, layout.filters.length - 1)];
    return { ...grid, rows: s.kernelH, cols: s.kernelW, cell: layout.filterCell };
  }
  return { x: layout.filterX, y: layout.inputs[channel].y, rows: s.kernelH, cols: s.kernelW,
           cell: layout.filterCell, room: layout.filterRoom };
}

// canvas point -> {panel: "input"|"filter"|"output", channel, row, col, grid} or null;
// `channels` are the input channels whose filter slices are on screen (slice i of them)
export function hitTest(layout, x, y, channels = []) {
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
  return find(layout.inputs, "input") ?? find(layout.outputs, "output") ??
    find(channels.map((channel, slot) => filterGrid(layout, channel, slot)), "filter");
}
