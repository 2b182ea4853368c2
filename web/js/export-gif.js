// An animated GIF of the whole run (or a step range), drawn by the page's own
// renderer on a canvas of its own and encoded by gifenc (shipped with the site).
import { GIFEncoder, applyPalette, quantize } from "../vendor/gifenc.esm.js";
import { Renderer } from "./render.js";

export const MAX_FRAMES = 400;

// frames: the step range; stepData(i) -> promise of step i; onProgress(done, total)
export async function encodeGif({ view, layout, colors, stepData, from, to, delayMs,
                                   onProgress, signal }) {
  const canvas = document.createElement("canvas");
  const renderer = new Renderer(canvas);
  renderer.setView(view, layout, colors, 1);
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const gif = GIFEncoder();
  const total = to - from + 1;
  let previous = null;
  for (let index = from; index <= to; index++) {
    if (signal?.aborted) throw new DOMException("the export was cancelled", "AbortError");
    const step = await stepData(index);
    renderer.draw({ step, previous });
    previous = step;
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const palette = quantize(data, 256);
    gif.writeFrame(applyPalette(data, palette), width, height, { palette, delay: delayMs });
    onProgress?.(index - from + 1, total);
    // let the page breathe (progress bar, cancel button) between frames
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  gif.finish();
  return new Blob([gif.bytes()], { type: "image/gif" });
}
