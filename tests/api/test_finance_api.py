"""The money API: budgets, cost lines, rates and figures, with exact decimals and field errors that change nothing."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.services import propose
from workflow.finance.models import AllowanceRate, CostLine, FeeRate
from workflow.finance.rates import add_allowance_rate, add_fee_rate

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def world(db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    return action, activity


def test_staff_set_a_budget_and_read_it_back_exactly(db, api, officer, world):
    action, activity = world
    staff = api(officer)
    answer = staff.put(f"/api/v1/actions/{action.id}/budget", json={"travel": "1500.10", "other": 0.1})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    travel = next(c for c in body["categories"] if c["category"] == "travel")
    assert travel["budget"] == "1500.10" and travel["remaining"] == "1500.10"
    assert body["total"]["budget"] == "1500.20"
    line = staff.post(f"/api/v1/activities/{activity.id}/costs",
                      json={"category": "travel", "description": "Flight Madrid-Lima", "planned_eur": "1600",
                            "currency": "USD", "local_amount": "1744.00", "rate": "1.09", "rate_date": "2027-02-01"})
    assert line.status_code == 201 and line.get_json()["local_amount"] == "1744.00"
    body = staff.get(f"/api/v1/actions/{action.id}/budget").get_json()
    assert [(o["measure"], o["crossing"]) for o in body["overruns"]] == [("planned", True)]
    assert next(c for c in body["categories"] if c["category"] == "travel")["over"] is True


@pytest.mark.parametrize("body, field", [
    ({"category": "travel", "description": "Flight", "planned_eur": "-1"}, "planned_eur"),
    ({"category": "travel", "description": "Flight", "planned_eur": "123456789012"}, "planned_eur"),
    ({"category": "travel", "description": "Flight", "planned_eur": "ten"}, "planned_eur"),
    ({"category": "travel", "description": "Flight", "currency": "EURO", "local_amount": "5", "rate": "1",
      "rate_date": "2027-01-01"}, "currency"),
    ({"category": "travel", "description": "Flight", "currency": "ABC", "local_amount": "5", "rate": "1",
      "rate_date": "2027-01-01"}, "currency"),
    ({"category": "travel", "description": "Flight", "currency": "PEN", "local_amount": "5", "rate": "1"}, "rate_date"),
    ({"category": "fuel", "description": "Flight"}, "category"),
])
def test_a_bad_cost_line_is_a_422_naming_the_field_and_changes_nothing(db, api, officer, world, body, field):
    activity = world[1]
    answer = api(officer).post(f"/api/v1/activities/{activity.id}/costs", json=body)
    assert answer.status_code == 422
    assert field in answer.get_json()["error"]["fields"]
    assert db.scalar(select(func.count(CostLine.id))) == 0


def test_a_rate_with_no_date_is_refused_and_an_admin_adds_one(db, api, officer):
    admin, staff = api(make_user(db, Role.ADMIN)), api(officer)  # clients first: a request ends the session
    answer = admin.post("/api/v1/rates/allowances", json={"country": "PE", "daily_eur": "180"})
    assert answer.status_code == 422 and "effective_from" in answer.get_json()["error"]["fields"]
    answer = admin.post("/api/v1/rates/fees", json={"expert_type": "academic", "daily_eur": "-5",
                                                    "effective_from": "2027-01-01"})
    assert answer.status_code == 422 and "daily_eur" in answer.get_json()["error"]["fields"]
    assert db.scalar(select(func.count(AllowanceRate.id))) == 0 and db.scalar(select(func.count(FeeRate.id))) == 0
    assert staff.post("/api/v1/rates/fees", json={"expert_type": "academic", "daily_eur": "450",
                                                         "effective_from": "2027-01-01"}).status_code == 403
    answer = admin.post("/api/v1/rates/fees", json={"expert_type": "academic", "daily_eur": "450",
                                                    "effective_from": "2027-01-01"})
    assert answer.status_code == 201 and answer.get_json()["daily_eur"] == "450.00"


def test_an_expert_reads_only_their_own_fee_and_the_figures_agree_with_the_csv(db, api, client, login_as, officer,
                                                                                world):
    action, activity = world
    expert_user, other_user = make_user(db, Role.EXPERT), make_user(db, Role.EXPERT)
    admin = make_user(db, Role.ADMIN)
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    expert = make_expert(db, expert_type="academic", user=expert_user)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    db.commit()
    days, action_id, deployment_id = deployment.working_days, action.id, deployment.id
    staff, expert_api, other = api(officer), api(expert_user), api(other_user)
    pay = expert_api.get(f"/api/v1/deployments/{deployment_id}/pay").get_json()
    fees = next(item for item in pay["items"] if item["category"] == "expert_fees")
    assert Decimal(fees["planned_eur"]) == Decimal(450) * days
    assert other.get(f"/api/v1/deployments/{deployment_id}/pay").status_code == 404
    assert expert_api.get(f"/api/v1/actions/{action_id}/budget").status_code == 403
    figures = staff.get("/api/v1/money?by=category").get_json()
    api_fees = next(g for g in figures["groups"] if g["key"] == "expert_fees")["money"]["planned"]
    login_as(officer)
    csv = client.get("/exports/money.csv?by=category").get_data(as_text=True)
    assert api_fees in next(line for line in csv.splitlines() if line.startswith("expert_fees"))
    assert staff.get("/api/v1/money?by=nonsense").status_code == 422


def test_a_stale_cost_line_or_budget_answers_409_and_a_line_is_removed_with_a_reason(db, api, officer, world):
    action, activity = world
    staff = api(officer)
    line = staff.post(f"/api/v1/activities/{activity.id}/costs",
                      json={"category": "travel", "description": "Flight", "planned_eur": "600"}).get_json()
    body = {"category": "travel", "description": "Flight", "planned_eur": "650", "version": line["version"]}
    assert staff.patch(f"/api/v1/costs/{line['id']}", json=body).status_code == 200
    stale = staff.patch(f"/api/v1/costs/{line['id']}", json={**body, "planned_eur": "700"})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_edit"
    assert "Someone changed this cost line" in stale.get_json()["error"]["message"]
    budget = staff.get(f"/api/v1/actions/{action.id}/budget").get_json()
    assert staff.put(f"/api/v1/actions/{action.id}/budget",
                     json={"travel": "1000", "version": budget["version"]}).status_code == 200
    stale = staff.put(f"/api/v1/actions/{action.id}/budget", json={"travel": "900", "version": budget["version"]})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_edit"
    assert staff.post(f"/api/v1/costs/{line['id']}/removal", json={"reason": "  "}).status_code == 422
    removed = staff.post(f"/api/v1/costs/{line['id']}/removal", json={"reason": "Booked twice"})
    assert removed.status_code == 200 and removed.get_json()["removal_reason"] == "Booked twice"
    assert removed.get_json()["removed_at"] is not None
    travel = next(c for c in staff.get(f"/api/v1/actions/{action.id}/budget").get_json()["categories"]
                  if c["category"] == "travel")
    assert travel["planned"] == "0.00"
    again = staff.post(f"/api/v1/costs/{line['id']}/removal", json={"reason": "Twice"})
    assert again.status_code == 409
