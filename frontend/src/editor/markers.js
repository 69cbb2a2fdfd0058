// Lint markers from the server's verdict. The verdict's positions refer to the text as it was
// when the request left; what the user typed since is mapped over, so markers stay on their
// text until the next answer (already on its way) replaces them.
import { forEachDiagnostic, setDiagnostics } from "@codemirror/lint";
import { ChangeSet, StateEffect, StateField } from "@codemirror/state";
import { rangeAt } from "./positions.js";

const requestStarted = StateEffect.define();
const answerApplied = StateEffect.define();

/** {doc, changes} of the text the pending request carries, or null. */
const sinceRequest = StateField.define({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) {
      if (effect.is(requestStarted)) return { doc: tr.state.doc, changes: ChangeSet.empty(tr.state.doc.length) };
      if (effect.is(answerApplied)) return null;
    }
    return value && tr.docChanged ? { doc: value.doc, changes: value.changes.compose(tr.changes) } : value;
  },
});

export const markerTracking = sinceRequest;

/** Call when a request carrying the editors' text leaves (`htmx:beforeRequest`). */
export function noteRequestStart(views) {
  for (const view of views) view.dispatch({ effects: requestStarted.of(null) });
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
    const pending = view.state.field(sinceRequest, false);
    const doc = pending ? pending.doc : view.state.doc;
    const changes = pending && !pending.changes.empty ? pending.changes : null;
    const spec = setDiagnostics(view.state, diagnosticsFor(bySource.get(source) ?? [], doc, changes));
    view.dispatch({ ...spec, effects: [...[spec.effects ?? []].flat(), answerApplied.of(null)] });
  }
}

/** The markers of a view as they stand now: [{from, to, severity, message}]. */
export function markersOf(view) {
  const markers = [];
  forEachDiagnostic(view.state, (d, from, to) => markers.push({ from, to, severity: d.severity, message: d.message }));
  return markers;
}
