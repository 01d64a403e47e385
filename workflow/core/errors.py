"""The domain error family: services raise these, views turn them into messages or 4xx answers.

Three kinds of refusal, told apart by class so the API maps them centrally (`status`, `code`):
- `DomainError` itself (and `InvalidUpload`): what was sent breaks a rule of the programme (422);
- `PermissionDenied`: the actor's role or institution does not allow it (403);
- `StateConflict` (and `TransitionRefused`, `StaleEdit`): the record's present state does not allow it,
  whatever was sent ("this Action is closed") (409).
`NotFound` answers 404.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the programme refused what was asked; the message says which rule."""

    code = "domain_error"
    status = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The actor may not do this (their role, institution or member state)."""

    code = "forbidden"
    status = 403


class StateConflict(DomainError):
    """The record's present state does not allow this (closed, cancelled, already done…)."""

    code = "state_conflict"
    status = 409


class TransitionRefused(StateConflict):
    code = "transition_refused"
    status = 409


class StaleEdit(StateConflict):
    code = "stale_edit"
    status = 409


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidUpload(DomainError):
    code = "invalid_upload"
    status = 422


class ConcurrentChange(StaleEdit):
    """A save refused because someone else saved the record after the form was opened.

    `changes` lists what they changed (field, old, new, who, when), `summary` is the refusal with what
    changed in sentences (the API's message; `message` adds how the form helps), and `current_version` is the version to edit from now: a form re-rendered with the user's own
    input carries it, so saving again after reading the message is a deliberate choice.
    """

    def __init__(self, message: str, *, field: str | None = None, changes: list[dict[str, Any]],
                 summary: str, current_version: int) -> None:
        super().__init__(message, field=field)
        self.changes = changes
        self.summary = summary
        self.current_version = current_version
