// Practice mode: questions on Conv2d arithmetic from a seed, marked by the engine,
// explained with the worked formula and a link to the visualizer on that layer.
// Keyboard only works: type, Enter checks, Enter (or N) goes on.
import { defaults, toHash } from "./state.js";

export const LEVELS = ["easy", "medium", "hard"];

export function practiceMarkup() {
  return `
  <section class="practice" aria-label="Practice">
    <div class="load" role="status" aria-live="polite">
      <progress data-testid="load-progress" max="100" value="0"></progress>
      <span class="load-stage">Loading the engine…</span>
    </div>
    <div class="practice-bar">
      <h2>Practice: <code>nn.Conv2d</code> arithmetic</h2>
      <label>level <select name="level">${LEVELS.map((l) => `<option>${l}</option>`).join("")}</select></label>
      <span>set <code data-testid="practice-seed"></code></span>
      <button type="button" class="share-set">Copy link to this set</button>
      <span class="score">score <strong data-testid="practice-score">0 / 0</strong></span>
    </div>
    <p class="question-number" data-testid="practice-number"></p>
    <p class="prompt" data-testid="practice-prompt"></p>
    <ol class="choices" type="a" data-testid="practice-choices"></ol>
    <form class="answer" autocomplete="off">
      <label>Your answer <input name="answer" data-testid="practice-answer" size="24"></label>
      <button type="submit">Check</button>
      <span class="answer-hint"></span>
    </form>
    <div class="feedback" data-testid="practice-feedback" role="status" hidden>
      <p class="verdict"></p>
      <pre class="worked" data-testid="practice-worked"></pre>
      <p><a class="open-visualizer" data-testid="practice-visualize" target="_blank">Open this layer in the visualizer</a>
        <button type="button" class="next">Next question</button></p>
    </div>
  </section>`;
}

const HINTS = {
  shape: "a shape, e.g. [1, 6, 28, 28] or 1x6x28x28",
  int: "a whole number",
  choice: "a letter, a to d",
  validity: "valid or invalid",
};

// "#mode=practice&seed=42&level=hard&question=3" -> settings, with safe defaults
export function parsePractice(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const seed = /^\d{1,9}$/.test(params.get("seed") ?? "") ? Number(params.get("seed")) : 0;
  const level = LEVELS.includes(params.get("level")) ? params.get("level") : "medium";
  const question = /^\d{1,4}$/.test(params.get("question") ?? "") ? Number(params.get("question")) : 0;
  return { seed, level, question };
}

export function isPractice(hash) {
  return new URLSearchParams(hash.replace(/^#/, "")).get("mode") === "practice";
}

export class PracticeView extends EventTarget {
  constructor(root, session, settings) {
    super();
    Object.assign(this, { root, session, ...settings, right: 0, answered: 0, marked: false,
                          busy: false });
    this.$ = (selector) => root.querySelector(selector);
    this.input = this.$("input[name=answer]");
    this.$("select[name=level]").value = this.level;
    this.$("[data-testid=practice-seed]").textContent = String(this.seed);
    this.$("form.answer").addEventListener("submit", (event) => {
      event.preventDefault();
      if (this.busy) return;  // a question or a marking is on its way: one Enter, one action
      if (this.marked) this.next();
      else this.mark();
    });
    this.$("button.next").addEventListener("click", () => this.next());
    this.$("select[name=level]").addEventListener("change", (event) => {
      Object.assign(this, { level: event.target.value, question: 0 });
      this.ask();
    });
    this.$("button.share-set").addEventListener("click", (event) => {
      navigator.clipboard?.writeText(this.link({ question: 0 })).catch(() => {});
      event.target.textContent = "Link copied";
    });
    root.addEventListener("keydown", (event) => {
      if (event.key.toLowerCase() === "n" && this.marked && event.target !== this.input) this.next();
    });
    const client = session.client;
    client.addEventListener("progress", ({ detail }) => {
      this.$("[data-testid=load-progress]").value = detail.percent;
      this.$(".load-stage").textContent = `${detail.stage}…`;
    });
    if (client.ready) this.ask();
    else client.addEventListener("ready", () => this.ask(), { once: true });
  }

  link(overrides = {}) {
    const { seed, level, question } = { seed: this.seed, level: this.level,
                                         question: this.question, ...overrides };
    return `${location.href.split("#")[0]}#mode=practice&seed=${seed}&level=${level}&question=${question}`;
  }

  async ask() {
    this.busy = true;
    this.marked = false;
    const asked = await this.session.practice(this.seed, this.level, this.question)
      .finally(() => { this.busy = false; });
    this.current = asked;
    this.root.dataset.state = "ready";
    this.$("[data-testid=practice-number]").textContent =
      `Question ${this.question + 1} · ${asked.level} · ${asked.kind.replace(/_/g, " ")}`;
    this.$("[data-testid=practice-prompt]").textContent = asked.prompt;
    this.$("[data-testid=practice-choices]").replaceChildren(...asked.choices.map((choice) => {
      const item = document.createElement("li");
      const code = document.createElement("code");
      code.textContent = choice;
      item.append(code);
      return item;
    }));
    this.$(".answer-hint").textContent = `Write ${HINTS[asked.answer_form]}.`;
    this.$("[data-testid=practice-feedback]").hidden = true;
    this.input.value = "";
    this.input.removeAttribute("aria-invalid");
    this.input.focus();
    this.dispatchEvent(new CustomEvent("change"));
  }

  async mark() {
    const text = this.input.value;
    this.busy = true;
    const { marking } = await this.session.practice(this.seed, this.level, this.question, text)
      .finally(() => { this.busy = false; });
    if (!marking.understood) {
      this.input.setAttribute("aria-invalid", "true");
      this.$(".answer-hint").textContent = `I could not read that: write ${HINTS[this.current.answer_form]}.`;
      return;
    }
    this.marked = true;
    this.answered += 1;
    this.right += marking.correct ? 1 : 0;
    this.$("[data-testid=practice-score]").textContent = `${this.right} / ${this.answered}`;
    const feedback = this.$("[data-testid=practice-feedback]");
    feedback.dataset.correct = String(marking.correct);
    this.$(".verdict").textContent = marking.correct ? `Right: ${marking.expected}.`
      : `Not quite: the answer is ${marking.expected}. Here is how it comes out:`;
    this.$(".worked").textContent = marking.explanation;
    this.$(".open-visualizer").href = new URL(
      `../index.html${toHash({ ...defaults(), ...this.current.layer })}`, import.meta.url).href;
    feedback.hidden = false;
  }

  next() {
    this.question += 1;
    this.ask();
  }
}
