"""The activity list: what staff filter is what they see and what they export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.queries import period_bounds, running_between, visible_actions
from ..core.search import matches
from ..reference.models import Region, ThematicArea
from .lifecycle import ActivityKind, ActivityStatus
from .models import Activity

DONE = (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)


@dataclass(frozen=True)
class ActivityFilters:
    region: str | None = None  # the Action's region code
    country: str | None = None  # where the activity takes place
    theme: str | None = None  # the Action's thematic area code
    kind: ActivityKind | None = None
    status: ActivityStatus | None = None
    year: int | None = None  # starting in that year
    year_from: int | None = None
    year_to: int | None = None
    counted: bool = False  # as the dashboard counts: not cancelled, on an Action not cancelled
    done: bool = False  # delivered or reported
    q: str | None = None  # words in the title or the Action's name
    sort: str = "start"
    descending: bool = True


SORTS = {"start": Activity.start_date, "title": Activity.title, "kind": Activity.kind, "status": Activity.status}


def filtered_activities(user: User, f: ActivityFilters) -> Select[tuple[Activity]]:
    # Join the Action only when a filter needs it, and restrict to visible Actions only for those who do not
    # see them all: a bare list then reads the start-date index in order and stops after one page.
    stmt = select(Activity)
    if f.region or f.theme or f.counted or f.q:
        stmt = stmt.join(Action, Action.id == Activity.action_id)
    if not user.is_staff:
        stmt = stmt.where(Activity.action_id.in_(visible_actions(user).with_only_columns(Action.id)))
    if f.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == f.region).scalar_subquery())
    if f.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == f.theme).scalar_subquery()
        )
    if f.country:
        stmt = stmt.where(Activity.country_code == f.country.upper())
    if f.kind:
        stmt = stmt.where(Activity.kind == f.kind)
    if f.status:
        stmt = stmt.where(Activity.status == f.status)
    if f.done:
        stmt = stmt.where(Activity.status.in_(DONE))
    if f.year:
        stmt = stmt.where(Activity.start_date.between(date(f.year, 1, 1), date(f.year, 12, 31)))
    if f.year_from:
        stmt = stmt.where(Activity.start_date >= date(f.year_from, 1, 1))
    if f.year_to:
        stmt = stmt.where(Activity.start_date <= date(f.year_to, 12, 31))
    if f.counted:
        # Exactly as the dashboard counts: not cancelled, on an Action not cancelled that runs in the period.
        stmt = stmt.where(Activity.status != ActivityStatus.CANCELLED, Action.status != ActionStatus.CANCELLED)
        if f.year_from or f.year_to:
            stmt = stmt.where(*running_between(*period_bounds(f.year_from, f.year_to)))
    if f.q:
        stmt = stmt.where(matches(f.q, Activity.search_key, Action.search_key))
    column = SORTS.get(f.sort, Activity.start_date)
    order = column.desc() if f.descending else column.asc()
    return stmt.order_by(order, Activity.id.desc() if f.descending else Activity.id.asc())


def with_list_columns(stmt: Select[tuple[Activity]]) -> Select[tuple[Activity]]:
    """What the list and the export show, loaded in a fixed number of queries."""
    return stmt.options(selectinload(Activity.action).selectinload(Action.region), selectinload(Activity.slots))
