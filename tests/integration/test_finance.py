"""Money on a real database: budgets, cost lines, rates, a deployment's cost through its lifecycle, overruns."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.services import apply_activity_event, postpone_activity
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, PermissionDenied
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.finance.models import BudgetOverrun, CostCategory, CostLine
from workflow.finance.queries import MoneyFilters, action_money, money_groups
from workflow.finance.rates import add_allowance_rate, add_fee_rate
from workflow.finance.services import CostDraft, add_cost_line, record_actual, set_budget

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
D = Decimal


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def admin(db):
    return make_user(db, Role.ADMIN)


@pytest.fixture()
def action(db, officer):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION)


@pytest.fixture()
def rates(db, admin):
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_allowance_rate(db, country_code="PE", daily_eur="200", effective_from=date(2027, 6, 1), actor=admin, now=NOW)
    add_fee_rate(db, expert_type="ms_official", daily_eur="0", effective_from=date(2026, 1, 1), actor=admin, now=NOW)
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin, now=NOW)


def lines_of(db, deployment):
    return {line.category: line for line in db.scalars(select(CostLine).where(CostLine.deployment_id == deployment.id))}


def test_a_deployments_cost_follows_the_rates_and_its_lifecycle(db, officer, admin, action, rates):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), days=3)
    expert = make_expert(db, expert_type="academic", user=make_user(db, Role.EXPERT))
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    lines = lines_of(db, deployment)
    days = deployment.working_days
    assert lines[CostCategory.EXPERT_FEES].planned_eur == D("450.00") * days
    assert lines[CostCategory.DAILY_ALLOWANCES].planned_eur == D("180.00") * (min(days, 3) + 2)
    assert lines[CostCategory.EXPERT_FEES].committed_eur == D("0.00")
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    assert lines_of(db, deployment)[CostCategory.EXPERT_FEES].committed_eur == D("450.00") * days
    # Postponed past the new allowance rate: the allowance moves, with an audited change.
    postpone_activity(db, activity, start_date=date(2027, 7, 1), end_date=date(2027, 7, 3), reason="Elections",
                      actor=officer, now=NOW)
    allowance = lines_of(db, deployment)[CostCategory.DAILY_ALLOWANCES]
    assert allowance.planned_eur == D("200.00") * (min(days, 3) + 2)
    changes = [e.changes for e in db.scalars(select(AuditEntry).where(AuditEntry.object_type == "activity",
                                                                      AuditEntry.object_id == activity.id))]
    assert any("planned_eur" in c for c in changes)
    # Cancelled: nothing planned or committed any more.
    apply_activity_event(db, activity, ActivityEvent.CANCEL, actor=officer, now=NOW, reason="Funding cut")
    assert all(line.planned_eur == 0 and line.committed_eur == 0 for line in lines_of(db, deployment).values())


def test_a_remote_deployment_has_no_allowance(db, officer, action, rates):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), remote=True)
    expert = make_expert(db, expert_type="academic")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    lines = lines_of(db, deployment)
    assert lines[CostCategory.EXPERT_FEES].planned_eur > 0
    assert CostCategory.DAILY_ALLOWANCES not in lines or lines[CostCategory.DAILY_ALLOWANCES].planned_eur == 0


def test_going_over_a_category_budget_is_allowed_and_recorded(db, officer, action):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    set_budget(db, action, {"venue_catering": "1000"}, actor=officer, now=NOW)
    add_cost_line(db, activity, CostDraft(category="venue_catering", description="Room", planned_eur="800"),
                  actor=officer, now=NOW)
    assert db.scalars(select(BudgetOverrun)).all() == []
    add_cost_line(db, activity, CostDraft(category="venue_catering", description="Lunches", planned_eur="350.50",
                                          currency="PEN", local_amount="1400", rate="3.994", rate_date=date(2027, 2, 1)),
                  actor=officer, now=NOW)
    overrun = db.scalars(select(BudgetOverrun)).one()
    assert (overrun.measure, overrun.total_eur, overrun.budget_eur) == ("planned", D("1150.50"), D("1000.00"))
    money = action_money(db, action.id).categories[CostCategory.VENUE_CATERING]
    assert money.remaining == D("-150.50") and money.over


def test_record_actual_adds_to_what_was_spent(db, officer, action, rates):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    expert = make_expert(db, expert_type="academic")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    line = record_actual(db, activity=activity, deployment=deployment, category="daily_allowances",
                         amount_eur=D("120.40"), description="Claim", actor=officer, now=NOW, source="claim:1")
    again = record_actual(db, activity=activity, deployment=deployment, category="daily_allowances",
                          amount_eur="100", description="Claim", actor=officer, now=NOW, source="claim:2")
    assert line is again and line.computed and line.actual_eur == D("220.40")
    travel = record_actual(db, activity=activity, deployment=deployment, category="travel", amount_eur="612.30",
                           description="Flight Madrid-Lima", actor=officer, now=NOW, source="claim:2")
    assert travel.actual_eur == D("612.30") and travel.source == "claim:2"
    _groups, total = money_groups(db, MoneyFilters(action_ids=(action.id,)), "category")
    assert total.money.actual == D("832.70")


@pytest.mark.parametrize("draft, field", [
    (CostDraft(category="travel", description="Flight", planned_eur="-5"), "planned_eur"),
    (CostDraft(category="travel", description="Flight", planned_eur="1e12"), "planned_eur"),
    (CostDraft(category="travel", description="Flight", planned_eur="12.345"), "planned_eur"),
    (CostDraft(category="travel", description="Flight", planned_eur="abc"), "planned_eur"),
    (CostDraft(category="lunch", description="Flight"), "category"),
    (CostDraft(category="travel", description="  "), "description"),
    (CostDraft(category="travel", description="Flight", currency="XXY", local_amount="5", rate="1",
               rate_date=date(2027, 1, 1)), "currency"),
    (CostDraft(category="travel", description="Flight", currency="PEN", local_amount="5", rate="1"), "rate_date"),
    (CostDraft(category="travel", description="Flight", currency="PEN", local_amount="5", rate="0",
               rate_date=date(2027, 1, 1)), "rate"),
])
def test_bad_cost_lines_are_refused_and_change_nothing(db, officer, action, draft, field):
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    with pytest.raises(DomainError) as refused:
        add_cost_line(db, activity, draft, actor=officer, now=NOW)
    assert refused.value.field == field
    assert db.scalars(select(CostLine)).all() == []


def test_rates_need_an_admin_a_date_and_a_sane_amount(db, officer, admin):
    with pytest.raises(PermissionDenied):
        add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=officer,
                           now=NOW)
    for kwargs, field in (({"effective_from": None}, "effective_from"), ({"daily_eur": "-1"}, "daily_eur"),
                          ({"daily_eur": "90000"}, "daily_eur"), ({"country_code": "ZZ"}, "country_code")):
        values = {"country_code": "PE", "daily_eur": "180", "effective_from": date(2026, 1, 1), **kwargs}
        with pytest.raises(DomainError) as refused:
            add_allowance_rate(db, **values, actor=admin, now=NOW)
        assert refused.value.field == field


def test_only_staff_set_a_budget(db, action):
    requester = make_user(db, Role.REQUESTER)
    with pytest.raises(PermissionDenied):
        set_budget(db, action, {"travel": "100"}, actor=requester, now=NOW)


def test_a_new_rate_moves_missions_to_come_and_never_a_completed_one(db, officer, admin, action, rates):
    from workflow.deployments.services import record_mission_report

    from ..factories import make_completed_deployment

    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, expert_type="academic", user=expert_user)
    done = make_staffed_activity(db, action, officer, start=date(2026, 12, 1))
    completed = make_completed_deployment(db, done, expert, officer, expert_user=expert_user)
    coming = make_staffed_activity(db, action, officer, start=date(2027, 9, 1))
    later = propose(db, coming.slots[0], make_expert(db, expert_type="academic"), actor=officer, now=NOW)
    paid_before = lines_of(db, completed)[CostCategory.EXPERT_FEES].planned_eur
    add_fee_rate(db, expert_type="academic", daily_eur="500", effective_from=date(2026, 6, 1), actor=admin, now=NOW)
    assert lines_of(db, completed)[CostCategory.EXPERT_FEES].planned_eur == paid_before  # completed: kept
    assert lines_of(db, later)[CostCategory.EXPERT_FEES].planned_eur == D("500.00") * later.working_days
    assert record_mission_report  # imported for the factory's lifecycle


def test_the_privacy_export_holds_the_experts_amounts_and_erasure_keeps_them(app, db, officer, admin, action, rates):
    from workflow.privacy.services import erase_expert, export_expert_data

    from ..factories import make_completed_deployment

    with app.app_context():
        expert_user = make_user(db, Role.EXPERT)
        expert = make_expert(db, name="Ana Torres", expert_type="academic", user=expert_user)
        activity = make_staffed_activity(db, action, officer, start=date(2026, 12, 1))
        deployment = make_completed_deployment(db, activity, expert, officer, expert_user=expert_user)
        record_actual(db, activity=activity, deployment=deployment, category="travel", amount_eur="700",
                      description="Flight of Ana Torres", actor=officer, now=NOW)
        costs = export_expert_data(db, expert, actor=expert_user, now=NOW)["costs"]
        assert {c["category"] for c in costs} == {"expert_fees", "daily_allowances", "travel"}
        assert all(isinstance(c["planned_eur"], str) for c in costs)  # exact decimals in the JSON
        before = action_money(db, action.id).total
        erase_expert(db, expert, actor=admin, now=datetime(2027, 1, 5, tzinfo=UTC))
        db.flush()
        db.expire_all()
        after = action_money(db, action.id).total
        assert (after.planned, after.committed, after.actual) == (before.planned, before.committed, before.actual)
        wording = [line.description for line in db.scalars(select(CostLine).where(
            CostLine.deployment_id == deployment.id))]
        assert not any("Ana Torres" in text for text in wording)


@pytest.mark.parametrize("by", ["action", "region", "year", "category"])
def test_the_groups_add_up_to_the_total_whichever_the_grouping(db, officer, action, rates, by):
    first = make_staffed_activity(db, action, officer, start=date(2026, 12, 1))
    second = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    for activity in (first, second):
        expert = make_expert(db, expert_type="academic", user=make_user(db, Role.EXPERT))
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
        apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
        apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
        apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    set_budget(db, action, {"travel": "5000", "expert_fees": "2000"}, actor=officer, now=NOW)
    other = make_action(db, officer, country="BO", status=ActionStatus.IMPLEMENTATION, name="Bolivia IX")
    add_cost_line(db, make_staffed_activity(db, other, officer, start=date(2027, 5, 3)),
                  CostDraft(category="travel", description="Flight", planned_eur="900"), actor=officer, now=NOW)
    groups, total = money_groups(db, MoneyFilters(), by)
    assert sum(g.money.planned for g in groups) == total.money.planned > 0
    assert sum((g.money.budget or 0) for g in groups) == total.money.budget == D("7000.00")
    if by != "category":
        assert sum(g.days.days for g in groups) == total.days.days > 0
    years = {g.key for g in money_groups(db, MoneyFilters(), "year")[0]}
    assert {"2026", "2027"} <= years


def test_every_money_change_is_in_the_audit_trail_with_who_and_when(app, db, officer, admin, action):
    from workflow.audit.services import set_actor

    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    set_actor(db, officer)
    set_budget(db, action, {"travel": "1000"}, actor=officer, now=NOW)
    line = add_cost_line(db, activity, CostDraft(category="travel", description="Flight", planned_eur="900"),
                         actor=officer, now=NOW)
    record_actual(db, activity=activity, deployment=None, category="travel", amount_eur="950", description="Paid",
                  actor=officer, now=NOW)
    set_actor(db, admin)
    add_fee_rate(db, expert_type="ngo", daily_eur="350", effective_from=date(2027, 1, 1), actor=admin, now=NOW)
    db.flush()
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type.in_(("action", "activity", "fee_rate")))).all()
    parts = {(e.detail.get("part"), e.actor_id) for e in entries if e.detail.get("part")}
    assert ("budget_line", officer.id) in parts and ("cost_line", officer.id) in parts
    assert any(e.object_type == "fee_rate" and e.actor_id == admin.id for e in entries)
    planned = [e for e in entries if e.detail.get("part_id") == line.id and "planned_eur" in e.changes]
    assert planned and planned[0].changes["planned_eur"] == [None, "900.00"] and planned[0].at is not None
