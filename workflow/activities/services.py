"""Use cases of activities and deliverables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.services import ensure_open
from ..audit.services import stale_edit
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..reference.models import Country
from .lifecycle import (
    ACTIVITY_LIFECYCLE,
    EDITABLE_STATES,
    ActivityEvent,
    ActivityFacts,
    ActivityKind,
    ActivityStatus,
)
from .models import Activity, ActivityTransition, Deliverable, DeliverableKind, ExpertSlot, SlotRole
from .uploads import StoredFile


@dataclass(frozen=True)
class SlotDraft:
    role: SlotRole
    thematic_area_id: int
    language: str
    places: int = 1


@dataclass(frozen=True)
class ActivityDraft:
    kind: ActivityKind
    title: str
    start_date: date
    end_date: date
    is_remote: bool = False
    city: str | None = None
    country_code: str | None = None
    languages: tuple[str, ...] = ()
    slots: tuple[SlotDraft, ...] = ()


def _check_draft(draft: ActivityDraft, session: Session | None = None) -> None:
    if draft.end_date < draft.start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    if not draft.is_remote and not (draft.city and draft.country_code):
        raise DomainError(_("Give the city and country, or mark the activity as remote."), field="city")
    if not draft.languages:
        raise DomainError(_("Give at least one language of the activity."), field="languages")
    if session is not None and draft.country_code and session.get(Country, draft.country_code) is None:
        raise DomainError(_("%(code)s is not a known ISO country code.", code=draft.country_code),
                          field="country_code")


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff plan and run activities."))


def create_activity(session: Session, action: Action, draft: ActivityDraft, *, actor: User, now: datetime) -> Activity:
    _require_staff(actor)
    ensure_open(action)
    _check_draft(draft, session)
    activity = Activity(action=action, created_at=now, updated_at=now, status=ActivityStatus.PLANNED)
    _apply_draft(activity, draft)
    session.add(activity)
    session.add(ActivityTransition(activity=activity, actor_id=actor.id, at=now, to_status=ActivityStatus.PLANNED))
    action.updated_at = now
    session.flush()
    return activity


def _apply_draft(activity: Activity, draft: ActivityDraft) -> None:
    activity.kind = draft.kind
    activity.title = draft.title
    activity.start_date = draft.start_date
    activity.end_date = draft.end_date
    activity.is_remote = draft.is_remote
    activity.city = None if draft.is_remote else draft.city
    activity.country_code = None if draft.is_remote else draft.country_code
    activity.languages = list(dict.fromkeys(draft.languages))
    activity.slots = [
        ExpertSlot(role=s.role, thematic_area_id=s.thematic_area_id, language=s.language, places=s.places)
        for s in draft.slots
    ]


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
    _require_staff(actor)
    ensure_open(activity.action)
    if activity.status not in EDITABLE_STATES:
        raise StateConflict(_("This activity is %(status)s: it can no longer be edited.",
                            status=label(activity.status).lower()))
    if version != activity.version:
        raise stale_edit(session, activity, version, _("Someone changed this activity after you opened it."))
    _check_draft(draft, session)
    _apply_draft(activity, draft)
    activity.updated_at = now
    session.flush()
    return activity


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
    _require_staff(actor)
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
    return transition


@dataclass(frozen=True)
class DeliverableDraft:
    kind: DeliverableKind
    title: str
    language: str
    issued_on: date | None = None
    activity_id: int | None = None
    url: str | None = None


def add_deliverable(
    session: Session,
    action: Action,
    draft: DeliverableDraft,
    *,
    actor: User,
    now: datetime,
    file: StoredFile | None = None,
    file_name: str | None = None,
) -> Deliverable:
    """Attach a deliverable (an uploaded file or a link) to the Action."""
    _require_staff(actor)
    if action.status is ActionStatus.CANCELLED:
        raise StateConflict(_("This Action is cancelled; it takes no deliverables."))
    if file is None and not draft.url:
        raise DomainError(_("Upload the file or give a link to it."), field="file")
    if draft.activity_id is not None and not session.scalar(
        select(Activity.id).where(Activity.id == draft.activity_id, Activity.action_id == action.id)
    ):
        raise DomainError(_("That activity is not part of this Action."), field="activity_id")
    deliverable = Deliverable(
        action=action,
        activity_id=draft.activity_id,
        kind=draft.kind,
        title=draft.title,
        language=draft.language,
        issued_on=draft.issued_on,
        url=draft.url or None,
        uploaded_by_id=actor.id,
        created_at=now,
    )
    if file is not None:
        deliverable.stored_name = file.stored_name
        deliverable.content_type = file.content_type
        deliverable.size_bytes = file.size_bytes
        deliverable.sha256 = file.sha256
        deliverable.file_name = file_name or "deliverable"
    session.add(deliverable)
    action.updated_at = now
    session.flush()
    return deliverable
