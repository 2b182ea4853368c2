// One practice question on the page: its prompt, its options or answer box, its hint,
// and after marking its solution. Everything shown is text the engine sent
// (textContent only): this module decides where it goes, never what it says.

const FORMS = {
  shape: "a shape, e.g. [1, 6, 28, 28] or 1x6x28x28",
  int: "a whole number",
  choice: "an option: press 1–4 or click it",
  validity: "an option: press 1 or 2, or click it",
};

export function answerHelp(form) {
  return FORMS[form];
}

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

// Options as radio buttons (so a click, arrow keys or 1–4 pick one, and a screen
// reader hears a group); the value sent for each is the key the engine gave it.
export function showQuestion(root, asked, label) {
  const $ = (selector) => root.querySelector(selector);
  $("[data-testid=practice-number]").textContent = label;
  $("[data-testid=practice-prompt]").textContent = asked.prompt;
  const options = $("[data-testid=practice-options]");
  const picks = asked.choices.map((choice, i) => {
    const option = element("label", undefined, { class: "option" });
    const radio = element("input", undefined, { type: "radio", name: "option",
                                                value: asked.keys[i],
                                                "data-testid": `practice-option-${i + 1}` });
    option.append(radio, element("kbd", String(i + 1)),
                  element(asked.answer_form === "choice" ? "code" : "span", choice));
    return option;
  });
  options.replaceChildren(element("legend", `Options (press 1–${picks.length})`), ...picks);
  options.hidden = picks.length === 0;
  const typed = $("label.typed");
  typed.hidden = picks.length > 0;
  const input = $("input[name=answer]");
  input.value = "";
  input.removeAttribute("aria-invalid");
  $(".answer-hint").textContent = `Write ${answerHelp(asked.answer_form)}.`;
  const hint = $("[data-testid=practice-hint]");
  hint.hidden = true;
  hint.textContent = asked.hint;
  $("[data-testid=practice-feedback]").hidden = true;
  (picks.length ? options.querySelector("input") : input).focus();
}

// the learner's answer as the engine reads it: the picked option's key, or the text
export function currentAnswer(root, asked) {
  if (asked.choices.length === 0) return root.querySelector("input[name=answer]").value;
  return root.querySelector("input[name=option]:checked")?.value ?? "";
}

// key "1".."4": pick that option and focus it (the focus ring shows which)
export function pickOption(root, key) {
  const radio = root.querySelectorAll("input[name=option]")[Number(key) - 1];
  if (!radio || radio.closest("[hidden]")) return false;
  radio.checked = true;
  radio.focus();
  return true;
}

// the marking: verdict, the mistake it shows, the solution in steps, the quick check,
// the common mistakes of this question, a link to the layer in the visualizer
export function showSolution(container, marking, visualizerHref) {
  const $ = (selector) => container.querySelector(selector);
  container.dataset.correct = String(marking.correct);
  $(".verdict").textContent = marking.correct ? `Right: ${marking.expected_text}.`
    : `Not quite: the answer is ${marking.expected_text}.`;
  const mistake = $("[data-testid=practice-mistake]");
  mistake.textContent = marking.mistake ? `The mistake behind your answer: ${marking.mistake}.` : "";
  mistake.hidden = !marking.mistake;
  $("[data-testid=practice-worked]").textContent = marking.explanation;
  $("[data-testid=practice-quick-check]").textContent = `Quick check: ${marking.quick_check}`;
  const list = $("[data-testid=practice-mistakes]");
  list.replaceChildren(...marking.mistakes.map((m) => element("li", `${m.name} → ${m.answer_text}`)));
  list.closest("details").hidden = marking.mistakes.length === 0;
  $("[data-testid=practice-visualize]").href = visualizerHref;
  container.hidden = false;
}
