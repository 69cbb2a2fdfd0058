// One CodeMirror view in place of a `textarea[data-codemirror]`, kept in sync with it.
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { python } from "@codemirror/lang-python";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching, foldGutter, foldKeymap, indentOnInput, indentUnit } from "@codemirror/language";
import { lintGutter, lintKeymap } from "@codemirror/lint";
import { highlightSelectionMatches, search, searchKeymap } from "@codemirror/search";
import { Compartment, EditorState } from "@codemirror/state";
import {
  drawSelection,
  dropCursor,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  highlightSpecialChars,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { referenceHighlight } from "./references.js";
import { look, MIN_LINES_PROPERTY } from "./theme.js";
import { yamlIndentation } from "./yaml-indent.js";

const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");
const lookCompartment = new Compartment();
const currentLook = () => look(darkQuery.matches ? "dark" : "light");

const languages = { yaml: () => [yaml(), yamlIndentation], python };

/** Writes the text into the textarea and tells the form (htmx listens for `editor-change`). */
const syncTextarea = (textarea) =>
  EditorView.updateListener.of((update) => {
    if (!update.docChanged) return;
    textarea.value = update.state.doc.toString();
    textarea.dispatchEvent(new CustomEvent("editor-change", { bubbles: true }));
  });

function labelOf(textarea) {
  const label = textarea.labels?.[0];
  return label ? label.textContent.trim() : textarea.name;
}

/**
 * Creates the view after the textarea (which stays in the form, hidden) and returns it.
 * `minLines` overrides the look's minimum height; `extensions` are the page-level behaviours
 * (markers, completion, navigation).
 */
export function createEditor(textarea, { language = "yaml", readOnly = false, minLines = null, extensions = [] } = {}) {
  const state = EditorState.create({
    doc: textarea.value,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      foldGutter(),
      lintGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      dropCursor(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      indentUnit.of("  "),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      search({ top: true }),
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...foldKeymap,
        ...lintKeymap,
        indentWithTab,
      ]),
      (languages[language] ?? languages.yaml)(),
      referenceHighlight,
      lookCompartment.of(currentLook()),
      EditorView.contentAttributes.of({ "aria-label": labelOf(textarea) }),
      minLines ? EditorView.editorAttributes.of({ style: `${MIN_LINES_PROPERTY}: ${minLines}` }) : [],
      readOnly
        ? [
            EditorState.readOnly.of(true),
            EditorView.editable.of(false),
            // Still focusable, so keyboard users can read, select and search it.
            EditorView.contentAttributes.of({ tabindex: "0", "aria-readonly": "true" }),
            EditorView.editorAttributes.of({ class: "cm-readonly" }),
          ]
        : [],
      syncTextarea(textarea),
      extensions,
    ],
  });
  const view = new EditorView({ state });
  textarea.after(view.dom);
  textarea.style.display = "none";
  // The form sends what the editor shows: `\n` line endings, whatever the textarea held.
  textarea.value = state.doc.toString();
  textarea.labels?.forEach((label) => label.addEventListener("click", () => view.focus()));
  return view;
}

/** Switches every live view between the light and dark look when the system preference does. */
export function followColorScheme(views) {
  darkQuery.addEventListener("change", () => {
    for (const view of views()) view.dispatch({ effects: lookCompartment.reconfigure(currentLook()) });
  });
}
