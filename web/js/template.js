// The markup of one convscope view, shared by the page, the embed and <conv-scope>.
// Each panel carries data-panel so an embed can show only some of them. A page with one
// view makes its panels landmarks; a course page with many widgets (landmarks: false) makes
// them labelled groups, so the page's landmarks stay few and uniquely named.

export const PANELS = ["controls", "code", "shapes", "stage", "arithmetic"];

export function viewMarkup({ title = true, landmarks = true } = {}) {
  const [panel, end] = landmarks ? ["section", "section"] : ['div role="group"', "div"];
  return `
  ${title ? `<header class="masthead">
    <h1>conv<span>scope</span></h1>
    <p class="tagline">PyTorch's <code>Conv2d</code>, <code>ConvTranspose2d</code>, <code>MaxPool2d</code> and <code>AvgPool2d</code>, computed step by step — every number from a NumPy engine checked against PyTorch, running in your browser.</p>
  </header>` : ""}
  <div class="load" role="status" aria-live="polite">
    <progress data-testid="load-progress" max="100" value="0"></progress>
    <span class="load-stage">Loading the engine…</span>
    <span class="pending" data-testid="pending" hidden>Your change is kept and computed as soon as Python is ready.</span>
  </div>
  <ul class="notices" data-testid="notices" aria-live="polite"></ul>
  <div class="engine-down" role="alert" hidden>
    <p data-testid="engine-error"></p>
    <button type="button" class="restart">Restart the engine</button>
  </div>

  <form class="controls" data-panel="controls" autocomplete="off" novalidate>
    <fieldset class="call">
      <legend>Layer</legend>
      <label class="layer-kind">layer <select name="layer"></select></label>
      <span class="layer-summary"></span>
      <span class="code-word call-open">nn.Conv2d(</span>
      <span class="call-arguments"></span>
      <span class="code-word">)</span>
      <datalist id="padding-words"><option value="same"><option value="valid"></datalist>
    </fieldset>
    <fieldset class="groups-walk">
      <legend>Groups</legend>
      <input name="groups_walk" type="range" min="0" max="0" value="0" aria-label="groups, from standard to depthwise">
      <span class="groups-walk-label"></span>
    </fieldset>
    <fieldset class="data">
      <legend>Data</legend>
      <span class="kind-data"></span>
      <label>batch <input name="batch" inputmode="numeric" size="2"></label>
      <label>input_size <input name="input_size" size="6" title="height x width, e.g. 28x28"></label>
      <label>input <select name="input"></select></label>
      <span class="picture-input" hidden>
        <label class="picture-choose"><input type="file" accept="image/png,image/jpeg,image/webp" aria-label="choose a picture (PNG, JPEG or WebP)">Choose a picture…</label>
        <canvas class="picture-thumb" hidden aria-hidden="true"></canvas>
        <span class="picture-name" data-testid="picture-name"></span>
      </span>
      <label>weights <select name="weights"></select></label>
      <label>seed <input name="seed" inputmode="numeric" size="4"></label>
      <button type="button" class="reset-edits" hidden>Reset edited cells</button>
    </fieldset>
    <p class="field-error" data-testid="error" role="alert"></p>
  </form>

  <${panel} class="code-panel" data-panel="code" aria-label="PyTorch code">
    <div class="code-line">
      <pre data-testid="torch-code">nn.Conv2d(…)</pre>
      <button type="button" class="copy" data-copy="torch-code">Copy</button>
      <button type="button" class="share">Copy link</button>
      <button type="button" class="embed-open">Embed</button>
    </div>
    <div class="exports" role="group" aria-label="Export">
      <span>Export</span>
      <button type="button" data-export="png">Frame (PNG)</button>
      <button type="button" data-export="csv">Step table (CSV)</button>
      <button type="button" data-export="json">Step table (JSON)</button>
      <button type="button" data-export="gif">Animation (GIF)</button>
      <button type="button" data-export="webm">Video (WebM)</button>
      <label>scale <select name="export-scale"><option selected>1</option><option>2</option><option>3</option></select></label>
      <label>theme <select name="export-theme"><option value="">as shown</option><option>light</option><option>dark</option></select></label>
      <label><input type="checkbox" name="export-numbers" checked> numbers</label>
      <label><input type="checkbox" name="export-caption" checked> caption</label>
      <label>steps <input name="export-from" size="4" inputmode="numeric" aria-label="first step">
        to <input name="export-to" size="4" inputmode="numeric" aria-label="last step"></label>
      <progress class="export-progress" max="1" value="0" hidden></progress>
      <button type="button" class="export-cancel" hidden>Cancel</button>
      <span class="export-status" data-testid="export-status" role="status"></span>
    </div>
    <details class="reproduce">
      <summary>Reproduce in PyTorch</summary>
      <p>A complete script: it builds this layer, sets the exact input, weights and bias shown here, runs it and checks PyTorch's output against convscope's.</p>
      <pre data-testid="reproduce-code" tabindex="0"></pre>
      <button type="button" class="copy" data-copy="reproduce-code">Copy script</button>
    </details>
  </${end}>

  <${panel} class="shape-panel" data-panel="shapes" aria-label="Shapes">
    <dl>
      <div><dt>input</dt><dd data-testid="input-shape">…</dd></div>
      <div class="to-output"><dt>output</dt><dd data-testid="output-shape">…</dd></div>
      <div><dt>weight</dt><dd data-testid="weight-shape">…</dd></div>
      <div><dt>bias</dt><dd data-testid="bias-shape">…</dd></div>
      <div><dt>parameters</dt><dd data-testid="parameter-count">…</dd></div>
      <div><dt>multiply-accumulates</dt><dd data-testid="mac-count">…</dd></div>
    </dl>
    <p class="formula" data-testid="formula-h"></p>
    <p class="formula" data-testid="formula-w"></p>
    <p class="backward-note" data-testid="backward-note" hidden></p>
  </${end}>

  <${panel} class="stage" data-panel="stage" aria-label="Animation">
    <div class="player" role="group" aria-label="Step controls">
      <button type="button" data-action="start" title="First step (Home)" aria-label="First step">|◀</button>
      <button type="button" data-action="back" title="Step back (←)" aria-label="Step back">◀</button>
      <button type="button" data-action="play" title="Play / pause (space)" aria-label="Play" class="play">Play</button>
      <button type="button" data-action="forward" title="Step forward (→)" aria-label="Step forward">▶</button>
      <button type="button" data-action="end" title="Last step (End)" aria-label="Last step">▶|</button>
      <input class="scrub" type="range" min="0" max="0" value="0" aria-label="step">
      <label class="speed">speed <input type="range" min="1" max="60" value="4" aria-label="steps per second"></label>
      <label class="zoom">zoom <input type="range" min="0.5" max="4" step="0.25" value="1" aria-label="zoom"></label>
      <span class="step-index" data-testid="step-index">step –</span>
    </div>
    <div class="viewport">
      <canvas class="scope" tabindex="0" role="img" aria-label="The input, the filter and the output; the window at the current step" aria-describedby="step-spoken"></canvas>
      <input class="cell-editor" hidden aria-label="cell value">
    </div>
    <div class="arithmetic" data-panel="arithmetic">
      <h2>This step</h2>
      <pre data-testid="step-equation" tabindex="0"></pre>
      <p><span class="step-value-label">output</span> = <strong data-testid="step-value">–</strong></p>
      <p class="visually-hidden" id="step-spoken" data-testid="step-spoken" role="status" aria-live="polite" aria-atomic="true"></p>
      <p class="hint">Hover (or tap) an output cell to see its receptive field; hover (or tap) an input cell to see every output it feeds. Double-click, double-tap or long-press an input or weight cell to type a value (Enter applies). Keys: ← → step, space play/pause, Home/End. On the focused picture, <kbd>i</kbd>, <kbd>o</kbd> or <kbd>w</kbd> put a cell cursor on the input, output or weights: arrows move it (PageUp/PageDown: channel), Enter types a value, Esc gives the arrows back to stepping.</p>
      <details class="step-table">
        <summary>Step table</summary>
        <p class="table-note" data-testid="step-table-note"></p>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Step table">
          <table data-testid="step-table"></table>
        </div>
      </details>
    </div>
  </${end}>`;
}

// ?panels=stage,code -> hide every other panel
export function showPanels(root, panels) {
  for (const element of root.querySelectorAll("[data-panel]")) {
    element.hidden = !panels.includes(element.dataset.panel);
  }
}
