"""Side-by-side line diffs of two texts, for templates (conflicts, history, the admin)."""

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class DiffRow:
    """One row of a side-by-side diff: ``kind`` is ``same``, ``changed``, ``added`` or
    ``removed``; a side with no line has ``None`` for its number and text."""

    kind: str
    old_number: int | None
    old_text: str | None
    new_number: int | None
    new_text: str | None


def line_diff(old: str, new: str, *, context: int | None = 3) -> list[DiffRow | None]:
    """The rows of a side-by-side diff of ``old`` and ``new``; ``None`` marks skipped unchanged
    lines when ``context`` limits how many are kept around each change."""
    a, b = (old or "").split("\n"), (new or "").split("\n")
    rows: list[DiffRow] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows += [
                DiffRow("same", i + 1, a[i], j + 1, b[j])
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True)
            ]
            continue
        old_lines, new_lines = list(range(i1, i2)), list(range(j1, j2))
        for k in range(max(len(old_lines), len(new_lines))):
            i = old_lines[k] if k < len(old_lines) else None
            j = new_lines[k] if k < len(new_lines) else None
            kind = (
                "changed"
                if i is not None and j is not None
                else ("removed" if j is None else "added")
            )
            rows.append(
                DiffRow(
                    kind,
                    None if i is None else i + 1,
                    None if i is None else a[i],
                    None if j is None else j + 1,
                    None if j is None else b[j],
                )
            )
    return rows if context is None else _with_context(rows, context)


def _with_context(rows: list[DiffRow], context: int) -> list[DiffRow | None]:
    changed = [n for n, row in enumerate(rows) if row.kind != "same"]
    keep = {n for c in changed for n in range(c - context, c + context + 1)}
    out: list[DiffRow | None] = []
    for n, row in enumerate(rows):
        if n in keep:
            out.append(row)
        elif out and out[-1] is not None:
            out.append(None)
    return out


def has_changes(rows) -> bool:
    return any(row is not None and row.kind != "same" for row in rows)
