// Practice mode: questions on Conv2d from a seed, marked by the engine, explained with
// the solution in steps, a quick check, the common mistakes and a link to the layer in
// the visualizer. Two ways through: endless questions at a level, or (test=1) the
// ten-question test, easy to hard, with feedback after each question or at the end and
// then the engine's score card.
// Keyboard only works: type or press 1–4, Enter checks, Enter (or N) goes on, H hints.
import { currentAnswer, answerHelp, pickOption, showQuestion, showSolution } from "./practice-question.js";
import { showScoreCard } from "./practice-score.js";
import { defaults, toHash } from "./state.js";

export const LEVELS = ["easy", "medium", "hard"];
export const FEEDBACK = { end: "at the end", each: "after each question" };
const TEST_LENGTH = 10;

export function practiceMarkup() {
  return `
  <section class="practice" aria-label="Practice">
    <div class="load" role="status" aria-live="polite">
      <progress data-testid="load-progress" max="100" value="0"></progress>
      <span class="load-stage">Loading the engine…</span>
    </div>
    <div class="practice-bar">
      <h2><span class="practice-title">Practice</span>: convolution and pooling arithmetic</h2>
      <label class="endless-only">level <select name="level">${LEVELS.map((l) => `<option>${l}</option>`).join("")}</select></label>
      <label class="test-only">feedback <select name="feedback" data-testid="practice-feedback-mode">${
        Object.entries(FEEDBACK).map(([value, text]) => `<option value="${value}">${text}</option>`).join("")}</select></label>
      <span>set <code data-testid="practice-seed"></code></span>
      <button type="button" class="share-set">Copy link to this set</button>
      <span class="score endless-only">score <strong data-testid="practice-score">0 / 0</strong></span>
    </div>
    <div class="question-area">
      <p class="question-number" data-testid="practice-number"></p>
      <p class="prompt" data-testid="practice-prompt"></p>
      <form class="answer" autocomplete="off">
        <fieldset class="options" data-testid="practice-options" hidden></fieldset>
        <div class="answer-row">
          <label class="typed">Your answer <input name="answer" data-testid="practice-answer" size="24"></label>
          <button type="submit" data-testid="practice-submit">Check</button>
          <button type="button" class="show-hint" data-testid="practice-hint-button" aria-keyshortcuts="h">Hint <kbd>H</kbd></button>
          <span class="answer-hint" aria-live="polite"></span>
        </div>
      </form>
      <p class="hint" data-testid="practice-hint" hidden></p>
      <div class="feedback" data-testid="practice-feedback" role="status" hidden>
        <p class="verdict"></p>
        <p class="mistake" data-testid="practice-mistake" hidden></p>
        <pre class="worked" data-testid="practice-worked"></pre>
        <p class="quick-check" data-testid="practice-quick-check"></p>
        <details class="mistakes"><summary>Common mistakes on this question</summary>
          <ul data-testid="practice-mistakes"></ul></details>
        <p><a class="open-visualizer" data-testid="practice-visualize" target="_blank">Open this layer in the visualizer</a>
          <button type="button" class="next">Next question</button></p>
      </div>
    </div>
    <div class="score-card" data-testid="practice-score-card" aria-live="polite" hidden></div>
  </section>`;
}

// "#mode=practice&seed=42&level=hard&question=3" (or "&test=1&feedback=each") ->
// settings, with safe defaults
export function parsePractice(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const seed = /^\d{1,9}$/.test(params.get("seed") ?? "") ? Number(params.get("seed")) : 0;
  const level = LEVELS.includes(params.get("level")) ? params.get("level") : "medium";
  const question = /^\d{1,4}$/.test(params.get("question") ?? "") ? Number(params.get("question")) : 0;
  const test = params.get("test") === "1";
  const feedback = Object.hasOwn(FEEDBACK, params.get("feedback")) ? params.get("feedback") : "end";
  return { seed, level, question: test ? 0 : question, test, feedback };
}

export function isPractice(hash) {
  return new URLSearchParams(hash.replace(/^#/, "")).get("mode") === "practice";
}

// the visualizer (index.html next to this module's folder) on a question's layer, of the
// question's own layer kind (layer.layer: conv2d, conv_transpose2d, max_pool2d, avg_pool2d)
function visualizerHref(layer) {
  return new URL(`../index.html${toHash({ ...defaults(layer.layer), ...layer })}`, import.meta.url).href;
}

export class PracticeView extends EventTarget {
  constructor(root, session, settings) {
    super();
    Object.assign(this, { root, session, ...settings, right: 0, answered: 0, marked: false,
                          busy: false, done: false });
    // a test's answers as typed, and whether each hint was asked for: the engine marks them
    this.answers = [];
    this.hinted = [];
    this.$ = (selector) => root.querySelector(selector);
    this.input = this.$("input[name=answer]");
    for (const node of root.querySelectorAll(this.test ? ".endless-only" : ".test-only")) node.hidden = true;
    this.$(".practice-title").textContent = this.test ? `Practice test (${TEST_LENGTH} questions)` : "Practice";
    this.$("select[name=level]").value = this.level;
    this.$("select[name=feedback]").value = this.feedback;
    this.$("[data-testid=practice-seed]").textContent = String(this.seed);
    this.$("form.answer").addEventListener("submit", (event) => {
      event.preventDefault();
      this.enter();
    });
    this.$("button.next").addEventListener("click", () => this.next());
    this.$("button.show-hint").addEventListener("click", () => this.showHint());
    this.$("select[name=level]").addEventListener("change", (event) => {
      Object.assign(this, { level: event.target.value, question: 0 });
      this.ask();
    });
    this.$("select[name=feedback]").addEventListener("change", (event) => {
      this.feedback = event.target.value;
      this.labelSubmit();
      // back to the question, so the next key press answers it
      (this.$("input[name=option]:checked") ?? this.$("fieldset:not([hidden]) input") ?? this.input).focus();
      this.dispatchEvent(new CustomEvent("change"));
    });
    this.$("button.share-set").addEventListener("click", (event) => {
      navigator.clipboard?.writeText(this.link({ question: 0 })).catch(() => {});
      event.target.textContent = "Link copied";
    });
    root.addEventListener("keydown", (event) => this.key(event));
    const client = session.client;
    client.addEventListener("progress", ({ detail }) => {
      this.$("[data-testid=load-progress]").value = detail.percent;
      this.$(".load-stage").textContent = `${detail.stage}…`;
    });
    if (client.ready) this.ask();
    else client.addEventListener("ready", () => this.ask(), { once: true });
  }

  link(overrides = {}) {
    const { seed, level, question, feedback } = { seed: this.seed, level: this.level,
                                                   question: this.question,
                                                   feedback: this.feedback, ...overrides };
    const base = `${location.href.split("#")[0]}#mode=practice&seed=${seed}`;
    return this.test ? `${base}&test=1&feedback=${feedback}`
      : `${base}&level=${level}&question=${question}`;
  }

  // 1–4 pick an option, H shows the hint, N (or Enter) goes on; typing in the answer
  // box is left alone, and Enter on an option checks like Enter in the box does
  key(event) {
    if (event.altKey || event.ctrlKey || event.metaKey || this.done) return;
    const typing = event.target === this.input || event.target.tagName === "SELECT";
    const key = event.key.toLowerCase();
    if (event.key === "Enter" && event.target.name === "option") {
      event.preventDefault();
      this.enter();
    } else if (typing) {
      return;
    } else if (/^[1-4]$/.test(key) && !this.marked) {
      if (pickOption(this.root, key)) event.preventDefault();
    } else if (key === "h" && !this.marked) {
      this.showHint();
    } else if (key === "n" && this.marked) {
      this.next();
    }
  }

  enter() {
    if (this.busy || this.done) return;  // a question or a marking is on its way: one Enter, one action
    if (this.marked) this.next();
    else this.mark();
  }

  showHint() {
    if (!this.current || this.marked) return;
    this.$("[data-testid=practice-hint]").hidden = false;
    this.hinted[this.question] = true;  // free, but the score card says so
  }

  async ask() {
    this.busy = true;
    this.marked = false;
    const asked = await this.session.practice(this.seed, this.level, this.question, undefined, this.test)
      .finally(() => { this.busy = false; });
    this.current = asked;
    this.root.dataset.state = "ready";
    const where = this.test ? `Question ${this.question + 1} of ${TEST_LENGTH}` : `Question ${this.question + 1}`;
    showQuestion(this.root, asked, `${where} · ${asked.level} · ${asked.topic.replace(/_/g, " ")}`);
    this.labelSubmit();
    this.dispatchEvent(new CustomEvent("change"));
  }

  labelSubmit() {  // "Answer" when nothing is shown until the end, "Check" otherwise
    this.$("[data-testid=practice-submit]").textContent = this.test && this.feedback === "end" ? "Answer" : "Check";
  }

  async mark() {
    const text = currentAnswer(this.root, this.current);
    this.busy = true;
    const { marking } = await this.session.practice(this.seed, this.level, this.question, text, this.test)
      .finally(() => { this.busy = false; });
    if (!marking.understood) {
      this.input.setAttribute("aria-invalid", "true");
      this.$(".answer-hint").textContent = `I could not read that: write ${answerHelp(this.current.answer_form)}.`;
      return;
    }
    if (this.test) this.answers[this.question] = text;
    if (this.test && this.feedback === "end") {
      this.next();  // no feedback until the score card
      return;
    }
    this.marked = true;
    this.answered += 1;
    this.right += marking.correct ? 1 : 0;
    this.$("[data-testid=practice-score]").textContent = `${this.right} / ${this.answered}`;
    showSolution(this.$("[data-testid=practice-feedback]"), marking, visualizerHref(this.current.layer));
  }

  next() {
    if (this.test && this.question + 1 >= TEST_LENGTH) {
      this.finish();
      return;
    }
    this.question += 1;
    this.ask();
  }

  async finish() {
    this.busy = true;
    const hinted = Array.from({ length: TEST_LENGTH }, (_, i) => Boolean(this.hinted[i]));
    const answers = Array.from({ length: TEST_LENGTH }, (_, i) => this.answers[i] ?? null);
    const card = await this.session.practiceResult(this.seed, answers, hinted)
      .finally(() => { this.busy = false; });
    this.done = true;
    this.$(".question-area").hidden = true;
    for (const node of this.root.querySelectorAll(".test-only")) node.hidden = true;
    showScoreCard(this.$("[data-testid=practice-score-card]"), card, visualizerHref);
    this.dispatchEvent(new CustomEvent("change"));
  }
}
