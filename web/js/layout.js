// Where every grid goes on the canvas, as a pure function of the view's shapes
// and a cell size: input channels (padded) on the left, the current filter in
// the middle beside the channels it reads, output channels on the right.

export const MARGIN = 16;
const LABEL = 18;
const MIN_CELL = 3;
const MAX_CELL = 44;

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
const FILTER_MIN_WIDTH = 96;

// The cell size, times zoom, that fits the columns into `width` CSS pixels and,
// when numbers stay readable, the tallest column into `height`.
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

function columnGap(cell) {
  return Math.max(36, cell * 2);
}

// filters are small: draw them larger than the input when there is room beside a channel
function filterCellSize(s, cell) {
  const room = Math.floor((s.paddedH * cell) / s.kernelH);
  return Math.max(cell, Math.min(28, room, Math.floor(160 / s.kernelW)));
}

export function computeLayout(view, cell) {
  const s = shapesOf(view);
  const gap = Math.max(12, Math.round(cell * 0.6)) + LABEL;
  const inputX = MARGIN;
  const filterCell = filterCellSize(s, cell);
  const filterX = inputX + s.paddedW * cell + columnGap(cell);
  const outputX = filterX + Math.max(s.kernelW * filterCell, FILTER_MIN_WIDTH) + columnGap(cell);
  const top = MARGIN + LABEL;
  const inputs = Array.from({ length: s.channels }, (_, c) => ({
    x: inputX, y: top + c * (s.paddedH * cell + gap), rows: s.paddedH, cols: s.paddedW,
  }));
  const outputs = Array.from({ length: s.outChannels }, (_, o) => ({
    x: outputX, y: top + o * (s.outH * cell + gap), rows: s.outH, cols: s.outW,
  }));
  const bottom = (grids) => grids.at(-1).y + grids.at(-1).rows * cell;
  const filterBottom = inputs.at(-1).y + s.kernelH * filterCell + 3 * LABEL;
  return {
    cell, filterCell, shapes: s, inputs, outputs, filterX, label: LABEL,
    width: outputX + s.outW * cell + MARGIN,
    height: Math.max(bottom(inputs), bottom(outputs), filterBottom) + MARGIN + LABEL,
  };
}

// the filter slice for input channel `channel` sits level with that channel
export function filterGrid(layout, channel) {
  const s = layout.shapes;
  return { x: layout.filterX, y: layout.inputs[channel].y, rows: s.kernelH, cols: s.kernelW,
           cell: layout.filterCell };
}

// canvas point -> {kind: "input"|"filter"|"output", channel, row, col, grid} or null;
// `channels` are the input channels whose filter slices are on screen (slice i of them)
export function hitTest(layout, x, y, channels = []) {
  const find = (grids, kind) => {
    for (let channel = 0; channel < grids.length; channel++) {
      const grid = grids[channel];
      const cell = grid.cell ?? layout.cell;
      const col = Math.floor((x - grid.x) / cell);
      const row = Math.floor((y - grid.y) / cell);
      if (row >= 0 && row < grid.rows && col >= 0 && col < grid.cols) {
        return { kind, channel, row, col, grid: { ...grid, cell } };
      }
    }
    return null;
  };
  return find(layout.inputs, "input") ?? find(layout.outputs, "output") ??
    find(channels.map((channel) => filterGrid(layout, channel)), "filter");
}
