"""What each reminder says: a subject line, a few lines of text, a link back, an attachment.

Written in the current locale: the dispatcher composes each message under `force_locale` with the
recipient's language, so the subject, the lines, the dates and the calendar file all follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime as babel_datetime
from flask_babel import format_date, get_locale
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.lifecycle import EDITABLE_STATES
from ..activities.models import Activity, ActivityTransition
from ..calendar.feeds import activities_feed
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..deployments.models import Deployment, DeploymentTransition
from ..experts.models import Expert
from ..governance.models import Consultation
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


def _day(value: date) -> str:
    """A date as the recipient reads it ("1 Mar 2027", "1 mar 2027")."""
    return format_date(value, "medium")


def content_for(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    rule = reminder.rule
    if rule == "request_review":
        request = session.get(Request, reminder.subject_id)
        waited = (now - request.submitted_at).days if request.submitted_at else 0
        return Content(_("Request waiting for review: %(title)s", title=request.title),
                       [ngettext("The request “%(title)s” from %(institution)s was submitted %(num)s day ago and is "
                                 "%(status)s.",
                                 "The request “%(title)s” from %(institution)s was submitted %(num)s days ago and is "
                                 "%(status)s.",
                                 waited, title=request.title, institution=request.institution.label,
                                 status=label(request.status).lower())],
                       f"{base_url}/requests/{request.id}")
    if rule in ("invite_nudge", "invite_expiry"):
        deployment = session.get(Deployment, reminder.subject_id)
        activity = deployment.activity
        if rule == "invite_nudge" and reminder.recipient_id != deployment.expert.user_id:  # their focal point
            return Content(_("Invitation unanswered: %(name)s on “%(title)s”", name=deployment.expert.name,
                             title=activity.title),
                           [_("%(name)s was invited as %(role)s to “%(title)s” (%(action)s), %(start)s – %(end)s, "
                              "and has not answered yet.", name=deployment.expert.name,
                              role=label(deployment.role).lower(), title=activity.title, action=activity.action.name,
                              start=_day(activity.start_date), end=_day(activity.end_date))],
                           f"{base_url}/deployments/{deployment.id}")
        if rule == "invite_nudge":
            return Content(_("Your invitation to “%(title)s” is waiting for your answer", title=activity.title),
                           [_("You were invited as %(role)s to “%(title)s” (%(action)s), %(start)s – %(end)s.",
                              role=label(deployment.role).lower(), title=activity.title, action=activity.action.name,
                              start=_day(activity.start_date), end=_day(activity.end_date)),
                            _("Please accept or decline it in Peerflow.")],
                           f"{base_url}/deployments/{deployment.id}")
        return Content(_("Invitation expired: %(name)s on “%(title)s”", name=deployment.expert.name,
                         title=activity.title),
                       [_("%(name)s did not answer the invitation to “%(title)s” (%(action)s); it has expired. "
                          "The slot is open again.", name=deployment.expert.name, title=activity.title,
                          action=activity.action.name)],
                       f"{base_url}/activities/{activity.id}#slots")
    if rule in ("activity_coming", "slots_open"):
        activity = session.get(Activity, reminder.subject_id)
        days = (activity.start_date - now.date()).days
        if rule == "activity_coming":
            ics = activities_feed(activity.title, [activity], base_url=base_url, stamp=now)
            where = _("remote") if activity.is_remote else activity.city
            return Content(ngettext("“%(title)s” starts in %(num)s day (%(action)s)",
                                    "“%(title)s” starts in %(num)s days (%(action)s)",
                                    days, title=activity.title, action=activity.action.name),
                           [_("“%(title)s” (%(action)s) runs %(start)s – %(end)s, %(place)s.", title=activity.title,
                              action=activity.action.name, start=_day(activity.start_date),
                              end=_day(activity.end_date), place=where),
                            _("The calendar file is attached.")],
                           f"{base_url}/activities/{activity.id}", [("activity.ics", "text/calendar", ics)])
        live = session.scalar(select(func.count()).select_from(Deployment).where(
            Deployment.activity_id == activity.id, Deployment.status.in_(("proposed", "invited", "accepted",
                                                                          "confirmed", "completed")))) or 0
        places = sum(s.places for s in activity.slots)
        return Content(ngettext("%(num)s expert place still open on “%(title)s”",
                                "%(num)s expert places still open on “%(title)s”",
                                places - live, title=activity.title),
                       [ngettext("“%(title)s” (%(action)s) starts in %(days)s days and %(open)s of its %(num)s expert "
                                 "place is not filled.",
                                 "“%(title)s” (%(action)s) starts in %(days)s days and %(open)s of its %(num)s expert "
                                 "places are not filled.",
                                 places, title=activity.title, action=activity.action.name, days=days,
                                 open=places - live)],
                       f"{base_url}/activities/{activity.id}#slots")
    if rule in ("report_due", "report_overdue"):
        deployment = _deployment_from_key(session, reminder)
        activity = deployment.activity
        if rule == "report_due" and reminder.recipient_id != deployment.expert.user_id:  # officer, focal point
            return Content(_("Mission report due: %(name)s on “%(title)s”", name=deployment.expert.name,
                             title=activity.title),
                           [_("%(name)s's mission report on “%(title)s” (%(action)s) is due.",
                              name=deployment.expert.name, title=activity.title, action=activity.action.name)],
                           f"{base_url}/deployments/{deployment.id}")
        if rule == "report_due":
            return Content(_("Your mission report for “%(title)s” is due", title=activity.title),
                           [_("Please write your mission report on “%(title)s” (%(action)s).", title=activity.title,
                              action=activity.action.name)],
                           f"{base_url}/deployments/{deployment.id}")
        return Content(_("Mission report overdue: %(name)s on “%(title)s”", name=deployment.expert.name,
                         title=activity.title),
                       [_("%(name)s has not written the mission report on “%(title)s” (%(action)s), which ended on "
                          "%(end)s.", name=deployment.expert.name, title=activity.title,
                          action=activity.action.name, end=_day(activity.end_date))],
                       f"{base_url}/deployments/{deployment.id}")
    if rule in ("action_ending", "closing_stalled"):
        action = session.get(Action, reminder.subject_id)
        if rule == "action_ending":
            open_count = session.scalar(select(func.count()).select_from(Activity).where(
                Activity.action_id == action.id, Activity.status.in_(EDITABLE_STATES))) or 0
            return Content(ngettext("%(name)s ends on %(end)s with %(num)s open activity",
                                    "%(name)s ends on %(end)s with %(num)s open activities",
                                    open_count, name=action.name, end=_day(action.planned_end)),
                           [ngettext("%(name)s (%(title)s) is planned to end on %(end)s; %(num)s of its activities is "
                                     "neither delivered nor cancelled.",
                                     "%(name)s (%(title)s) is planned to end on %(end)s; %(num)s of its activities are "
                                     "neither delivered nor cancelled.",
                                     open_count, name=action.name, title=action.title, end=_day(action.planned_end))],
                           f"{base_url}/actions/{action.id}")
        return Content(_("%(name)s has been in closing for a month", name=action.name),
                       [_("%(name)s (%(title)s) is still in closing; its final report and closure are due.",
                          name=action.name, title=action.title)],
                       f"{base_url}/actions/{action.id}")
    if rule == "deployment_cancelled":
        return cancellation_message(session, reminder, base_url=base_url)
    if rule == "activity_postponed":
        return postponement_message(session, reminder, base_url=base_url)
    if rule == "weekly_digest":
        return digest(session, base_url=base_url, now=now)
    if rule in ("consultation_due", "consultation_ended"):
        return consultation_message(session, reminder, base_url=base_url, now=now)
    raise ValueError(f"no message for rule {rule!r}")


def digest(session: Session, *, base_url: str, now: datetime) -> Content:
    today = now.date()
    waiting = session.scalar(select(func.count()).select_from(Request).where(
        Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)))) or 0
    coming = session.scalars(select(Activity).where(
        Activity.start_date.between(today, today + timedelta(days=14)), Activity.status.in_(EDITABLE_STATES))
        .order_by(Activity.start_date).limit(20)).all()
    lines = [_("Requests waiting for review: %(count)s.", count=waiting),
             _("Activities in the next two weeks: %(count)s.", count=len(coming))]
    lines += [f"  {format_date(a.start_date, 'EEE d MMM')} — {a.title} ({a.action.name})" for a in coming]
    return Content(_("Peerflow weekly digest, week of %(date)s", date=_day(today)), lines, f"{base_url}/home")


def _moment(value: datetime, timezone: str | None) -> str:
    """A time as the recipient reads it, in their own time zone (the dispatcher has no request of theirs)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return babel_datetime(value, "short", tzinfo=zone, locale=get_locale())


def consultation_message(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    """Before the deadline, to who has not answered (consultation_due); once it passed (consultation_ended)."""
    consultation = session.get(Consultation, reminder.subject_id)
    request = consultation.request
    link = f"{base_url}/requests/{request.id}#committee"
    deadline = _moment(consultation.answers_until, reminder.recipient.timezone)
    if reminder.rule == "consultation_ended":
        return Content(_("Consultation ended: %(title)s", title=request.title),
                       [_("The Steering Committee's consultation on “%(title)s” (%(institution)s) ended on "
                          "%(deadline)s; members who did not answer count as supporting it.", title=request.title,
                          institution=request.institution.label, deadline=deadline),
                        _("Please record the decision.")], link)
    return Content(_("The Steering Committee is consulted on “%(title)s” until %(deadline)s", title=request.title,
                     deadline=deadline),
                   [_("You have not answered yet on the request “%(title)s” from %(institution)s. Please support it "
                      "or object (with a reason) by %(deadline)s; without an answer you count as supporting it.",
                      title=request.title, institution=request.institution.label, deadline=deadline)], link)


def cancellation_message(session: Session, reminder: Reminder, *, base_url: str) -> Content:
    """To the expert: their deployment was cancelled, and why."""
    deployment = session.get(Deployment, reminder.subject_id)
    activity = deployment.activity
    reason = session.scalar(select(DeploymentTransition.reason).where(
        DeploymentTransition.deployment_id == deployment.id, DeploymentTransition.to_status == "cancelled")
        .order_by(DeploymentTransition.id.desc()).limit(1))
    lines = [_("Your deployment as %(role)s on “%(title)s” (%(action)s), %(start)s – %(end)s, was cancelled.",
               role=label(deployment.role).lower(), title=activity.title, action=activity.action.name,
               start=_day(activity.start_date), end=_day(activity.end_date))]
    if reason:
        lines.append(_("Reason: %(reason)s", reason=reason))
    return Content(_("Your deployment on “%(title)s” is cancelled", title=activity.title), lines,
                   f"{base_url}/deployments/{deployment.id}")


def postponement_message(session: Session, reminder: Reminder, *, base_url: str) -> Content:
    """To an expert invited or booked on the activity: it moved to new dates, and why."""
    activity = session.get(Activity, reminder.subject_id)
    parts = reminder.key.split(":")  # activity-postponed:activity:<id>:<transition id>:user:<id>
    transition = session.get(ActivityTransition, int(parts[3])) if len(parts) > 3 and parts[3].isdigit() else None
    lines = [_("“%(title)s” (%(action)s) now takes place %(start)s – %(end)s.", title=activity.title,
               action=activity.action.name, start=_day(activity.start_date), end=_day(activity.end_date))]
    if transition is not None and transition.previous_start and transition.previous_end:
        lines.append(_("It was planned for %(start)s – %(end)s.", start=_day(transition.previous_start),
                       end=_day(transition.previous_end)))
    if transition is not None and transition.reason:
        lines.append(_("Reason: %(reason)s", reason=transition.reason))
    lines.append(_("If you cannot take part at the new dates, tell the programme officer."))
    deployment_id = session.scalar(select(Deployment.id).join(Expert, Deployment.expert_id == Expert.id).where(
        Deployment.activity_id == activity.id, Expert.user_id == reminder.recipient_id).order_by(Deployment.id.desc())
        .limit(1))
    link = f"{base_url}/deployments/{deployment_id}" if deployment_id else f"{base_url}/home"
    return Content(_("“%(title)s” is postponed to %(start)s – %(end)s", title=activity.title,
                     start=_day(activity.start_date), end=_day(activity.end_date)), lines, link)
