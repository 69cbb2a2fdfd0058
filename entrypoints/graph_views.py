"""The graph editor's round trips on the entrypoint page: a step's action panel, and applying an
operation to the unsaved page (``entrypoints.graph_ops``). Both answer with the ``graph-actions``
fragment of ``entrypoints/edit.html``; an applied operation carries the new texts
(``#graph-edit-result``), which the page's editor puts into CodeMirror as one undoable change.
Nothing is saved here: the page saves as usual.
"""

from dataclasses import replace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from access.selectors import can
from entrypoints import editor, graph_ops
from entrypoints.taskgraph.edits import EditError
from entrypoints.views import EDIT, READ_ONLY, _entrypoint, _posted, _urls

PREFIX = "g-"  # the panel's fields, apart from the entrypoint form's own
# After an operation, the panel keeps open the section it came from.
SECTION_OF = {
    "connect": "connect",
    "disconnect": "arguments",
    "arguments": "arguments",
    "depend": "dependencies",
    "undepend": "dependencies",
    "rename": "rename",
}


def _judged(request, pk):
    entrypoint = _entrypoint(request, pk) if pk else None
    _, proposal = _posted(request, entrypoint)
    if proposal.group is None:
        raise Http404
    return proposal, editor.judge(proposal, user=request.user), _urls(entrypoint)


def _fields(request) -> dict:
    return {k.removeprefix(PREFIX): v for k, v in request.POST.items() if k.startswith(PREFIX)}


def _panel(request, judgement, urls, step, *, status=200, focus=None, **extra):
    fields = _fields(request)
    panel = (
        graph_ops.step_panel(
            judgement,
            step,
            connect_from=fields.get("connect-from", ""),
            focus=fields.get("focus", "") if focus is None else focus,
        )
        if step
        else None
    )
    context = {"panel": panel, "writable": True, "urls": urls, **extra}
    return render(request, f"{EDIT}#graph-actions", context, status=status)


@login_required
@require_POST
def graph_actions(request, pk: int | None = None):
    """The action panel of the step ``g-step`` on the unsaved page."""
    _, judgement, urls = _judged(request, pk)
    fields = _fields(request)
    return _panel(request, judgement, urls, fields.get("select") or fields.get("step", ""))


@login_required
@require_POST
def graph_edit(request, pk: int | None = None):
    """Apply ``g-op`` to the unsaved page; answer with the new texts and the panel of the step
    it leaves selected, or with the reason it was refused (400, nothing changed)."""
    proposal, judgement, urls = _judged(request, pk)
    fields = _fields(request)
    if not can(user=request.user, group=proposal.group, action="write"):
        return _panel(
            request,
            judgement,
            urls,
            fields.get("step", ""),
            status=403,
            graph_error=READ_ONLY.format(group=proposal.group.name),
        )
    try:
        outcome = graph_ops.apply(judgement, fields)
    except EditError as error:
        section = SECTION_OF.get(fields.get("op", ""), "")
        return _panel(
            request,
            judgement,
            urls,
            fields.get("step", ""),
            status=400,
            focus=section,
            graph_error=str(error),
        )
    changed = replace(
        proposal,
        task_graph=outcome.texts.task_graph,
        artifact_graph=outcome.texts.artifact_graph,
        form_errors=[],
    )
    result = {
        "taskGraph": outcome.texts.task_graph,
        "artifactGraph": outcome.texts.artifact_graph,
        "select": outcome.select,
    }
    after = editor.judge(changed, user=request.user)
    section = SECTION_OF.get(fields.get("op", ""), "")
    return _panel(request, after, urls, outcome.select or "", focus=section, graph_result=result)
