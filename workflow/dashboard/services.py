"""The portfolio figures, computed in SQL: a fixed number of queries whatever the portfolio's size.

The one definition of every figure: the dashboard, the public catalogue, the factsheet, the lists they
link to and `/api/v1/portfolio` all count with the functions here. What counts:
- an **Action** counts when it is not cancelled and runs at some point in the period, by its real
  span (planned dates widened by its activities' dates: `actions.services.running_between`);
- an **activity** counts when it is not cancelled, belongs to a counted Action and starts in the period;
- an **expert is involved** when they hold an accepted, confirmed or completed deployment on a
  counted activity; a **member state is represented** when one of its officials or institutions'
  experts is involved;
- **officials** are member-state officials and partner-country peers; **officials trained** are the
  participants of delivered activities, by gender;
- a counted activity is **held** once delivered or reported, and **planned** until then (planned,
  confirmed or postponed): the two parts of each year's activities.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, case, extract, func, select
from sqlalchemy.orm import Session

from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.queries import period_bounds, running_between
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.figures import remember, remembered_rows
from ..deployments.models import Deployment
from ..evaluations.queries import portfolio_results
from ..evaluations.results import NO_RESULTS, Results
from ..knowledge.queries import EventFigures, event_figures, staffing_activities
from ..reference.models import Country, Region, ThematicArea
from .involvements import ENGAGED, Involvements, involvements

DELIVERED = (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)


@dataclass(frozen=True)
class PortfolioFilters:
    region: str | None = None  # region code
    theme: str | None = None  # thematic area code
    year_from: int | None = None
    year_to: int | None = None
    published_only: bool = False  # the public catalogue counts published Actions only
    action_id: int | None = None  # one Action's figures (its factsheet), whatever its status
    within: tuple[int, ...] | None = None  # only these Actions: those an API caller who is not staff may see

    def query_args(self) -> dict[str, str | int]:
        """The filters as list-page query arguments, so a figure links to the rows behind it."""
        args = {k: v for k, v in asdict(self).items() if v and k not in ("published_only", "action_id", "within")}
        return {**args, "counted": 1}


@dataclass
class Figures:
    actions: int = 0
    activities: int = 0
    experts: int = 0
    member_states: int = 0
    officials: int = 0  # officials among the involved experts
    women_officials: int = 0
    trained_female: int = 0
    trained_male: int = 0
    trained_other: int = 0

    @property
    def trained(self) -> int:
        return self.trained_female + self.trained_male + self.trained_other

    @property
    def women_share(self) -> float | None:
        return self.women_officials / self.officials if self.officials else None


@dataclass(frozen=True)
class YearCell:
    count: int
    change: float | None  # against the previous year; None when that year had none


@dataclass(frozen=True)
class YearRow:
    year: int
    total: YearCell
    regions: dict[str, YearCell]  # by region code
    held: int = 0  # of the total, those delivered or reported; the others are still planned

    @property
    def planned(self) -> int:
        return self.total.count - self.held


class Named(NamedTuple):
    """A region or thematic area as the figures show it: plain values, since figures outlive the request
    that computed them (`workflow.core.figures`)."""

    id: int
    code: str
    name: str


def _regions(session: Session) -> list[Named]:
    return list(map(Named._make, session.execute(
        select(Region.id, Region.code, Region.name).order_by(Region.position)).tuples()))


@dataclass(frozen=True)
class ThemeRow:
    theme: Named
    actions: int
    activities: int


@dataclass(frozen=True)
class MemberStateRow:
    country_code: str
    experts: int
    deployments: int


@dataclass
class Portfolio:
    filters: PortfolioFilters
    overall: Figures
    regions: list[tuple[Named, Figures]]
    years: list[YearRow] = field(default_factory=list)
    themes: list[ThemeRow] = field(default_factory=list)
    member_states: list[MemberStateRow] = field(default_factory=list)
    evaluations: Results = NO_RESULTS  # participants' evaluations of the counted activities
    invented_activities: int = 0  # counted activities the demo invented (see core.provenance)
    knowledge: EventFigures = EventFigures()  # knowledge-sharing events, counted apart from activities


# --- The counted rows, as statements the figures and the lists share ----------------------------


def counted_actions(filters: PortfolioFilters) -> Select:
    stmt = select(Action.id, Action.region_id, Action.thematic_area_id)
    if filters.action_id is not None:
        return stmt.where(Action.id == filters.action_id)
    stmt = stmt.where(Action.status != ActionStatus.CANCELLED)
    if filters.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == filters.region).scalar_subquery())
    if filters.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == filters.theme).scalar_subquery()
        )
    if filters.year_from or filters.year_to:
        stmt = stmt.where(*running_between(*period_bounds(filters.year_from, filters.year_to)))
    if filters.published_only:
        stmt = stmt.where(Action.published)
    if filters.within is not None:
        stmt = stmt.where(Action.id.in_(filters.within))
    return stmt


def actions_by_status(session: Session, filters: PortfolioFilters) -> dict[ActionStatus, int]:
    """The counted Actions by status (they add up to the figures' `actions`)."""
    counted = counted_actions(filters).subquery()
    return dict(session.execute(select(Action.status, func.count()).where(Action.id.in_(select(counted.c.id)))
                                .group_by(Action.status)).tuples().all())


def activity_period(start: date | None, end: date | None) -> list:
    clauses = [Activity.status != ActivityStatus.CANCELLED]
    if start is not None:
        clauses.append(Activity.start_date >= start)
    if end is not None:
        clauses.append(Activity.start_date <= end)
    return clauses


def counted_activities(filters: PortfolioFilters, *, widen_by_a_year: bool = False) -> Select:
    actions = counted_actions(filters).subquery("counted_actions")
    start, end = period_bounds(filters.year_from, filters.year_to)
    if widen_by_a_year and start is not None:
        start = date(start.year - 1, 1, 1)  # the year before the period, for the first year's change
    return (
        select(Activity.id, Activity.status, Activity.start_date, actions.c.region_id, actions.c.thematic_area_id,
               Activity.participants_female, Activity.participants_male, Activity.participants_other,
               Activity.invented)
        .join(actions, actions.c.id == Activity.action_id)
        .where(*activity_period(start, end), Activity.id.not_in(staffing_activities()))
    )


# --- The figures -----------------------------------------------------------------------------


def _actions_by_region(session: Session, filters: PortfolioFilters) -> dict[int, Figures]:
    """Figures per region id, with their Actions counted (one grouped query)."""
    by_region: dict[int, Figures] = defaultdict(Figures)
    actions = counted_actions(filters).subquery()
    for region_id, count in remembered_rows(session, select(actions.c.region_id, func.count())
                                            .group_by(actions.c.region_id)):
        by_region[region_id].actions = count
    return by_region


def regional_counts(session: Session, filters: PortfolioFilters) -> list[tuple[Named, Figures]]:
    """Only Actions, activities and experts per region (what the public catalogue shows): three grouped
    queries, no roll-up in Python, each remembered apart (an expert's answer recounts only the experts)."""
    regions = _regions(session)
    by_region = _actions_by_region(session, filters)
    activities = counted_activities(filters).subquery()
    for region_id, count in remembered_rows(
            session, select(activities.c.region_id, func.count()).group_by(activities.c.region_id)):
        by_region[region_id].activities = count
    # Each expert once per region: grouped into (region, expert) pairs first, then counted, which PostgreSQL
    # does by hashing where a count(DISTINCT) sorts every deployment (84 → 66 ms at scale 100).
    pairs = (
        select(activities.c.region_id, Deployment.expert_id)
        .join(activities, activities.c.id == Deployment.activity_id)
        .where(Deployment.status.in_(ENGAGED)).group_by(activities.c.region_id, Deployment.expert_id)
    ).subquery("pairs")
    for region_id, count in remembered_rows(session, select(pairs.c.region_id, func.count())
                                            .group_by(pairs.c.region_id)):
        by_region[region_id].experts = count
    return [(region, by_region.get(region.id, Figures())) for region in regions]


def portfolio(session: Session, filters: PortfolioFilters, *, detail: bool = True) -> Portfolio:
    """Figures per region and overall; with `detail`, also per year, thematic area and member state."""
    regions = _regions(session)
    by_region = _actions_by_region(session, filters)

    # Each statement remembered apart (workflow.core.figures): an expert's answer recomputes the involvements
    # only, not the Actions' and activities' sums.
    cells = activity_cells(session, filters)
    for cell in cells:
        if filters.year_from is None or cell.year >= filters.year_from:  # not the year before, there for the change
            figures = by_region[cell.region_id]
            figures.activities += cell.count
            figures.trained_female += cell.female
            figures.trained_male += cell.male
            figures.trained_other += cell.other
    invented_activities = sum(cell.invented for cell in cells
                              if filters.year_from is None or cell.year >= filters.year_from)

    involved = involvements(session, counted_activities(filters).subquery("counted_activities"))
    for region_id, counts in involved.regions.items():
        counts.add_to(by_region[region_id])

    overall = Figures(
        actions=sum(f.actions for f in by_region.values()),
        activities=sum(f.activities for f in by_region.values()),
        trained_female=sum(f.trained_female for f in by_region.values()),
        trained_male=sum(f.trained_male for f in by_region.values()),
        trained_other=sum(f.trained_other for f in by_region.values()),
    )
    involved.overall.add_to(overall)  # an expert who worked in two regions is one expert overall

    shown = [region for region in regions if not filters.region or region.code == filters.region]
    result = Portfolio(filters=filters, overall=overall, regions=[(r, by_region.get(r.id, Figures())) for r in shown])
    result.invented_activities = invented_activities
    result.knowledge = event_figures(session, region=filters.region, year_from=filters.year_from,
                                     year_to=filters.year_to)
    if detail:
        # Remembered on their own: they read no deployment, so an invitation answered (which computes the
        # figures above again) leaves them as they were (workflow.core.figures).
        codes = {r.id: r.code for r in regions}
        result.years = remember(session, ("dashboard.years", filters), lambda: _years(cells, filters, codes))
        result.themes = remember(session, ("dashboard.themes", filters), lambda: _themes(session, filters, cells))
        result.member_states = _member_states(involved)
        activity_ids = counted_activities(filters).subquery()
        result.evaluations = remember(session, ("dashboard.evaluations", filters),
                                      lambda: portfolio_results(session, select(activity_ids.c.id)))
    return result


def _change(count: int, previous: int) -> float | None:
    return (count - previous) / previous if previous else None


def activities_per_year(session: Session, filters: PortfolioFilters) -> list[YearRow]:
    """The counted activities by the year they start, overall and per region, with how many were held."""
    return _years(activity_cells(session, filters), filters, {r.id: r.code for r in _regions(session)})


class ActivityCell(NamedTuple):
    """The counted activities of one start year, region and thematic area."""

    year: int
    region_id: int
    theme_id: int
    count: int
    held: int  # delivered or reported
    female: int  # officials trained: the participants of the held activities
    male: int
    other: int
    invented: int  # invented by the demo (see core.provenance)


def activity_cells(session: Session, filters: PortfolioFilters) -> list[ActivityCell]:
    """The counted activities summed per start year, region and thematic area in one grouped pass (a few hundred
    cells at scale 100), with the year before the period for its first year's change: the regions', the years'
    and the themes' activity figures are all added up from these."""
    activities = counted_activities(filters, widen_by_a_year=True).subquery()
    year = extract("year", activities.c.start_date)
    delivered = activities.c.status.in_(DELIVERED)
    trained = [func.sum(case((delivered, func.coalesce(column, 0)), else_=0)) for column in (
        activities.c.participants_female, activities.c.participants_male, activities.c.participants_other)]
    stmt = (select(year, activities.c.region_id, activities.c.thematic_area_id, func.count(),
                   func.sum(case((delivered, 1), else_=0)), *trained, func.sum(case((activities.c.invented, 1), else_=0)))
            .group_by(year, activities.c.region_id, activities.c.thematic_area_id))
    return [ActivityCell(int(y), region, theme, count, *(int(value or 0) for value in sums))
            for y, region, theme, count, *sums in remembered_rows(session, stmt)]


def _years(cells: list[ActivityCell], filters: PortfolioFilters, region_codes: dict[int, str]) -> list[YearRow]:
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    held: dict[int, int] = defaultdict(int)
    for cell in cells:
        counts[cell.year][region_codes[cell.region_id]] += cell.count
        held[cell.year] += cell.held
    if not counts:
        return []
    first = filters.year_from or min(counts)
    last = filters.year_to or max(counts)
    rows = []
    for y in range(first, last + 1):
        now, before = counts.get(y, {}), counts.get(y - 1, {})
        rows.append(YearRow(
            year=y,
            total=YearCell(sum(now.values()), _change(sum(now.values()), sum(before.values()))),
            regions={code: YearCell(now.get(code, 0), _change(now.get(code, 0), before.get(code, 0)))
                     for code in region_codes.values()},
            held=held.get(y, 0),
        ))
    return rows


def _themes(session: Session, filters: PortfolioFilters, cells: list[ActivityCell]) -> list[ThemeRow]:
    actions = counted_actions(filters).subquery()
    action_counts = dict(session.execute(
        select(actions.c.thematic_area_id, func.count()).group_by(actions.c.thematic_area_id)).all())
    activity_counts: dict[int, int] = defaultdict(int)
    for cell in cells:
        if filters.year_from is None or cell.year >= filters.year_from:
            activity_counts[cell.theme_id] += cell.count
    themes = map(Named._make, session.execute(
        select(ThematicArea.id, ThematicArea.code, ThematicArea.name).order_by(ThematicArea.position)).tuples())
    return [ThemeRow(theme, action_counts.get(theme.id, 0), activity_counts.get(theme.id, 0)) for theme in themes
            if not filters.theme or theme.code == filters.theme]


def _member_states(involved: Involvements) -> list[MemberStateRow]:
    """Involved experts and their deployments by the member state whose administration sent them."""
    rows = [MemberStateRow(code, counts.experts, counts.deployments) for code, counts in involved.member_states.items()]
    return sorted(rows, key=lambda row: (-row.experts, row.country_code))


def eu_member_codes(session: Session) -> list[str]:
    return list(session.scalars(select(Country.code).where(Country.is_eu_member)))


def action_figures(session: Session, action_id: int) -> Figures:
    """One Action's figures, counted as the dashboard counts them: for its factsheet."""
    return portfolio(session, PortfolioFilters(action_id=action_id), detail=False).overall
