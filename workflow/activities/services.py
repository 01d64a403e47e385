"""Use cases of activities and deliverables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ensure_open
from ..actions.models import Action
from ..core.dates import day
from ..core.errors import DomainError, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..core.signals import stale_edit
from ..deployments.candidates import candidate_of, slot_of
from ..deployments.explain import violations_text
from ..deployments.lifecycle import LIVE, DeploymentEvent
from ..deployments.models import Deployment
from ..deployments.services import apply_deployment_event, lock_expert
from ..matching.engine import violations
from ..reference.models import Country
from .lifecycle import (
    ACTIVITY_LIFECYCLE,
    EDITABLE_STATES,
    ActivityEvent,
    ActivityFacts,
    ActivityKind,
    ActivityStatus,
)
from .models import Activity, ActivityTransition
from .signals import activity_changed, activity_postponed
from .slots import (
    CANCELLABLE,
    SlotDraft,
    check_slot_count,
    drop_slot,
    new_slot,
    require_staff,
    reshape_slot,
    slot_on,
)


@dataclass(frozen=True)
class ActivityDraft:
    """An activity as planned or edited. Editing never moves dates (that is postponing): `start_date` and
    `end_date` may then be left out (None) or must be the activity's own."""

    kind: ActivityKind
    title: str
    start_date: date | None
    end_date: date | None
    is_remote: bool = False
    city: str | None = None
    country_code: str | None = None
    languages: tuple[str, ...] = ()
    slots: tuple[SlotDraft, ...] = ()


def _check_draft(draft: ActivityDraft, session: Session | None = None) -> None:
    if draft.start_date is None or draft.end_date is None:
        raise DomainError(_("Give the start and end dates."), field="start_date")
    _check_dates(draft.start_date, draft.end_date)
    if not draft.is_remote and not (draft.city and draft.country_code):
        raise DomainError(_("Give the city and country, or mark the activity as remote."), field="city")
    _check_fields(draft, session)


# The calendar an activity may be planned in: reminders count days before and after it.
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def _check_dates(start: date, end: date) -> None:
    for name, value in (("start_date", start), ("end_date", end)):
        if not EARLIEST <= value <= LATEST:
            raise DomainError(_("Give a date between %(first)s and %(last)s.", first=day(EARLIEST),
                                last=day(LATEST)), field=name)
    if end < start:
        raise DomainError(_("The end date is before the start date."), field="end_date")


def _check_fields(draft: ActivityDraft, session: Session | None = None) -> None:
    """What an edit checks as well as a new activity: place, languages, country."""
    if not draft.is_remote and not (draft.city and draft.country_code):
        raise DomainError(_("Give the city and country, or mark the activity as remote."), field="city")
    if not draft.languages:
        raise DomainError(_("Give at least one language of the activity."), field="languages")
    if session is not None and draft.country_code and session.get(Country, draft.country_code) is None:
        raise DomainError(_("%(code)s is not a known ISO country code.", code=draft.country_code),
                          field="country_code")


def create_activity(session: Session, action: Action, draft: ActivityDraft, *, actor: User, now: datetime) -> Activity:
    require_staff(actor)
    ensure_open(action)
    _check_draft(draft, session)
    activity = Activity(action=action, created_at=now, updated_at=now, status=ActivityStatus.PLANNED,
                        start_date=draft.start_date, end_date=draft.end_date)
    _apply_fields(activity, draft)
    activity.slots = [new_slot(s) for s in draft.slots if not s.remove]
    session.add(activity)
    session.add(ActivityTransition(activity=activity, actor_id=actor.id, at=now, to_status=ActivityStatus.PLANNED))
    action.updated_at = now
    session.flush()
    activity_changed.send(activity, session=session, actor=actor, now=now, event="plan")
    return activity


def _apply_fields(activity: Activity, draft: ActivityDraft) -> None:
    """The activity's own fields; never its dates (set on creation, moved by postponing) nor its slots."""
    activity.kind = draft.kind
    activity.title = draft.title
    activity.is_remote = draft.is_remote
    activity.city = None if draft.is_remote else draft.city
    activity.country_code = None if draft.is_remote else draft.country_code
    activity.languages = list(dict.fromkeys(draft.languages))


def copy_activity(session: Session, activity: Activity, start_date: date, *, actor: User, now: datetime,
                  title: str | None = None) -> Activity:
    """Plan a copy of `activity` on its Action from `start_date`, as long as the original: same kind, place,
    languages and expert slots; no experts, report or deliverables come with it."""
    try:
        end_date = start_date + timedelta(days=(activity.end_date - activity.start_date).days)
    except OverflowError:
        raise DomainError(_("The copy would end past the end of the calendar."), field="start_date") from None
    draft = ActivityDraft(
        kind=activity.kind, title=" ".join((title or activity.title).split()), start_date=start_date,
        end_date=end_date, is_remote=activity.is_remote, city=activity.city, country_code=activity.country_code,
        languages=tuple(activity.languages),
        slots=tuple(SlotDraft(role=s.role, thematic_area_id=s.thematic_area_id, language=s.language, places=s.places)
                    for s in activity.slots),
    )
    if not draft.title or len(draft.title) > 200:
        raise DomainError(_("Give the copy a title of at most 200 characters."), field="title")
    return create_activity(session, activity.action, draft, actor=actor, now=now)


def update_activity(
    session: Session, activity: Activity, draft: ActivityDraft, *, version: int, actor: User, now: datetime
) -> Activity:
    """Edit a planned, confirmed or postponed activity; moving its dates is done by postponing."""
    require_staff(actor)
    ensure_open(activity.action)
    if activity.status not in EDITABLE_STATES:
        raise StateConflict(_("This activity is %(status)s: it can no longer be edited.",
                            status=label(activity.status).lower()))
    if version != activity.version:
        raise stale_edit(session, activity, version, _("Someone changed this activity after you opened it."))
    moved = [name for name, value, current in (("start_date", draft.start_date, activity.start_date),
                                               ("end_date", draft.end_date, activity.end_date))
             if value is not None and value != current]
    if moved:
        raise DomainError(_("Editing does not move an activity's dates: postpone it instead (with a reason; the "
                            "experts booked on it are told)."), field=moved[0])
    _check_fields(draft, session)
    _apply_fields(activity, draft)
    removed = []
    with session.no_autoflush:  # one flush for the whole edit: one new version of the activity
        for slot_draft in draft.slots:  # slots not mentioned stay as they are
            if slot_draft.id is None:
                if not slot_draft.remove:
                    activity.slots.append(new_slot(slot_draft))
                continue
            slot = slot_on(session, activity, slot_draft.id)
            if slot_draft.remove:
                removed.append(slot)
            else:
                reshape_slot(session, slot, slot_draft)
    check_slot_count(activity, len(removed))
    activity.updated_at = now
    for slot in removed:  # the first removal's flush writes the whole edit: one new version
        drop_slot(session, slot, now)
    session.flush()
    activity_changed.send(activity, session=session, actor=actor, now=now, event="edit")
    return activity


def postpone_activity(session: Session, activity: Activity, *, start_date: date, end_date: date, reason: str | None,
                      actor: User, now: datetime) -> ActivityTransition:
    """Move an activity to new dates: a reason and a history row with the old dates; every live deployment
    is checked again against the hard rules that depend on dates (overlap, unavailability, day cap), and
    the move is refused, naming the expert and the rule, if one breaks. Reminders follow the new dates and
    the experts invited or booked are told (both derived from the data when the transaction commits)."""
    live = list(session.scalars(select(Deployment).where(Deployment.activity_id == activity.id,
                                                         Deployment.status.in_(CANCELLABLE))
                                .order_by(Deployment.expert_id, Deployment.id)))
    require_staff(actor)
    ensure_open(activity.action)
    _check_dates(start_date, end_date)
    for expert_id in dict.fromkeys(d.expert_id for d in live):  # locks in a fixed order: no deadlock
        lock_expert(session, expert_id, now)
    transition = apply_activity_event(session, activity, ActivityEvent.POSTPONE, actor=actor, now=now,
                                      reason=reason, new_dates=(start_date, end_date))
    for deployment in live:
        candidate = candidate_of(session, deployment.expert_id, today=now.date(), exclude_deployment=deployment.id)
        broken = [v for v in violations(candidate, slot_of(session, deployment.slot)) if v.rule in DATED_RULES]
        if broken:
            raise DomainError(_("%(name)s cannot be kept at the new dates: %(why)s Cancel their deployment first or "
                                "choose other dates.", name=deployment.expert.name, why=violations_text(broken)),
                              field="start_date")
    activity_postponed.send(activity, session=session, actor=actor, now=now, event="postpone",
                            previous=(transition.previous_start, transition.previous_end))
    return transition


# The hard rules that depend on an activity's dates.
DATED_RULES = frozenset({"overlap", "unavailable", "day_cap"})


@dataclass(frozen=True)
class ActivityReport:
    summary: str
    participants_female: int
    participants_male: int
    participants_other: int = 0
    participant_institutions: str | None = None


def apply_activity_event(
    session: Session,
    activity: Activity,
    event: ActivityEvent,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    new_dates: tuple[date, date] | None = None,
    report: ActivityReport | None = None,
) -> ActivityTransition:
    """The one way an activity's status changes; postponing moves its dates and keeps the old ones."""
    require_staff(actor)
    ensure_open(activity.action)
    facts = ActivityFacts(
        today=now.date(),
        start_date=activity.start_date,
        reason=reason,
        has_report=bool(report and report.summary.strip()),
    )
    target = ACTIVITY_LIFECYCLE.check(activity.status, event, facts)
    transition = ActivityTransition(
        activity=activity,
        actor_id=actor.id,
        at=now,
        from_status=activity.status,
        to_status=target,
        reason=reason.strip() if reason and reason.strip() else None,
    )
    if event is ActivityEvent.POSTPONE:
        if new_dates is None:
            raise DomainError(_("Postponing needs the new start and end dates."), field="start_date")
        start, end = new_dates
        if end < start:
            raise DomainError(_("The end date is before the start date."), field="end_date")
        transition.previous_start, transition.previous_end = activity.start_date, activity.end_date
        activity.start_date, activity.end_date = start, end
    if event is ActivityEvent.REPORT and report is not None:
        activity.report = report.summary.strip()
        activity.participants_female = report.participants_female
        activity.participants_male = report.participants_male
        activity.participants_other = report.participants_other
        activity.participant_institutions = report.participant_institutions
        activity.reported_at = now
    activity.status = target
    activity.updated_at = now
    activity.action.updated_at = now
    session.add(transition)
    session.flush()
    if target is ActivityStatus.CANCELLED:
        _cancel_deployments(session, activity, reason=transition.reason, actor=actor, now=now)
    activity_changed.send(activity, session=session, actor=actor, now=now, event=event.value)
    return transition


def _cancel_deployments(session: Session, activity: Activity, *, reason: str | None, actor: User,
                        now: datetime) -> None:
    """A cancelled activity holds nobody: each live deployment on it is cancelled through its own lifecycle
    (a history row with the activity's reason; the expert is told; its reminders go)."""
    live = session.scalars(select(Deployment).where(Deployment.activity_id == activity.id,
                                                    Deployment.status.in_(LIVE)).order_by(Deployment.id))
    for deployment in live:
        apply_deployment_event(session, deployment, DeploymentEvent.CANCEL, actor=actor, now=now,
                               reason=_("The activity was cancelled: %(reason)s", reason=reason or "—"))
