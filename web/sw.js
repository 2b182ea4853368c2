// convscope's service worker: after one visit the site works offline, from a cache
// named after this build, so an update never mixes versions.
//
// build.py writes the build's id and file list below. A new build gets a new id,
// installs beside the old one, and takes over only when no page of the old one is
// open (no skipWaiting); then the old cache is deleted.
const BUILD = { id: "dev", files: [] };  // filled in by build.py
const CACHE = `convscope-${BUILD.id}`;

self.addEventListener("install", (event) => {
  // revalidating what the first visit already downloaded: mostly 304s from the HTTP cache
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(BUILD.files)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("convscope-") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

// Online, the browser fetches as if there were no service worker: its HTTP cache and,
// above all, its WebAssembly code cache (which responses from a worker do not get)
// make revisits fastest. Offline, every file comes from this build's cache.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  if (self.navigator.onLine) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // the page's own URL carries a hash and maybe a query: match the file
    const cached = await cache.match(request, { ignoreSearch: true });
    return cached ?? fetch(request);
  })());
});
