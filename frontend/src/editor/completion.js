// Completion for the graph editors, from the latest verdict (steps, parameters, tasks) and a
// line-based reading of the text around the cursor (which may not parse while being typed).
import {
  acceptCompletion,
  autocompletion,
  closeCompletion,
  completionKeymap,
  moveCompletionSelection,
  selectedCompletion,
} from "@codemirror/autocomplete";
import { Prec } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";
import { currentState } from "./server-state.js";
import { ancestors, childKeys, entryAt, outline } from "./yaml-outline.js";

const NAME = "[\\p{L}\\p{N}_.-]*";
// A `$` that starts a scalar, a flow item or a quoted string (`$$` is an escape, not a ref).
const REFERENCE_BEFORE = new RegExp(`(?:^|[\\s\\[,{:"'])(\\$${NAME})$`, "u");
const KEY_BEFORE = new RegExp(`^( *)(${NAME})$`, "u");
const VALUE_BEFORE = new RegExp(`^( *)([^\\s:#][^:#]*?):[ \\t]+(${NAME})$`, "u");
const VALID_REFERENCE = new RegExp(`^\\$${NAME}$`, "u");
const VALID_NAME = new RegExp(`^${NAME}$`, "u");
// What completion would replace: the reference or name just left of the cursor.
const TYPED = new RegExp(`\\$?${NAME}$`, "u");

/** `data*: any, lr: number -> model` (`*` = required), as the palette shows it. */
export function signature(task) {
  if (!task) return "";
  const inputs = task.inputs == null ? "any arguments" : task.inputs.map((i) => `${i.name}${i.required ? "*" : ""}: ${i.type}`).join(", ");
  const outputs = (task.outputs ?? []).map((o) => o.name).join(", ");
  return outputs ? `${inputs} → ${outputs}` : inputs;
}

function outputNames(outputs) {
  return (outputs ?? []).map((o) => (typeof o === "string" ? o : o.name));
}

/** `$name` for what has one value, `$name.output` for each output of what has several. */
function referenceOptionsOf(name, outputs, detail) {
  if (outputs.length > 1) return outputs.map((output) => ({ label: `$${name}.${output}`, type: "property", detail }));
  return [{ label: `$${name}`, type: "variable", detail: outputs.length ? `${detail} → ${outputs[0]}` : detail }];
}

function referenceOptions(state, excludedStep) {
  const options = new Map();
  const add = (list) => list.forEach((option) => options.has(option.label) || options.set(option.label, option));
  add((state.parameters ?? []).map((name) => ({ label: `$${name}`, type: "variable", detail: "parameter", boost: 1 })));
  for (const input of state.artifactInputs ?? []) add(referenceOptionsOf(input.name, outputNames(input.outputs), "artifact input"));
  for (const step of state.steps ?? []) {
    if (step.name !== excludedStep) add(referenceOptionsOf(step.name, outputNames(step.outputs), step.task ?? "step"));
  }
  return [...options.values()];
}

function taskOptions(tasks, suffix) {
  return Object.entries(tasks ?? {}).map(([name, task]) => ({
    label: name,
    type: "function",
    detail: signature(task),
    apply: name + suffix,
  }));
}

function inputOptions(task, given) {
  return (task?.inputs ?? [])
    .filter((input) => !given.has(input.name))
    .map((input) => ({
      label: input.name,
      type: "property",
      detail: input.required ? `${input.type}, required` : input.type,
      boost: input.required ? 1 : 0,
      apply: `${input.name}: `,
    }));
}

/** Keys already written under the key on `parentLine`, except on the cursor's own line. */
function givenKeys(doc, parentLine, ownLine) {
  return new Set(childKeys(doc, parentLine).filter((k) => k.line !== ownLine).map((k) => k.name));
}

/** The enclosing keys of the cursor line, outermost first, without the `graph:` wrapper. */
function pathAt(doc, source, lineNo, indent) {
  const { wrapper, entries } = outline(doc, source);
  const chain = ancestors(doc, lineNo, indent).reverse();
  if (wrapper && chain[0]?.line === wrapper) chain.shift();
  return chain.length && entries.some((entry) => entry.line === chain[0].line) ? chain : null;
}

function taskGraphKeyOptions(doc, state, chain, lineNo, suffix) {
  if (chain.length === 1) return taskOptions(state.tasks, suffix);
  if (chain.length !== 2) return null;
  const [step, parent] = chain;
  const given = givenKeys(doc, parent.line, lineNo);
  if (parent.name === "kwargs") {
    const taskKey = childKeys(doc, step.line).find((k) => k.name === "task");
    return taskKey ? inputOptions(state.tasks?.[taskKey.value], given) : null;
  }
  return state.tasks?.[parent.name] ? inputOptions(state.tasks[parent.name], given) : null;
}

function artifactKeyOptions(doc, state, chain, lineNo) {
  if (chain.length !== 3 || chain[1].name !== "task" || !["args", "kwargs"].includes(chain[2].name)) return null;
  const nameKey = childKeys(doc, chain[1].line).find((k) => k.name === "name");
  return nameKey ? inputOptions(state.artifactTasks?.[nameKey.value], givenKeys(doc, chain[2].line, lineNo)) : null;
}

/** The completion source of the editor for `source` ("taskGraph" or "artifactGraph"). */
function graphCompletions(source) {
  return (context) => {
    const { doc } = context.state;
    const line = doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const state = currentState();

    const reference = REFERENCE_BEFORE.exec(before);
    if (reference) {
      const current = source === "taskGraph" ? entryAt(doc, line.number, source)?.name : undefined;
      return {
        from: context.pos - reference[1].length,
        options: referenceOptions(state, current),
        validFor: VALID_REFERENCE,
      };
    }

    const key = KEY_BEFORE.exec(before);
    if (key && (key[2] || context.explicit)) {
      const chain = pathAt(doc, source, line.number, key[1].length);
      if (!chain) return null;
      const after = line.text.slice(context.pos - line.from);
      const suffix = /^\s*:/.test(after) ? "" : ":";
      const options = source === "taskGraph"
        ? taskGraphKeyOptions(doc, state, chain, line.number, suffix)
        : artifactKeyOptions(doc, state, chain, line.number);
      return options?.length ? { from: context.pos - key[2].length, options, validFor: VALID_NAME } : null;
    }

    const value = VALUE_BEFORE.exec(before);
    if (value) {
      const chain = pathAt(doc, source, line.number, value[1].length);
      const name = value[2].trim();
      let options = null;
      if (source === "taskGraph" && chain?.length === 1 && name === "task") options = taskOptions(state.tasks, "");
      if (source === "artifactGraph" && chain?.length === 2 && chain[1].name === "task" && name === "name") {
        options = taskOptions(state.artifactTasks, "");
      }
      return options?.length ? { from: context.pos - value[3].length, options, validFor: VALID_NAME } : null;
    }
    return null;
  };
}

// Enter and completion. The popup opens while typing (`$`, or a name where one goes) and its
// matching is fuzzy, so Enter after `x: $missing` or `nope` could swap in another name instead of
// ending the line. Enter takes the selected option only when it completes what was typed (the
// option starts with it) or after the user moved in the list; otherwise it closes the list and
// breaks the line. Tab is left to indentation and snippet fields.

/** Views whose open list the user has moved in with the arrow or page keys. */
const navigated = new WeakSet();

const moveAndNote = (forward, by) => (view) => {
  if (!moveCompletionSelection(forward, by)(view)) return false;
  navigated.add(view);
  return true;
};

function acceptOnEnter(view) {
  const option = selectedCompletion(view.state);
  if (!option) return false;
  const { head } = view.state.selection.main;
  const line = view.state.doc.lineAt(head);
  const typed = TYPED.exec(line.text.slice(0, head - line.from))[0];
  if (navigated.has(view) || (option.label.startsWith(typed) && option.label !== typed)) return acceptCompletion(view);
  closeCompletion(view);
  return false; // on to the newline
}

const replacements = {
  Enter: acceptOnEnter,
  ArrowDown: moveAndNote(true),
  ArrowUp: moveAndNote(false),
  PageDown: moveAndNote(true, "page"),
  PageUp: moveAndNote(false, "page"),
};

const completionKeys = [
  Prec.highest(keymap.of(completionKeymap.map((binding) => (replacements[binding.key] ? { ...binding, run: replacements[binding.key] } : binding)))),
  // A choice made in the list holds until the text changes or the list closes.
  EditorView.updateListener.of((update) => {
    if (update.docChanged || !selectedCompletion(update.state)) navigated.delete(update.view);
  }),
];

/** The autocompletion extension (with its keys) for an editor of `source` in `language`. */
export function completionFor(source, language) {
  const config = language === "yaml" ? { override: [graphCompletions(source)] } : {};
  return [autocompletion({ ...config, defaultKeymap: false }), completionKeys];
}
