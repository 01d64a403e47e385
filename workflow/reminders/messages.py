"""What each reminder says: a subject line, a few lines of text, a link back, an attachment."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.lifecycle import EDITABLE_STATES
from ..activities.models import Activity
from ..calendar.feeds import activities_feed
from ..deployments.models import Deployment
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from .models import Reminder


@dataclass
class Content:
    subject: str
    lines: list[str]
    link: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)


def _deployment_from_key(session: Session, reminder: Reminder) -> Deployment | None:
    # Keys of deployment-level rules read "rule:deployment:<id>:…".
    parts = reminder.key.split(":")
    return session.get(Deployment, int(parts[2])) if len(parts) > 2 and parts[1] == "deployment" else None


def content_for(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    rule = reminder.rule
    if rule == "request_review":
        request = session.get(Request, reminder.subject_id)
        waited = (now - request.submitted_at).days if request.submitted_at else 0
        return Content(f"Request waiting for review: {request.title}",
                       [f"The request “{request.title}” from {request.institution.label} was submitted "
                        f"{waited} days ago and is {request.status.value.replace('_', ' ')}."],
                       f"{base_url}/requests/{request.id}")
    if rule in ("invite_nudge", "invite_expiry"):
        deployment = session.get(Deployment, reminder.subject_id)
        activity = deployment.activity
        if rule == "invite_nudge":
            return Content(f"Your invitation to “{activity.title}” is waiting for your answer",
                           [f"You were invited as {deployment.role.value.replace('_', ' ')} to “{activity.title}” "
                            f"({activity.action.name}), {activity.start_date:%d %b %Y} – {activity.end_date:%d %b %Y}.",
                            "Please accept or decline it in Peerflow."],
                           f"{base_url}/deployments/{deployment.id}")
        return Content(f"Invitation expired: {deployment.expert.name} on “{activity.title}”",
                       [f"{deployment.expert.name} did not answer the invitation to “{activity.title}” "
                        f"({activity.action.name}); it has expired. The slot is open again."],
                       f"{base_url}/activities/{activity.id}#slots")
    if rule in ("activity_coming", "slots_open"):
        activity = session.get(Activity, reminder.subject_id)
        days = (activity.start_date - now.date()).days
        if rule == "activity_coming":
            ics = activities_feed(activity.title, [activity], base_url=base_url, stamp=now)
            return Content(f"“{activity.title}” starts in {days} days ({activity.action.name})",
                           [f"“{activity.title}” ({activity.action.name}) runs {activity.start_date:%d %b %Y} – "
                            f"{activity.end_date:%d %b %Y}, "
                            f"{'remote' if activity.is_remote else activity.city}.", "The calendar file is attached."],
                           f"{base_url}/activities/{activity.id}", [("activity.ics", "text/calendar", ics)])
        live = session.scalar(select(func.count()).select_from(Deployment).where(
            Deployment.activity_id == activity.id, Deployment.status.in_(("proposed", "invited", "accepted",
                                                                          "confirmed", "completed")))) or 0
        places = sum(s.places for s in activity.slots)
        return Content(f"{places - live} expert place(s) still open on “{activity.title}”",
                       [f"“{activity.title}” ({activity.action.name}) starts in {days} days and "
                        f"{places - live} of its {places} expert places are not filled."],
                       f"{base_url}/activities/{activity.id}#slots")
    if rule in ("report_due", "report_overdue"):
        deployment = _deployment_from_key(session, reminder)
        activity = deployment.activity
        if rule == "report_due":
            return Content(f"Your mission report for “{activity.title}” is due",
                           [f"Please write your mission report on “{activity.title}” ({activity.action.name})."],
                           f"{base_url}/deployments/{deployment.id}")
        return Content(f"Mission report overdue: {deployment.expert.name} on “{activity.title}”",
                       [f"{deployment.expert.name} has not written the mission report on “{activity.title}” "
                        f"({activity.action.name}), which ended on {activity.end_date:%d %b %Y}."],
                       f"{base_url}/deployments/{deployment.id}")
    if rule in ("action_ending", "closing_stalled"):
        action = session.get(Action, reminder.subject_id)
        if rule == "action_ending":
            open_count = session.scalar(select(func.count()).select_from(Activity).where(
                Activity.action_id == action.id, Activity.status.in_(EDITABLE_STATES))) or 0
            return Content(f"{action.name} ends on {action.planned_end:%d %b %Y} with {open_count} open activities",
                           [f"{action.name} ({action.title}) is planned to end on {action.planned_end:%d %b %Y}; "
                            f"{open_count} of its activities are neither delivered nor cancelled."],
                           f"{base_url}/actions/{action.id}")
        return Content(f"{action.name} has been in closing for a month",
                       [f"{action.name} ({action.title}) is still in closing; its final report and closure are due."],
                       f"{base_url}/actions/{action.id}")
    if rule == "weekly_digest":
        return digest(session, base_url=base_url, now=now)
    raise ValueError(f"no message for rule {rule!r}")


def digest(session: Session, *, base_url: str, now: datetime) -> Content:
    today = now.date()
    waiting = session.scalar(select(func.count()).select_from(Request).where(
        Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)))) or 0
    coming = session.scalars(select(Activity).where(
        Activity.start_date.between(today, today + timedelta(days=14)), Activity.status.in_(EDITABLE_STATES))
        .order_by(Activity.start_date).limit(20)).all()
    lines = [f"Requests waiting for review: {waiting}.",
             f"Activities in the next two weeks: {len(coming)}."]
    lines += [f"  {a.start_date:%a %d %b} — {a.title} ({a.action.name})" for a in coming]
    return Content(f"Peerflow weekly digest, week of {today:%d %b %Y}", lines, f"{base_url}/home")
