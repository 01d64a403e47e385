"""The domain error family: services raise these, views turn them into messages or 4xx answers."""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the programme refused what was asked; the message says which rule."""

    code = "domain_error"
    status = 422

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class TransitionRefused(DomainError):
    code = "transition_refused"
    status = 409


class StaleEdit(DomainError):
    code = "stale_edit"
    status = 409


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidUpload(DomainError):
    code = "invalid_upload"
    status = 422
