// The user's own picture as the input: a file chosen, dropped or pasted is decoded here
// into RGBA pixels, which the view sends to the engine (session.setPicture). Python
// scales them to the input size (exact area averaging, convscope/page/pictures.py): this file
// only decodes. The picture never leaves the browser, and never enters the URL.
import MANIFEST from "./kinds.js";

// what the file input accepts, and what createImageBitmap decodes in every browser
export const PICTURE_TYPES = ["image/png", "image/jpeg", "image/webp"];
const { max_side: MAX_SIDE, max_file_bytes: MAX_FILE_BYTES } = MANIFEST.picture;

// the user's mistakes, said in the words of the page (shown at the input control)
export class PictureError extends Error {}

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

// File -> {rgba: Uint8ClampedArray, width, height, name, original: [w, h]}
export async function readPicture(file) {
  const name = file.name || "the pasted picture";
  if (!PICTURE_TYPES.includes(file.type)) {
    throw new PictureError(`“${name}” is not a PNG, JPEG or WebP picture`);
  }
  if (file.size > MAX_FILE_BYTES) {
    throw new PictureError(`“${name}” is ${megabytes(file.size)}; pictures up to ` +
                           `${megabytes(MAX_FILE_BYTES)} are read`);
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

// The bitmap's RGBA bytes, at most MAX_SIDE on its longest side. Only a larger picture
// is redrawn smaller here (the browser's smoothing), so that a phone photo does not
// cross to the worker at full size; Python does the real area averaging to the input
// size. Canvas pixels are stored premultiplied, so half-transparent colours may move
// by a level; opaque pixels come back exactly as decoded.
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

// the first file a drop or a paste carries, if any
export function fileFrom(transfer) {
  return transfer?.files?.[0] ?? null;
}

// a thumbnail of the picture in `canvas` (over white, as the engine lays it), and its name
export function showPicture(canvas, label, picture) {
  canvas.hidden = !picture;
  if (!picture) {
    label.textContent = "none yet: choose one, drop one on the stage or paste one (Ctrl+V)";
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
  label.textContent = `${picture.name} (${ow}×${oh}${shrunk}); stays in this browser`;
}
