"""What each reminder says: a subject line, a few lines of text, a link back, an attachment.

Each rule's builder is bound to its record (`@message_of(code)`): it writes the built-in text and
gives the values of the placeholders the admin's own wording of the rule may use. Written in the
current locale: the dispatcher composes each message under `force_locale` with the recipient's
language, so the subject, the lines, the dates and the calendar file all follow it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import format_date
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.lifecycle import EDITABLE_STATES
from ..activities.models import Activity
from ..calendar.feeds import activities_feed
from ..core.dates import day, moment, period, zone_of
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..deployments.lifecycle import LIVE
from ..deployments.models import Deployment
from ..governance.models import Answer, Consultation
from ..missions.models import ChecklistItem, MissionLogistics
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from .models import Reminder
from .registry import RULES, message_of


@dataclass
class Content:
    subject: str
    lines: list[str]
    link: str
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    # The placeholders' values for the admin's own wording of the rule (besides the recipient and the link).
    values: dict[str, Any] = field(default_factory=dict)


def content_for(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    """What `reminder` says, written by its rule's message builder."""
    record = RULES.get(reminder.rule)
    if record is None or record.message is None:
        raise ValueError(f"no message for rule {reminder.rule!r}")
    return record.message(session, reminder, base_url=base_url, now=now)


def _deployment_from_key(session: Session, reminder: Reminder) -> Deployment | None:
    # Keys of deployment-level rules read "rule:deployment:<id>:…".
    parts = reminder.key.split(":")
    return session.get(Deployment, int(parts[2])) if len(parts) > 2 and parts[1] == "deployment" else None


def _day(value: date) -> str:
    """A date as the recipient reads it ("1 Mar 2027", "1 mar 2027")."""
    return day(value)


def _moment(value: datetime, timezone: str | None) -> str:
    """A time as the recipient reads it, in their own time zone, named (the dispatcher has no request of
    theirs): "1 Mar 2027, 18:00 (Europe/Madrid)"."""
    return moment(value, zone=zone_of(timezone))


# --- Requests --------------------------------------------------------------------------------


@message_of("request_review")
def request_review(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    request = session.get(Request, reminder.subject_id)
    waited = (now - request.submitted_at).days if request.submitted_at else 0
    status = label(request.status).lower()
    return Content(_("Request waiting for review: %(title)s", title=request.title),
                   [ngettext("The request “%(title)s” from %(institution)s was submitted %(num)s day ago and is "
                             "%(status)s.",
                             "The request “%(title)s” from %(institution)s was submitted %(num)s days ago and is "
                             "%(status)s.",
                             waited, title=request.title, institution=request.institution.label, status=status)],
                   f"{base_url}/requests/{request.id}",
                   values={"request": request.title, "institution": request.institution.label, "status": status,
                           "days": waited})


# --- Deployments: invitations, mission reports, cancellations -------------------------------------


def _deployment_values(deployment: Deployment) -> dict[str, Any]:
    activity = deployment.activity
    return {"expert": deployment.expert.name, "role": label(deployment.role).lower(), "activity": activity.title,
            "action": activity.action.name, "start": _day(activity.start_date), "end": _day(activity.end_date),
            "dates": period(activity.start_date, activity.end_date)}


@message_of("invite_nudge")
def invite_nudge(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    deployment = session.get(Deployment, reminder.subject_id)
    v = _deployment_values(deployment)
    link = f"{base_url}/deployments/{deployment.id}"
    if reminder.recipient_id != deployment.expert.user_id:  # their focal point
        return Content(_("Invitation unanswered: %(name)s on “%(title)s”", name=v["expert"], title=v["activity"]),
                       [_("%(name)s was invited as %(role)s to “%(title)s” (%(action)s), %(dates)s, "
                          "and has not answered yet.", name=v["expert"], role=v["role"], title=v["activity"],
                          action=v["action"], dates=v["dates"])], link, values=v)
    return Content(_("Your invitation to “%(title)s” is waiting for your answer", title=v["activity"]),
                   [_("You were invited as %(role)s to “%(title)s” (%(action)s), %(dates)s.",
                      role=v["role"], title=v["activity"], action=v["action"], dates=v["dates"]),
                    _("Please accept or decline it in Peerflow.")], link, values=v)


@message_of("invite_expiry")
def invite_expiry(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    deployment = session.get(Deployment, reminder.subject_id)
    v = _deployment_values(deployment)
    return Content(_("Invitation expired: %(name)s on “%(title)s”", name=v["expert"], title=v["activity"]),
                   [_("%(name)s did not answer the invitation to “%(title)s” (%(action)s); it has expired. "
                      "The slot is open again.", name=v["expert"], title=v["activity"], action=v["action"])],
                   f"{base_url}/activities/{deployment.activity_id}#slots", values=v)


@message_of("report_due")
def report_due(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    deployment = _deployment_from_key(session, reminder)
    v = _deployment_values(deployment)
    link = f"{base_url}/deployments/{deployment.id}"
    if reminder.recipient_id != deployment.expert.user_id:  # officer, focal point
        return Content(_("Mission report due: %(name)s on “%(title)s”", name=v["expert"], title=v["activity"]),
                       [_("%(name)s's mission report on “%(title)s” (%(action)s) is due.", name=v["expert"],
                          title=v["activity"], action=v["action"])], link, values=v)
    return Content(_("Your mission report for “%(title)s” is due", title=v["activity"]),
                   [_("Please write your mission report on “%(title)s” (%(action)s).", title=v["activity"],
                      action=v["action"])], link, values=v)


@message_of("report_overdue")
def report_overdue(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    deployment = _deployment_from_key(session, reminder)
    v = _deployment_values(deployment)
    if reminder.recipient_id == deployment.expert.user_id:
        return Content(_("Your mission report for “%(title)s” is overdue", title=v["activity"]),
                       [_("“%(title)s” (%(action)s) ended on %(end)s and your mission report is not written yet.",
                          title=v["activity"], action=v["action"], end=v["end"]),
                        _("Please write it in Peerflow.")], f"{base_url}/deployments/{deployment.id}", values=v)
    return Content(_("Mission report overdue: %(name)s on “%(title)s”", name=v["expert"], title=v["activity"]),
                   [_("%(name)s has not written the mission report on “%(title)s” (%(action)s), which ended on "
                      "%(end)s.", name=v["expert"], title=v["activity"], action=v["action"], end=v["end"])],
                   f"{base_url}/deployments/{deployment.id}", values=v)


@message_of("mission_checklist")
def mission_checklist(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    deployment = session.get(Deployment, reminder.subject_id)
    v = _deployment_values(deployment)
    items = list(session.scalars(select(ChecklistItem.text).where(ChecklistItem.deployment_id == deployment.id,
                                                                  ChecklistItem.done_at.is_(None))
                                 .order_by(ChecklistItem.id)))
    outbound = session.scalar(select(MissionLogistics.outbound_date).where(
        MissionLogistics.deployment_id == deployment.id))
    departure = outbound or deployment.activity.start_date
    v.update(departure=_day(departure), days=(departure - now.date()).days, items="\n".join(items))
    listed = [f"– {text}" for text in items]
    link = f"{base_url}/deployments/{deployment.id}/mission#checklist"
    if reminder.recipient_id != deployment.expert.user_id:  # the officer
        return Content(ngettext("Checklist still open: %(name)s on “%(title)s”, %(num)s item",
                                "Checklist still open: %(name)s on “%(title)s”, %(num)s items", len(items),
                                name=v["expert"], title=v["activity"]),
                       [_("%(name)s leaves on %(departure)s for “%(title)s” (%(action)s). Still open on the mission's "
                          "checklist:", name=v["expert"], departure=v["departure"], title=v["activity"],
                          action=v["action"]), *listed], link, values=v)
    return Content(ngettext("Before your mission “%(title)s”: %(num)s thing still to do",
                            "Before your mission “%(title)s”: %(num)s things still to do", len(items),
                            title=v["activity"]),
                   [_("You leave on %(departure)s for “%(title)s” (%(action)s). Still open on your checklist:",
                      departure=v["departure"], title=v["activity"], action=v["action"]), *listed,
                    _("Tick each item off on the mission's page once it is done.")], link, values=v)


# --- Activities ------------------------------------------------------------------------------


def _activity_values(activity: Activity, now: datetime) -> dict[str, Any]:
    return {"activity": activity.title, "action": activity.action.name, "start": _day(activity.start_date),
            "end": _day(activity.end_date), "dates": period(activity.start_date, activity.end_date), "place": _("remote") if activity.is_remote else activity.city or "",
            "days": (activity.start_date - now.date()).days}


@message_of("activity_coming")
def activity_coming(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    activity = session.get(Activity, reminder.subject_id)
    v = _activity_values(activity, now)
    ics = activities_feed(activity.title, [activity], base_url=base_url, stamp=now)
    where = _("remote") if activity.is_remote else activity.city
    return Content(ngettext("“%(title)s” starts in %(num)s day (%(action)s)",
                            "“%(title)s” starts in %(num)s days (%(action)s)",
                            v["days"], title=v["activity"], action=v["action"]),
                   [_("“%(title)s” (%(action)s) runs %(dates)s, %(place)s.", title=v["activity"],
                      action=v["action"], dates=v["dates"], place=where),
                    _("The calendar file is attached.")],
                   f"{base_url}/activities/{activity.id}", [("activity.ics", "text/calendar", ics)], values=v)


@message_of("slots_open")
def slots_open(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    activity = session.get(Activity, reminder.subject_id)
    v = _activity_values(activity, now)
    live = session.scalar(select(func.count()).select_from(Deployment).where(
        Deployment.activity_id == activity.id, Deployment.status.in_(LIVE))) or 0
    places = sum(s.places for s in activity.slots)
    return Content(ngettext("%(num)s expert place still open on “%(title)s”",
                            "%(num)s expert places still open on “%(title)s”",
                            places - live, title=v["activity"]),
                   [ngettext("“%(title)s” (%(action)s) starts in %(days)s days and %(open)s of its %(num)s expert "
                             "place is not filled.",
                             "“%(title)s” (%(action)s) starts in %(days)s days and %(open)s of its %(num)s expert "
                             "places are not filled.",
                             places, title=v["activity"], action=v["action"], days=v["days"], open=places - live)],
                   f"{base_url}/activities/{activity.id}#slots",
                   values={**v, "open": max(0, places - live), "places": places})


# --- Actions ---------------------------------------------------------------------------------


@message_of("action_ending")
def action_ending(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    action = session.get(Action, reminder.subject_id)
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
                   f"{base_url}/actions/{action.id}",
                   values={"action": action.name, "action_title": action.title,
                           "end": _day(action.planned_end) if action.planned_end else "", "open": open_count})


@message_of("closing_stalled")
def closing_stalled(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    action = session.get(Action, reminder.subject_id)
    return Content(_("%(name)s has been in closing for a month", name=action.name),
                   [_("%(name)s (%(title)s) is still in closing; its final report and closure are due.",
                      name=action.name, title=action.title)],
                   f"{base_url}/actions/{action.id}", values={"action": action.name, "action_title": action.title})


@message_of("final_report_due")
def final_report_due(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    action = session.get(Action, reminder.subject_id)
    end = _day(action.planned_end) if action.planned_end else ""
    return Content(_("The final report of %(name)s is due", name=action.name),
                   [_("%(name)s (%(title)s) is closing or past its planned end (%(end)s) and has no final report "
                      "yet.", name=action.name, title=action.title, end=end or "—"),
                    _("Write the final report to close the Action.")],
                   f"{base_url}/actions/{action.id}",
                   values={"action": action.name, "action_title": action.title, "end": end})


@message_of("deliverable_check_in")
def deliverable_check_in(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    action = session.get(Action, reminder.subject_id)
    months = int(reminder.key.split(":")[3])
    return Content(_("News of the deliverables of %(name)s, %(months)s months on", name=action.name, months=months),
                   [_("%(name)s (%(title)s) closed %(months)s months ago. What has become of its plans, protocols "
                      "and other policy deliverables since?", name=action.name, title=action.title, months=months),
                    _("Record for each the stage it reached (validated, officially adopted, implemented), its "
                      "evidence and what came of it: an initiative, a campaign, a new unit.")],
                   f"{base_url}/actions/{action.id}/results#deliverable-news",
                   values={"action": action.name, "action_title": action.title, "months": months})


# --- The weekly digest -----------------------------------------------------------------------


@message_of("weekly_digest")
def weekly_digest(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    today = now.date()
    waiting = session.scalar(select(func.count()).select_from(Request).where(
        Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)))) or 0
    coming = session.scalars(select(Activity).where(
        Activity.start_date.between(today, today + timedelta(days=14)), Activity.status.in_(EDITABLE_STATES))
        .order_by(Activity.start_date).limit(20)).all()
    listed = [f"{format_date(a.start_date, 'EEE d MMM')} — {a.title} ({a.action.name})" for a in coming]
    lines = [_("Requests waiting for review: %(count)s.", count=waiting),
             _("Activities in the next two weeks: %(count)s.", count=len(coming)), *(f"  {item}" for item in listed)]
    return Content(_("Peerflow weekly digest, week of %(date)s", date=_day(today)), lines, f"{base_url}/home",
                   values={"date": _day(today), "waiting": waiting, "coming": len(listed),
                           "activities": "\n".join(item.strip() for item in listed)})


# --- Steering Committee consultations ------------------------------------------------------------


def _consultation_values(session: Session, reminder: Reminder) -> tuple[Consultation, dict[str, Any]]:
    """The consultation, with its request's placeholders and its deadline as the recipient reads it."""
    consultation = session.get(Consultation, reminder.subject_id)
    request = consultation.request
    return consultation, {"request": request.title, "institution": request.institution.label,
                          "deadline": _moment(consultation.answers_until, reminder.recipient.timezone)}


@message_of("consultation_due")
def consultation_due(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    """Before the deadline, to who has not answered."""
    consultation, v = _consultation_values(session, reminder)
    return Content(_("The Steering Committee is consulted on “%(title)s” until %(deadline)s", title=v["request"],
                     deadline=v["deadline"]),
                   [_("You have not answered yet on the request “%(title)s” from %(institution)s. Please support it "
                      "or object (with a reason) by %(deadline)s; without an answer you count as supporting it.",
                      title=v["request"], institution=v["institution"], deadline=v["deadline"])],
                   f"{base_url}/requests/{consultation.request_id}#committee",
                   values={**v, "days": max(0, (consultation.deadline - now).days)})


@message_of("consultation_ended")
def consultation_ended(session: Session, reminder: Reminder, *, base_url: str, now: datetime) -> Content:
    """Once the deadline passed, to who records the decision."""
    consultation, v = _consultation_values(session, reminder)
    answers = [a.answer for a in consultation.answers]
    return Content(_("Consultation ended: %(title)s", title=v["request"]),
                   [_("The Steering Committee's consultation on “%(title)s” (%(institution)s) ended on "
                      "%(deadline)s; members who did not answer count as supporting it.", title=v["request"],
                      institution=v["institution"], deadline=v["deadline"]),
                    _("Please record the decision.")], f"{base_url}/requests/{consultation.request_id}#committee",
                   values={**v, "supports": answers.count(Answer.SUPPORT), "objections": answers.count(Answer.OBJECT),
                           "unanswered": answers.count(None)})
