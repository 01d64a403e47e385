"""Overruns tell the officer in charge once per crossing and stay on their home page until mended; a cost line is
removed with a reason (kept, out of every figure); cost-line and budget edits refuse a stale version."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, PermissionDenied, StaleEdit, StateConflict
from workflow.finance.models import BudgetOverrun, CostCategory, CostLine
from workflow.finance.queries import MoneyFilters, action_money, money_groups
from workflow.finance.services import (
    CostDraft,
    add_cost_line,
    budget_version,
    category_totals,
    record_actual,
    remove_cost_line,
    set_budget,
    update_cost_line,
)
from workflow.notifications.models import Notification
from workflow.todos.services import todos_for

from ..factories import make_action, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
D = Decimal
VENUE = CostCategory.VENUE_CATERING


@pytest.fixture()
def scene(db, app):
    """An Action in its officer's charge with one activity and a venue budget of 1 000; an admin makes the saves
    (the officer, who did not make them, is the one told)."""
    officer, admin = make_user(db, Role.OFFICER), make_user(db, Role.ADMIN)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    action.officer = officer  # in their charge
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    set_budget(db, action, {"venue_catering": "1000"}, actor=admin, now=NOW)
    db.commit()
    with app.test_request_context():
        yield action, activity, officer, admin


def venue(description: str, planned: str = "0", **amounts: str) -> CostDraft:
    return CostDraft(category="venue_catering", description=description, planned_eur=planned, **amounts)


def told(db, user) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.user_id == user.id,
                                                      Notification.kind == "budget_overrun")))


def over_todos(db, user) -> list:
    return [t for t in todos_for(db, user, NOW) if t.kind == "over_budget"]


# --- Overruns tell the officer in charge, once per crossing ---------------------------------------------------


def test_crossing_the_budget_tells_the_officer_once_later_saves_are_recorded_but_not_told(db, scene):
    action, activity, officer, admin = scene
    add_cost_line(db, activity, venue("Room", "800"), actor=admin, now=NOW)
    db.commit()
    assert told(db, officer) == [] and over_todos(db, officer) == []
    add_cost_line(db, activity, venue("Catering", "300"), actor=admin, now=NOW)  # 1 100 > 1 000: crossed
    db.commit()
    [notice] = told(db, officer)
    assert action.name in notice.title and "€1,100.00" in notice.body and notice.link == f"/actions/{action.id}#money"
    add_cost_line(db, activity, venue("Coffee", "50"), actor=admin, now=NOW)  # further past: recorded, not told
    db.commit()
    overruns = db.scalars(select(BudgetOverrun).order_by(BudgetOverrun.id)).all()
    assert [(o.total_eur, o.crossing) for o in overruns] == [(D("1100.00"), True), (D("1150.00"), False)]
    assert len(told(db, officer)) == 1
    [todo] = over_todos(db, officer)
    assert action.name in todo.title and "venue and catering" in todo.title


def test_the_to_do_goes_when_the_budget_is_raised_and_a_new_crossing_tells_again(db, scene):
    action, activity, officer, admin = scene
    line = add_cost_line(db, activity, venue("Room", "1200"), actor=admin, now=NOW)
    db.commit()
    assert len(told(db, officer)) == 1 and len(over_todos(db, officer)) == 1
    set_budget(db, action, {"venue_catering": "1500"}, actor=admin, now=NOW)
    db.commit()
    assert over_todos(db, officer) == []
    update_cost_line(db, line, venue("Room", "1600"), actor=admin, now=NOW)
    db.commit()
    assert len(told(db, officer)) == 2 and len(over_todos(db, officer)) == 1


def test_a_budget_lowered_under_what_is_planned_is_an_overrun_told_to_the_officer(db, scene):
    action, activity, officer, admin = scene
    add_cost_line(db, activity, venue("Room", "800"), actor=admin, now=NOW)
    set_budget(db, action, {"venue_catering": "600"}, actor=admin, now=NOW)
    db.commit()
    [overrun] = db.scalars(select(BudgetOverrun)).all()
    assert (overrun.activity_id, overrun.budget_eur, overrun.total_eur, overrun.crossing) == (
        None, D("600.00"), D("800.00"), True)
    assert len(told(db, officer)) == 1


def test_the_officer_who_made_the_save_is_not_told_but_sees_the_to_do(db, scene):
    action, activity, officer, _admin = scene
    add_cost_line(db, activity, venue("Room", "1200"), actor=officer, now=NOW)
    db.commit()
    assert told(db, officer) == [] and len(over_todos(db, officer)) == 1
    other = make_user(db, Role.OFFICER)
    assert over_todos(db, other) == []  # another officer's Action


# --- Cost lines removed with a reason ---------------------------------------------------------------------------


def test_a_removed_line_stays_with_its_reason_and_counts_in_no_figure(db, scene):
    action, activity, officer, admin = scene
    kept = add_cost_line(db, activity, venue("Room", "400", actual_eur="380"), actor=officer, now=NOW)
    twice = add_cost_line(db, activity, venue("Room (booked twice)", "400"), actor=officer, now=NOW)
    db.commit()
    for reason in ("", "   ", "x" * 2001):
        with pytest.raises(DomainError) as refused:
            remove_cost_line(db, twice, reason=reason, actor=officer, now=NOW)
        assert refused.value.field == "reason"
    remove_cost_line(db, twice, reason="Booked twice by mistake", actor=officer, now=NOW)
    db.commit()
    assert db.get(CostLine, twice.id).removal_reason == "Booked twice by mistake"
    assert category_totals(db, action.id, VENUE) == {"planned": D("400.00"), "committed": D("0.00"),
                                                     "actual": D("380.00")}
    assert action_money(db, action.id).categories[VENUE].planned == D("400.00")
    _groups, total = money_groups(db, MoneyFilters(), "category")
    assert total.money.planned == D("400.00")
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "activity",
                                                  AuditEntry.object_id == activity.id)).all()
    assert any((e.changes or {}).get("removal_reason") == [None, "Booked twice by mistake"] for e in entries)
    with pytest.raises(StateConflict):
        update_cost_line(db, twice, venue("Room", "1"), actor=officer, now=NOW)
    assert kept.removed_at is None


def test_computed_and_claimed_lines_are_not_removed_by_hand_and_others_may_not_remove(db, scene):
    action, activity, officer, admin = scene
    claimed = record_actual(db, activity=activity, deployment=None, category="travel", amount_eur="120",
                            description="Expense claim 1", actor=officer, now=NOW, source="claim:1")
    computed = add_cost_line(db, activity, venue("Fee"), actor=officer, now=NOW)
    computed.computed = True
    db.flush()
    for line in (claimed, computed):
        with pytest.raises(StateConflict):
            remove_cost_line(db, line, reason="Not needed", actor=officer, now=NOW)
    line = add_cost_line(db, activity, venue("Room", "10"), actor=officer, now=NOW)
    with pytest.raises(PermissionDenied):
        remove_cost_line(db, line, reason="Not needed", actor=make_user(db, Role.EXPERT), now=NOW)


# --- Stale edits ------------------------------------------------------------------------------------------------


def test_a_cost_line_edited_from_an_old_version_is_refused_naming_the_change(db, scene):
    _action, activity, officer, admin = scene
    line = add_cost_line(db, activity, venue("Room", "400"), actor=officer, now=NOW)
    db.commit()
    opened = line.version
    update_cost_line(db, line, venue("Room", "450"), actor=admin, now=NOW, version=opened)
    db.commit()
    with pytest.raises(StaleEdit) as refused:
        update_cost_line(db, line, venue("Room", "500"), actor=officer, now=NOW, version=opened)
    assert refused.value.status == 409 and refused.value.current_version == opened + 1
    db.rollback()
    assert db.get(CostLine, line.id).planned_eur == D("450.00")
    with pytest.raises(StaleEdit):
        remove_cost_line(db, line, reason="Booked twice", actor=officer, now=NOW, version=opened)


def test_a_budget_saved_from_an_old_version_is_refused_and_its_current_version_given(db, scene):
    action, _activity, officer, admin = scene
    opened = budget_version(db, action.id)
    set_budget(db, action, {"travel": "2000"}, actor=admin, now=NOW, version=opened)
    db.commit()
    assert budget_version(db, action.id) == opened + 1
    with pytest.raises(StaleEdit) as refused:
        set_budget(db, action, {"travel": "3000"}, actor=officer, now=NOW, version=opened)
    assert refused.value.current_version == opened + 1 and refused.value.status == 409
    db.rollback()
    set_budget(db, action, {"travel": "3000"}, actor=officer, now=NOW, version=opened + 1)
    db.commit()
    assert budget_version(db, action.id) == opened + 2
