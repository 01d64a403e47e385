"""/api/v1 money: an Action's budget and its figures, an activity's cost lines, the rates, the portfolio's money
figures and an expert's own fee and allowance.

The same checks and services as the pages (`workflow.finance.views`): staff see and change amounts, admins add
rates, an expert reads only their own deployment's fee and allowance; requesters and focal points see none."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from sqlalchemy import select

from ..accounts.models import Role
from ..actions.queries import get_action
from ..core.errors import NotFound, PermissionDenied
from ..core.web import now
from ..deployments.queries import get_deployment
from ..extensions import db
from ..finance.models import AllowanceRate, BudgetOverrun, CostCategory, CostLine, FeeRate
from ..finance.permissions import sees_own_pay
from ..finance.queries import MoneyFilters, action_money, money_groups
from ..finance.rates import add_allowance_rate, add_fee_rate
from ..finance.services import (
    CostDraft,
    add_cost_line,
    budget_version,
    remove_cost_line,
    set_budget,
    update_cost_line,
)
from .common import commit, first_time, me, remember, require_roles, require_staff, visible_activity
from .parsing import Blueprint
from .schemas import OnceHeader
from .schemas_finance import (
    ActionBudgetOut,
    AllowanceRateIn,
    AllowanceRateOut,
    BudgetIn,
    CostLineIn,
    CostLineRemovalIn,
    CostLineOut,
    FeeRateIn,
    FeeRateOut,
    MoneyFiguresOut,
    MoneyQuery,
    PayOut,
    RatesOut,
)

blp = Blueprint("api_finance", __name__, url_prefix="/api/v1", description="Money: budgets, costs and rates")


def _budget(action_id: int) -> dict[str, Any]:
    money = action_money(db.session, action_id)
    overruns = db.session.scalars(select(BudgetOverrun).where(BudgetOverrun.action_id == action_id)
                                  .order_by(BudgetOverrun.at.desc(), BudgetOverrun.id.desc()).limit(50)).all()
    categories = [{"category": category.value, **_money(m)} for category, m in money.categories.items()]
    return {"action_id": action_id, "version": budget_version(db.session, action_id), "categories": categories, "total": _money(money.total),
            "expert_days": money.expert_days, "overruns": overruns}


def _money(m: Any) -> dict[str, Any]:
    return {"budget": m.budget, "planned": m.planned, "committed": m.committed, "actual": m.actual,
            "remaining": m.remaining, "over": m.over}


@blp.route("/actions/<id:action_id>/budget")
class ActionBudget(MethodView):
    @blp.response(200, ActionBudgetOut)
    def get(self, action_id):
        """The budget against planned, committed and actual per category, expert-days and overruns (staff)."""
        action = get_action(db.session, me(), action_id)
        require_staff()
        return _budget(action.id)

    @blp.arguments(BudgetIn)
    @blp.response(200, ActionBudgetOut)
    def put(self, data, action_id):
        """Set the budget of the categories sent (staff); the others keep theirs. With the `version` read, a change
        made since answers 409 stale_edit; a budget lowered under what is planned is recorded as an overrun."""
        action = get_action(db.session, me(), action_id)
        require_staff()
        version = data.pop("version", None)
        set_budget(db.session, action, data, actor=me(), now=now(), field_prefix="", version=version)
        commit()
        return _budget(action.id)


def _draft(data: dict[str, Any]) -> CostDraft:
    return CostDraft(**{key: data.get(key) for key in ("category", "description", "planned_eur", "committed_eur",
                                                        "actual_eur", "currency", "local_amount", "rate", "rate_date")})


@blp.route("/activities/<id:activity_id>/costs")
class ActivityCosts(MethodView):
    @blp.response(200, CostLineOut(many=True))
    def get(self, activity_id):
        """The activity's cost lines, by category (staff)."""
        activity = visible_activity(activity_id)
        require_staff()
        return db.session.scalars(select(CostLine).where(CostLine.activity_id == activity.id)
                                  .order_by(CostLine.category, CostLine.id)).all()

    @blp.arguments(CostLineIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, CostLineOut)
    def post(self, data, headers, activity_id):
        """Add a cost line (staff); going past the category's budget is allowed and recorded as an overrun."""
        activity = visible_activity(activity_id)
        require_staff()
        key = first_time(headers)
        line = add_cost_line(db.session, activity, _draft(data), actor=me(), now=now())
        remember(key, f"/api/v1/costs/{line.id}")
        commit()
        return line


@blp.route("/costs/<id:line_id>")
class OneCostLine(MethodView):
    @blp.response(200, CostLineOut)
    def get(self, line_id):
        return _line(line_id)

    @blp.arguments(CostLineIn)
    @blp.response(200, CostLineOut)
    def patch(self, data, line_id):
        """Change a cost line (staff); a deployment's computed line keeps its category and planned amount. With the
        `version` read, a change made since answers 409 stale_edit; a removed line answers 409."""
        line = _line(line_id)
        update_cost_line(db.session, line, _draft(data), actor=me(), now=now(), version=data.get("version"))
        commit()
        return line


@blp.route("/costs/<id:line_id>/removal")
class CostLineRemoval(MethodView):
    @blp.arguments(CostLineRemovalIn)
    @blp.response(200, CostLineOut)
    def post(self, data, line_id):
        """Remove a cost line with a reason (staff): it stays, marked removed, and counts in no figure. A
        deployment's fee or allowance and an approved claim's actual cannot be removed (409)."""
        line = _line(line_id)
        remove_cost_line(db.session, line, reason=data["reason"], actor=me(), now=now(), version=data.get("version"))
        commit()
        return line


def _line(line_id: int) -> CostLine:
    line = db.session.get(CostLine, line_id)
    if line is None:
        raise NotFound("No such cost line.")
    visible_activity(line.activity_id)
    require_staff()
    return line


@blp.route("/rates")
class Rates(MethodView):
    @blp.response(200, RatesOut)
    def get(self):
        """The daily-allowance rates per country and the fee rates per expert type, each from its date (staff)."""
        require_staff()
        return {"allowances": db.session.scalars(select(AllowanceRate).order_by(
                    AllowanceRate.country_code, AllowanceRate.effective_from.desc())).all(),
                "fees": db.session.scalars(select(FeeRate).order_by(FeeRate.expert_type,
                                                                    FeeRate.effective_from.desc())).all()}


def _add_rate(headers: dict[str, Any], add: Any, **values: Any) -> Any:
    """Add a rate (admins), once per Idempotency-Key."""
    require_roles(Role.ADMIN, doing="keep the rates")
    key = first_time(headers)
    rate = add(db.session, **values, actor=me(), now=now())
    remember(key, "/api/v1/rates")
    commit()
    return rate


@blp.route("/rates/allowances")
class AllowanceRates(MethodView):
    @blp.arguments(AllowanceRateIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, AllowanceRateOut)
    def post(self, data, headers):
        """Add a country's daily allowance from a date on (admins); missions before that date keep theirs."""
        return _add_rate(headers, add_allowance_rate, country_code=data["country"], daily_eur=data["daily_eur"],
                         effective_from=data.get("effective_from"))


@blp.route("/rates/fees")
class FeeRates(MethodView):
    @blp.arguments(FeeRateIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, FeeRateOut)
    def post(self, data, headers):
        """Add an expert type's daily fee from a date on (admins)."""
        return _add_rate(headers, add_fee_rate, expert_type=data["expert_type"], daily_eur=data["daily_eur"],
                         effective_from=data.get("effective_from"))


@blp.route("/money")
class Money(MethodView):
    @blp.arguments(MoneyQuery, location="query")
    @blp.response(200, MoneyFiguresOut)
    def get(self, args):
        """Budget, planned, committed and actual per Action, region, year or category, with expert-days and the
        cost per expert-day: the figures of the money page and its CSV (staff)."""
        require_staff()
        by = args.pop("by")
        category = CostCategory(args.pop("category")) if args.get("category") else None
        filters = MoneyFilters(category=category, **args)
        groups, total = money_groups(db.session, filters, by)
        return {"by": by, "groups": groups, "total": total}


@blp.route("/deployments/<id:deployment_id>/pay")
class DeploymentPay(MethodView):
    @blp.response(200, PayOut)
    def get(self, deployment_id):
        """The deployment's fee and daily allowance: for its expert, and for staff."""
        deployment = get_deployment(db.session, me(), deployment_id)
        if not sees_own_pay(me(), deployment):
            raise PermissionDenied("Only the expert deployed and programme staff see this fee and allowance.")
        lines = db.session.scalars(select(CostLine).where(CostLine.deployment_id == deployment.id,
                                                          CostLine.computed.is_(True)).order_by(CostLine.category))
        return {"deployment_id": deployment.id, "items": list(lines)}
