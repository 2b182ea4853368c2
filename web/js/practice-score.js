// The score card at the end of a practice test: the engine's tallies per level and per
// topic, the questions missed (each a link to its solution below), every question with
// the learner's answer, the hint if they asked for it, the solution and the visualizer
// link, and the whole result as text to copy. The engine computed all of it.
import { copyText } from "./panels.js";

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

const label = (topic) => topic.replace(/_/g, " ");

function tally(caption, rows, key, testid) {
  const table = element("table", undefined, { "data-testid": testid });
  table.append(element("caption", caption));
  for (const row of rows) {
    const line = element("tr");
    line.append(element("th", label(row[key]), { scope: "row" }),
                element("td", `${row.right} / ${row.total}`));
    table.append(line);
  }
  return table;
}

function review(row, visualizerHref) {
  const item = element("li", undefined, { id: `solution-${row.number}`, tabindex: "-1",
                                          "data-testid": "score-question",
                                          "data-correct": String(row.correct) });
  const status = row.correct ? "right" : row.answered ? "missed" : "missed (no answer)";
  item.append(element("p", `${row.number}. ${row.level} · ${label(row.topic)} · ${status}`
                           + (row.hinted ? " · hint used" : ""), { class: "review-title" }),
              element("p", row.prompt, { class: "review-prompt" }));
  if (row.choices.length) {
    const options = element("ol", undefined, { type: "a", class: "review-options" });
    options.append(...row.choices.map((choice) => element("li", choice)));
    item.append(options);
  }
  item.append(element("p", `Your answer: ${row.given_text} · the answer: ${row.expected_text}`));
  if (row.mistake) item.append(element("p", `The mistake behind it: ${row.mistake}.`, { class: "mistake" }));
  if (row.hinted) item.append(element("p", `Hint used: ${row.hint}`, { class: "hint" }));
  const solution = element("details", undefined, { "data-testid": "score-solution" });
  solution.open = !row.correct;
  solution.append(element("summary", "Solution"), element("pre", row.explanation),
                  element("p", `Quick check: ${row.quick_check}`));
  const link = element("a", "Open this layer in the visualizer",
                       { href: visualizerHref(row.layer), target: "_blank" });
  const footer = element("p");
  footer.append(link);
  item.append(solution, footer);
  return item;
}

// card: the engine's score card; visualizerHref(layer) -> the link to that layer
export function showScoreCard(container, card, visualizerHref) {
  const heading = element("h3", "Your result: ");
  heading.append(element("strong", `${card.right} / ${card.total}`, { "data-testid": "score-total" }));
  const verdict = element("p", card.verdict, { class: "score-verdict", "data-testid": "score-verdict",
                                               "data-strong": String(card.strong) });
  const tallies = element("div", undefined, { class: "tallies" });
  tallies.append(tally("By level", card.by_level, "level", "score-by-level"),
                 tally("By topic", card.by_topic, "topic", "score-by-topic"));
  const missed = element("p", undefined, { "data-testid": "score-missed" });
  if (card.missed.length === 0) missed.textContent = "Nothing missed.";
  else {
    missed.append("Missed: ");
    card.missed.forEach((number, i) => {
      if (i) missed.append(", ");
      missed.append(element("a", `question ${number}`, { href: `#solution-${number}`,
                                                         "data-solution": String(number) }));
    });
  }
  const list = element("ol", undefined, { class: "review" });
  list.append(...card.questions.map((row) => review(row, visualizerHref)));
  const copy = element("button", "Copy the result as text", { type: "button", class: "copy-result" });
  copy.dataset.label = copy.textContent;
  const text = element("details", undefined, { class: "result-text" });
  text.append(element("summary", "The result as text"),
              element("pre", card.text, { "data-testid": "score-text" }));
  container.replaceChildren(heading, verdict, tallies, missed, copy, text, list);
  container.hidden = false;

  copy.addEventListener("click", () => copyText(card.text, copy));
  // the page's hash is its state: a solution link opens and focuses its question
  // instead of navigating (which would leave practice mode)
  missed.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-solution]");
    if (!link) return;
    event.preventDefault();
    const item = container.querySelector(`#solution-${link.dataset.solution}`);
    item.querySelector("details").open = true;
    item.focus();
    item.scrollIntoView({ block: "start" });
  });
  heading.tabIndex = -1;
  heading.focus();
}
