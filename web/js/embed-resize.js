// For pages that embed convscope in iframes: include this script once and every
// convscope iframe takes the height its content reports ({type: "convscope:height"}).
// Messages from other frames or origins, or of other types, are ignored.
(() => {
  window.addEventListener("message", (event) => {
    const data = event.data;
    if (!data || data.type !== "convscope:height" || !Number.isFinite(data.height)) return;
    for (const frame of document.querySelectorAll("iframe")) {
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, location.href).origin !== event.origin) return;
      frame.style.height = `${Math.max(120, Math.min(data.height, 20000))}px`;
    }
  });
})();
