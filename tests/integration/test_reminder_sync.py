"""Reminder rows follow the data: every commit re-derives the reminders of what it changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import FinalReportDraft, apply_action_event, record_final_report
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.models import Activity
from workflow.activities.services import apply_activity_event
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.reminders.models import Reminder, ReminderRule, ReminderState

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

START = date(2027, 3, 1)


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test, so the sync hook reads the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def officer(db, app_ctx) -> User:
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def expert_user(db, app_ctx) -> User:
    return make_user(db, Role.EXPERT)


@pytest.fixture()
def expert(db, expert_user):
    return make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)


def open_action(db, officer: User, status: ActionStatus = ActionStatus.ACCEPTED) -> Action:
    return make_action(db, officer, beneficiary=make_institution(db, "PE"), status=status)


def invite(db, clock, activity: Activity, expert, officer: User, slot: int = 0) -> Deployment:
    deployment = propose(db, activity.slots[slot], expert, actor=officer, now=clock.now)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=clock.now)
    db.commit()
    return deployment


def rows(db, subject_type: str, subject_id: int, rule: str | None = None) -> list[Reminder]:
    db.expire_all()
    stmt = select(Reminder).where(Reminder.subject_type == subject_type, Reminder.subject_id == subject_id)
    if rule:
        stmt = stmt.where(Reminder.rule == rule)
    return list(db.scalars(stmt.order_by(Reminder.key)))


def pending(db, subject_type: str, subject_id: int, rule: str | None = None) -> dict[str, datetime]:
    return {r.key: r.due_at for r in rows(db, subject_type, subject_id, rule) if r.state is ReminderState.PENDING}


def at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def test_postponing_an_activity_by_two_weeks_moves_its_coming_reminders(db, clock, officer, expert, expert_user):
    activity = make_staffed_activity(db, open_action(db, officer), officer, start=START)
    deployment = invite(db, clock, activity, expert, officer)
    for event, actor in ((DeploymentEvent.ACCEPT, expert_user), (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    db.commit()
    before = pending(db, "activity", activity.id, "activity_coming")
    assert len(before) == 6  # 30, 14 and 3 days before, for the officer and the confirmed expert
    ids = {r.key: r.id for r in rows(db, "activity", activity.id, "activity_coming")}

    apply_activity_event(db, activity, ActivityEvent.POSTPONE, actor=officer, now=clock.now, reason="Elections",
                         new_dates=(START + timedelta(days=14), activity.end_date + timedelta(days=14)))
    db.commit()

    after = pending(db, "activity", activity.id, "activity_coming")
    assert after == {key: due + timedelta(days=14) for key, due in before.items()}
    assert {r.key: r.id for r in rows(db, "activity", activity.id, "activity_coming")} == ids  # moved, not replaced


def test_cancelling_an_activity_cancels_its_reminders(db, clock, officer, expert):
    activity = make_staffed_activity(db, open_action(db, officer), officer, start=START, places=2)
    invite(db, clock, activity, expert, officer)
    assert {r.rule for r in rows(db, "activity", activity.id)} == {"activity_coming", "slots_open"}

    apply_activity_event(db, activity, ActivityEvent.CANCEL, actor=officer, now=clock.now, reason="No venue")
    db.commit()

    assert pending(db, "activity", activity.id) == {}
    assert {r.state for r in rows(db, "activity", activity.id)} == {ReminderState.CANCELLED}


def test_declining_an_invitation_stops_its_nudge_and_expiry(db, clock, officer, expert, expert_user):
    activity = make_staffed_activity(db, open_action(db, officer), officer, start=START)
    deployment = invite(db, clock, activity, expert, officer)
    assert pending(db, "deployment", deployment.id) == {
        f"invite-nudge:deployment:{deployment.id}:3:user:{expert_user.id}": clock.now + timedelta(days=3),
        f"invite-expiry:deployment:{deployment.id}:user:{officer.id}": clock.now + timedelta(days=7),
    }

    apply_deployment_event(db, deployment, DeploymentEvent.DECLINE, actor=expert_user, now=clock.now,
                           reason="On leave that month")
    db.commit()

    assert pending(db, "deployment", deployment.id) == {}
    assert [r.state for r in rows(db, "deployment", deployment.id)] == [ReminderState.CANCELLED] * 2


def test_a_cancelled_action_drops_its_own_reminders_and_those_of_its_activities_and_invitations(
        db, clock, officer, expert):
    action = open_action(db, officer, ActionStatus.IMPLEMENTATION)
    activity = make_staffed_activity(db, action, officer, start=START, places=2)
    deployment = invite(db, clock, activity, expert, officer)
    assert sorted(pending(db, "action", action.id)) == [
        f"action-ending:action:{action.id}:{action.planned_end.isoformat()}:user:{officer.id}",
        f"final-report-due:action:{action.id}:end:{action.planned_end.isoformat()}:user:{officer.id}"]
    assert pending(db, "activity", activity.id) and pending(db, "deployment", deployment.id)

    apply_action_event(db, action, ActionEvent.CANCEL, actor=officer, now=clock.now, reason="Elections")
    db.commit()

    for subject in (("action", action.id), ("activity", activity.id)):
        assert pending(db, *subject) == {}, subject
    # The invitation's nudge and expiry go too (cancelling the Action cancels its activities, and so their
    # deployments); the expert is told by a notification, not a reminder.
    assert pending(db, "deployment", deployment.id) == {}


def test_a_closed_action_drops_its_closing_stalled_reminder(db, clock, officer):
    action = open_action(db, officer, ActionStatus.CLOSING)
    [stalled] = rows(db, "action", action.id, "closing_stalled")
    assert stalled.state is ReminderState.PENDING

    record_final_report(db, action, FinalReportDraft(results="Handbook.", lessons_learned="Start early."),
                        actor=officer, now=clock.now)
    apply_action_event(db, action, ActionEvent.CLOSE, actor=officer, now=clock.now)
    db.commit()

    assert pending(db, "action", action.id) == {}
    assert rows(db, "action", action.id, "closing_stalled")[0].state is ReminderState.CANCELLED


def test_filling_the_last_open_place_drops_the_slots_open_reminder(db, clock, officer, expert):
    activity = make_staffed_activity(db, open_action(db, officer), officer, start=START, places=2)
    slots_open = f"slots-open:activity:{activity.id}:21:user:{officer.id}"
    assert pending(db, "activity", activity.id, "slots_open") == {slots_open: at_nine(START - timedelta(days=21))}

    invite(db, clock, activity, expert, officer)
    assert slots_open in pending(db, "activity", activity.id, "slots_open")  # one place of two is still open

    second = make_expert(db, name="Ana Souza", expert_type="partner_peer", country="AR")
    propose(db, activity.slots[0], second, actor=officer, now=clock.now)
    db.commit()

    assert pending(db, "activity", activity.id, "slots_open") == {}
    assert pending(db, "activity", activity.id, "activity_coming")  # the activity itself is still announced


def test_an_admin_changing_a_rules_offsets_changes_the_due_times_after_reminders_sync(
        app, db, clock, officer, expert):
    start = date(2031, 3, 3)  # the command derives at the real time: keep every reminder in its future
    activity = make_staffed_activity(db, open_action(db, officer), officer, start=start)
    deployment = invite(db, clock, activity, expert, officer)
    expiry = f"invite-expiry:deployment:{deployment.id}:user:{officer.id}"
    before = pending(db, "activity", activity.id, "activity_coming")
    assert before == {f"activity-coming:activity:{activity.id}:{d}:user:{officer.id}": at_nine(start - timedelta(days=d))
                      for d in (30, 14, 3)}
    db.add_all([ReminderRule(code="activity_coming", offsets=[20, 7], updated_at=clock.now),
                ReminderRule(code="invite_expiry", offsets=[10], updated_at=clock.now),
                ReminderRule(code="slots_open", offsets=[21], enabled=False, updated_at=clock.now)])
    db.commit()
    assert pending(db, "activity", activity.id, "activity_coming") == before  # saved rules move nothing by themselves

    result = app.test_cli_runner().invoke(args=["reminders", "sync"])

    assert result.exit_code == 0, result.output
    assert pending(db, "activity", activity.id, "activity_coming") == {
        f"activity-coming:activity:{activity.id}:{d}:user:{officer.id}": at_nine(start - timedelta(days=d))
        for d in (20, 7)}
    assert pending(db, "deployment", deployment.id, "invite_expiry") == {expiry: clock.now + timedelta(days=10)}
    assert pending(db, "activity", activity.id, "slots_open") == {}  # a disabled rule has no reminders
    old = [r for r in rows(db, "activity", activity.id, "activity_coming") if r.key in before]
    assert {r.state for r in old} == {ReminderState.CANCELLED}
