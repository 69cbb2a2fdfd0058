"""The import page (``/import/``): Dioptra's resources from an archive, files or a git URL.

Thin, over the API's own body and import step (``workflows.api.serializers``): the form's fields
are the API's, validated by its serializer, and ``import_body`` calls ``resources_import``, the
service the API and ``manage.py import_resources`` use. All or nothing: a refused import
changes nothing, and the page says so. Every answer is the page, or for htmx its ``result``
fragment.
"""

from dataclasses import dataclass, field

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from access.selectors import can
from core.middleware import body_limit
from core.pages import READ_ONLY, is_fragment, writable_groups
from workflows import problems as codes
from workflows.api.parsers import keep_upload_paths
from workflows.api.serializers import (
    SOURCE_REQUIRED,
    SOURCE_TYPES,
    ResourceImportSerializer,
    UnreadableSource,
    import_body,
    read_source,
)
from workflows.problems import Problem, errors
from workflows.resource_import import DEFAULT_CONFIG, KINDS, ImportFailed

IMPORT = "workflows/import.html"
FIELD_LABELS = {
    "group": "Group",
    "sourceType": "Source",
    "archiveFile": "Archive",
    "files": "Files",
    "gitUrl": "Git URL",
    "configPath": "Configuration file",
    "resolveNameConflictsStrategy": "If a name is taken",
}
CHOOSE_SOURCE = {
    "upload_archive": "Choose a .tar.gz archive to upload.",
    "upload_files": "Choose a folder or the files to upload.",
    "git": "Give the URL of a git repository.",
}
UNCHANGED = "Nothing was imported: group {group!r} is unchanged."
TAKEN_HINT = 'Choose "Update" or "Overwrite" to replace the resources of those names.'
IMPORTED = "Imported into group {group!r}:"
UP_TO_DATE = "Group {group!r} already holds all of it:"
SOURCES = (
    ("upload_archive", "Archive", "A .tar.gz of the folder that holds the dioptra.toml."),
    ("upload_files", "Folder or files", "The folder itself, or its files chosen one by one."),
    ("git", "Git repository", "A repository URL; #name picks a branch, tag or commit."),
)
STRATEGIES = (
    ("fail", "Stop", "If a name is already taken in the group, import nothing."),
    (
        "update",
        "Update",
        "Save new snapshots of the resources of those names: their ids, history and jobs stay.",
    ),
    (
        "overwrite",
        "Overwrite",
        "Delete the resources of those names and create them anew, with new ids.",
    ),
)
ACTIONS = {
    "created": ("created", "ok"),
    "updated": ("updated", "warn"),
    "replaced": ("replaced: new id", "warn"),
    "unchanged": ("skipped: unchanged", "plain"),
}
PAGES = {
    "plugin_param_types": "types:edit",
    "plugins": "plugins:detail",
    "entrypoints": "entrypoints:edit",
}


@dataclass
class ProblemRow:
    """A problem as the page lists it, with its line of the file when it has one."""

    problem: Problem
    excerpt: str = ""
    caret: str = ""


@dataclass
class Outcome:
    """What a submission came to: ``report`` rows (imported), or why nothing was."""

    status: int = 200
    group: object = None
    digest: str = ""
    report: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    refusals: list[str] = field(default_factory=list)  # the form's, or a source's, in words
    headline: str = ""  # the import's own refusal
    files: list[tuple[str, list[ProblemRow]]] = field(default_factory=list)  # problems by file


def _form_values(post) -> dict:
    """What to show in the form again (files cannot be refilled)."""
    return {
        "group": post.get("group", ""),
        "sourceType": post.get("sourceType") or "upload_archive",
        "gitUrl": post.get("gitUrl", ""),
        "configPath": post.get("configPath") or DEFAULT_CONFIG,
        "resolveNameConflictsStrategy": post.get("resolveNameConflictsStrategy") or "fail",
    }


def _body(request):
    """The request as the API's body: only the chosen source's field (the other inputs of the
    page may still hold something chosen before)."""
    body = request.POST.copy()
    body.update(request.FILES)
    chosen = SOURCE_TYPES.get(body.get("sourceType"))
    for other in SOURCE_TYPES.values():
        if other != chosen:
            body.pop(other, None)
    return body


def _refusals(serializer_errors: dict, source_type: str | None) -> list[str]:
    lines = []
    missing = [SOURCE_REQUIRED.format(source_type=source_type)]
    for name, messages in serializer_errors.items():
        if name == SOURCE_TYPES.get(source_type) and messages == missing:
            lines.append(CHOOSE_SOURCE[source_type])
            continue
        label = FIELD_LABELS.get(name)
        if isinstance(messages, dict):  # a list field's, by position
            messages = [message for listed in messages.values() for message in listed]
        for message in messages if isinstance(messages, list) else [messages]:
            lines.append(f"{label}: {message}" if label else str(message))
    return list(dict.fromkeys(lines))


def _excerpt(problem: Problem, files: dict[str, bytes]) -> ProblemRow:
    """The problem's line of its file, with a caret under its columns (counted in code points,
    as the engine counts them)."""
    data = files.get(problem.file)
    if not problem.line or data is None:
        return ProblemRow(problem)
    lines = data.decode("utf-8", errors="replace").splitlines()
    if problem.line > len(lines):
        return ProblemRow(problem)
    text = lines[problem.line - 1].rstrip()
    column = max(problem.column or 1, 1)
    same_line = problem.end_line in (None, problem.line) and problem.end_column
    width = max(problem.end_column - column, 1) if same_line else 1
    caret = "".join("\t" if ch == "\t" else " " for ch in text[: column - 1]) + "^" * width
    return ProblemRow(problem, excerpt=text, caret=caret)


def _failed(failed: ImportFailed, group, files: dict[str, bytes]) -> Outcome:
    by_file: dict[str, list[ProblemRow]] = {}
    for problem in failed.problems:
        by_file.setdefault(problem.file, []).append(_excerpt(problem, files))
    count = len(errors(failed.problems)) or len(failed.problems)
    headline = f"{count} problem{'s' * (count != 1)} stopped the import."
    if any(p.code == codes.NAME_TAKEN for p in failed.problems):
        headline += f" {TAKEN_HINT}"
    return Outcome(
        status=failed.status, group=group, headline=headline, files=list(by_file.items())
    )


def _imported(result, group) -> Outcome:
    report = []
    done = [outcome.action for outcome in result.outcomes]
    counts = {action: done.count(action) for action in ACTIONS if action in done}
    for outcome in result.outcomes:
        label, tone = ACTIONS[outcome.action]
        report.append(
            {
                "kind": KINDS[outcome.kind],
                "name": outcome.name,
                "url": reverse(PAGES[outcome.kind], args=[outcome.id]),
                "label": label,
                "tone": tone,
            }
        )
    headline = (UP_TO_DATE if set(counts) == {"unchanged"} else IMPORTED).format(group=group.name)
    return Outcome(
        group=group, digest=result.digest, report=report, counts=counts, headline=headline
    )


def _submit(request) -> Outcome:
    if request.upload_error:
        return Outcome(status=400, refusals=[request.upload_error])
    body = _body(request)
    serializer = ResourceImportSerializer(data=body, context={"request": request})
    if not serializer.is_valid():
        return Outcome(status=400, refusals=_refusals(serializer.errors, body.get("sourceType")))
    data = serializer.validated_data
    group = data["group"]
    if not can(user=request.user, group=group, action="write"):
        return Outcome(status=403, group=group, refusals=[READ_ONLY.format(group=group.name)])
    try:
        source = read_source(data)
        result = import_body(user=request.user, data=data, source=source)
    except UnreadableSource as error:
        return Outcome(status=400, group=group, refusals=[str(error)])
    except ImportFailed as failed:
        # Problems name files as the import saw them: inside the upload's one top folder.
        return _failed(failed, group, {**source.without_wrapper().files, **source.files})
    return _imported(result, group)


@login_required
@keep_upload_paths
@require_http_methods(["GET", "POST"])
def resource_import_page(request):
    """The form; posted, the import's report or why nothing was imported."""
    groups = writable_groups(request.user)
    source = request.POST if request.method == "POST" else request.GET
    values = _form_values(source)
    outcome = _submit(request) if request.method == "POST" else None
    values["group"] = values["group"] or str(groups[0].pk)
    context = {
        "groups": groups,
        "values": values,
        "sources": SOURCES,
        "strategies": STRATEGIES,
        "max_upload": body_limit(request.path),
        "outcome": outcome,
        "unchanged": UNCHANGED.format(group=outcome.group.name)
        if outcome and outcome.group
        else "Nothing was imported.",
    }
    template = f"{IMPORT}#result" if is_fragment(request) else IMPORT
    return render(request, template, context, status=outcome.status if outcome else 200)
