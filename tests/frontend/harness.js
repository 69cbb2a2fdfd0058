// Plays the server's part for the harness: htmx swaps of #diagnostics and #graph-panel are
// simulated by replacing the markup and firing the events htmx fires.
(() => {
  const initial = JSON.parse(document.getElementById("editor-state").textContent);

  const escapeHtml = (text) => String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

  function issueList(state) {
    const items = state.issues.map((issue) => {
      const where = issue.line == null ? "" : ` data-line="${issue.line}" data-column="${issue.column}"`;
      return `<li class="issue" data-source="${issue.source}"${where} tabindex="0">${issue.severity} ${escapeHtml(issue.code)} ${escapeHtml(issue.message)}</li>`;
    });
    return `<ul class="issues">${items.join("")}</ul>`;
  }

  /** Replaces #diagnostics with the answer for `state` (merged over the initial one). */
  function swap(partial = {}) {
    const state = { ...initial, ...partial };
    const json = JSON.stringify(state).replace(/</g, "\\u003c");
    const target = document.getElementById("diagnostics");
    const palette = target.querySelector(".palette")?.outerHTML ?? "";
    target.innerHTML = `<script type="application/json" id="editor-state">${json}<\/script>${issueList(state)}${palette}`;
    target.dispatchEvent(new CustomEvent("htmx:afterSwap", { bubbles: true }));
    target.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
    target.dispatchEvent(new CustomEvent("htmx:afterSettle", { bubbles: true }));
    return state;
  }

  function beforeRequest() {
    document.getElementById("entrypoint-form").dispatchEvent(new CustomEvent("htmx:beforeRequest", { bubbles: true }));
  }

  /** A `steps`-long chain of steps, as the server would lay it out (rows of 4). */
  function graphSvg(steps) {
    const nodes = [];
    for (let i = 0; i < steps; i++) {
      const x = 20 + (i % 4) * 170;
      const y = 20 + Math.floor(i / 4) * 70;
      nodes.push(
        `<g class="node step" data-step="step_${i}" data-line="${i * 4 + 1}" data-source="taskGraph" tabindex="0">` +
          `<rect x="${x}" y="${y}" width="150" height="40" rx="6"/><text x="${x + 75}" y="${y + 25}" text-anchor="middle">step_${i}</text></g>`,
      );
    }
    const width = 20 + 4 * 170;
    const height = 20 + Math.ceil(steps / 4) * 70;
    return `<svg class="graph" viewBox="0 0 ${width} ${height}" data-width="${width}" data-height="${height}"><g class="viewport">${nodes.join("")}</g></svg>`;
  }

  /** Replaces #graph-panel (htmx's out-of-band swap; the zoom buttons above it stay) with a graph of `steps` steps. */
  function swapGraph(steps) {
    const panel = document.getElementById("graph-panel");
    panel.outerHTML = `<div id="graph-panel" class="graph-panel" data-stale="false">${graphSvg(steps)}</div>`;
    const fresh = document.getElementById("graph-panel");
    fresh.dispatchEvent(new CustomEvent("htmx:afterSwap", { bubbles: true }));
    fresh.dispatchEvent(new CustomEvent("htmx:load", { bubbles: true }));
  }

  /** A `steps`-step task graph with `issues` issues spread over it, and its editor state. */
  function bigDocument(steps = 200, issues = 100) {
    const lines = [];
    const stepList = [];
    for (let i = 0; i < steps; i++) {
      stepList.push({ name: `step_${i}`, task: "train_model", line: lines.length + 1, outputs: ["model", "metrics"] });
      lines.push(`step_${i}:`, "  train_model:", `    data: $step_${Math.max(0, i - 1)}.model`, "    epochs: $epochs");
    }
    const issueList = [];
    for (let n = 0; n < issues; n++) {
      const step = Math.floor((n * steps) / issues);
      const line = step * 4 + 3;
      issueList.push({
        source: "taskGraph", severity: n % 3 ? "error" : "warning", code: "E_REF_UNRESOLVABLE",
        message: `Reference ${n} does not resolve.`, line, column: 11, endLine: line, endColumn: lines[line - 1].length + 1, path: [],
      });
    }
    return { text: lines.join("\n") + "\n", state: { steps: stepList, issues: issueList } };
  }

  /** Loads the big document into the task-graph editor with its answer; returns the answer. */
  function loadBig(steps, issues) {
    const { text, state } = bigDocument(steps, issues);
    window.EntrypointEditor.setText("taskGraph", text);
    return swap(state);
  }

  window.Harness = { initial, swap, beforeRequest, swapGraph, bigDocument, loadBig };
})();
