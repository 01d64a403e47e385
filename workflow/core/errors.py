"""The domain error family: services raise these, views turn them into messages or 4xx answers.

Three kinds of refusal, told apart by class so the API maps them centrally (`status`, `code`):
- `DomainError` itself (and `InvalidUpload`): what was sent breaks a rule of the programme (422);
- `PermissionDenied`: the actor's role or institution does not allow it (403);
- `StateConflict` (and `TransitionRefused`, `StaleEdit`): the record's present state does not allow it,
  whatever was sent ("this Action is closed") (409).
`NotFound` answers 404.
"""

from __future__ import annotations


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
