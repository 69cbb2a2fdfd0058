// The engine counts columns in Unicode code points; CodeMirror offsets count UTF-16 units.
// Both split lines at \n, \r\n and \r, so only the column needs converting.

/** UTF-16 length of the first `count` code points of `text` (stops at the end of the text). */
function unitsForCodePoints(text, count) {
  let units = 0;
  for (let seen = 0; seen < count && units < text.length; seen++) {
    units += text.codePointAt(units) > 0xffff ? 2 : 1;
  }
  return units;
}

/** Document offset of 1-based (line, column in code points), clamped to the line and the doc. */
export function offsetAt(doc, line, column) {
  const lineNo = Math.min(Math.max(1, line), doc.lines);
  const { from, text } = doc.line(lineNo);
  return from + unitsForCodePoints(text, Math.max(1, column || 1) - 1);
}

/** 1-based {line, column} (column in code points) of a document offset. */
export function positionAt(doc, offset) {
  const line = doc.lineAt(Math.min(Math.max(0, offset), doc.length));
  const column = [...line.text.slice(0, offset - line.from)].length + 1;
  return { line: line.number, column };
}

/**
 * The {from, to} offsets of an engine range (end exclusive). An empty range is widened to one
 * character (one code point), or stays a point at the end of its line.
 */
export function rangeAt(doc, { line, column, endLine, endColumn }) {
  const from = offsetAt(doc, line, column);
  let to = endLine == null ? from : offsetAt(doc, endLine, endColumn);
  if (to <= from) {
    const lineEnd = doc.lineAt(from).to;
    to = from < lineEnd ? from + (doc.sliceString(from, from + 2).codePointAt(0) > 0xffff ? 2 : 1) : from;
  }
  return { from, to };
}
