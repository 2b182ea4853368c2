// A diverging colour scale: negative values blue, zero near-white, positive red,
// so the sign of every input, weight and output reads at a glance and the same
// colour always means the same value within a panel (scaled by its largest |value|).

// colour variables may be light-dark(...): let the browser resolve them on a probe
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
    done: () => probe.remove(),
  };
}

export function palette(element) {
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
    groups: [0, 1, 2, 3].map((i) => read.text(`--group-${i}`)),
  };
  read.done();
  return colors;
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
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
  if (Number.isInteger(value) && Math.abs(value) < 1e5) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e5 || (magnitude < 1e-3 && magnitude > 0)) return value.toExponential(0);
  const digits = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return Number(text) === 0 ? "0" : text.replace(/^(-?)0\./, "$1.");
}
