"""The demo's money: daily-allowance and fee rates, budgets and costs for a few real Actions.

The programme's public documents (shared/seeds) state no amount at all, so every figure here is invented
to make the demo work and is marked `invented` (the rates page, the Action's budget and the activity's
costs say so). The orders of magnitude follow comparable EU instruments: a daily allowance near the
Commission's per-diem rates for the country, no fee for member-state officials (their administration
pays them), a daily fee for academics, NGO and international-organisation experts, a return flight
between Europe and Latin America near EUR 1,100. Idempotent: a second run adds nothing.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.activities.lifecycle import ActivityStatus
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.finance.models import ActionBudgetLine, AllowanceRate, CostCategory, CostLine, FeeRate
from workflow.finance.planning import computed_lines, plan_deployment
from workflow.finance.rates import add_allowance_rate, add_fee_rate
from workflow.finance.services import CostDraft, add_cost_line, record_actual, set_budget

RATES_FROM = date(2019, 1, 1)  # before the demo's first activity: every mission follows these rates
ALLOWANCES = {  # EUR a day, invented near the Commission's per-diem rates
    "AR": "246", "BO": "185", "BR": "269", "CO": "232", "CR": "227", "DO": "240", "ES": "225", "GT": "232",
    "MX": "255", "PA": "262", "PE": "253", "PY": "185", "SV": "230", "UY": "248",
}
FEES = {"ms_official": "0", "partner_peer": "250", "academic": "450", "ngo": "350", "international_organisation": "400"}
# EUR per category, invented: (fees, allowances, travel, venue and catering, interpretation and translation, other)
BUDGETS = {
    "Colombia II": (36000, 42000, 48000, 18000, 15000, 6000),
    "Costa Rica IV": (28000, 33000, 40000, 14000, 12000, 5000),
    "Gran Chaco": (45000, 52000, 60000, 22000, 20000, 8000),
    "El Salvador II": (24000, 28000, 32000, 12000, 10000, 4000),
    "Peru": (30000, 35000, 38000, 15000, 9000, 5000),
}
FLIGHT = Decimal("1100.00")  # a return flight Europe - Latin America
VENUE_PER_DAY = Decimal("1200.00")  # a room for 30 and their lunches
# A venue paid in the local currency: units for one euro, on the first day of the activity's month (invented).
LOCAL = {"CO": ("COP", Decimal("4350.250000")), "CR": ("CRC", Decimal("560.120000")),
         "PY": ("PYG", Decimal("8150.000000")), "SV": ("USD", Decimal("1.080000")), "PE": ("PEN", Decimal("4.050000"))}
DONE = (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)


def load_money(session: Session, now: datetime) -> None:
    """Rates, then the budgets and costs of the Actions in BUDGETS (once)."""
    admin = session.scalar(select(User).where(User.email == "admin@demo.peerflow.org"))
    officer = session.scalar(select(User).where(User.email == "officer@demo.peerflow.org"))
    if admin is None or officer is None or admin.role is not Role.ADMIN:
        return
    if session.scalar(select(AllowanceRate.id).limit(1)) is None:
        _rates(session, admin, now)
    for name, amounts in BUDGETS.items():
        action = session.scalar(select(Action).where(Action.name == name))
        if action is None or session.scalar(select(ActionBudgetLine.id).where(ActionBudgetLine.action_id == action.id)):
            continue
        lines = set_budget(session, action, dict(zip(CostCategory, (str(a) for a in amounts), strict=True)),
                           actor=officer, now=now)
        for line in lines:
            line.invented = True
        _costs(session, action, officer, now)
    # Every deployment the new rates priced (on the other Actions too) is priced by invented rates.
    for line in session.scalars(select(CostLine).where(CostLine.computed.is_(True), CostLine.invented.is_(False))):
        line.invented = True
    session.flush()


def _rates(session: Session, admin: User, now: datetime) -> None:
    for code, daily in ALLOWANCES.items():
        add_allowance_rate(session, country_code=code, daily_eur=daily, effective_from=RATES_FROM, actor=admin,
                           now=now).invented = True
    for kind, daily in FEES.items():
        add_fee_rate(session, expert_type=kind, daily_eur=daily, effective_from=RATES_FROM, actor=admin,
                     now=now).invented = True


def _costs(session: Session, action: Action, officer: User, now: datetime) -> None:
    """A venue for each activity on site, a flight for each expert who travels; paid once the work is done."""
    for activity in action.activities:
        if activity.status is ActivityStatus.CANCELLED:
            continue
        done = activity.status in DONE
        if not activity.is_remote:
            _venue(session, activity, officer, now, done)
        for deployment in session.scalars(select(Deployment).where(Deployment.activity_id == activity.id)):
            _deployment(session, deployment, activity, officer, now)


def _venue(session: Session, activity, officer: User, now: datetime, done: bool) -> None:
    days = (activity.end_date - activity.start_date).days + 1
    planned = VENUE_PER_DAY * days
    local = LOCAL.get(activity.country_code or "")
    draft = CostDraft(category=CostCategory.VENUE_CATERING, description=f"Venue and lunches, {activity.city}",
                      planned_eur=planned, committed_eur=planned if done else None,
                      actual_eur=planned if done else None)
    if local and done:
        currency, rate = local
        draft = CostDraft(**{**draft.__dict__, "currency": currency, "local_amount": (planned * rate).quantize(
            Decimal("0.01")), "rate": rate, "rate_date": activity.start_date.replace(day=1)})
    add_cost_line(session, activity, draft, actor=officer, now=now).invented = True


def _deployment(session: Session, deployment: Deployment, activity, officer: User, now: datetime) -> None:
    """Its fee and allowance by the rates (a completed one paid as planned), and its flight."""
    plan_deployment(session, deployment, actor=officer, now=now)
    completed = deployment.status is DeploymentStatus.COMPLETED
    for line in computed_lines(session, deployment.id).values():
        line.invented = True
        if completed and line.planned_eur > 0 and line.actual_eur == 0:
            record_actual(session, activity=activity, deployment=deployment, category=line.category,
                          amount_eur=line.planned_eur, description=line.description, actor=officer, now=now)
    if activity.is_remote or deployment.status not in (DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED):
        return
    flight = add_cost_line(session, activity, CostDraft(
        category=CostCategory.TRAVEL, description=f"Return flight, deployment {deployment.id}", planned_eur=FLIGHT,
        committed_eur=FLIGHT, actual_eur=FLIGHT if completed else None), actor=officer, now=now, deployment=deployment)
    flight.invented = True


def stated_money(session: Session) -> int:
    """How many money records are not marked invented: none in the demo (the honesty test checks it)."""
    return sum(len(session.scalars(select(model.id).where(model.invented.is_(False))).all())
               for model in (ActionBudgetLine, CostLine, AllowanceRate, FeeRate))
