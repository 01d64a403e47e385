"""The API's schemas of money: budgets, cost lines, rates, the figures and an expert's own fee and allowance.

Amounts are exact decimals: sent as a JSON string ("1250.50") or number, answered as a string, in EUR."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..experts.models import ExpertType
from ..finance.models import CostCategory
from ..finance.queries import GROUPINGS
from .schemas import COUNTRY, REGION_CODES, THEME_CODES, values

CATEGORY = validate.OneOf(values(CostCategory))


def amount_in(description: str = "In EUR, at most two decimals.") -> fields.Decimal:
    return fields.Decimal(allow_none=True, metadata={"description": description})


def amount_out(**kwargs) -> fields.Decimal:
    return fields.Decimal(as_string=True, **kwargs)


class BudgetIn(Schema):
    """The budget of each category given, in EUR; null takes a category's budget away (kept at zero)."""

    expert_fees = amount_in()
    daily_allowances = amount_in()
    travel = amount_in()
    venue_catering = amount_in()
    interpretation_translation = amount_in()
    other = amount_in()
    version = fields.Integer(allow_none=True, metadata={
        "description": "The budget's version you read (GET answers it): a stale one answers 409 stale_edit."})


class MoneyOut(Schema):
    budget = amount_out(allow_none=True, required=True)
    planned = amount_out(required=True)
    committed = amount_out(required=True)
    actual = amount_out(required=True)
    remaining = amount_out(allow_none=True, required=True, metadata={
        "description": "The budget less the largest of planned, committed and actual; null without a budget."})
    over = fields.Boolean(required=True)


class CategoryMoneyOut(MoneyOut):
    category = fields.String(required=True, validate=CATEGORY)


class ExpertDaysOut(Schema):
    days = fields.Integer(required=True, metadata={"description": "Working days of confirmed and completed "
                                                                  "deployments on activities not cancelled."})
    cost = amount_out(required=True, metadata={"description": "Their committed fees, allowances and travel."})
    cost_per_day = amount_out(allow_none=True, required=True)


class OverrunOut(Schema):
    category = fields.String(required=True, validate=CATEGORY)
    measure = fields.String(required=True, validate=validate.OneOf(["planned", "committed", "actual"]))
    budget_eur = amount_out(required=True)
    total_eur = amount_out(required=True)
    activity_id = fields.Integer(allow_none=True, metadata={"description": "None: the budget was lowered."})
    at = fields.DateTime(required=True)
    crossing = fields.Boolean(required=True, metadata={
        "description": "The total was within the budget before: the officer in charge was told."})


class ActionBudgetOut(Schema):
    action_id = fields.Integer(required=True)
    version = fields.Integer(required=True, metadata={"description": "Send it back with PUT: a change made since "
                                                                     "answers 409 stale_edit."})
    categories = fields.List(fields.Nested(CategoryMoneyOut), required=True)
    total = fields.Nested(MoneyOut, required=True)
    expert_days = fields.Nested(ExpertDaysOut, required=True)
    overruns = fields.List(fields.Nested(OverrunOut), required=True, metadata={"description": "The latest first."})


class CostLineIn(Schema):
    category = fields.String(required=True, validate=CATEGORY)
    description = fields.String(required=True, validate=validate.Length(min=1, max=300))
    planned_eur = amount_in()
    committed_eur = amount_in()
    actual_eur = amount_in()
    currency = fields.String(allow_none=True, validate=validate.Length(max=3),
                             metadata={"description": "ISO 4217 code of a local currency (with the three below)."})
    local_amount = amount_in("The amount in that currency.")
    rate = fields.Decimal(allow_none=True, metadata={"description": "Units of the currency for one euro."})
    rate_date = fields.Date(allow_none=True)
    version = fields.Integer(allow_none=True, metadata={
        "description": "On PATCH: the line's version you read; a stale one answers 409 stale_edit."})


class CostLineRemovalIn(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    version = fields.Integer(allow_none=True, metadata={"description": "The line's version you read (409 if stale)."})


class CostLineOut(Schema):
    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    deployment_id = fields.Integer(allow_none=True)
    category = fields.String(required=True, validate=CATEGORY)
    description = fields.String(required=True)
    planned_eur = amount_out(required=True)
    committed_eur = amount_out(required=True)
    actual_eur = amount_out(required=True)
    currency = fields.String(allow_none=True)
    local_amount = amount_out(allow_none=True)
    rate = amount_out(allow_none=True)
    rate_date = fields.Date(allow_none=True)
    computed = fields.Boolean(required=True, metadata={"description": "A deployment's fee or allowance by the rates."})
    quantity = fields.Integer(allow_none=True)
    unit_eur = amount_out(allow_none=True)
    source = fields.String(allow_none=True)
    invented = fields.Boolean(required=True)
    version = fields.Integer(required=True)
    removed_at = fields.DateTime(allow_none=True, metadata={"description": "Removed (with its reason): counted in "
                                                                           "no figure."})
    removal_reason = fields.String(allow_none=True)


class PayLineOut(Schema):
    """What the expert sees of their own deployment: the fee and the allowance, nothing of others'."""

    category = fields.String(required=True, validate=CATEGORY)
    planned_eur = amount_out(required=True)
    committed_eur = amount_out(required=True)
    actual_eur = amount_out(required=True)
    quantity = fields.Integer(allow_none=True)
    unit_eur = amount_out(allow_none=True)


class PayOut(Schema):
    deployment_id = fields.Integer(required=True)
    items = fields.List(fields.Nested(PayLineOut), required=True)


class AllowanceRateIn(Schema):
    country = fields.String(required=True, validate=COUNTRY)
    daily_eur = fields.Decimal(required=True)
    effective_from = fields.Date(allow_none=True, metadata={"description": "Required: the rate's first day."})


class FeeRateIn(Schema):
    expert_type = fields.String(required=True, validate=validate.OneOf(values(ExpertType)))
    daily_eur = fields.Decimal(required=True)
    effective_from = fields.Date(allow_none=True, metadata={"description": "Required: the rate's first day."})


class AllowanceRateOut(Schema):
    id = fields.Integer(required=True)
    country = fields.String(required=True, attribute="country_code")
    daily_eur = amount_out(required=True)
    effective_from = fields.Date(required=True)
    invented = fields.Boolean(required=True)


class FeeRateOut(Schema):
    id = fields.Integer(required=True)
    expert_type = fields.String(required=True)
    daily_eur = amount_out(required=True)
    effective_from = fields.Date(required=True)
    invented = fields.Boolean(required=True)


class RatesOut(Schema):
    allowances = fields.List(fields.Nested(AllowanceRateOut), required=True)
    fees = fields.List(fields.Nested(FeeRateOut), required=True)


class MoneyQuery(Schema):
    by = fields.String(load_default="action", validate=validate.OneOf(GROUPINGS))
    region = fields.String(validate=validate.OneOf(REGION_CODES))
    theme = fields.String(validate=validate.OneOf(THEME_CODES))
    year_from = fields.Integer(validate=validate.Range(min=2000, max=2100))
    year_to = fields.Integer(validate=validate.Range(min=2000, max=2100))
    category = fields.String(validate=CATEGORY)


class MoneyGroupOut(Schema):
    key = fields.String(required=True, metadata={"description": "The Action's id, region code, year or category."})
    name = fields.String(required=True)
    money = fields.Nested(MoneyOut, required=True)
    expert_days = fields.Nested(ExpertDaysOut, allow_none=True, attribute="days",
                                metadata={"description": "Null per category: expert-days belong to none."})


class MoneyFiguresOut(Schema):
    by = fields.String(required=True, validate=validate.OneOf(GROUPINGS))
    groups = fields.List(fields.Nested(MoneyGroupOut), required=True)
    total = fields.Nested(MoneyGroupOut, required=True)
