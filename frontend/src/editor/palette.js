// "Add" buttons of the task palette: a well-formed step (or artifact output) at the end of the
// target editor, as a snippet whose fields are the required inputs, the first one selected.
import { snippet } from "@codemirror/autocomplete";
import { currentState } from "./server-state.js";
import { indentUnitOf, isBlank, outline } from "./yaml-outline.js";

/** Escapes text for a snippet template, where `${`, `#{`, `{` and `}` are special. */
const literal = (text) => text.replace(/[{}]/g, "\\$&");
const field = (name) => "${" + literal(name) + "}";

/** `base`, or `base_2`, `base_3` ... whichever is not taken. */
function uniqueName(base, taken) {
  if (!taken.has(base)) return base;
  let n = 2;
  while (taken.has(`${base}_${n}`)) n++;
  return `${base}_${n}`;
}

function stepTemplate(name, taskName, task, unit) {
  const required = (task?.inputs ?? []).filter((input) => input.required);
  if (!required.length) return `${literal(name)}:\n${unit}${literal(taskName)}: \\{\\}`;
  const inputs = required.map((input) => `${unit}${unit}${literal(input.name)}: ${field(input.name)}`);
  return [`${literal(name)}:`, `${unit}${literal(taskName)}:`, ...inputs].join("\n");
}

function artifactTemplate(name, taskName, unit) {
  return [
    `${literal(name)}:`,
    `${unit}contents: ${field("step")}`,
    `${unit}task:`,
    `${unit}${unit}name: ${literal(taskName)}`,
    `${unit}${unit}args: \\{\\}`,
  ].join("\n");
}

/**
 * Makes the document end with a blank line and then an empty line indented for a new entry,
 * and returns that change (or null if it already does).
 */
function endingFor(doc, indent) {
  const last = doc.line(doc.lines);
  const previousBlank = doc.lines === 1 || isBlank(doc.line(doc.lines - 1).text);
  if (doc.length === 0 || (last.text.trim() === "" && previousBlank)) {
    return last.text === indent ? null : { from: last.from, to: last.to, insert: indent };
  }
  if (last.text.trim() === "") return { from: last.from, to: last.to, insert: "\n" + indent };
  return { from: doc.length, insert: "\n\n" + indent };
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

  const ending = endingFor(doc, " ".repeat(indent));
  if (ending) view.dispatch({ changes: ending, userEvent: "input.palette" });
  const end = view.state.doc.length;
  snippet(template)(view, null, end, end);
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
