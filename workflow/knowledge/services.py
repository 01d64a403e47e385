"""Use cases: record a knowledge-sharing event and who came, draft a good practice, publish or withdraw it.

Every use case takes the `actor` and `now`, checks the rules, flushes and never commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.models import Action
from ..activities.lifecycle import ActivityKind
from ..activities.models import Activity, Deliverable
from ..activities.services import ActivityDraft, create_activity
from ..core.errors import DomainError
from ..core.i18n import _
from ..reference.models import Country, Region, ThematicArea
from ..results.models import Indicator
from .lifecycle import PRACTICE_LIFECYCLE, ImpactArea, PracticeEvent, PracticeStatus
from .models import EventParticipants, KnowledgeEvent, Practice

MAX_TEXT = 10_000  # characters of a description, summary or conditions; longer is refused, never cut
MAX_REASON = 2_000
MAX_PARTICIPANT_ROWS = 200
MAX_COUNT = 10_000  # people of one country and institution at one event


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise DomainError(_("Only programme staff record knowledge events and good practices."))


def _text(value: str | None, name: str, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    value = (value or "").strip() or None
    if required and value is None:
        raise DomainError(_("This field is required."), field=name)
    if value is not None and len(value) > limit:
        raise DomainError(_("At most %(n)s characters.", n=limit), field=name)
    return value


def _exists(session: Session, model: type, key: object, name: str) -> None:
    if key is not None and session.get(model, key) is None:
        raise DomainError(_("Choose one of the options."), field=name)


def _actions(session: Session, ids: Sequence[int], name: str = "action_ids") -> list[Action]:
    wanted = sorted(set(ids))
    found = list(session.scalars(select(Action).where(Action.id.in_(wanted)).order_by(Action.id))) if wanted else []
    if len(found) != len(wanted):
        raise DomainError(_("Choose one of the options."), field=name)
    return found


@dataclass(frozen=True)
class EventDraft:
    title: str
    host_institution: str
    start_date: date
    end_date: date
    region_id: int | None = None
    thematic_area_id: int | None = None
    theme: str | None = None
    city: str | None = None
    country_code: str | None = None
    summary: str | None = None
    action_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ParticipantGroup:
    country_code: str
    institution: str | None = None
    female: int = 0
    male: int = 0
    other: int = 0


def _apply_event(session: Session, event: KnowledgeEvent, draft: EventDraft) -> None:
    if draft.end_date < draft.start_date:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    _exists(session, Region, draft.region_id, "region_id")
    _exists(session, ThematicArea, draft.thematic_area_id, "thematic_area_id")
    _exists(session, Country, draft.country_code, "country_code")
    event.title = _text(draft.title, "title", required=True, limit=200) or ""
    event.host_institution = _text(draft.host_institution, "host_institution", required=True, limit=300) or ""
    event.theme = _text(draft.theme, "theme", limit=300)
    event.city = _text(draft.city, "city", limit=120)
    event.summary = _text(draft.summary, "summary")
    event.region_id, event.thematic_area_id = draft.region_id, draft.thematic_area_id
    event.country_code = draft.country_code
    event.start_date, event.end_date = draft.start_date, draft.end_date
    event.actions = _actions(session, draft.action_ids)


def create_event(session: Session, draft: EventDraft, *, actor: User, now: datetime) -> KnowledgeEvent:
    """Record a programme-level event; it is counted apart from the Actions' own activities."""
    _require_staff(actor)
    event = KnowledgeEvent(created_by_id=actor.id, created_at=now, updated_at=now)
    _apply_event(session, event, draft)
    session.add(event)
    session.flush()
    return event


def update_event(session: Session, event: KnowledgeEvent, draft: EventDraft, *, actor: User,
                 now: datetime) -> KnowledgeEvent:
    _require_staff(actor)
    _apply_event(session, event, draft)
    event.updated_at = now
    session.flush()
    return event


def set_participants(session: Session, event: KnowledgeEvent, groups: Sequence[ParticipantGroup], *,
                     actor: User, now: datetime) -> KnowledgeEvent:
    """Replace who came to the event: one row per country and institution, counted by gender. The audit trail
    keeps each row added, changed or removed."""
    _require_staff(actor)
    if len(groups) > MAX_PARTICIPANT_ROWS:
        raise DomainError(_("At most %(n)s rows.", n=MAX_PARTICIPANT_ROWS), field="participants")
    seen: set[tuple[str, str]] = set()
    rows: list[EventParticipants] = []
    for group in groups:
        _exists(session, Country, group.country_code, "participants")
        if group.country_code is None:
            raise DomainError(_("Each row needs a country."), field="participants")
        counts = (group.female, group.male, group.other)
        if any(not isinstance(c, int) or c < 0 or c > MAX_COUNT for c in counts):
            raise DomainError(_("Counts are whole numbers from 0 to %(n)s.", n=MAX_COUNT), field="participants")
        institution = _text(group.institution, "participants", limit=300)
        key = (group.country_code, (institution or "").casefold())
        if key in seen:
            raise DomainError(_("The same country and institution appear twice."), field="participants")
        seen.add(key)
        rows.append(EventParticipants(country_code=group.country_code, institution=institution,
                                      female=group.female, male=group.male, other=group.other))
    event.participants = rows
    event.updated_at = now
    session.flush()
    return event


def open_staffing(session: Session, event: KnowledgeEvent, host_action_id: int, languages: Sequence[str], *,
                  actor: User, now: datetime) -> Activity:
    """Give the event a round-table activity on one of the running Actions it reviews, where experts are then
    invited and confirmed through the same slots, invitations, hard rules, notifications and to-dos as any
    activity. The activity is the event's: the portfolio counts it with the events, apart from the Actions'."""
    _require_staff(actor)
    if event.staffing_activity_id is not None:
        raise DomainError(_("This event already has its staffing activity."), field="host_action_id")
    host = next((a for a in event.actions if a.id == host_action_id), None)
    if host is None:
        raise DomainError(_("Choose one of the Actions the event reviews."), field="host_action_id")
    remote = not (event.city and event.country_code)
    activity = create_activity(session, host, ActivityDraft(
        kind=ActivityKind.ROUND_TABLE, title=event.title, start_date=event.start_date, end_date=event.end_date,
        is_remote=remote, city=None if remote else event.city, country_code=None if remote else event.country_code,
        languages=tuple(languages)), actor=actor, now=now)
    event.staffing_activity = activity
    event.updated_at = now
    session.flush()
    return activity


@dataclass(frozen=True)
class PracticeDraft:
    title: str
    description: str
    impact_areas: tuple[str, ...]
    conditions: str | None = None
    thematic_area_id: int | None = None
    region_id: int | None = None
    event_id: int | None = None
    action_ids: tuple[int, ...] = ()
    deliverable_ids: tuple[int, ...] = field(default=())
    indicator_ids: tuple[int, ...] = field(default=())


def _evidence(session: Session, model: type, ids: Sequence[int], actions: list[Action], name: str,
              refusal: str) -> list:
    """The deliverables or indicators given as evidence: each must exist and come from a source Action."""
    wanted = sorted(set(ids))
    found = list(session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id))) if wanted else []
    if len(found) != len(wanted):
        raise DomainError(_("Choose one of the options."), field=name)
    if any(item.action_id not in {a.id for a in actions} for item in found):
        raise DomainError(refusal, field=name)
    return found


def _apply_practice(session: Session, practice: Practice, draft: PracticeDraft) -> None:
    areas = []
    for value in draft.impact_areas:
        try:
            areas.append(ImpactArea(value).value)
        except ValueError:
            raise DomainError(_("Choose one of the options."), field="impact_areas") from None
    if not areas:
        raise DomainError(_("Choose at least one impact area."), field="impact_areas")
    _exists(session, Region, draft.region_id, "region_id")
    _exists(session, ThematicArea, draft.thematic_area_id, "thematic_area_id")
    _exists(session, KnowledgeEvent, draft.event_id, "event_id")
    actions = _actions(session, draft.action_ids)
    if not actions and draft.event_id is None:
        raise DomainError(_("Name the Actions or the event the practice comes from."), field="action_ids")
    deliverables = _evidence(session, Deliverable, draft.deliverable_ids, actions, "deliverable_ids",
                             _("A deliverable given as evidence must come from one of the source Actions."))
    indicators = _evidence(session, Indicator, draft.indicator_ids, actions, "indicator_ids",
                           _("An indicator given as evidence must come from one of the source Actions."))
    practice.title = _text(draft.title, "title", required=True, limit=200) or ""
    practice.description = _text(draft.description, "description", required=True) or ""
    practice.conditions = _text(draft.conditions, "conditions")
    practice.thematic_area_id, practice.region_id, practice.event_id = (
        draft.thematic_area_id, draft.region_id, draft.event_id)
    practice.impact_areas = sorted(set(areas), key=list(ImpactArea).index)
    practice.actions = actions
    practice.deliverables = deliverables
    practice.indicators = indicators


def create_practice(session: Session, draft: PracticeDraft, *, actor: User, now: datetime) -> Practice:
    """Draft a good practice (from a final report or an event); it stays off the catalogue until published."""
    _require_staff(actor)
    practice = Practice(created_by_id=actor.id, created_at=now, updated_at=now, status=PracticeStatus.DRAFT)
    _apply_practice(session, practice, draft)
    session.add(practice)
    session.flush()
    return practice


def update_practice(session: Session, practice: Practice, draft: PracticeDraft, *, actor: User,
                    now: datetime) -> Practice:
    _require_staff(actor)
    _apply_practice(session, practice, draft)
    practice.updated_at = now
    session.flush()
    return practice


def publish_practice(session: Session, practice: Practice, *, actor: User, now: datetime) -> Practice:
    """Put the practice in the public catalogue and on its source Actions' public pages."""
    _require_staff(actor)
    practice.status = PRACTICE_LIFECYCLE.check(practice.status, PracticeEvent.PUBLISH, None)
    practice.published_at = now
    practice.withdrawn_reason = None
    practice.updated_at = now
    session.flush()
    return practice


def withdraw_practice(session: Session, practice: Practice, reason: str | None, *, actor: User,
                      now: datetime) -> Practice:
    """Take a published practice off the catalogue, saying why; it is kept and can be published again."""
    _require_staff(actor)
    practice.status = PRACTICE_LIFECYCLE.check(practice.status, PracticeEvent.WITHDRAW, None)
    practice.withdrawn_reason = _text(reason, "reason", required=True, limit=MAX_REASON)
    practice.updated_at = now
    session.flush()
    return practice
