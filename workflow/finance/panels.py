"""The money parts of the Action, activity and deployment pages (page_extras listeners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..activities.models import Activity
from ..core.figures import remember
from ..deployments.models import Deployment
from ..extensions import db
from .models import ActionBudgetLine, BudgetOverrun, CostCategory, CostLine
from .permissions import sees_money, sees_own_pay
from .queries import ActionMoney, action_money

# The latest overruns an Action page lists (the whole list is in its history).
OVERRUNS_SHOWN = 5


@dataclass(frozen=True)
class Marked:
    """Plain stand-in for a record's provenance, kept with the remembered figures (no ORM object is)."""

    invented: bool
    invented_fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class OverrunRow:
    at: datetime
    category: CostCategory
    measure: str
    total_eur: Decimal
    budget_eur: Decimal
    who: str | None  # None: the system (a scheduler, a command)


@dataclass(frozen=True)
class ActionPanel:
    money: ActionMoney
    overruns: tuple[OverrunRow, ...]
    budget_marks: dict[CostCategory, Marked]
    costs_mark: Marked | None


def _action_panel(action_id: int) -> ActionPanel:
    session = db.session
    overruns = tuple(OverrunRow(o.at, o.category, o.measure, o.total_eur, o.budget_eur, o.actor.name if o.actor else None)
                     for o in session.scalars(select(BudgetOverrun).where(BudgetOverrun.action_id == action_id)
                                              .options(joinedload(BudgetOverrun.actor))
                                              .order_by(BudgetOverrun.at.desc(), BudgetOverrun.id.desc())
                                              .limit(OVERRUNS_SHOWN)))
    marks = {category: Marked(invented) for category, invented in session.execute(
        select(ActionBudgetLine.category, ActionBudgetLine.invented).where(ActionBudgetLine.action_id == action_id))}
    # One invented cost line stands for them all: the sums it is part of carry the demo's mark.
    invented_cost = session.scalar(select(CostLine.id).join(Activity, Activity.id == CostLine.activity_id).where(
        Activity.action_id == action_id, CostLine.invented.is_(True)).limit(1))
    return ActionPanel(action_money(session, action_id), overruns, marks,
                       Marked(True) if invented_cost is not None else None)


def action_panel(_page: str, *, action: Any, user: Any, **_: Any) -> dict[str, Any]:
    """Staff see the budget against planned, committed and actual, per category, and the latest overruns
    (remembered until the portfolio's data change: a warm page reads nothing more)."""
    if not sees_money(user):
        return {}
    panel = remember(db.session, ("action_money", action.id), lambda: _action_panel(action.id))
    return {"money": panel.money, "money_overruns": panel.overruns, "money_budget_marks": panel.budget_marks,
            "money_costs_mark": panel.costs_mark}


def activity_panel(_page: str, *, activity: Any, user: Any, **_: Any) -> dict[str, Any]:
    """Staff see the activity's cost lines."""
    if not sees_money(user):
        return {}
    lines = list(db.session.scalars(select(CostLine).where(CostLine.activity_id == activity.id)
                                    .options(joinedload(CostLine.deployment).joinedload(Deployment.expert))
                                    .order_by(CostLine.category, CostLine.id)))
    return {"cost_lines": lines}


def deployment_panel(_page: str, *, deployment: Any, user: Any, **_: Any) -> dict[str, Any]:
    """The expert's own fee and allowance (and staff's view of them)."""
    if not sees_own_pay(user, deployment):
        return {}
    lines = list(db.session.scalars(select(CostLine).where(CostLine.deployment_id == deployment.id,
                                                           CostLine.computed.is_(True))
                                    .order_by(CostLine.category)))
    return {"pay_lines": lines}
