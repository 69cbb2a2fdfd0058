// Lint markers from the server's verdict. The verdict's positions refer to the text as it was
// when the request left; what the user typed since is mapped over, so markers stay on their
// text until the next answer (already on its way) replaces them.
import { forEachDiagnostic, setDiagnostics } from "@codemirror/lint";
import { ChangeSet } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { rangeAt } from "./positions.js";

/** view -> {doc, changes}: the text the pending request carries, and the changes made since. */
const sinceRequest = new WeakMap();

export const markerTracking = EditorView.updateListener.of((update) => {
  const pending = sinceRequest.get(update.view);
  // A request may leave from an earlier listener of this very update (`editor-change` with no
  // trigger delay): that update's text is the request's own, not a change since.
  if (pending && update.docChanged && update.state.doc !== pending.doc) {
    pending.changes = pending.changes.compose(update.changes);
  }
});

/** Call when a request carrying the editors' text leaves (`htmx:beforeRequest`). */
export function noteRequestStart(views) {
  for (const view of views) {
    sinceRequest.set(view, { doc: view.state.doc, changes: ChangeSet.empty(view.state.doc.length) });
  }
}

function diagnosticsFor(issues, doc, changes) {
  const diagnostics = [];
  for (const issue of issues) {
    if (issue.line == null) continue;
    let { from, to } = rangeAt(doc, issue);
    if (changes) {
      from = changes.mapPos(from, 1);
      to = Math.max(from, changes.mapPos(to, -1));
    }
    diagnostics.push({
      from,
      to,
      severity: issue.severity === "error" ? "error" : "warning",
      message: `${issue.code}: ${issue.message}`,
    });
  }
  return diagnostics;
}

/** Replaces each editor's markers by the issues of its source in `state`. */
export function applyIssues(views, state) {
  const bySource = new Map();
  for (const issue of state.issues ?? []) {
    if (!bySource.has(issue.source)) bySource.set(issue.source, []);
    bySource.get(issue.source).push(issue);
  }
  for (const [source, view] of views) {
    const pending = sinceRequest.get(view);
    sinceRequest.delete(view);
    const doc = pending ? pending.doc : view.state.doc;
    const changes = pending && !pending.changes.empty ? pending.changes : null;
    view.dispatch(setDiagnostics(view.state, diagnosticsFor(bySource.get(source) ?? [], doc, changes)));
  }
}

/** The markers of a view as they stand now: [{from, to, severity, message}]. */
export function markersOf(view) {
  const markers = [];
  forEachDiagnostic(view.state, (d, from, to) => markers.push({ from, to, severity: d.severity, message: d.message }));
  return markers;
}
