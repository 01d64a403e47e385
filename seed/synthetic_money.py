"""The synthetic portfolio's money: budgets and cost lines for its Actions, activities and deployments, so that
the money pages and figures are measured on data of the size they would hold (bench/pages.py).

Pure: built from the synthetic rows (no database), with the demo's invented rates (seed/money.py); every row
is marked invented. Rows carry no id: the database numbers them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflow.activities.lifecycle import ActivityStatus
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.finance.costing import deployment_cost
from workflow.finance.models import CostCategory
from workflow.finance.queries import CONTRACTED

from .money import ALLOWANCES, FEES, VENUE_PER_DAY

DEFAULT_ALLOWANCE = Decimal("220.00")  # a destination the demo's rates do not list
PRICED = (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED, *CONTRACTED)
# Per activity of an Action, what its budget sets aside in each category (EUR, invented).
PER_ACTIVITY = {CostCategory.EXPERT_FEES: 2500, CostCategory.DAILY_ALLOWANCES: 3000, CostCategory.TRAVEL: 3500,
                CostCategory.VENUE_CATERING: 1500, CostCategory.INTERPRETATION_TRANSLATION: 1000,
                CostCategory.OTHER: 400}
DONE = (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)


def _line(activity: dict[str, Any], category: CostCategory, description: str, planned: Decimal, *,
          committed: bool, paid: bool, deployment_id: int | None = None, days: int | None = None,
          unit: Decimal | None = None) -> dict[str, Any]:
    return {"activity_id": activity["id"], "deployment_id": deployment_id, "category": category,
            "description": description, "planned_eur": planned, "committed_eur": planned if committed else Decimal(0),
            "actual_eur": planned if paid else Decimal(0), "currency": None, "local_amount": None, "rate": None,
            "rate_date": None, "computed": deployment_id is not None, "quantity": days, "unit_eur": unit,
            "source": "rates" if deployment_id is not None else None, "created_by_id": None,
            "created_at": activity["created_at"], "updated_at": activity["updated_at"], "invented": True,
            "invented_fields": None}


def money_rows(rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """Budget lines for every Action with activities; a venue line per activity on site; a fee and an allowance
    line per deployment that holds its place, committed once confirmed and paid once completed."""
    activities = {a["id"]: a for a in rows.get("activities", [])}
    experts = {e["id"]: e for e in rows.get("experts", [])}
    lines: list[dict[str, Any]] = []
    counted: dict[int, int] = {}
    for activity in activities.values():
        if activity["status"] is ActivityStatus.CANCELLED:
            continue
        counted[activity["action_id"]] = counted.get(activity["action_id"], 0) + 1
        if not activity["is_remote"]:
            days = (activity["end_date"] - activity["start_date"]).days + 1
            done = activity["status"] in DONE
            lines.append(_line(activity, CostCategory.VENUE_CATERING, f"Venue and lunches, {activity['city']}",
                               VENUE_PER_DAY * days, committed=done, paid=done))
    for deployment in rows.get("deployments", []):
        activity = activities[deployment["activity_id"]]
        if deployment["status"] not in PRICED or activity["status"] is ActivityStatus.CANCELLED:
            continue
        kind = experts[deployment["expert_id"]]["type"] if deployment["expert_id"] in experts else None
        cost = deployment_cost(
            working_days=deployment["working_days"], start=activity["start_date"], end=activity["end_date"],
            is_remote=activity["is_remote"], live=True,
            fee_rate=Decimal(FEES.get(getattr(kind, "value", kind), "0")),
            allowance_rate=Decimal(ALLOWANCES.get(activity["country_code"] or "", DEFAULT_ALLOWANCE)))
        committed = deployment["status"] in CONTRACTED
        paid = deployment["status"] is DeploymentStatus.COMPLETED
        for category, part in ((CostCategory.EXPERT_FEES, cost.fees), (CostCategory.DAILY_ALLOWANCES, cost.allowances)):
            if part.days:
                lines.append(_line(activity, category, f"{category.value}, deployment {deployment['id']}", part.amount,
                                   committed=committed, paid=paid, deployment_id=deployment["id"], days=part.days,
                                   unit=part.daily_eur))
    budgets = [{"action_id": action["id"], "category": category, "amount_eur": Decimal(per * counted[action["id"]]),
                "updated_by_id": action["officer_id"], "updated_at": action["updated_at"], "invented": True,
                "invented_fields": None}
               for action in rows.get("actions", []) if action["id"] in counted and action["officer_id"]
               for category, per in PER_ACTIVITY.items()]
    return {"action_budget_lines": budgets, "cost_lines": lines}
