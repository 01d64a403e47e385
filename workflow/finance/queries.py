"""The money figures, one definition for the Action page, the dashboard, the CSV export and the API.

- **budget**: what an Action may spend in a category (its budget lines), counted in the year the Action
  starts (its planned start);
- **planned / committed / actual**: the sums of the cost lines of the Action's activities, each counted in
  the year its activity starts (a cancelled activity's lines hold only what was actually spent);
- a cost line removed (with its reason) counts in none of them;
- **remaining**: the budget less the largest of planned, committed and actual;
- **expert-days**: the working days of confirmed and completed deployments (the contracted ones) on
  activities that are not cancelled; **cost per expert-day**: the committed expert fees, daily allowances
  and travel divided by the expert-days.
A fixed number of queries whatever the portfolio's size.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Select, and_, case, extract, func, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.figures import remembered_rows
from ..database import unindexed
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import ExpertType
from ..reference.models import Region, ThematicArea
from .models import ActionBudgetLine, AllowanceRate, CostCategory, CostLine, FeeRate

ZERO = Decimal("0.00")
CONTRACTED = (DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)
EXPERT_COSTS = (CostCategory.EXPERT_FEES, CostCategory.DAILY_ALLOWANCES, CostCategory.TRAVEL)


@dataclass
class Money:
    """Budget, planned, committed and actual of one cell (a category, an Action, a region, a year …)."""

    budget: Decimal | None = None
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO

    def add(self, other: Money) -> None:
        if other.budget is not None:
            self.budget = (self.budget or ZERO) + other.budget
        self.planned += other.planned
        self.committed += other.committed
        self.actual += other.actual

    @property
    def remaining(self) -> Decimal | None:
        return None if self.budget is None else self.budget - max(self.planned, self.committed, self.actual)

    @property
    def over(self) -> bool:
        return self.remaining is not None and self.remaining < 0


@dataclass
class ExpertDays:
    days: int = 0
    cost: Decimal = ZERO  # committed fees, allowances and travel

    def add(self, other: ExpertDays) -> None:
        self.days += other.days
        self.cost += other.cost

    @property
    def cost_per_day(self) -> Decimal | None:
        return (self.cost / self.days).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) if self.days else None


@dataclass
class ActionMoney:
    categories: dict[CostCategory, Money] = field(default_factory=dict)
    expert_days: ExpertDays = field(default_factory=ExpertDays)

    @property
    def total(self) -> Money:
        total = Money()
        for money in self.categories.values():
            total.add(money)
        return total


def _dec(value: object) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class MoneyFilters:
    """Which Actions, years and categories the figures cover (the dashboard's filters, and a category)."""

    region: str | None = None  # region code
    theme: str | None = None  # thematic area code
    year_from: int | None = None
    year_to: int | None = None
    category: CostCategory | None = None
    action_ids: tuple[int, ...] | None = None


GROUPINGS = ("action", "region", "year", "category")


@dataclass
class MoneyGroup:
    key: str  # the Action's id, the region's code, the year or the category's value
    name: str  # the Action's name, the year; a region or category is named by the page in the reader's language
    money: Money = field(default_factory=Money)
    days: ExpertDays | None = None  # none per category: expert-days belong to no category


def _scope(stmt: Select, filters: MoneyFilters, by: str, start: Any, action_id: Any, *,
           action_joined: bool = False) -> Select:
    """`stmt` narrowed to the filters. Its rows' Action is `action_id`; they are joined here to the Action (unless
    `action_joined`) and its region only when the filters or the grouping need them: a join costs a third of a sum
    over every cost line. `start` is the date a row's year counts by."""
    if (filters.region or filters.theme or by in ("action", "region")) and not action_joined:
        stmt = stmt.join(Action, Action.id == action_id)
    if filters.region or by == "region":
        stmt = stmt.join(Region, Region.id == Action.region_id)
    if filters.region:
        stmt = stmt.where(Region.code == filters.region)
    if filters.theme:
        stmt = stmt.join(ThematicArea, ThematicArea.id == Action.thematic_area_id).where(
            ThematicArea.code == filters.theme)
    if filters.action_ids is not None:
        stmt = stmt.where(action_id.in_(filters.action_ids))
    if filters.year_from is not None:
        stmt = stmt.where(start >= date(filters.year_from, 1, 1))
    if filters.year_to is not None:
        stmt = stmt.where(start <= date(filters.year_to, 12, 31))
    return stmt


def _keys(by: str, start: Any, category: Any) -> list[Any]:
    """The columns a query groups by: the grouping's key (and the Action's name)."""
    if by == "action":
        return [Action.id, Action.name]
    if by == "region":
        return [Region.code]
    if by == "year":
        return [extract("year", start)]
    if by == "total":  # one group: the whole scope
        return []
    return [category]


def _key_of(by: str, row: Any) -> tuple[str, str]:
    if by == "action":
        return str(row[0]), row[1]
    if by == "category":
        return row[0].value, row[0].value
    if by == "total":
        return "", ""
    key = str(int(row[0])) if by == "year" else row[0]
    return key, key


def _grouped(session: Session, by: str, columns: list[Any], stmt_of: Any, start: Any, category: Any = None):
    """(key, name, values…) per group: `stmt_of(select)` adds the joins and conditions to the selected sums."""
    keys = _keys(by, start, category)
    stmt = stmt_of(select(*keys, *columns)).group_by(*keys)
    for row in remembered_rows(session, stmt):  # each sum apart: a write recomputes only those that read it
        yield (*_key_of(by, row), *row[len(keys):])


def money_groups(session: Session, filters: MoneyFilters, by: str) -> tuple[list[MoneyGroup], MoneyGroup]:
    """The figures grouped `by` one of GROUPINGS, and their total: four aggregate queries whatever the
    portfolio's size (budgets, cost lines, expert-days, their cost), each summed in SQL by the grouping."""
    groups: dict[str, MoneyGroup] = {}
    total = MoneyGroup("total", "", days=ExpertDays())

    def group(key: str, name: str) -> MoneyGroup:
        return groups.setdefault(key, MoneyGroup(key, name, days=None if by == "category" else ExpertDays()))

    for key, name, amount in _grouped(session, by, [func.sum(ActionBudgetLine.amount_eur)], lambda stmt: _scope(
            stmt.select_from(ActionBudgetLine).join(Action, Action.id == ActionBudgetLine.action_id)
            .where(*([ActionBudgetLine.category == filters.category] if filters.category else [])),
            filters, by, Action.planned_start, ActionBudgetLine.action_id, action_joined=True),
            Action.planned_start, ActionBudgetLine.category):
        cell = Money(budget=_dec(amount))
        group(key, name).money.add(cell)
        total.money.add(cell)
    sums = [func.sum(CostLine.planned_eur), func.sum(CostLine.committed_eur), func.sum(CostLine.actual_eur)]
    # Without a category filter, the experts' cost (for the cost per expert-day) comes out of the same pass over the
    # cost lines; with one, it cannot (it is never filtered by category) and `_expert_days` reads it apart.
    expert_costs: dict[str, tuple[str, Decimal]] | None = None if filters.category else {}
    if expert_costs is not None:
        held = Activity.status != ActivityStatus.CANCELLED
        sums.append(func.sum(case((and_(CostLine.category.in_(EXPERT_COSTS), held), CostLine.committed_eur))))
    for key, name, planned, committed, actual, *expert_cost in _grouped(session, by, sums, lambda stmt: _scope(
            _costs_from(stmt).where(*([CostLine.category == filters.category] if filters.category else [])),
            filters, by, Activity.start_date, Activity.action_id), Activity.start_date, CostLine.category):
        cell = Money(planned=_dec(planned), committed=_dec(committed), actual=_dec(actual))
        group(key, name).money.add(cell)
        total.money.add(cell)
        if expert_costs is not None:
            known = expert_costs.get(key, (name, ZERO))[1]
            expert_costs[key] = (name, known + _dec(expert_cost[0]))
    for days in _expert_days(session, filters, by, expert_costs):
        total.days.add(days[2])
        if by != "category":
            group(days[0], days[1]).days.add(days[2])
    return _ordered(list(groups.values()), by), total


def _costs_from(stmt: Select) -> Select:
    """The cost lines counted in the figures (not those removed), joined to their activity."""
    return (stmt.select_from(CostLine).join(Activity, Activity.id == CostLine.activity_id)
            .where(CostLine.removed_at.is_(None)))


def _expert_days(session: Session, filters: MoneyFilters, by: str,
                 costs: dict[str, tuple[str, Decimal]] | None = None) -> list[tuple[str, str, ExpertDays]]:
    """(key, name, expert-days and their committed cost) per group (one group when `by` is the category). `costs`:
    the committed experts' cost per group, when the caller has read it already."""
    by_category = by == "category"
    by = "total" if by_category else by  # expert-days have no category: one group
    held = Activity.status != ActivityStatus.CANCELLED
    # Not by the status index: most deployments are contracted, so the portfolio's are read in order (SQLite: 33 →
    # 22 ms at scale 100), and one Action's page reads its activities' deployments by their index.
    booked = [unindexed(Deployment.status).in_(CONTRACTED), held]
    if filters.action_ids is not None:
        booked.append(
            Deployment.activity_id.in_(select(Activity.id).where(Activity.action_id.in_(filters.action_ids))))
    found: dict[str, tuple[str, ExpertDays]] = {}
    for key, name, days in _grouped(session, by, [func.sum(Deployment.working_days)], lambda stmt: _scope(
            stmt.select_from(Deployment).join(Activity, Activity.id == Deployment.activity_id)
            .where(*booked), filters, by, Activity.start_date, Activity.action_id), Activity.start_date):
        found.setdefault(key, (name, ExpertDays()))[1].days += int(days or 0)
    if costs is not None:
        for key, (name, cost) in costs.items():  # by category: summed into one group (only the total is shown)
            found.setdefault("" if by_category else key, ("" if by_category else name, ExpertDays()))[1].cost += cost
        return [(key, name, days) for key, (name, days) in found.items()]
    for key, name, cost in _grouped(session, by, [func.sum(CostLine.committed_eur)], lambda stmt: _scope(
            _costs_from(stmt).where(CostLine.category.in_(EXPERT_COSTS), held), filters, by, Activity.start_date,
            Activity.action_id), Activity.start_date):
        found.setdefault(key, (name, ExpertDays()))[1].cost += _dec(cost)
    return [(key, name, days) for key, (name, days) in found.items()]


def action_money(session: Session, action_id: int) -> ActionMoney:
    """The Action page's table: every category, budgeted or not, and the Action's expert-days."""
    groups, total = money_groups(session, MoneyFilters(action_ids=(action_id,)), "category")
    result = ActionMoney(categories={category: Money() for category in CostCategory})
    for group in groups:
        result.categories[CostCategory(group.key)].add(group.money)
    result.expert_days = total.days or ExpertDays()
    return result


def _ordered(groups: list[MoneyGroup], by: str) -> list[MoneyGroup]:
    if by == "category":
        order = [c.value for c in CostCategory]
        return sorted(groups, key=lambda g: order.index(g.key))
    if by == "year":
        return sorted(groups, key=lambda g: g.key)
    return sorted(groups, key=lambda g: g.name.casefold())


# --- The rates in force ---------------------------------------------------------------------------


def allowance_rate_on(session: Session, country_code: str | None, day: date) -> Decimal | None:
    """The daily allowance in force in a country on a day (the latest taking effect on or before it)."""
    if not country_code:
        return None
    return session.scalar(select(AllowanceRate.daily_eur).where(
        AllowanceRate.country_code == country_code, AllowanceRate.effective_from <= day)
        .order_by(AllowanceRate.effective_from.desc()).limit(1))


def fee_rate_on(session: Session, expert_type: ExpertType, day: date) -> Decimal | None:
    return session.scalar(select(FeeRate.daily_eur).where(FeeRate.expert_type == expert_type,
                                                          FeeRate.effective_from <= day)
                          .order_by(FeeRate.effective_from.desc()).limit(1))
