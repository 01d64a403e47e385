"""The money pages: budget, cost lines, rates and figures; who sees amounts; bad input on the form."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.services import propose
from workflow.finance.models import ActionBudgetLine, AllowanceRate, BudgetOverrun, CostCategory, CostLine
from workflow.finance.rates import add_allowance_rate, add_fee_rate

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)


@pytest.fixture()
def staffed(db, officer, action):
    """An activity with an academic expert proposed on it, under rates that price them."""
    admin = make_user(db, Role.ADMIN)
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, expert_type="academic", user=expert_user)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    db.commit()
    return activity, deployment, expert_user


def test_staff_set_a_budget_and_see_it_against_the_costs(db, login_as, client, post, officer, action, staffed):
    login_as(officer)
    response = post(f"/actions/{action.id}/budget", {"budget_expert_fees": "1 000,50", "budget_travel": "2000", "version": "0"},
                    token_page=f"/actions/{action.id}/budget", follow_redirects=True)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="money"' in html and "Expert fees" in html and "over budget" in html  # 3 days at 450 > 1000.50
    # The fees were planned before the budget: setting it under them is an overrun too, warned and recorded.
    assert "Over budget: Expert fees, planned total €1,350.00 against a budget of €1,000.50." in html
    overrun = db.scalars(select(BudgetOverrun)).one()
    assert (overrun.category, overrun.measure, overrun.crossing) == (CostCategory.EXPERT_FEES, "planned", True)
    lines = {line.category: line.amount_eur for line in db.scalars(select(ActionBudgetLine))}
    assert lines == {CostCategory.EXPERT_FEES: Decimal("1000.50"), CostCategory.TRAVEL: Decimal("2000.00")}


def test_a_bad_budget_amount_is_a_field_message_and_saves_nothing(db, login_as, post, officer, action):
    login_as(officer)
    for bad in ("-10", "abc", "999999999999", "10.555"):
        response = post(f"/actions/{action.id}/budget", {"budget_travel": bad, "budget_other": "5", "version": "0"},
                        token_page=f"/actions/{action.id}/budget")
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "is-invalid" in html, bad
    assert db.scalars(select(ActionBudgetLine)).all() == []


def test_staff_add_and_change_a_cost_line(db, login_as, client, post, officer, action, staffed):
    activity = staffed[0]
    login_as(officer)
    page = f"/activities/{activity.id}/costs/new"
    response = post(page, {"category": "venue_catering", "description": "Conference room", "planned_eur": "800",
                           "currency": "PEN", "local_amount": "3200", "rate": "4.0", "rate_date": "2027-02-01"},
                    token_page=page, follow_redirects=True)
    assert "Conference room" in response.get_data(as_text=True)
    response = post(page, {"category": "venue_catering", "description": "Coffee breaks", "planned_eur": "250",
                           "form_key": "second"}, token_page=page, follow_redirects=True)
    assert "Over budget" not in response.get_data(as_text=True)  # no budget for venues: nothing to go past
    line = db.scalar(select(CostLine).where(CostLine.description == "Conference room"))
    assert (line.currency, line.local_amount, line.rate) == ("PEN", Decimal("3200.00"), Decimal("4.000000"))
    edit = f"/costs/{line.id}/edit"
    post(edit, {"category": "venue_catering", "description": "Conference room", "planned_eur": "800",
                "actual_eur": "812.40", "version": str(line.version)}, token_page=edit)
    db.expire_all()
    assert db.get(CostLine, line.id).actual_eur == Decimal("812.40")
    assert db.get(CostLine, line.id).currency is None


def test_a_cost_line_with_a_wrong_currency_is_refused_on_its_field(db, login_as, post, officer, staffed):
    activity = staffed[0]
    login_as(officer)
    page = f"/activities/{activity.id}/costs/new"
    response = post(page, {"category": "travel", "description": "Flight", "planned_eur": "500", "currency": "EURO",
                           "local_amount": "5", "rate": "1", "rate_date": "2027-01-01"}, token_page=page)
    assert "is-invalid" in response.get_data(as_text=True)
    response = post(page, {"category": "travel", "description": "Flight", "planned_eur": "500", "currency": "XQQ",
                           "local_amount": "5", "rate": "1", "rate_date": "2027-01-01"}, token_page=page)
    assert "ISO 4217" in response.get_data(as_text=True)
    assert db.scalar(select(CostLine).where(CostLine.description == "Flight")) is None


def test_only_an_admin_adds_a_rate_and_a_rate_needs_a_date(db, login_as, client, post, officer):
    admin = make_user(db, Role.ADMIN)
    login_as(officer)
    assert client.get("/rates/allowances/new").status_code == 403
    login_as(admin)
    page = "/rates/allowances/new"
    response = post(page, {"country_code": "PE", "daily_eur": "180"}, token_page=page)
    assert "Give the date the rate takes effect." in response.get_data(as_text=True)
    assert db.scalars(select(AllowanceRate)).all() == []
    response = post(page, {"country_code": "PE", "daily_eur": "180", "effective_from": "2027-01-01"},
                    token_page=page, follow_redirects=True)
    assert response.status_code == 200 and db.scalars(select(AllowanceRate)).one().daily_eur == Decimal("180.00")


def test_who_sees_amounts(db, login_as, client, officer, action, staffed, requester_pe, peru):
    activity, deployment, expert_user = staffed
    login_as(requester_pe)
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert 'id="money"' not in html and "€" not in html
    assert client.get(f"/actions/{action.id}/budget").status_code == 403
    assert client.get("/finance").status_code == 403
    login_as(make_user(db, Role.MS_FOCAL_POINT, country="ES"))
    assert client.get("/finance").status_code == 403
    login_as(expert_user)
    html = client.get(f"/deployments/{deployment.id}").get_data(as_text=True)
    assert 'id="pay"' in html and "450.00" in html.replace(",", "")
    other = make_user(db, Role.EXPERT)
    login_as(other)
    assert 'id="pay"' not in client.get(f"/deployments/{deployment.id}").get_data(as_text=True)


def test_the_figures_page_and_its_csv_agree(db, login_as, client, officer, action, staffed):
    login_as(officer)
    for by in ("action", "region", "year", "category"):
        assert client.get(f"/finance?by={by}").status_code == 200
    csv = client.get("/exports/money.csv?by=category").get_data(as_text=True)
    fees = next(line for line in csv.splitlines() if line.startswith("expert_fees"))
    assert "1350.00" in fees  # 3 days at 450
    dashboard = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="money-categories"' in dashboard


def test_going_past_a_budget_on_the_page_is_saved_with_a_warning_and_a_history_row(db, login_as, post, officer,
                                                                                   action, staffed):
    activity = staffed[0]
    login_as(officer)
    post(f"/actions/{action.id}/budget", {"budget_venue_catering": "500", "version": "0"},
         token_page=f"/actions/{action.id}/budget")
    page = f"/activities/{activity.id}/costs/new"
    response = post(page, {"category": "venue_catering", "description": "Conference room", "planned_eur": "800"},
                    token_page=page, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Over budget: Venue and catering, planned total €800.00 against a budget of €500.00." in html
    assert db.scalar(select(CostLine).where(CostLine.description == "Conference room")) is not None
    action_page = login_as(officer).get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Budget overruns" in action_page and "€800.00" in action_page


def conference_room(db, post, activity) -> CostLine:
    """A venue line of 800 added on the page."""
    page = f"/activities/{activity.id}/costs/new"
    post(page, {"category": "venue_catering", "description": "Conference room", "planned_eur": "800"},
         token_page=page)
    return db.scalar(select(CostLine).where(CostLine.description == "Conference room"))


def test_a_cost_line_is_removed_on_its_page_with_a_reason_and_shown_struck_through(db, login_as, client, post,
                                                                                  officer, action, staffed):
    activity = staffed[0]
    login_as(officer)
    line = conference_room(db, post, activity)
    remove = f"/costs/{line.id}/remove"
    response = post(remove, {"reason": "", "version": str(line.version)}, token_page=remove)
    assert response.status_code == 200 and "is-invalid" in response.get_data(as_text=True)
    response = post(remove, {"reason": "Booked twice", "version": str(line.version)}, token_page=remove,
                    follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The cost line is removed from the figures" in html and "Booked twice" in html and "<del>" in html
    db.expire_all()
    assert db.get(CostLine, line.id).removal_reason == "Booked twice"
    history = client.get(f"/activities/{activity.id}").get_data(as_text=True)
    assert "Booked twice" in history


def test_a_stale_cost_line_form_is_refused_with_the_input_kept_and_the_new_version(db, login_as, client, post,
                                                                                  officer, action, staffed):
    activity = staffed[0]
    login_as(officer)
    line = conference_room(db, post, activity)
    opened = line.version
    edit = f"/costs/{line.id}/edit"
    form = {"category": "venue_catering", "description": "Conference room", "version": str(opened)}
    post(edit, {**form, "planned_eur": "900"}, token_page=edit)
    response = post(edit, {**form, "planned_eur": "700"}, token_page=edit)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Someone changed this cost line after you opened it." in html
    assert 'value="700"' in html and f'value="{opened + 1}"' in html
    db.expire_all()
    assert db.get(CostLine, line.id).planned_eur == Decimal("900.00")


def test_a_stale_budget_form_is_refused_and_saving_again_keeps_the_users_choice(db, login_as, post, officer,
                                                                                action):
    login_as(officer)
    page = f"/actions/{action.id}/budget"
    post(page, {"budget_travel": "1000", "version": "0"}, token_page=page)
    response = post(page, {"budget_travel": "2000", "version": "0"}, token_page=page)
    html = response.get_data(as_text=True)
    assert "Someone changed this budget after you opened it" in html and 'name="version" type="hidden" value="1"' in html
    post(page, {"budget_travel": "2000", "version": "1"}, token_page=page)
    db.expire_all()
    assert db.scalars(select(ActionBudgetLine)).one().amount_eur == Decimal("2000.00")
