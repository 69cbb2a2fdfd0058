"""`validate_document`: a full task-graph document (YAML text or an already-loaded mapping)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from .analysis import analyze
from .issues import Issue, ValidationResult, make_result
from .limits import DEFAULT_LIMITS, Limits
from .locators import DocumentLocator, Locator, loader_issues, make_issue
from .positions import TextPositions
from .report import Report
from .state import Analysis, Options
from .yaml_loader import load_text


class DocumentAnalysis:
    """What `graph_model` draws from: the analysis and how to locate its nodes."""

    def __init__(self, analysis: Analysis, locator: Locator) -> None:
        self.analysis = analysis
        self.locator = locator


class _TooDeep(Exception):
    pass


def _normalize(value: Any, depth: int, limit: int, path: tuple, report: Report, active: set) -> Any:
    """Plain dicts and lists from arbitrary mappings/sequences, with the depth cap applied."""
    if value is None or isinstance(value, (str, bytes, int, float)):
        return value
    if not isinstance(value, (Mapping, list, tuple)):
        return value
    if depth >= limit or id(value) in active:
        report.add(
            "E_LIMIT_DEPTH",
            f"Nesting is deeper than {limit} levels (or the value contains itself); flatten it.",
            path,
        )
        raise _TooDeep
    active.add(id(value))
    try:
        if isinstance(value, Mapping):
            return {
                key: _normalize(item, depth + 1, limit, path + (key,), report, active)
                for key, item in value.items()
            }
        return [
            _normalize(item, depth + 1, limit, path + (i,), report, active)
            for i, item in enumerate(value)
        ]
    finally:
        active.discard(id(value))


def normalize_mapping(document: Any, limits: Limits, report: Report) -> tuple[Any, bool]:
    """Plain data from mapping input; (None, False) when over the depth cap."""
    try:
        return _normalize(document, 0, limits.max_depth, (), report, set()), True
    except _TooDeep:
        return None, False


def unexpected(source: str, error: Exception) -> Issue:
    """Last resort for input that is not plain data (e.g. a mapping whose iteration fails)."""
    return make_issue(
        "E_WRONG_TYPE",
        f"The document could not be read ({type(error).__name__}: {error}); give plain "
        "mappings, lists and scalars.",
        source,
        [],
        None,
    )


def _artifact_names(artifact_task_names: Collection[str] | None) -> frozenset | None:
    if artifact_task_names is None:
        return None
    try:
        return frozenset(name for name in artifact_task_names if isinstance(name, str))
    except TypeError:
        return frozenset()


def validate_document(
    source: str | Mapping,
    *,
    artifact_task_names: Collection[str] | None = None,
    limits: Limits | None = None,
) -> ValidationResult:
    """Validate a full task-graph document given as YAML text or an already-loaded mapping.

    `artifact_task_names` are artifact tasks allowed in `artifact_outputs` besides those declared
    in `artifact_tasks` (their arguments are not checked); with neither, artifact task names are
    not checked. Never raises.
    """
    limits = limits or DEFAULT_LIMITS
    options = Options(limits=limits, artifact_task_names=_artifact_names(artifact_task_names))
    report = Report()
    if isinstance(source, str):
        loaded = load_text(source, limits)
        positions = TextPositions(loaded)
        locator: Locator = DocumentLocator(positions)
        issues = loader_issues(loaded, "document", positions)
        if loaded.fatal:
            return make_result(issues, DocumentAnalysis(Analysis(report, options), locator))
        document: Any = loaded.value
    else:
        locator = DocumentLocator(None)
        issues = []
        try:
            document, usable = normalize_mapping(source, limits, report)
        except Exception as error:  # noqa: BLE001 - never raise for any input
            return make_result([unexpected("document", error)])
        if not usable:
            return make_result(locator.place(report.entries))
    try:
        analysis = analyze(document, report, options)
    except Exception as error:  # noqa: BLE001 - never raise for any input
        return make_result(issues + [unexpected("document", error)])
    return make_result(issues + locator.place(report.entries), DocumentAnalysis(analysis, locator))
