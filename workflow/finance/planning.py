"""A deployment's planned cost, kept in step with its lifecycle and its activity's dates.

The finance listeners call `plan_deployment` whenever a deployment moves (proposed, invited, confirmed,
declined, cancelled …) or its activity is postponed; `activity_cancelled` brings an activity's own lines
to zero. Each change of an amount is an audited change of a cost line (who, when, old and new), so the
activity's history shows the cost move with the event that moved it.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.i18n import _
from ..deployments.lifecycle import LIVE, DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertType
from .costing import DeploymentCost, deployment_cost
from .models import ALLOWANCES, FEES, CostCategory, CostLine
from .queries import allowance_rate_on, fee_rate_on
from .services import ZERO, watching_budget

# Confirmed (and then completed) deployments are contracted: their planned cost is committed too.
COMMITTED = frozenset({DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED})


def cost_by_rates(session: Session, deployment: Deployment) -> DeploymentCost:
    """What the rates in force at the activity's start say the deployment costs."""
    activity = deployment.activity
    return deployment_cost(
        working_days=deployment.working_days, start=activity.start_date, end=activity.end_date,
        is_remote=activity.is_remote, live=deployment.status in LIVE,
        fee_rate=fee_rate_on(session, deployment.expert.type, activity.start_date),
        allowance_rate=None if activity.is_remote else allowance_rate_on(session, activity.country_code,
                                                                         activity.start_date))


def computed_lines(session: Session, deployment_id: int) -> dict[CostCategory, CostLine]:
    return {line.category: line for line in session.scalars(
        select(CostLine).where(CostLine.deployment_id == deployment_id, CostLine.computed.is_(True)))}


def plan_deployment(session: Session, deployment: Deployment, *, actor: User | None, now: datetime) -> None:
    """Bring the deployment's fee and allowance lines to what the rates say now (zero once it no longer
    holds its place); a completed deployment keeps the cost it was completed with."""
    lines = computed_lines(session, deployment.id)
    if deployment.status is DeploymentStatus.COMPLETED and lines:
        _commit_planned(lines.values())
        return
    cost = cost_by_rates(session, deployment)
    committed = deployment.status in COMMITTED
    # No name in the wording: the line names its deployment, whose expert may one day be erased.
    wording = {FEES: (_("Expert fee, deployment %(id)s", id=deployment.id), cost.fees),
               ALLOWANCES: (_("Daily allowance, deployment %(id)s", id=deployment.id), cost.allowances)}
    for category, (description, part) in wording.items():
        line = lines.get(category)
        if line is None and part.amount == ZERO:
            continue  # nothing to plan (no rate yet, remote) and nothing planned before
        planned = part.amount
        values = {"planned_eur": planned, "committed_eur": planned if committed else ZERO,
                  "quantity": part.days, "unit_eur": part.daily_eur}
        if line is not None and all(getattr(line, k) == v for k, v in values.items()):
            continue
        watching_budget(session, deployment.activity, category, actor=actor, now=now,
                        change=lambda line=line, category=category, description=description, values=values:
                        _write(session, deployment, line, category, description, values, actor, now))


def _write(session: Session, deployment: Deployment, line: CostLine | None, category: CostCategory,
           description: str, values: dict[str, object], actor: User | None, now: datetime) -> CostLine:
    if line is None:
        line = CostLine(activity_id=deployment.activity_id, deployment_id=deployment.id, category=category,
                        description=description, computed=True, actual_eur=ZERO, source="rates",
                        created_by_id=actor.id if actor else None, created_at=now)
        session.add(line)
    for key, value in values.items():
        setattr(line, key, value)
    line.updated_at = now
    return line


def _commit_planned(lines: object) -> None:
    for line in lines:  # type: ignore[attr-defined]
        if line.committed_eur != line.planned_eur:
            line.committed_eur = line.planned_eur


def plan_activity(session: Session, activity: Activity, *, actor: User | None, now: datetime) -> None:
    """Every deployment of the activity again (after it moved to other dates)."""
    for deployment in session.scalars(select(Deployment).where(Deployment.activity_id == activity.id)
                                      .order_by(Deployment.id)):
        plan_deployment(session, deployment, actor=actor, now=now)


def activity_cancelled(session: Session, activity: Activity, *, now: datetime) -> None:
    """A cancelled activity plans and commits nothing more; what was actually spent stays."""
    for line in session.scalars(select(CostLine).where(CostLine.activity_id == activity.id,
                                                       CostLine.removed_at.is_(None))):
        if line.planned_eur != ZERO or line.committed_eur != ZERO:
            line.planned_eur = line.committed_eur = Decimal("0.00")
            line.updated_at = now
    session.flush()


def replan_after_rate(session: Session, *, effective_from: date, actor: User | None, now: datetime,
                      country_code: str | None = None, expert_type: ExpertType | None = None) -> int:
    """A new rate: the deployments still to be completed whose activity starts on or after its date follow
    it; completed missions and those before its date keep what they had. Returns how many were re-planned."""
    stmt = (select(Deployment).join(Activity, Activity.id == Deployment.activity_id)
            .where(Deployment.status.in_(LIVE - {DeploymentStatus.COMPLETED}), Activity.start_date >= effective_from,
                   Activity.status != ActivityStatus.CANCELLED).order_by(Deployment.id))
    if country_code is not None:
        stmt = stmt.where(Activity.country_code == country_code, Activity.is_remote.is_(False))
    if expert_type is not None:
        stmt = stmt.join(Expert, Expert.id == Deployment.expert_id).where(Expert.type == expert_type)
    count = 0
    for deployment in session.scalars(stmt):
        plan_deployment(session, deployment, actor=actor, now=now)
        count += 1
    session.flush()
    return count
