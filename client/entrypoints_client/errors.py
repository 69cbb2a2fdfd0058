"""The client's exceptions: one ``APIError`` for every failed call, ``WaitTimeout`` for waits."""

from __future__ import annotations

from typing import Any

# Keys of an error body that are not field errors.
_NOT_FIELDS = frozenset({"detail", "message", "issues", "schemaIssues", "error", "hash"})
_SHOWN_ISSUES = 20


class APIError(Exception):
    """A call that failed: the server answered a status outside 2xx, an answer that is not
    JSON, or no answer at all (``status`` is then ``None``).

    Attributes:
        status: the HTTP status (``status_code`` is the same, as on Dioptra's client errors).
        message: the server's message (``detail``), or a summary of the field errors.
        field_errors: ``{field: [message, ...]}`` as the server sent them (nested for lists).
        issues: the task-graph engine's issues (``code``, ``severity``, ``message``, ``line``,
            ``column``, ...) when the server sent them, e.g. for an invalid graph.
        body: the parsed JSON answer (``None`` when there was none); ``text`` the raw one.
        method, url: the request.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        body: Any = None,
        text: str = "",
        method: str = "",
        url: str = "",
    ) -> None:
        self.status = status
        self.body = body
        self.text = text
        self.method = method.upper()
        self.url = url
        self.field_errors = _field_errors(body)
        self.issues = _issues(body)
        self.message = _message(body) or message
        super().__init__(self.message)

    @property
    def status_code(self) -> int | None:
        return self.status

    def __str__(self) -> str:
        where = f"{self.method} {self.url}".strip()
        head = f"{where} answered {self.status}" if self.status is not None else where
        lines = [f"{head}: {self.message}" if head else self.message]
        for field, messages in self.field_errors.items():
            lines.append(f"  {field}: {_flat(messages)}")
        for issue in self.issues[:_SHOWN_ISSUES]:
            lines.append("  " + format_issue(issue))
        if len(self.issues) > _SHOWN_ISSUES:
            lines.append(f"  ... and {len(self.issues) - _SHOWN_ISSUES} more issues")
        return "\n".join(lines)


class WaitTimeout(TimeoutError):
    """``jobs.wait`` gave up: the job had not ended in time. ``job`` is the last state seen."""

    def __init__(self, message: str, *, job: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.job = job


def format_issue(issue: dict[str, Any]) -> str:
    """``[file:]line:col: severity CODE: message`` for one issue."""
    where = ":".join(
        str(part)
        for part in (issue.get("file"), issue.get("line"), issue.get("column"))
        if part is not None
    )
    text = f"{issue.get('severity', 'error')} {issue.get('code', '')}: {issue.get('message', '')}"
    return f"{where}: {text}" if where else text


def _issues(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict):
        return []
    for key in ("issues", "schemaIssues"):
        if isinstance(body.get(key), list):
            return [issue for issue in body[key] if isinstance(issue, dict)]
    return []


def _field_errors(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        return {}
    return {key: value for key, value in body.items() if key not in _NOT_FIELDS}


def _message(body: Any) -> str:
    if isinstance(body, dict):
        for key in ("detail", "message"):
            if isinstance(body.get(key), str):
                return body[key]
        fields = _field_errors(body)
        if fields:
            return "; ".join(f"{field}: {_flat(messages)}" for field, messages in fields.items())
    if isinstance(body, list) and body and all(isinstance(item, str) for item in body):
        return " ".join(body)
    return ""


def _flat(messages: Any) -> str:
    """Nested DRF errors (``{1: {"name": ["..."]}}``) as one line."""
    if isinstance(messages, list):
        return " ".join(_flat(m) for m in messages)
    if isinstance(messages, dict):
        return "; ".join(f"[{key}] {_flat(value)}" for key, value in messages.items())
    return str(messages)
