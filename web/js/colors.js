// A diverging colour scale: negative values blue, zero near-white, positive red,
// so the sign of every input, weight and output reads at a glance and the same
// colour always means the same value within a panel (scaled by its largest |value|).

function parseColor(text) {
  const hex = text.trim().replace("#", "");
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
}

export function palette(element) {
  const style = getComputedStyle(element);
  const read = (name) => style.getPropertyValue(name).trim();
  return {
    negative: parseColor(read("--value-negative")),
    zero: parseColor(read("--value-zero")),
    positive: parseColor(read("--value-positive")),
    accent: read("--accent"),
    hover: read("--hover"),
    grid: read("--grid-line"),
    text: read("--text"),
    muted: read("--muted"),
    background: read("--canvas-bg"),
    veil: read("--veil"),
    groups: [read("--group-0"), read("--group-1"), read("--group-2"), read("--group-3")],
  };
}

export function scaleOf(values) {
  let max = 0;
  for (const v of values) if (Math.abs(v) > max && Number.isFinite(v)) max = Math.abs(v);
  return max || 1;
}

export function valueColor(colors, value, scale) {
  const t = Math.max(-1, Math.min(1, value / scale));
  const end = t < 0 ? colors.negative : colors.positive;
  const a = Math.abs(t);
  const [r, g, b] = colors.zero.map((z, i) => Math.round(z + (end[i] - z) * a));
  return { fill: `rgb(${r},${g},${b})`, dark: 0.299 * r + 0.587 * g + 0.114 * b < 140 };
}

// compact text for a cell; the exact values are in the step panel
export function cellText(value) {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e5) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || (magnitude < 1e-3 && magnitude > 0)) return value.toExponential(0);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return Number(text) === 0 ? "0" : text.replace(/^(-?)0\./, "$1.");
}
