// "Add" buttons of the task palette: a well-formed step (or artifact output) at the end of the
// target editor, as a snippet whose fields are the required inputs, the first one selected.
import { snippet } from "@codemirror/autocomplete";
import { currentState } from "./server-state.js";
import { indentUnitOf, outline } from "./yaml-outline.js";

/** Escapes text for a snippet template, where `${`, `#{`, `{` and `}` are special. */
const literal = (text) => text.replace(/[{}]/g, "\\$&");
// Field `n` (1, 2, ...; Tab goes in that order) shows `name` (an identifier: no braces).
const field = (n, name) => "${" + n + ":" + name + "}";
// Where Tab after the last field leaves the snippet: the end of the entry.
const END = "${0}";

/** `base`, or `base_2`, `base_3` ... whichever is not taken. */
function uniqueName(base, taken) {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}

function stepTemplate(name, taskName, task, unit) {
  const required = (task?.inputs ?? []).filter((input) => input.required);
  if (!required.length) return `${literal(name)}:\n${unit}${literal(taskName)}: \\{\\}${END}`;
  const inputs = required.map((input, i) => `${unit}${unit}${literal(input.name)}: ${field(i + 1, input.name)}`);
  return [`${literal(name)}:`, `${unit}${literal(taskName)}:`, ...inputs].join("\n") + END;
}

function artifactTemplate(name, taskName, unit) {
  return [
    `${literal(name)}:`,
    `${unit}contents: ${field(1, "step")}`,
    `${unit}task:`,
    `${unit}${unit}name: ${literal(taskName)}`,
    `${unit}${unit}args: \\{\\}${END}`,
  ].join("\n");
}

const blank = (line) => line.text.trim() === "";

/**
 * The change that makes the document end with a blank line (none if it is empty), a line
 * holding `indent` (where the entry goes) and a final newline.
 */
function endingFor(doc, indent) {
  const last = doc.line(doc.lines);
  const line = indent + "\n";
  if (!blank(last)) return { from: doc.length, insert: "\n\n" + line };
  const separated = doc.lines === 1 || blank(doc.line(doc.lines - 1));
  return { from: last.from, to: last.to, insert: separated ? line : "\n" + line };
}

/** Appends the palette entry for `taskName` to `view` (the editor of `target`). */
export function insertTask(view, target, taskName) {
  const state = currentState();
  const { doc } = view.state;
  const { indent, entries } = outline(doc, target);
  const unit = " ".repeat(indentUnitOf(doc, target));
  const known = target === "taskGraph" ? state.steps : state.artifactOutputs;
  const name = uniqueName(taskName, new Set([...(known ?? []).map((e) => e.name), ...entries.map((e) => e.name)]));
  const template = target === "taskGraph"
    ? stepTemplate(name, taskName, state.tasks?.[taskName], unit)
    : artifactTemplate(name, taskName, unit);

  // The entry goes before the final newline, on the line that carries its indentation (which the
  // snippet gives its other lines); the cursor goes there too, so nothing selected is replaced.
  const changes = endingFor(doc, " ".repeat(indent));
  const at = changes.from + changes.insert.length - 1;
  view.dispatch({ changes, selection: { anchor: at }, userEvent: "input.palette" });
  snippet(template)(view, null, at, at);
  view.focus();
}

/** Wires the `.palette-insert` buttons (server-rendered, swapped by htmx: delegated). */
export function installPalette(viewFor) {
  document.addEventListener("click", (event) => {
    const button = event.target.closest?.("button.palette-insert[data-task]");
    if (!button || button.disabled) return;
    const target = button.dataset.target || "taskGraph";
    const view = viewFor(target);
    if (!view || view.state.readOnly) return;
    insertTask(view, target, button.dataset.task);
  });
}
