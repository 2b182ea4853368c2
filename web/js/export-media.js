// Pictures of the run for slides and notes: a frame (PNG) or the run (animated GIF,
// encoded by gifenc, shipped with the site), drawn by the page's own renderer on a
// canvas of their own, with a scale, a theme, numbers on or off and a caption line.
import { GIFEncoder, applyPalette, quantize } from "../vendor/gifenc.esm.js";
import { ArrayBufferTarget, Muxer } from "../vendor/webm-muxer.mjs";
import DESIGN from "./design.js";
import { Renderer } from "./render.js";

export const MAX_FRAMES = 400;
const CAPTION = DESIGN.canvas.caption;  // CSS px for the caption line

// A canvas that draws any step of a view the same way, with export options.
export function frameMaker({ view, layout, colors, scale = 1, numbers = true, caption = "" }) {
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
        context.fillText(caption, 16 * scale, (top / 2) * scale);
      }
      context.drawImage(renderer.canvas, 0, top * scale);
      return frame;
    },
  };
}

export function pngBlob(maker, step, previous) {
  const canvas = maker.draw(step, previous);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

// Draw steps from..to in order (the stride arrow needs the previous step), hand each
// frame to `use`, report progress, and let the page breathe (progress bar, cancel).
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

// steps from..to as a GIF; stepData(i) -> promise of step i; onProgress(done, total)
export async function gifBlob(maker, options) {
  const gif = GIFEncoder();
  const context = maker.canvas.getContext("2d", { willReadFrequently: true });
  const pixels = () => context.getImageData(0, 0, maker.canvas.width, maker.canvas.height);
  // one palette for the whole run, from its last frame (every output cell coloured):
  // quantizing once instead of per frame halves the time
  maker.draw(await options.stepData(options.to));
  const palette = quantize(pixels().data, 256);
  await eachFrame(maker, options, (canvas, number) => {
    const { data, width, height } = pixels();
    gif.writeFrame(applyPalette(data, palette), width, height,
                   { palette: number === 0 ? palette : undefined, delay: options.delayMs });
  });
  gif.finish();
  return new Blob([gif.bytes()], { type: "image/gif" });
}

// steps from..to as WebM (VP8): the browser's own encoder (WebCodecs), frames stamped
// at the player's speed, so encoding runs as fast as it can, not in real time
export async function webmBlob(maker, options) {
  if (!("VideoEncoder" in globalThis)) throw new Error("this browser cannot encode video");
  // VP8 wants even sizes: encode a canvas one pixel larger where needed
  const width = maker.canvas.width + (maker.canvas.width % 2);
  const height = maker.canvas.height + (maker.canvas.height % 2);
  const even = document.createElement("canvas");
  Object.assign(even, { width, height });
  const context = even.getContext("2d");
  const delay = options.delayMs * 1000;  // microseconds
  const muxer = new Muxer({ target: new ArrayBufferTarget(),
                            video: { codec: "V_VP8", width, height,
                                     frameRate: 1000 / options.delayMs } });
  let failure = null;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => muxer.addVideoChunk(chunk, meta),
    error: (error) => { failure = error; },
  });
  encoder.configure({ codec: "vp8", width, height, bitrate: 4_000_000 });
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
