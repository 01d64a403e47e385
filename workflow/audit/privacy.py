"""The audit trail's part of an erasure: the person's data leaves the trail; the entries stay."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from ..core.privacy import ERASED_TEXT, erased_name
from ..finance.models import CostLine
from ..missions.models import ExpenseClaim
from .models import AuditEntry

# In the audit trail, the values these fields held are personal data of the erased expert.
_PERSONAL_FIELDS = frozenset({
    "name", "email", "nationality", "institution_id", "years_experience", "cv_file_name", "cv_stored_name",
    "languages", "themes", "countries_worked", "unavailable", "reason", "decline_reason", "mission_report",
    "mission_report_file", "mission_report_file_name", "locale", "timezone", "start_date", "end_date",
    # a mission's logistics, checklist and expense claims (workflow/missions)
    "outbound_route", "outbound_booking", "return_route", "return_booking", "accommodation", "insurance", "text",
    "receipt_file_name", "return_reason",
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
        _scrub_cost_lines(session, deployment_ids)
        _scrub_claims(session, deployment_ids)
    session.flush()


def _scrub_claims(session: Session, deployment_ids: list[int]) -> None:
    """An expense claim's entries keep their amounts and steps, not what the expert wrote or uploaded."""
    claims = list(session.scalars(select(ExpenseClaim.id).where(ExpenseClaim.deployment_id.in_(deployment_ids))))
    if not claims:
        return
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "expense_claim",
                                                          AuditEntry.object_id.in_(claims))):
        changes = _scrub(entry.changes, False)
        if "description" in changes:
            changes["description"] = [ERASED_TEXT, ERASED_TEXT]
        entry.changes, entry.detail = changes, _scrub(entry.detail, False)
        if entry.detail.get("part_label"):
            entry.detail = {**entry.detail, "part_label": ERASED_TEXT}


def _scrub_cost_lines(session: Session, deployment_ids: list[int]) -> None:
    """A cost line of the expert's deployment (a claim's "Flight of …") keeps its amounts, not its wording."""
    lines = dict(session.execute(select(CostLine.id, CostLine.activity_id).where(
        CostLine.deployment_id.in_(deployment_ids))).all())
    if not lines:
        return
    for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "activity",
                                                          AuditEntry.object_id.in_(set(lines.values())))):
        if entry.detail.get("part") == "cost_line" and entry.detail.get("part_id") in lines:
            entry.detail = {**entry.detail, "part_label": ERASED_TEXT}
            if "description" in entry.changes:
                entry.changes = {**entry.changes, "description": [ERASED_TEXT, ERASED_TEXT]}
