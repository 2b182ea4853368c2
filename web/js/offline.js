// Register the service worker (sw.js, at the site's root) once the engine is up, so
// its precaching never competes with the first visit's own start-up.
export function registerOffline(engine) {
  if (!("serviceWorker" in navigator)) return;
  const register = () => navigator.serviceWorker
    .register(new URL("../sw.js", import.meta.url))
    .catch((error) => console.warn(`convscope: no offline use (${error.message})`));
  if (engine.ready) register();
  else engine.addEventListener("ready", register, { once: true });
}
