"""Command line: `python -m entrypoints.taskgraph validate FILE... [--format json]`.

Exit status 0 when every document is valid, 1 otherwise (2 for usage errors).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .document import validate_document
from .issues import ValidationResult, format_line


def _read(name: str) -> str:
    if name == "-":
        return sys.stdin.read()
    with open(name, "rb") as handle:
        data = handle.read()
    return data.decode("utf-8")


def _validate(
    name: str, artifact_tasks: list[str] | None
) -> tuple[ValidationResult | None, str | None]:
    try:
        text = _read(name)
    except (OSError, UnicodeDecodeError) as error:
        return None, f"cannot read {name}: {error}"
    return validate_document(text, artifact_task_names=artifact_tasks), None


def _print_text(
    name: str, result: ValidationResult | None, problem: str | None, out: TextIO
) -> None:
    if result is None:
        print(f"{name}: error: {problem}", file=out)
        return
    for issue in result.issues:
        where = (issue.line, issue.column)
        print(format_line(name, *where, issue.severity, issue.code, issue.message), file=out)
    errors = len(result.errors)
    warnings = len(result.warnings)
    verdict = "valid" if result.valid else "invalid"
    print(
        f"{name}: {verdict} ({errors} error{'s' * (errors != 1)}, {warnings} "
        f"warning{'s' * (warnings != 1)})",
        file=out,
    )


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="python -m entrypoints.taskgraph", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    validate = commands.add_parser(
        "validate", help="validate full task-graph documents (YAML files)"
    )
    validate.add_argument("files", nargs="+", metavar="FILE", help="YAML files ('-' reads stdin)")
    validate.add_argument("--format", choices=("text", "json"), default="text")
    validate.add_argument(
        "--artifact-task",
        action="append",
        dest="artifact_tasks",
        metavar="NAME",
        help="an artifact task allowed in artifact_outputs (repeatable)",
    )
    args = parser.parse_args(argv)

    all_valid = True
    reports: list[dict[str, Any]] = []
    for name in args.files:
        result, problem = _validate(name, args.artifact_tasks)
        all_valid = all_valid and result is not None and result.valid
        if args.format == "json":
            entry: dict[str, Any] = {"file": name, "valid": bool(result and result.valid)}
            if result is None:
                entry["error"] = problem
                entry["issues"] = []
            else:
                entry["issues"] = [issue.to_dict() for issue in result.issues]
            reports.append(entry)
        else:
            _print_text(name, result, problem, out)
    if args.format == "json":
        json.dump({"valid": all_valid, "files": reports}, out, indent=2, ensure_ascii=False)
        out.write("\n")
    return 0 if all_valid else 1


if __name__ == "__main__":
    sys.exit(main())
