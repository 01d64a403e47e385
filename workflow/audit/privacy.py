"""The audit trail's part of an erasure: the person's data leaves the trail; the entries stay."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..core.privacy import ERASED_TEXT, erased_name
from .models import AuditEntry

# In the audit trail, the values these fields held are personal data of the erased expert.
_PERSONAL_FIELDS = frozenset({
    "name", "email", "nationality", "institution_id", "years_experience", "cv_file_name", "cv_stored_name",
    "languages", "themes", "countries_worked", "unavailable", "reason", "decline_reason", "mission_report",
    "mission_report_file", "mission_report_file_name", "locale", "timezone", "start_date", "end_date",
})


def _scrub(values: dict[str, Any], everything: bool) -> dict[str, Any]:
    return {key: ([ERASED_TEXT, ERASED_TEXT] if isinstance(value, list) and len(value) == 2 else ERASED_TEXT)
            if everything or key in _PERSONAL_FIELDS else value for key, value in values.items()}


def scrub_erased(expert: Any, *, session: Session, user: Any, deployment_ids: list[int], old_emails: set[str]) -> None:
    """Take the erased person's data out of the audit trail; the entries (who did what, when) stay."""
    about = and_(AuditEntry.object_type == "expert", AuditEntry.object_id == expert.id)
    if user is not None:
        about = about | and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id)
    for entry in session.scalars(select(AuditEntry).where(about | AuditEntry.email.in_(old_emails))):
        if (entry.object_type, entry.object_id) in {("expert", expert.id), ("user", user.id if user else None)}:
            entry.object_label = erased_name(expert.id)
            entry.changes, entry.detail = _scrub(entry.changes, True), _scrub(entry.detail, False)
        if entry.email in old_emails:
            entry.email = None
    if deployment_ids:
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "deployment",
                                                              AuditEntry.object_id.in_(deployment_ids))):
            entry.changes, entry.detail = _scrub(entry.changes, False), _scrub(entry.detail, False)
    session.flush()
