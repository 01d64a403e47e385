"""Reading Actions: who sees which, the filtered and sorted list, the next name in a series."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, Subquery, exists, false, func, or_, select, union
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from ..accounts.models import Role, User
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.errors import DomainError, NotFound
from ..core.i18n import _
from ..core.search import matches
from ..core.web import Page, paginate
from ..reference.models import Institution, Region, ThematicArea
from ..reference.services import country_name
from .lifecycle import ActionStatus
from .models import (
    Action,
    ActionTransition,
    action_beneficiaries,
    action_countries,
    action_expert_institutions,
)
from .naming import next_name, organisation_series, series_base

# --- Who sees what ------------------------------------------------------------------------------


Visibility = tuple[str, int | str | None]


def visibility(user: User) -> Visibility:
    """What decides which Actions `user` sees: a scope and its key. `visible_actions` builds its query from
    this answer alone, so users with the same answer see the same Actions, and a list rendered for one of
    them (the cache keys on it) can be shown to the others."""
    if user.is_staff:
        return ("staff", None)
    if user.role is Role.REQUESTER and user.institution_id is not None:
        return ("institution", user.institution_id)
    if user.role is Role.EXPERT:
        return ("expert", user.id)
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        return ("member_state", user.country_code)
    return ("nobody", None)


def _beneficiary(institution_id: int) -> ColumnElement[bool]:
    """The Actions an institution benefits from: its requesters see them."""
    return exists().where(action_beneficiaries.c.action_id == Action.id,
                          action_beneficiaries.c.institution_id == institution_id)


def _deployed(user_id: int) -> ColumnElement[bool]:
    """The Actions an expert is deployed on (any deployment, whatever its status)."""
    from ..deployments.models import Deployment  # deployments build on Actions, not the other way round
    from ..experts.models import Expert

    return Action.id.in_(
        select(Activity.action_id).join(Deployment, Deployment.activity_id == Activity.id)
        .join(Expert, Deployment.expert_id == Expert.id).where(Expert.user_id == user_id))


def _sent_experts(country_code: str) -> ColumnElement[bool]:
    """The Actions on which a member state's administrations sent experts: its focal point sees them."""
    return (exists().where(action_expert_institutions.c.action_id == Action.id)
            .where(action_expert_institutions.c.institution_id == Institution.id)
            .where(Institution.country_code == country_code))


# Each scope of `visibility`, as the condition its key puts on the Actions (None: every Action).
SCOPES: dict[str, Callable[[Any], ColumnElement[bool] | None]] = {
    "staff": lambda _key: None,
    "institution": _beneficiary,
    "expert": _deployed,
    "member_state": _sent_experts,
    "nobody": lambda _key: false(),
}


def visible_actions(user: User) -> Select[tuple[Action]]:
    """Staff see every Action; a requester those their institution benefits from; an expert those
    they are deployed on; a member-state focal point those on which their state's administrations
    sent experts. Built from `visibility(user)` only."""
    scope, key = visibility(user)
    condition = SCOPES[scope](key)
    return select(Action) if condition is None else select(Action).where(condition)


def get_action(session: Session, user: User, action_id: int, *, for_page: bool = False) -> Action:
    """The Action if `user` may see it; NotFound otherwise. `for_page` loads what its page shows."""
    stmt = visible_actions(user).where(Action.id == action_id)
    if for_page:
        stmt = stmt.options(
            # To-one: joined into the one query, so the page's query count does not depend on the data.
            joinedload(Action.region), joinedload(Action.thematic_area), joinedload(Action.officer),
            joinedload(Action.request), joinedload(Action.final_report),
            selectinload(Action.transitions).joinedload(ActionTransition.actor),
            selectinload(Action.activities),
            selectinload(Action.deliverables),
            selectinload(Action.beneficiaries),
            selectinload(Action.expert_institutions),
            selectinload(Action.subtopics),
        )
    found = session.scalar(stmt)
    if found is None:
        raise NotFound(_("No such Action."))
    return found


# --- The list page ------------------------------------------------------------------------------

SORTS = {
    "name": Action.name,
    "start": Action.planned_start,
    "end": Action.planned_end,
    "status": Action.status,
    "updated": Action.updated_at,
}


@dataclass(frozen=True)
class ActionFilters:
    region: str | None = None  # region code
    country: str | None = None  # ISO code
    theme: str | None = None  # thematic area code
    status: ActionStatus | None = None
    year: int | None = None  # running at some point in that year
    q: str | None = None  # words in the name or title
    sort: str = "start"
    descending: bool = True
    year_from: int | None = None  # running at some point in these years (the dashboard's period)
    year_to: int | None = None
    counted: bool = False  # only Actions the portfolio figures count: every one not cancelled
    published: bool | None = None


def running_between(start: date | None, end: date | None):
    """Actions running at some point between `start` and `end` (either may be open), by their real span:
    from the earlier of their planned start and their first activity to the later of their planned end
    and their last activity (cancelled activities do not count; no planned end: still running). The
    dashboard, the lists and the API count by this one rule (`Action.span` shows it)."""
    other = aliased(Activity)  # an alias, so that a list of activities can use it without correlating to itself
    held = (other.action_id == Action.id, other.status != ActivityStatus.CANCELLED)
    clauses = []
    if end is not None:
        clauses.append(or_(Action.planned_start <= end, exists().where(*held, other.start_date <= end)))
    if start is not None:
        clauses.append(or_(Action.planned_end.is_(None), Action.planned_end >= start,
                           exists().where(*held, other.end_date >= start)))
    return clauses


def period_bounds(year_from: int | None, year_to: int | None) -> tuple[date | None, date | None]:
    return (date(year_from, 1, 1) if year_from else None, date(year_to, 12, 31) if year_to else None)


def countries_worked_in(action_ids: Select) -> Subquery:
    """(action_id, code) for each of these Actions and each country it works in: its own, or a regional
    Action's members (its beneficiaries' countries when none are set). `Action.countries_covered`'s rule,
    in SQL: the public map and the dashboard's map count Actions per country with it."""
    national = select(Action.id.label("action_id"), Action.country_code.label("code")).where(
        Action.id.in_(action_ids), ~Action.is_regional, Action.country_code.is_not(None))
    members = select(action_countries.c.action_id, action_countries.c.country_code).where(
        action_countries.c.action_id.in_(action_ids))
    has_members = select(action_countries.c.action_id).where(action_countries.c.action_id == Action.id).exists()
    beneficiaries = (
        select(Action.id, Institution.country_code)
        .join(action_beneficiaries, action_beneficiaries.c.action_id == Action.id)
        .join(Institution, Institution.id == action_beneficiaries.c.institution_id)
        .where(Action.id.in_(action_ids), Action.is_regional, ~has_members)
    )
    return union(national, members, beneficiaries).subquery("pairs")


def filtered_actions(user: User, filters: ActionFilters) -> Select[tuple[Action]]:
    stmt = visible_actions(user)
    if filters.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == filters.region).scalar_subquery())
    if filters.country:
        stmt = stmt.where(Action.country_code == filters.country.upper())
    if filters.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == filters.theme).scalar_subquery()
        )
    if filters.status:
        stmt = stmt.where(Action.status == filters.status)
    if filters.year:
        stmt = stmt.where(*running_between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    if filters.year_from or filters.year_to:
        stmt = stmt.where(*running_between(*period_bounds(filters.year_from, filters.year_to)))
    if filters.counted:
        stmt = stmt.where(Action.status != ActionStatus.CANCELLED)
    if filters.published is not None:
        stmt = stmt.where(Action.published.is_(filters.published))
    if filters.q:
        stmt = stmt.where(matches(filters.q, Action.search_key))
    column = SORTS.get(filters.sort, Action.planned_start)
    order = column.desc() if filters.descending else column.asc()
    return stmt.order_by(order, Action.id.desc() if filters.descending else Action.id.asc())


def list_actions(session: Session, user: User, filters: ActionFilters, page: int, per_page: int) -> Page[Action]:
    """One page of Actions with what the list shows, in a fixed number of queries."""
    stmt = filtered_actions(user, filters).options(
        selectinload(Action.region), selectinload(Action.thematic_area), selectinload(Action.beneficiaries),
        selectinload(Action.translations),
    )
    return paginate(session, stmt, page, per_page)



# --- Names ------------------------------------------------------------------------------------


def next_action_name(session: Session, *, country_code: str | None, regional_name: str | None) -> str:
    """"Costa Rica", "Costa Rica II", …; a regional Action continues its organisation's series (see naming.py)."""
    if regional_name:
        base = " ".join(regional_name.split())
    elif country_code:
        base = country_name(country_code, "en")
    else:
        raise DomainError(_("An Action needs a beneficiary country or, for a regional Action, an organisation."))
    # Every name, not a prefix filter: a series member may differ in case or spacing, and SQLite's LIKE folds
    # only ASCII case. A few thousand short strings at most, read once per new Action.
    return next_name(base, session.scalars(select(Action.name)))


def regional_series(session: Session, institution: Institution) -> str:
    """The series a regional organisation's institution continues: "SICA" for its secretariat "SG-SICA".

    The organisation recorded on the institution decides (so even its first Action starts the organisation's
    series, never the institution's acronym); without one, an existing series named in its acronym or name."""
    if institution.organisation:
        return " ".join(institution.organisation.split())
    names = session.scalars(select(Action.name).where(Action.is_regional))
    return organisation_series(institution.acronym, institution.name, {series_base(name) for name in names})



def action_counts_by_status(session: Session, user: User) -> dict[ActionStatus, int]:
    rows = session.execute(visible_actions(user).with_only_columns(Action.status, func.count()).group_by(Action.status))
    return {status: count for status, count in rows}
