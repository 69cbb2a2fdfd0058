// Moving between the issue list, the graph and the editors.
import { EditorSelection } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { offsetAt } from "./positions.js";
import { currentState } from "./server-state.js";
import { headOf, outline } from "./yaml-outline.js";

/** Puts the cursor at `offset`, focuses the editor and scrolls the spot into view. */
export function revealOffset(view, offset) {
  view.dispatch({
    selection: EditorSelection.cursor(offset),
    effects: EditorView.scrollIntoView(offset, { y: "center" }),
    userEvent: "select",
  });
  view.focus();
}

function revealIssue(viewFor, element) {
  const view = viewFor(element.dataset.source);
  const line = Number(element.dataset.line);
  if (!view || !line) return;
  revealOffset(view, offsetAt(view.state.doc, line, Number(element.dataset.column) || 1));
}

/** The offset of a step's key: found by name in the current text, else at its reported line. */
function stepKeyOffset(view, source, { step, line }) {
  const { doc } = view.state;
  const entry = step != null && outline(doc, source).entries.find((e) => e.name === step);
  const target = doc.line(Math.min(Math.max(1, entry ? entry.line : Number(line) || 1), doc.lines));
  return target.from + /^\s*/.exec(target.text)[0].length;
}

/**
 * The step containing line `lineNo`: read from the current text, whose lines are right even
 * while an answer is on its way; from the last verdict's step lines when the text shows no
 * block-style steps (a flow mapping, say).
 */
function stepAtLine(doc, lineNo) {
  const { entries } = outline(doc, "taskGraph");
  return headOf(entries.length ? entries : currentState().steps ?? [], lineNo)?.name ?? null;
}

let announcedStep;

/** Tells the graph which step the cursor is in (`editor-step`), when that changes. */
export function announceStep(view) {
  const { doc, selection } = view.state;
  const step = stepAtLine(doc, doc.lineAt(selection.main.head).number);
  if (step === announcedStep) return;
  announcedStep = step;
  document.dispatchEvent(new CustomEvent("editor-step", { detail: { step } }));
}

export const cursorStepTracking = EditorView.updateListener.of((update) => {
  if (update.selectionSet || update.docChanged) announceStep(update.view);
});

/**
 * A deep link `#step=<name>` (e.g. `/entrypoints/7/?snapshot=41#step=train`) opens the page
 * with that step selected, as a click on its graph node would.
 */
export function revealLinkedStep() {
  const match = /^#step=(.+)$/.exec(window.location.hash);
  if (!match) return;
  const step = decodeURIComponent(match[1]);
  const node = [...document.querySelectorAll("g.node.step[data-step]")].find((n) => n.dataset.step === step);
  document.dispatchEvent(
    new CustomEvent("graph-select", { detail: { source: "taskGraph", step, line: node?.dataset.line } }),
  );
}

export function installNavigation(viewFor) {
  document.addEventListener("click", (event) => {
    const issue = event.target.closest?.(".issue[data-line]");
    if (issue && !event.target.closest("a, button")) revealIssue(viewFor, issue);
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches?.(".issue[data-line]")) return;
    event.preventDefault();
    revealIssue(viewFor, event.target);
  });
  document.addEventListener("graph-select", (event) => {
    const detail = event.detail ?? {};
    const source = detail.source || "taskGraph";
    const view = viewFor(source);
    if (view) revealOffset(view, stepKeyOffset(view, source, detail));
  });
}
