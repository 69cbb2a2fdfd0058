// Light and dark looks for CodeMirror. Only CodeMirror's own classes are styled here; the page's
// CSS (static/css/app.css) owns everything around the editor. A page may tune the colours with
// the --editor-* custom properties named below.
import { HighlightStyle, syntaxHighlighting } from "@codemirror/language";
import { EditorView } from "@codemirror/view";
import { tags as t } from "@lezer/highlight";

const MONO = 'var(--mono, ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace)';
const LINE_HEIGHT = 1.5;
const MIN_LINES = 20;
/** Set on an editor (from `data-min-lines`) to change its minimum height, in lines. */
export const MIN_LINES_PROPERTY = "--editor-min-lines";

const palettes = {
  light: {
    bg: "#ffffff", fg: "#1f2937", gutterBg: "#f8fafc", gutterFg: "#6b7280", border: "#d1d5db",
    activeLine: "#f1f5f9", selection: "#bfdbfe", cursor: "#111827", focus: "#2563eb",
    panelBg: "#f8fafc", tooltipBg: "#ffffff", match: "#fde68a",
    key: "#1d4ed8", string: "#047857", comment: "#6b7280", meta: "#7c3aed",
    reference: "#b45309", readonlyBg: "#f8fafc",
  },
  dark: {
    bg: "#111827", fg: "#e5e7eb", gutterBg: "#0b1220", gutterFg: "#6b7280", border: "#374151",
    activeLine: "#1f2937", selection: "#1e3a8a", cursor: "#f9fafb", focus: "#60a5fa",
    panelBg: "#1f2937", tooltipBg: "#1f2937", match: "#78350f",
    key: "#93c5fd", string: "#6ee7b7", comment: "#9ca3af", meta: "#c4b5fd",
    reference: "#fbbf24", readonlyBg: "#0b1220",
  },
};

function editorTheme(p, dark) {
  const v = (name, value) => `var(--editor-${name}, ${value})`;
  return EditorView.theme(
    {
      "&": {
        color: v("fg", p.fg),
        backgroundColor: v("bg", p.bg),
        border: `1px solid ${v("border", p.border)}`,
        borderRadius: "6px",
        fontSize: "14px",
        maxHeight: "75vh",
      },
      // Page rules for form layout (`form div { margin-bottom }`) must not reach CodeMirror's
      // own divs (lines, gutter cells): they would break its height measurements.
      "& div": { marginBottom: "0" },
      "&.cm-focused": { outline: `2px solid ${v("focus", p.focus)}`, outlineOffset: "-1px" },
      "&.cm-readonly": { backgroundColor: v("readonly-bg", p.readonlyBg) },
      ".cm-scroller": { fontFamily: MONO, lineHeight: String(LINE_HEIGHT), overflow: "auto" },
      ".cm-content, .cm-gutter": { minHeight: `calc(var(${MIN_LINES_PROPERTY}, ${MIN_LINES}) * ${LINE_HEIGHT}em)` },
      ".cm-content": { caretColor: v("cursor", p.cursor) },
      ".cm-cursor, .cm-dropCursor": { borderLeftColor: v("cursor", p.cursor) },
      "&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, .cm-content ::selection":
        { backgroundColor: v("selection", p.selection) },
      ".cm-activeLine": { backgroundColor: v("active-line", p.activeLine) },
      ".cm-gutters": {
        backgroundColor: v("gutter-bg", p.gutterBg),
        color: v("gutter-fg", p.gutterFg),
        borderRight: `1px solid ${v("border", p.border)}`,
        borderRadius: "6px 0 0 6px",
      },
      ".cm-activeLineGutter": { backgroundColor: v("active-line", p.activeLine) },
      ".cm-searchMatch": { backgroundColor: v("match", p.match), outline: "none" },
      ".cm-selectionMatch": { backgroundColor: v("active-line", p.activeLine) },
      "&.cm-focused .cm-matchingBracket": { outline: `1px solid ${v("gutter-fg", p.gutterFg)}`, backgroundColor: "transparent" },
      ".cm-reference": { color: v("reference", p.reference) },
      // Panels and tooltips are UI, not code: they use the page's font.
      ".cm-panels": {
        backgroundColor: v("panel-bg", p.panelBg),
        color: v("fg", p.fg),
        fontFamily: "inherit",
      },
      ".cm-panels.cm-panels-top": { borderBottom: `1px solid ${v("border", p.border)}` },
      ".cm-panels.cm-panels-bottom": { borderTop: `1px solid ${v("border", p.border)}` },
      ".cm-panel input, .cm-panel button, .cm-panel label": { fontFamily: "inherit", fontSize: "13px" },
      ".cm-panel input[type=text], .cm-panel .cm-textfield": {
        width: "auto", color: "inherit", backgroundColor: v("bg", p.bg), border: `1px solid ${v("border", p.border)}`,
      },
      ".cm-panel button, .cm-button": {
        backgroundImage: "none", backgroundColor: v("bg", p.bg), color: "inherit",
        border: `1px solid ${v("border", p.border)}`, borderRadius: "4px", padding: "1px 8px",
      },
      ".cm-tooltip": {
        backgroundColor: v("tooltip-bg", p.tooltipBg),
        color: v("fg", p.fg),
        border: `1px solid ${v("border", p.border)}`,
        borderRadius: "6px",
        fontFamily: "inherit",
        boxShadow: "0 4px 12px rgba(0, 0, 0, 0.15)",
      },
      ".cm-tooltip.cm-tooltip-autocomplete > ul": { fontFamily: MONO, maxHeight: "16em" },
      ".cm-tooltip.cm-tooltip-autocomplete > ul > li[aria-selected]": {
        backgroundColor: v("focus", p.focus), color: "#fff",
      },
      ".cm-completionDetail": { opacity: "0.75", fontStyle: "normal", marginLeft: "1em" },
      ".cm-diagnostic": { fontFamily: "inherit", whiteSpace: "pre-wrap" },
      ".cm-foldPlaceholder": { backgroundColor: v("active-line", p.activeLine), border: "none", color: v("gutter-fg", p.gutterFg) },
    },
    { dark },
  );
}

function highlightStyle(p) {
  return HighlightStyle.define([
    { tag: t.definition(t.propertyName), color: p.key },
    { tag: [t.propertyName, t.attributeName], color: p.key },
    { tag: [t.string, t.special(t.string)], color: p.string },
    { tag: [t.lineComment, t.blockComment, t.comment], color: p.comment, fontStyle: "italic" },
    { tag: [t.meta, t.keyword, t.typeName, t.labelName], color: p.meta },
    { tag: [t.number, t.bool, t.null, t.atom], color: p.meta },
    { tag: [t.separator, t.punctuation, t.bracket], color: p.gutterFg },
    { tag: [t.definitionKeyword, t.controlKeyword, t.operatorKeyword, t.moduleKeyword], color: p.meta },
    { tag: [t.function(t.variableName), t.className], color: p.key },
  ]);
}

/** The extension of one look: "light" or "dark". */
export function look(name) {
  const p = palettes[name];
  return [editorTheme(p, name === "dark"), syntaxHighlighting(highlightStyle(p))];
}
