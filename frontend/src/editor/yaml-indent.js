// Indentation of the line Enter opens in a YAML editor. CodeMirror's YAML mode reads it from the
// syntax tree, which puts a key with no value yet (`broken:`, being typed) at column 1; this
// reads the line being broken instead, as one types YAML: one level deeper after `key:`, the same
// indentation otherwise.
import { indentService, syntaxTree } from "@codemirror/language";

// The markers of block sequence items (`- `, `- - `) at the start of the content.
const ITEM_MARKERS = /^(?:-(?: +|$))+/;
// `key: |`, `key: >-`, `- |2`: a block scalar starts on the next line.
const BLOCK_SCALAR = /(?:^|[ :])[|>](?:[1-9][+-]?|[+-][1-9]?)?$/;
const FLOW = new Set(["FlowMapping", "FlowSequence"]);

/** The text without its trailing `# comment` (a `#` after a space, outside quotes). */
function withoutComment(text) {
  let quote = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    const prev = i ? text[i - 1] : " ";
    if (quote === '"' && c === "\\") i++;
    else if (quote && c === quote) quote = null;
    else if (!quote && (c === '"' || c === "'") && /[\s[{,:]/.test(prev)) quote = c;
    else if (!quote && c === "#" && /\s/.test(prev)) return text.slice(0, i);
  }
  return text;
}

/** Inside `[...]` or `{...}` (or one not closed yet), where the mode's indentation is right. */
function inFlowCollection(state, pos) {
  for (let node = syntaxTree(state).resolveInner(pos, -1); node; node = node.parent) {
    if (!FLOW.has(node.name) || node.from >= pos) continue;
    if (node.to > pos || !/[\]}]/.test(state.sliceDoc(node.to - 1, node.to))) return true;
  }
  return false;
}

/**
 * The indentation (columns) of a new line after `before`, the text left of the break:
 * `key:` (comment and spaces ignored) -> one unit deeper than the key; a list item with a key
 * (`- a: 1`) -> the key's column, so its next keys line up; an empty item (`- `) -> where its
 * content goes; a scalar item (`- x`) -> its dash, for the next item; anything else, blank
 * lines too -> the line's own indentation.
 */
export function indentAfter(before, unit) {
  const content = withoutComment(before).trimEnd();
  const indent = /^ */.exec(before)[0].length;
  const markers = ITEM_MARKERS.exec(content.slice(indent))?.[0] ?? "";
  const rest = content.slice(indent + markers.length);
  // Where the item's content starts; a bare `-` at the line end takes the usual one space.
  const column = indent + markers.length + (markers.endsWith("-") ? 1 : 0);
  if (rest.endsWith(":") || BLOCK_SCALAR.test(rest)) return column + unit;
  if (!markers || rest === "") return markers ? column : indent;
  if (/:(?:\s|$)/.test(rest)) return column;
  return indent + markers.trimEnd().lastIndexOf("-");
}

/** The indent service of the YAML editors: only for a line break (Enter); the rest is the mode's. */
export const yamlIndentation = indentService.of((context, pos) => {
  if (context.options.simulateBreak !== pos || inFlowCollection(context.state, pos)) return undefined;
  const line = context.state.doc.lineAt(pos);
  return indentAfter(line.text.slice(0, pos - line.from), context.unit);
});
