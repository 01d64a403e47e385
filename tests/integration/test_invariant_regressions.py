"""Shrunk examples of `test_invariants.py`, kept as plain tests once fixed (or as strict xfails until then)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.accounts.services import update_preferences
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.services import FinalReportDraft, apply_action_event, record_final_report
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.services import apply_activity_event
from workflow.core.errors import TransitionRefused
from workflow.reminders.models import Reminder, ReminderState
from workflow.reminders.sync import derive, offsets, recipient_roles, refresh_recurring

from ..factories import make_action, make_institution, make_staffed_activity, make_user

NOW = datetime(2027, 6, 14, 9, 0, tzinfo=UTC)


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test, so the sync hook reads the test clock."""
    clock.set(NOW)
    with app.app_context():
        yield


def pending(db, subject_type: str, subject_id: int) -> dict[str, datetime]:
    return {r.key: r.due_at.replace(tzinfo=UTC) if r.due_at.tzinfo is None else r.due_at.astimezone(UTC)
            for r in db.scalars(select(Reminder).where(Reminder.subject_type == subject_type,
                                                       Reminder.subject_id == subject_id,
                                                       Reminder.state == ReminderState.PENDING))}


def derived(db, subject_type: str, subject_id: int) -> dict[str, datetime]:
    return {d.key: d.due_at for d in derive(db, subject_type, subject_id, NOW, offsets(db), recipient_roles(db))}


def test_a_new_time_zone_moves_the_reminders_waiting_for_that_user(db, app_ctx):
    """Shrunk: setup; change_timezone(officer, "America/Lima"). The officer's weekly digests stayed due
    at 08:00 UTC, and their activity reminders at the old local hour, until something else changed."""
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=make_institution(db, "PE"),
                         start=date(2027, 1, 1))
    activity = make_staffed_activity(db, action, officer, start=date(2027, 7, 5))
    refresh_recurring(db, NOW)
    db.commit()
    assert pending(db, "digest", officer.id) and pending(db, "activity", activity.id)

    update_preferences(db, officer, name=officer.name, locale=None, timezone="America/Lima")
    db.commit()

    digests = pending(db, "digest", officer.id)
    assert digests == derived(db, "digest", officer.id)
    assert {moment.hour for moment in digests.values()} == {13}  # 08:00 in Lima is 13:00 UTC
    assert pending(db, "activity", activity.id) == derived(db, "activity", activity.id)


def test_a_name_change_re_derives_nothing(db, app_ctx, count_queries):
    """Only a new time zone re-derives a user's reminders: renaming oneself costs no reminder query."""
    officer = make_user(db, Role.OFFICER)
    update_preferences(db, officer, name="Renamed", locale=officer.locale, timezone=officer.timezone)
    with count_queries() as counted:
        db.commit()
    assert not any("reminders" in statement for statement in counted.statements), counted.statements


def test_an_action_closes_only_once_the_activities_planned_while_closing_are_finished(db, app_ctx):
    """Shrunk: setup; action_event(actions_0, next) -> closing (no activities yet); plan_activity(actions_0);
    then the final report and close: a closed Action kept a planned activity nobody could change any more."""
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer, status=ActionStatus.CLOSING, beneficiary=make_institution(db, "PE"),
                         start=date(2027, 1, 1))
    late = make_staffed_activity(db, action, officer, start=date(2027, 10, 10), title="Workshop on victim assistance")
    record_final_report(db, action, FinalReportDraft(results="Handbook published.", lessons_learned="Start early."),
                        actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="Workshop on victim assistance"):
        apply_action_event(db, action, ActionEvent.CLOSE, actor=officer, now=NOW)
    assert action.status is ActionStatus.CLOSING

    apply_activity_event(db, late, ActivityEvent.CANCEL, actor=officer, now=NOW, reason="No longer needed")
    apply_action_event(db, action, ActionEvent.CLOSE, actor=officer, now=NOW)
    assert action.status is ActionStatus.CLOSED
