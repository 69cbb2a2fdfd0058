// Entry point of static/js/editor.js: upgrades `textarea[data-codemirror]` into CodeMirror views
// and applies each validation answer htmx swaps in. See frontend/README.md for the DOM contract.
import { completionFor } from "./completion.js";
import { installDirtyGuard, isDirty, markClean } from "./dirty.js";
import { applyIssues, markersOf, markerTracking, noteRequestStart } from "./markers.js";
import { announceStep, cursorStepTracking, installNavigation, revealLinkedStep } from "./navigation.js";
import { installGraphEditing } from "./graph-edit.js";
import { installPalette } from "./palette.js";
import { offsetAt, positionAt } from "./positions.js";
import { readNewState } from "./server-state.js";
import { createEditor, followColorScheme } from "./setup.js";

/** source -> EditorView of the editors on the page. */
const views = new Map();
const viewFor = (source) => views.get(source);

const EDITABLE = "textarea[data-codemirror]:not([data-upgraded])";

/** `data-min-lines` of a `.code-editor`: a whole number of lines, or null (the default height). */
function minLinesOf(container) {
  const lines = Number(container?.dataset.minLines);
  return Number.isInteger(lines) && lines > 0 ? lines : null;
}

function upgrade(root) {
  const found = [...(root.querySelectorAll?.(EDITABLE) ?? [])];
  if (root.matches?.(EDITABLE)) found.unshift(root);
  for (const textarea of found) {
    const container = textarea.closest(".code-editor");
    const source = container?.dataset.source ?? textarea.name;
    const language = container?.dataset.language ?? "yaml";
    // A swap that replaced an editor (e.g. "reload" after a conflict) leaves the old view behind.
    const previous = views.get(source);
    if (previous && !previous.dom.isConnected) previous.destroy();
    textarea.dataset.upgraded = "";
    const view = createEditor(textarea, {
      language,
      readOnly: textarea.readOnly || container?.dataset.readonly != null,
      minLines: minLinesOf(container),
      extensions: [markerTracking, completionFor(source, language), source === "taskGraph" ? cursorStepTracking : []],
    });
    views.set(source, view);
  }
}

/** Applies `#editor-state` if htmx brought a new one (or always, with `force`). */
function applyState({ force = false } = {}) {
  const state = readNewState({ force });
  if (!state) return;
  applyIssues(views, state);
  // The steps may have changed under the cursor; untouched editors highlight nothing.
  const taskGraph = views.get("taskGraph");
  if (taskGraph?.hasFocus) announceStep(taskGraph);
  const appliedAt = performance.now();
  requestAnimationFrame(() =>
    document.dispatchEvent(new CustomEvent("editor-state-applied", { detail: { appliedAt, paintedAt: performance.now() } })),
  );
}

/** ms from re-applying the current `#editor-state` to the next frame (markers painted). */
function measureApply() {
  return new Promise((resolve) => {
    const started = performance.now();
    applyState({ force: true });
    requestAnimationFrame(() => resolve(performance.now() - started));
  });
}

function setText(source, text) {
  const view = views.get(source);
  view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text }, userEvent: "input" });
}

function cursor(source) {
  const { state } = views.get(source);
  return positionAt(state.doc, state.selection.main.head);
}

function setCursor(source, line, column = 1) {
  const view = views.get(source);
  view.dispatch({ selection: { anchor: offsetAt(view.state.doc, line, column) } });
}

/** The markers of an editor with their text and engine-style positions (code points). */
function markers(source) {
  const view = views.get(source);
  const { state } = view;
  return markersOf(view).map((m) => {
    const start = positionAt(state.doc, m.from);
    const end = positionAt(state.doc, m.to);
    const text = state.doc.sliceString(m.from, m.to);
    return { ...m, text, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  });
}

function start() {
  upgrade(document);
  applyState();
  document.addEventListener("htmx:load", (event) => upgrade(event.target));
  document.addEventListener("htmx:beforeRequest", () => noteRequestStart(views.values()));
  // htmx fires afterSwap in the task that swapped, before the next paint; afterSettle (and
  // htmx:load) ~20 ms later. Acting at afterSwap paints markers and editors without that lag.
  document.addEventListener("htmx:afterSwap", () => {
    upgrade(document);
    applyState();
  });
  document.addEventListener("htmx:afterSettle", () => applyState());
  installNavigation(viewFor);
  installPalette(viewFor);
  installGraphEditing(viewFor);
  installDirtyGuard();
  followColorScheme(() => views.values());
  // After the page's other scripts (graph.js listens for the step this selects) have run.
  if (document.readyState === "complete") revealLinkedStep();
  else window.addEventListener("load", revealLinkedStep, { once: true });
  window.addEventListener("hashchange", revealLinkedStep);
}

// Test and debugging hooks (Playwright drives the editors through these).
window.EntrypointEditor = {
  views,
  getText: (source) => views.get(source).state.doc.toString(),
  setText,
  cursor,
  setCursor,
  markers,
  isDirty,
  markClean, // the page's conflict panel calls it before a "reload" link leaves the page
  measureApply,
  applyState,
};

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
