"""Results frameworks and policy deliverables on a real database: check-ins by reminder and to-do, the figure
"deliverables adopted", the structure a plan template keeps, the final report's draft, notifications, audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.deliverables import DeliverableDraft, add_deliverable
from workflow.activities.models import DeliverableKind
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, PermissionDenied, StateConflict
from workflow.dashboard.adopted import deliverables_adopted
from workflow.dashboard.services import PortfolioFilters
from workflow.notifications.models import Notification
from workflow.plans.services import apply_plan, save_plan
from workflow.reminders.models import Reminder, ReminderState
from workflow.results.models import DeliverableStageName, ImpactArea, ResultLevel
from workflow.results.queries import framework_for_page, progress, structure_of, summary_lines
from workflow.results.services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    remove_indicator,
    save_framework,
    withdraw_measurement,
)
from workflow.results.stages import StageDraft, add_months, closed_at, record_stage, waiting_check_in
from workflow.todos.services import todos_for

from ..factories import T0, make_action, make_activity, make_user


@pytest.fixture()
def closed(db, officer, peru, requester_pe):
    db.info["now"] = T0  # the reminders are derived as the Action closes (workflow.core.clock)
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.CLOSED, name="Costa Rica II")
    plan = add_deliverable(db, action, DeliverableDraft(DeliverableKind.NATIONAL_PLAN, "National Integration Plan",
                                                        "es", url="https://example.org/plan"), actor=officer, now=T0)
    db.commit()
    return action, plan


def _framework(db, action, officer):
    result = add_result(db, action, ResultLevel.OUTPUT, "Officials trained", actor=officer, now=T0)
    indicator = add_indicator(db, result, IndicatorDraft("Officials trained", "officials",
                                                         ImpactArea.CAPACITY_BUILDING, baseline_value=0,
                                                         target_value=755), actor=officer, now=T0)
    db.commit()
    return result, indicator


def test_closing_an_action_with_a_policy_deliverable_asks_its_requesters_at_6_and_12_months(db, closed, requester_pe):
    action, _plan = closed
    db.commit()
    rows = db.scalars(select(Reminder).where(Reminder.rule == "deliverable_check_in",
                                             Reminder.subject_id == action.id)).all()
    assert {r.recipient_id for r in rows} == {requester_pe.id}
    assert sorted(r.due_at.date() for r in rows) == [add_months(closed_at(action), 6).date(),
                                                     add_months(closed_at(action), 12).date()]


def test_a_check_in_long_past_when_the_action_is_loaded_is_not_mailed(db, officer, peru, requester_pe):
    db.info["now"] = T0 + timedelta(days=400)  # an Action entered after the fact, closed over a year before
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.CLOSED)
    add_deliverable(db, action, DeliverableDraft(DeliverableKind.PROTOCOL, "Protocol", "es",
                                                 url="https://example.org/p"), actor=officer, now=T0)
    db.commit()
    assert db.scalars(select(Reminder).where(Reminder.rule == "deliverable_check_in")).all() == []


def _todo_kinds(app, db, user, now) -> list[str]:
    with app.test_request_context():
        return [t.kind for t in todos_for(db, user, now)]


def test_news_answering_both_check_ins_cancels_their_reminders_and_clears_the_to_do(app, db, closed, requester_pe,
                                                                                     officer):
    action, plan = closed
    six = add_months(closed_at(action), 6) + timedelta(days=1)
    assert waiting_check_in(action, six) == 6
    assert "check_in" in _todo_kinds(app, db, requester_pe, six)
    db.info["now"] = six
    record_stage(db, plan, StageDraft(DeliverableStageName.ADOPTED, date(2013, 3, 1), "Published in the gazette",
                                      url="https://example.org/gazette"), actor=requester_pe, now=six)
    db.commit()
    assert "check_in" not in _todo_kinds(app, db, requester_pe, six)
    twelve = add_months(closed_at(action), 12) + timedelta(days=1)
    assert waiting_check_in(action, twelve) == 12
    db.info["now"] = twelve
    record_stage(db, plan, StageDraft(DeliverableStageName.IMPLEMENTED, None, "A campaign grew from it"),
                 actor=officer, now=twelve)  # staff can record the same
    db.commit()
    pending = db.scalars(select(Reminder).where(Reminder.rule == "deliverable_check_in",
                                                Reminder.state == ReminderState.PENDING)).all()
    assert pending == []
    # The officer heard of the requester's news, not of their own.
    notes = db.scalars(select(Notification).where(Notification.kind == "deliverable_news")).all()
    assert [n.user_id for n in notes] == [officer.id]


def test_a_requester_cannot_send_news_before_closure_nor_of_a_handbook(db, officer, peru, requester_pe):
    running = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    plan = add_deliverable(db, running, DeliverableDraft(DeliverableKind.PROTOCOL, "Protocol", "es",
                                                         url="https://example.org/p"), actor=officer, now=T0)
    book = add_deliverable(db, running, DeliverableDraft(DeliverableKind.HANDBOOK, "Handbook", "es",
                                                         url="https://example.org/h"), actor=officer, now=T0)
    with pytest.raises(PermissionDenied):
        record_stage(db, plan, StageDraft(DeliverableStageName.DRAFTED), actor=requester_pe, now=T0)
    with pytest.raises(DomainError):
        record_stage(db, book, StageDraft(DeliverableStageName.DRAFTED), actor=officer, now=T0)
    with pytest.raises(DomainError):  # adoption needs its evidence, or what came of it
        record_stage(db, plan, StageDraft(DeliverableStageName.ADOPTED), actor=officer, now=T0)


def test_deliverables_adopted_counts_each_once_in_its_year_and_region(db, closed, officer):
    action, plan = closed
    record_stage(db, plan, StageDraft(DeliverableStageName.ADOPTED, date(2013, 3, 1), url="https://e.org/g"),
                 actor=officer, now=T0)
    record_stage(db, plan, StageDraft(DeliverableStageName.IMPLEMENTED, None, "Campaign"),
                 actor=officer, now=T0)  # undated, recorded in 2026: the adoption's date still decides
    db.commit()
    rows = deliverables_adopted(db, PortfolioFilters())
    assert [(r.year, r.total) for r in rows] == [(2013, 1)]
    assert rows[0].regions[action.region.code] == 1
    assert deliverables_adopted(db, PortfolioFilters(year_from=2014)) == []


def test_progress_the_latest_value_and_a_withdrawn_measurement(db, officer, peru):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    _result, indicator = _framework(db, action, officer)
    first = add_measurement(db, indicator, MeasurementDraft(300, date(2025, 6, 1), "Lists"), actor=officer, now=T0)
    add_measurement(db, indicator, MeasurementDraft(755, date(2025, 12, 1), "Final report"), actor=officer, now=T0)
    assert progress(indicator).latest.value == 755 and progress(indicator).percent == 100
    wrong = indicator.latest
    withdraw_measurement(db, wrong, "Counted the same people twice", actor=officer, now=T0)
    assert progress(indicator).latest is first and progress(indicator).percent == 40
    with pytest.raises(StateConflict):
        remove_indicator(db, indicator, actor=officer, now=T0)  # measured: it stays
    with pytest.raises(DomainError):
        add_measurement(db, indicator, MeasurementDraft(1, T0.date() + timedelta(days=3), "Later"), actor=officer,
                        now=T0)


def test_a_requester_measures_only_an_indicator_staff_opened(db, officer, peru, requester_pe, requester_bo):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    _result, indicator = _framework(db, action, officer)
    with pytest.raises(PermissionDenied):
        add_measurement(db, indicator, MeasurementDraft(5, date(2025, 1, 1), "Mine"), actor=requester_pe, now=T0)
    save_framework(db, action, objective="", requester_may_measure=True, actor=officer, now=T0)
    add_measurement(db, indicator, MeasurementDraft(5, date(2025, 1, 1), "Mine"), actor=requester_pe, now=T0)
    with pytest.raises(PermissionDenied):  # another institution's requester
        add_measurement(db, indicator, MeasurementDraft(5, date(2025, 1, 1), "X"), actor=requester_bo, now=T0)
    db.commit()
    assert [n.kind for n in db.scalars(select(Notification).where(Notification.user_id == officer.id))] \
        == ["measurement_added"]


def test_a_plan_template_keeps_the_structure_without_values_and_gives_it_to_the_next_action(db, officer, peru):
    source = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION, name="Mexico IV")
    make_activity(db, source, officer)
    _result, indicator = _framework(db, source, officer)
    add_measurement(db, indicator, MeasurementDraft(755, date(2025, 1, 1), "Report"), actor=officer, now=T0)
    template = save_plan(db, source, "Training plan", actor=officer, now=T0)
    assert "755" not in str(template.results_structure)
    target = make_action(db, officer, beneficiary=peru, name="Mexico V", start=date(2027, 1, 1))
    apply_plan(db, template, target, date(2027, 2, 1), actor=officer, now=T0)
    db.commit()
    copied = framework_for_page(db, target.id)
    assert structure_of(copied) == template.results_structure
    assert [i.target_value for i in copied.indicators] == [None] and copied.indicators[0].measurements == []


def test_the_final_report_draft_states_each_indicator_with_its_latest_value(db, officer, peru):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.CLOSING)
    _result, indicator = _framework(db, action, officer)
    add_measurement(db, indicator, MeasurementDraft(755, date(2025, 1, 1), "Final list"), actor=officer, now=T0)
    lines = summary_lines(framework_for_page(db, action.id))
    assert "  · Officials trained: 755 (2025-01-01, Final list) / 755 officials" in lines


def test_every_change_is_in_the_action_s_history(db, officer, peru):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    _framework(db, action, officer)
    parts = {e.detail.get("part") for e in db.scalars(select(AuditEntry).where(AuditEntry.object_type == "action",
                                                                  AuditEntry.object_id == action.id))}
    assert {"expected_result", "indicator"} <= parts


def test_only_staff_write_the_framework(db, officer, peru, requester_pe):
    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    with pytest.raises(PermissionDenied):
        add_result(db, action, ResultLevel.OUTCOME, "Anything", actor=requester_pe, now=T0)
    expert = make_user(db, Role.EXPERT)
    with pytest.raises(PermissionDenied):
        save_framework(db, action, objective="x", requester_may_measure=True, actor=expert, now=T0)


def test_an_expert_s_export_lists_what_their_account_recorded_and_erasure_forgets_who(db, officer, peru):
    from workflow.privacy.services import erase_expert, export_expert_data

    from ..factories import make_expert

    action = make_action(db, officer, beneficiary=peru, status=ActionStatus.IMPLEMENTATION)
    _result, indicator = _framework(db, action, officer)
    staff_expert = make_expert(db, name="Former officer", user=officer)  # staff who joined the roster
    measured = add_measurement(db, indicator, MeasurementDraft(12, date(2025, 2, 1), "Lists"), actor=officer, now=T0)
    db.commit()
    data = export_expert_data(db, staff_expert, actor=officer, now=T0)
    assert [m["value"] for m in data["measurements_recorded"]] == [12]
    admin = make_user(db, Role.ADMIN)
    erase_expert(db, staff_expert, actor=admin, now=T0 + timedelta(days=1))
    db.commit()
    db.expire_all()
    assert measured.recorded_by_id is None and measured.value == 12  # the result stays, who recorded it goes
