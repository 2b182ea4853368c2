// Step playback: play/pause, step, jump, scrub, speed and keys. It only moves an
// index; whoever listens ("step" events) fetches and draws that step.

export class Player extends EventTarget {
  constructor(root) {
    super();
    this.root = root;
    this.count = 0;
    this.index = 0;
    this.timer = null;
    this.scrub = root.querySelector(".scrub");
    this.speed = root.querySelector(".speed input");
    this.playButton = root.querySelector('[data-action="play"]');
    root.addEventListener("click", (event) => {
      const action = event.target.closest("[data-action]")?.dataset.action;
      if (action) this.act(action);
    });
    this.scrub.addEventListener("input", () => this.go(Number(this.scrub.value)));
    this.speed.addEventListener("input", () => this.playing && this.#schedule());
  }

  get playing() {
    return this.timer !== null;
  }

  setCount(count, index = this.index) {
    this.count = count;
    this.scrub.max = String(Math.max(0, count - 1));
    this.go(index);
  }

  go(index) {
    const clamped = Math.max(0, Math.min(this.count - 1, Math.trunc(index) || 0));
    this.index = clamped;
    this.scrub.value = String(clamped);
    this.dispatchEvent(new CustomEvent("step", { detail: { index: clamped } }));
  }

  act(action) {
    if (action === "play") return this.playing ? this.pause() : this.play();
    this.pause();
    if (action === "start") this.go(0);
    else if (action === "end") this.go(this.count - 1);
    else if (action === "back") this.go(this.index - 1);
    else if (action === "forward") this.go(this.index + 1);
  }

  play() {
    if (this.count < 2) return;
    if (this.index >= this.count - 1) this.go(0);
    this.#schedule();
    this.playButton.textContent = "Pause";
    this.playButton.setAttribute("aria-label", "Pause");
  }

  #schedule() {
    clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.index >= this.count - 1) this.pause();
      else this.go(this.index + 1);
    }, 1000 / Number(this.speed.value));
  }

  pause() {
    const was = this.playing;
    clearInterval(this.timer);
    this.timer = null;
    if (was) this.dispatchEvent(new CustomEvent("pause", { detail: { index: this.index } }));
    this.playButton.textContent = "Play";
    this.playButton.setAttribute("aria-label", "Play");
  }

  // ←/→ step, space play/pause, Home/End; not while the user types in a field
  handleKey(event) {
    if (event.target.closest?.("input, select, textarea, [contenteditable]") &&
        event.target.type !== "range") return;
    const action = { ArrowRight: "forward", ArrowLeft: "back", Home: "start", End: "end", " ": "play" }[event.key];
    if (!action || event.ctrlKey || event.metaKey || event.altKey) return;
    event.preventDefault();
    this.act(action);
  }
}
