"""Use cases of activities and deliverables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus, ensure_open
from ..actions.models import Action
from ..calls.lifecycle import CallStatus
from ..calls.models import Call
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..core.signals import stale_edit
from ..core.uploads import StoredFile
from ..deployments.candidates import candidate_of, slot_of
from ..deployments.explain import violations_text
from ..deployments.lifecycle import LIVE, DeploymentEvent, DeploymentStatus
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
from .models import Activity, ActivityTransition, Deliverable, DeliverableKind, ExpertSlot, SlotRole


@dataclass(frozen=True)
class SlotDraft:
    """One slot as a form or the API gives it: `id` names an existing slot (None: a new one), `remove`
    asks to remove it."""

    role: SlotRole
    thematic_area_id: int
    language: str
    places: int = 1
    id: int | None = None
    remove: bool = False


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
            raise DomainError(_("Give a date between %(first)s and %(last)s.", first=EARLIEST.isoformat(),
                                last=LATEST.isoformat()), field=name)
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


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff plan and run activities."))


def create_activity(session: Session, action: Action, draft: ActivityDraft, *, actor: User, now: datetime) -> Activity:
    _require_staff(actor)
    ensure_open(action)
    _check_draft(draft, session)
    activity = Activity(action=action, created_at=now, updated_at=now, status=ActivityStatus.PLANNED,
                        start_date=draft.start_date, end_date=draft.end_date)
    _apply_fields(activity, draft)
    activity.slots = [_new_slot(s) for s in draft.slots if not s.remove]
    session.add(activity)
    session.add(ActivityTransition(activity=activity, actor_id=actor.id, at=now, to_status=ActivityStatus.PLANNED))
    action.updated_at = now
    session.flush()
    return activity


def _apply_fields(activity: Activity, draft: ActivityDraft) -> None:
    """The activity's own fields; never its dates (set on creation, moved by postponing) nor its slots."""
    activity.kind = draft.kind
    activity.title = draft.title
    activity.is_remote = draft.is_remote
    activity.city = None if draft.is_remote else draft.city
    activity.country_code = None if draft.is_remote else draft.country_code
    activity.languages = list(dict.fromkeys(draft.languages))


def _new_slot(draft: SlotDraft) -> ExpertSlot:
    _check_slot(draft)
    return ExpertSlot(role=draft.role, thematic_area_id=draft.thematic_area_id, language=draft.language,
                      places=draft.places)


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
                    activity.slots.append(_new_slot(slot_draft))
                continue
            slot = _slot_of(session, activity, slot_draft.id)
            if slot_draft.remove:
                removed.append(slot)
            else:
                _reshape_slot(session, slot, slot_draft)
    _check_slot_count(activity, len(removed))
    activity.updated_at = now
    for slot in removed:  # the first removal's flush writes the whole edit: one new version
        _drop_slot(session, slot, now)
    session.flush()
    return activity


# --- Expert slots, one by one ------------------------------------------------------------------
# A slot holds deployments (an expert proposed, invited, booked …), so it is changed in place, by id:
# never replaced. A slot whose experts are still live is not removed, shrunk below them or given
# another role, theme or language: their deployments are cancelled first, through their own lifecycle.

# The deployments that hold a place on a slot and can still be cancelled.
CANCELLABLE = (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED,
               DeploymentStatus.CONFIRMED)


MAX_SLOTS = 20  # as many rows as the Edit page shows


def _check_slot_count(activity: Activity, leaving: int = 0) -> None:
    if len(activity.slots) - leaving > MAX_SLOTS:
        raise DomainError(_("An activity has at most %(num)s expert slots.", num=MAX_SLOTS), field="slots")


def _check_slot(draft: SlotDraft) -> None:
    if not draft.thematic_area_id:
        raise DomainError(_("Choose the slot's thematic area."), field="slots")
    if not 1 <= draft.places <= 50:
        raise DomainError(_("A slot has between 1 and 50 places."), field="slots")


def _slot_of(session: Session, activity: Activity, slot_id: int) -> ExpertSlot:
    slot = session.get(ExpertSlot, slot_id)
    if slot is None or slot.activity_id != activity.id or slot.removed_at is not None:
        raise DomainError(_("That expert slot is not part of this activity."), field="slots")
    return slot


def _slot_editable(activity: Activity, actor: User) -> None:
    _require_staff(actor)
    ensure_open(activity.action)
    if activity.status not in EDITABLE_STATES:
        raise StateConflict(_("This activity is %(status)s: it can no longer be edited.",
                            status=label(activity.status).lower()))


def live_on_slot(session: Session, slot: ExpertSlot) -> list[Deployment]:
    """The slot's deployments that occupy a place on it (proposed to completed), in id order."""
    return list(session.scalars(select(Deployment).where(Deployment.slot_id == slot.id, Deployment.status.in_(LIVE))
                                .options(joinedload(Deployment.expert)).order_by(Deployment.id)))


def _names(deployments: list[Deployment]) -> str:
    return ", ".join(dict.fromkeys(d.expert.name for d in deployments))


def add_slot(session: Session, activity: Activity, draft: SlotDraft, *, actor: User, now: datetime) -> ExpertSlot:
    """A new slot on the activity."""
    _slot_editable(activity, actor)
    slot = _new_slot(draft)
    activity.slots.append(slot)
    _check_slot_count(activity)
    activity.updated_at = now
    session.flush()
    return slot


def update_slot(session: Session, slot: ExpertSlot, draft: SlotDraft, *, actor: User, now: datetime) -> ExpertSlot:
    """Change a slot in place; refused, naming the experts, when it would leave its live deployments
    without a place or change what they were matched on (role, thematic area, language)."""
    activity = slot.activity
    _slot_editable(activity, actor)
    if slot.removed_at is not None:
        raise DomainError(_("That expert slot is not part of this activity."), field="slots")
    _reshape_slot(session, slot, draft)
    if session.is_modified(slot):
        activity.updated_at = now
    session.flush()
    return slot


def _reshape_slot(session: Session, slot: ExpertSlot, draft: SlotDraft) -> None:
    _check_slot(draft)
    reshaped = (draft.role, draft.thematic_area_id, draft.language) != (slot.role, slot.thematic_area_id, slot.language)
    if reshaped or draft.places < slot.places:
        live = live_on_slot(session, slot)
        if reshaped and live:
            raise StateConflict(_("The slot's role, thematic area and language stay as they are while experts are on "
                                "it (%(names)s): cancel their deployments first.", names=_names(live)),
                              field="slots")
        if draft.places < len(live):
            raise StateConflict(ngettext(
                "The slot cannot have fewer places than its %(num)s live deployment (%(names)s): cancel it first.",
                "The slot cannot have fewer places than its %(num)s live deployments (%(names)s): cancel some first.",
                len(live), names=_names(live)), field="slots")
    slot.role, slot.thematic_area_id, slot.language, slot.places = (draft.role, draft.thematic_area_id,
                                                                     draft.language, draft.places)


def remove_slot(session: Session, slot: ExpertSlot, *, actor: User, now: datetime) -> None:
    """Remove a slot no live deployment (nor open call for experts) holds. One whose past deployments
    (cancelled, declined …) or calls keep their history on it is marked removed and leaves the activity's
    list; one that never had any is deleted."""
    activity = slot.activity
    _slot_editable(activity, actor)
    if slot.removed_at is not None:
        return
    activity.updated_at = now
    _drop_slot(session, slot, now)


def _drop_slot(session: Session, slot: ExpertSlot, now: datetime) -> None:
    activity = slot.activity
    live = live_on_slot(session, slot)
    completed = [d for d in live if d.status is DeploymentStatus.COMPLETED]
    if completed:
        raise StateConflict(_("This slot holds completed deployments (%(names)s): it stays.", names=_names(completed)),
                          field="slots")
    if live:
        raise StateConflict(_("This slot still holds live deployments (%(names)s): cancel them first (with a reason; "
                            "each expert is told).", names=_names(live)), field="slots")
    calls = set(session.scalars(select(Call.status).where(Call.slot_id == slot.id)))
    if CallStatus.OPEN in calls:
        raise StateConflict(_("A call for experts for this slot is still open: close it or stand it down first."),
                          field="slots")
    has_history = bool(calls) or session.scalar(
        select(Deployment.id).where(Deployment.slot_id == slot.id).limit(1)) is not None
    if has_history:
        slot.removed_at = now
    else:
        session.delete(slot)
    session.flush()
    session.expire(activity, ["slots"])  # the list reads the slots in use again


def postpone_activity(session: Session, activity: Activity, *, start_date: date, end_date: date, reason: str | None,
                      actor: User, now: datetime) -> ActivityTransition:
    """Move an activity to new dates: a reason and a history row with the old dates; every live deployment
    is checked again against the hard rules that depend on dates (overlap, unavailability, day cap), and
    the move is refused, naming the expert and the rule, if one breaks. Reminders follow the new dates and
    the experts invited or booked are told (both derived from the data when the transaction commits)."""
    live = list(session.scalars(select(Deployment).where(Deployment.activity_id == activity.id,
                                                         Deployment.status.in_(CANCELLABLE))
                                .order_by(Deployment.expert_id, Deployment.id)))
    _require_staff(actor)
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
    if target is ActivityStatus.CANCELLED:
        _cancel_deployments(session, activity, reason=transition.reason, actor=actor, now=now)
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
