"""Read-only questions about knowledge events and practices, for the pages, the catalogue, feeds and dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session, selectinload

from ..core.search import matches
from ..reference.models import Region, ThematicArea
from ..results.models import Indicator
from .lifecycle import PracticeStatus
from .models import (
    EventParticipants,
    KnowledgeEvent,
    Practice,
    event_actions,
    practice_actions,
    practice_indicators,
)


def events_list(q: str | None = None) -> Select[tuple[KnowledgeEvent]]:
    return (select(KnowledgeEvent).where(matches(q, KnowledgeEvent.search_key))
            .options(selectinload(KnowledgeEvent.region), selectinload(KnowledgeEvent.participants))
            .order_by(KnowledgeEvent.start_date.desc(), KnowledgeEvent.id.desc()))


def events_between(session: Session, start: date, end: date) -> list[KnowledgeEvent]:
    """The events that overlap [start, end] (calendar feeds)."""
    return list(session.scalars(select(KnowledgeEvent).where(
        KnowledgeEvent.start_date <= end, KnowledgeEvent.end_date >= start).order_by(KnowledgeEvent.start_date)))


def event_count(session: Session) -> int:
    """Programme-level events, counted apart from the Actions' activities (dashboard)."""
    return session.scalar(select(func.count(KnowledgeEvent.id))) or 0


@dataclass(frozen=True)
class PracticeFilters:
    q: str | None = None
    theme: str | None = None  # thematic area code
    region: str | None = None  # region code
    impact_area: str | None = None  # ImpactArea value
    status: PracticeStatus | None = None


def practices_list(filters: PracticeFilters, *, published_only: bool) -> Select[tuple[Practice]]:
    stmt = select(Practice).where(matches(filters.q, Practice.search_key))
    if published_only:
        stmt = stmt.where(Practice.status == PracticeStatus.PUBLISHED)
    elif filters.status is not None:
        stmt = stmt.where(Practice.status == filters.status)
    if filters.theme:
        stmt = stmt.where(Practice.thematic_area_id.in_(select(ThematicArea.id).where(ThematicArea.code == filters.theme)))
    if filters.region:
        stmt = stmt.where(Practice.region_id.in_(select(Region.id).where(Region.code == filters.region)))
    if filters.impact_area:
        # impact_areas is a short JSON list of known values: its text holds the quoted value exactly when it is in it.
        stmt = stmt.where(cast(Practice.impact_areas, String).contains(f'"{filters.impact_area}"', autoescape=True))
    return stmt.options(selectinload(Practice.region), selectinload(Practice.thematic_area)).order_by(
        Practice.title, Practice.id)


def published_practices_of_action(session: Session, action_id: int) -> list[Practice]:
    """The published practices that name this Action as a source (its public page)."""
    return list(session.scalars(
        select(Practice).join(practice_actions, practice_actions.c.practice_id == Practice.id)
        .where(practice_actions.c.action_id == action_id, Practice.status == PracticeStatus.PUBLISHED)
        .order_by(Practice.title)))


def events_of_action(session: Session, action_id: int) -> list[KnowledgeEvent]:
    """The knowledge-sharing events that review this Action (its calendar feed, its page)."""
    return list(session.scalars(
        select(KnowledgeEvent).join(event_actions, event_actions.c.event_id == KnowledgeEvent.id)
        .where(event_actions.c.action_id == action_id).order_by(KnowledgeEvent.start_date)))


@dataclass(frozen=True)
class EventFigures:
    """Knowledge-sharing events, counted apart from the Actions' activities (the dashboard)."""

    events: int = 0
    participants: int = 0
    practices_published: int = 0


def event_figures(session: Session, *, region: str | None = None, year_from: int | None = None,
                  year_to: int | None = None) -> EventFigures:
    """Events in the region (by code) that start within the years, their participants, and published practices."""
    wanted = select(KnowledgeEvent.id)
    if region:
        wanted = wanted.where(KnowledgeEvent.region_id.in_(select(Region.id).where(Region.code == region)))
    if year_from:
        wanted = wanted.where(KnowledgeEvent.start_date >= date(year_from, 1, 1))
    if year_to:
        wanted = wanted.where(KnowledgeEvent.start_date <= date(year_to, 12, 31))
    events = session.scalar(select(func.count()).select_from(wanted.subquery())) or 0
    people = session.scalar(select(func.coalesce(func.sum(
        EventParticipants.female + EventParticipants.male + EventParticipants.other), 0)).where(
        EventParticipants.event_id.in_(wanted))) or 0
    practices = select(func.count(Practice.id)).where(Practice.status == PracticeStatus.PUBLISHED)
    if region:
        practices = practices.where(Practice.region_id.in_(select(Region.id).where(Region.code == region)))
    return EventFigures(events=events, participants=int(people), practices_published=session.scalar(practices) or 0)


def staffing_activities() -> Select[tuple[int]]:
    """The activities that staff knowledge events: counted with the events, apart from the Actions' activities."""
    return select(KnowledgeEvent.staffing_activity_id).where(KnowledgeEvent.staffing_activity_id.is_not(None))


def practices_citing(session: Session, indicator_ids: list[int]) -> list[Practice]:
    """The practices, in any status, that give one of these indicators as evidence."""
    if not indicator_ids:
        return []
    citing = select(practice_indicators.c.practice_id).where(practice_indicators.c.indicator_id.in_(indicator_ids))
    return list(session.scalars(select(Practice).where(Practice.id.in_(citing)).order_by(Practice.title, Practice.id)))


def practices_of_action(session: Session, action_id: int, *, published_only: bool) -> list[Practice]:
    """The practices that name this Action as a source, by title (its internal page: every status for staff)."""
    stmt = (select(Practice).join(practice_actions, practice_actions.c.practice_id == Practice.id)
            .where(practice_actions.c.action_id == action_id).order_by(Practice.title, Practice.id))
    if published_only:
        stmt = stmt.where(Practice.status == PracticeStatus.PUBLISHED)
    return list(session.scalars(stmt))


def evidence_indicators(session: Session, practice: Practice, action_ids: set[int] | None = None) -> list[Indicator]:
    """The indicators a practice gives as evidence, with their measurements (for the latest value), in their
    Actions' order; `action_ids` keeps those of these Actions only (the public page: the published ones)."""
    ids = [i.id for i in practice.indicators if action_ids is None or i.action_id in action_ids]
    if not ids:
        return []
    return list(session.scalars(select(Indicator).where(Indicator.id.in_(ids)).options(
        selectinload(Indicator.measurements)).order_by(Indicator.action_id, Indicator.position, Indicator.id)))
