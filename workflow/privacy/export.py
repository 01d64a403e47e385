"""Everything Peerflow holds about one expert, as plain JSON-ready data (the subject access export).

Secrets are left out on purpose: the password hash, the calendar feed's token, API token hashes
and the stored (random) names of files; the files themselves are named as they were uploaded.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from ..activities.models import Activity
from ..calls.models import Call, CallRecipient, FocalProposal
from ..deployments.models import Deployment
from ..evaluations.models import DeploymentRating
from ..experts.models import Consent, Expert, ExpertTheme
from ..notifications.models import Notification
from ..reminders.models import EmailMessage, Reminder

FORMAT = "peerflow-expert-data"
FORMAT_VERSION = 1


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row(obj: Any, *fields: str) -> dict[str, Any]:
    return {name: _value(getattr(obj, name)) for name in fields}


def _profile(expert: Expert) -> dict[str, Any]:
    profile = _row(expert, "id", "name", "email", "gender", "nationality", "country_code", "type", "years_experience",
                   "status", "max_days_per_year", "consent_at", "consent_version", "created_at", "updated_at")
    profile["institution"] = (_row(expert.institution, "id", "name", "country_code")
                              if expert.institution is not None else None)
    profile["countries_worked"] = [c.code for c in expert.countries_worked]
    profile["calendar_feed"] = expert.calendar_token is not None
    return profile


def _deployments(session: Session, expert: Expert) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Deployment).where(Deployment.expert_id == expert.id).order_by(Deployment.created_at, Deployment.id)
        .options(selectinload(Deployment.activity).selectinload(Activity.action), selectinload(Deployment.transitions))
    ).all()
    result = []
    for d in rows:
        item = _row(d, "id", "role", "working_days", "status", "attempt", "invited_at", "responded_at",
                    "decline_reason", "release_approved_at", "mission_report", "mission_report_file_name",
                    "mission_report_at", "created_at", "updated_at")
        item["activity"] = _row(d.activity, "id", "title", "kind", "status", "start_date", "end_date", "city",
                                "country_code", "is_remote")
        item["action"] = _row(d.activity.action, "id", "name", "title", "status")
        item["history"] = [_row(t, "at", "from_status", "to_status", "reason") for t in d.transitions]
        result.append(item)
    return result


def _messages(session: Session, expert: Expert) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The in-app notifications and the e-mails addressed to the expert."""
    notifications: list[dict[str, Any]] = []
    addressed = EmailMessage.to_address == expert.email
    if expert.user_id is not None:
        notifications = [_row(n, "title", "body", "link", "created_at", "read_at") for n in session.scalars(
            select(Notification).where(Notification.user_id == expert.user_id).order_by(Notification.created_at))]
        addressed = or_(addressed, EmailMessage.reminder_id.in_(
            select(Reminder.id).where(Reminder.recipient_id == expert.user_id)))
    emails = [_row(m, "to_address", "subject", "body_text", "sent_at") for m in session.scalars(
        select(EmailMessage).where(addressed).order_by(EmailMessage.sent_at, EmailMessage.id))]
    return notifications, emails


def _calls(session: Session, expert: Expert) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The calls for experts that reached the expert (with their answers), and focal points' proposals of them."""
    received = []
    for recipient in session.scalars(select(CallRecipient).where(CallRecipient.expert_id == expert.id)
                                     .order_by(CallRecipient.created_at, CallRecipient.id)
                                     .options(selectinload(CallRecipient.call).selectinload(Call.activity),
                                              selectinload(CallRecipient.answer))):
        item = {"call_id": recipient.call_id, "activity": recipient.call.activity.title,
                **_row(recipient, "state", "sent_at")}
        item["answer"] = (_row(recipient.answer, "answer", "note", "cv_file_name", "answered_at", "updated_at")
                          if recipient.answer is not None else None)
        received.append(item)
    proposals = [{"call_id": p.call_id, **_row(p, "note", "created_at")} for p in session.scalars(
        select(FocalProposal).where(FocalProposal.expert_id == expert.id).order_by(FocalProposal.created_at))]
    return received, proposals


def _ratings(session: Session, expert: Expert) -> list[dict[str, Any]]:
    """The officers' ratings of the expert's deployments (shown to staff only in Peerflow, but theirs to see)."""
    return [{"deployment_id": r.deployment_id, **_row(r, "score", "note", "rated_at")} for r in session.scalars(
        select(DeploymentRating).join(Deployment).where(Deployment.expert_id == expert.id)
        .order_by(DeploymentRating.rated_at, DeploymentRating.id))]


def expert_data(session: Session, expert: Expert, *, now: datetime) -> dict[str, Any]:
    """The expert's data, grouped as the privacy notice lists it."""
    themes = session.scalars(select(ExpertTheme).where(ExpertTheme.expert_id == expert.id)
                             .options(selectinload(ExpertTheme.thematic_area))).all()
    deployments = _deployments(session, expert)
    notifications, emails = _messages(session, expert)
    files = [{"kind": "cv", "file_name": expert.cv_file_name, "content_type": expert.cv_content_type}] \
        if expert.cv_stored_name else []
    files += [{"kind": "mission_report", "deployment_id": d["id"], "file_name": d["mission_report_file_name"]}
              for d in deployments if d["mission_report_file_name"]]
    calls, proposals = _calls(session, expert)
    files += [{"kind": "call_answer_cv", "call_id": c["call_id"], "file_name": c["answer"]["cv_file_name"]}
              for c in calls if c["answer"] and c["answer"]["cv_file_name"]]
    user = expert.user
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "profile": _profile(expert),
        "account": _row(user, "email", "name", "role", "locale", "timezone", "active", "created_at")
        if user is not None else None,
        "languages": [_row(lang, "language", "level") for lang in expert.languages],
        "themes": sorted(({"code": t.thematic_area.code, "name": t.thematic_area.name, "level": t.level}
                          for t in themes), key=lambda t: t["code"]),
        "unavailability": [_row(u, "start_date", "end_date", "reason") for u in expert.unavailable],
        "deployments": deployments,
        "consents": [_row(c, "purpose", "notice_version", "given_at", "withdrawn_at") for c in session.scalars(
            select(Consent).where(Consent.expert_id == expert.id).order_by(Consent.given_at, Consent.id))],
        "ratings": _ratings(session, expert),
        "calls": calls,
        "proposals": proposals,
        "notifications": notifications,
        "emails": emails,
        "files": files,
    }
