// A line-based reading of block-style YAML, good enough to know where the cursor is (which step,
// which key) while the text is being typed and may not parse. The server's parser is the truth;
// this only guides completion, the palette and navigation.

// `key:` or `key: value` at the start of a line (plain, "double" or 'single' quoted key).
const KEY_LINE = /^( *)("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?:[ \t]+(.*?))?[ \t]*(?:#.*)?$/;

const WRAPPERS = {
  taskGraph: { names: ["graph"], forbiddenChildren: [] },
  artifactGraph: { names: ["artifact_outputs", "artifacts"], forbiddenChildren: ["contents", "task"] },
};

export function indentOf(text) {
  return /^ */.exec(text)[0].length;
}

export function isBlank(text) {
  return /^\s*(?:#.*)?$/.test(text);
}

function unquote(key) {
  if (key.startsWith('"')) return key.slice(1, -1).replace(/\\(.)/g, "$1");
  if (key.startsWith("'")) return key.slice(1, -1).replace(/''/g, "'");
  return key;
}

/** {indent, name, value} of a `key:` line, or null. `value` is "" when nothing follows. */
export function keyLine(text) {
  const match = KEY_LINE.exec(text);
  if (!match) return null;
  return { indent: match[1].length, name: unquote(match[2]), value: match[3] ?? "" };
}

/** The keys directly under the key on line `parentLine` (1-based), with their lines. */
export function childKeys(doc, parentLine) {
  const parentIndent = indentOf(doc.line(parentLine).text);
  const children = [];
  let childIndent = null;
  for (let n = parentLine + 1; n <= doc.lines; n++) {
    const text = doc.line(n).text;
    if (isBlank(text)) continue;
    const indent = indentOf(text);
    if (indent <= parentIndent) break;
    childIndent ??= indent;
    const key = indent === childIndent ? keyLine(text) : null;
    if (key) children.push({ ...key, line: n });
  }
  return children;
}

/**
 * The top-level entries of a graph text (steps, or artifact outputs), seeing through the
 * optional single wrapper key (`graph:`; `artifact_outputs:`) as the engine does.
 * Returns {wrapper: line number or null, indent, entries: [{name, line, value}]}.
 */
export function outline(doc, source = "taskGraph") {
  const top = [];
  for (let n = 1; n <= doc.lines; n++) {
    const text = doc.line(n).text;
    if (isBlank(text) || indentOf(text) > 0) continue;
    const key = keyLine(text);
    if (key) top.push({ ...key, line: n });
  }
  const wrapper = WRAPPERS[source];
  if (wrapper && top.length === 1 && top[0].value === "" && wrapper.names.includes(top[0].name)) {
    const entries = childKeys(doc, top[0].line);
    if (entries.length && !entries.some((e) => wrapper.forbiddenChildren.includes(e.name))) {
      return { wrapper: top[0].line, indent: entries[0].indent, entries };
    }
  }
  return { wrapper: null, indent: 0, entries: top };
}

/** Of items with a `line`, the one starting last on or before `lineNo` (a block's head), or null. */
export function headOf(items, lineNo) {
  let found = null;
  for (const item of items) {
    if (item.line != null && item.line <= lineNo && (!found || item.line >= found.line)) found = item;
  }
  return found;
}

/** The entry (step) whose block contains line `lineNo`, or null. */
export function entryAt(doc, lineNo, source = "taskGraph") {
  return headOf(outline(doc, source).entries, lineNo);
}

/**
 * The keys enclosing a line that is indented by `indent`, nearest first:
 * [{name, value, line, indent}]. A non-key line on the way (a list item) has name null.
 */
export function ancestors(doc, lineNo, indent) {
  const chain = [];
  let limit = indent;
  for (let n = lineNo - 1; n >= 1 && limit > 0; n--) {
    const text = doc.line(n).text;
    if (isBlank(text)) continue;
    const lineIndent = indentOf(text);
    if (lineIndent >= limit) continue;
    const key = keyLine(text);
    chain.push(key ? { ...key, line: n } : { name: null, value: "", indent: lineIndent, line: n });
    limit = lineIndent;
  }
  return chain;
}

/** The indentation step the document uses (spaces), 2 when it shows none. */
export function indentUnitOf(doc, source = "taskGraph") {
  const { entries } = outline(doc, source);
  for (const entry of entries) {
    const children = childKeys(doc, entry.line);
    if (children.length) return children[0].indent - entry.indent;
  }
  return 2;
}
