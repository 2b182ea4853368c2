// Model mode's link: #mode=model&example=lenet5 for a shipped model as shipped, or
// #mode=model&input=1,3,32,32&code=<the code, deflate-raw compressed by the browser's
// own CompressionStream, base64url>. The code never leaves the page except in this hash.

export const isModel = (hash) => new URLSearchParams(hash.replace(/^#/, "")).get("mode") === "model";

async function streamed(bytes, transform) {
  const stream = new Blob([bytes]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

function toBase64Url(bytes) {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

export async function packCode(code) {
  return toBase64Url(await streamed(new TextEncoder().encode(code), new CompressionStream("deflate-raw")));
}

// the link's code, or null (with the reason) when it cannot be read
export async function unpackCode(packed) {
  const bytes = await streamed(fromBase64Url(packed), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}

// {example, input, code, notices}: what a model link asks for (code may still be packed)
export async function parseModelHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const link = { example: params.get("example"), input: params.get("input"), code: null, notices: [] };
  const packed = params.get("code");
  if (packed) {
    try {
      link.code = await unpackCode(packed);
    } catch {
      link.notices.push("the link's model code could not be read (cut short?): showing an example");
    }
  }
  return link;
}

export async function modelHash({ example, input, code, extras = "" }) {
  const parts = ["mode=model"];
  if (example) parts.push(`example=${encodeURIComponent(example)}`);
  parts.push(`input=${input}`);
  if (!example) parts.push(`code=${await packCode(code)}`);
  return `#${parts.join("&")}${extras}`;
}
