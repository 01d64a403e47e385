"""A mission's open checklist is reminded of before departure (moving with the dates, gone once ticked), and its
letter of assignment, once accepted, asks again when what it says changes: a notice and a to-do until accepted."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.services import postpone_activity
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.finance.rates import add_allowance_rate, add_fee_rate
from workflow.missions import letters
from workflow.missions.models import AssignmentLetter
from workflow.missions.services import LogisticsDraft, add_checklist_item, save_logistics, set_item_done
from workflow.notifications.models import Notification
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.reminders.models import Reminder, ReminderState
from workflow.reminders.services import RuleSettings, save_rule_settings
from workflow.todos.services import todos_for

from ..factories import make_action, make_expert, make_staffed_activity, make_user

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
START = date(2027, 3, 1)


@pytest.fixture()
def app_ctx(app, db, clock):
    """As in the scheduler process and the pages: templates render, the hooks read the test clock."""
    with app.test_request_context():
        yield


@pytest.fixture()
def mission(db, clock, app_ctx):
    """A confirmed deployment of an academic on a workshop in Lima from 1 March 2027, under rates that price it;
    the expert's account is in Madrid's time zone."""
    officer, admin = make_user(db, Role.OFFICER), make_user(db, Role.ADMIN)
    add_allowance_rate(db, country_code="PE", daily_eur="180", effective_from=date(2026, 1, 1), actor=admin,
                       now=clock.now)
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2026, 1, 1), actor=admin,
                 now=clock.now)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    activity = make_staffed_activity(db, action, officer, start=START, title="Taller de trata")
    user = make_user(db, Role.EXPERT)
    user.timezone = "Europe/Madrid"
    expert = make_expert(db, name="Camille Durand", expert_type="academic", country="FR", user=user)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    db.commit()
    return deployment, officer, user, admin


def checklist_reminders(db, deployment) -> list[Reminder]:
    db.expire_all()
    return list(db.scalars(select(Reminder).where(Reminder.rule == "mission_checklist",
                                                  Reminder.subject_id == deployment.id).order_by(Reminder.id)))


def with_open_item(db, clock, deployment, officer) -> None:
    add_checklist_item(db, deployment, "Send the passport copy", actor=officer, now=clock.now)
    db.commit()


def states(db, deployment) -> list[ReminderState]:
    return [r.state for r in checklist_reminders(db, deployment)]


def local_nine(day: date) -> datetime:
    """09:00 in Madrid, in UTC."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=ZoneInfo("Europe/Madrid")).astimezone(UTC)


# --- The checklist before departure ----------------------------------------------------------------------------


def test_an_open_item_is_reminded_seven_days_before_the_start_and_moves_with_the_travel_and_the_dates(
        db, clock, mission):
    deployment, officer, user, _admin = mission
    with_open_item(db, clock, deployment, officer)
    [row] = checklist_reminders(db, deployment)
    assert (row.recipient_id, row.state, row.subject_type) == (user.id, ReminderState.PENDING, "mission")
    assert row.due_at == local_nine(START - timedelta(days=7))
    save_logistics(db, deployment, LogisticsDraft(outbound_date=date(2027, 2, 27)), actor=officer, now=clock.now)
    db.commit()
    [row] = checklist_reminders(db, deployment)
    assert row.due_at == local_nine(date(2027, 2, 20))  # 7 days before the outbound journey
    save_logistics(db, deployment, LogisticsDraft(), actor=officer, now=clock.now)  # no travel: the start again
    postpone_activity(db, deployment.activity, start_date=date(2027, 4, 5), end_date=date(2027, 4, 7),
                      reason="The venue is closed", actor=officer, now=clock.now)
    db.commit()
    [row] = checklist_reminders(db, deployment)
    assert (row.due_at, row.state) == (local_nine(date(2027, 3, 29)), ReminderState.PENDING)


def test_ticking_every_item_cancels_the_reminder_and_an_untick_brings_it_back(db, clock, mission):
    deployment, officer, user, _admin = mission
    first = add_checklist_item(db, deployment, "Send the passport copy", actor=officer, now=clock.now)
    second = add_checklist_item(db, deployment, "Confirm the hotel", actor=user, now=clock.now)
    db.commit()
    for item, done, actor, expected in ((first, True, user, ReminderState.PENDING),
                                        (second, True, user, ReminderState.CANCELLED),
                                        (second, False, officer, ReminderState.PENDING)):
        set_item_done(db, item, deployment, done, actor=actor, now=clock.now)
        db.commit()
        assert states(db, deployment) == [expected]


def test_a_cancelled_mission_drops_its_reminder(db, clock, mission):
    deployment, officer, _user, _admin = mission
    with_open_item(db, clock, deployment, officer)
    apply_deployment_event(db, deployment, DeploymentEvent.CANCEL, actor=officer, now=clock.now,
                           reason="The expert fell ill")
    db.commit()
    assert states(db, deployment) == [ReminderState.CANCELLED]


def test_the_admin_sends_it_to_the_officer_too_with_their_own_offsets(db, clock, mission):
    deployment, officer, user, admin = mission
    with_open_item(db, clock, deployment, officer)
    save_rule_settings(db, {"mission_checklist": RuleSettings([10, 2], True, ["expert", "officer"])}, actor=admin,
                       now=clock.now)
    db.commit()
    wanted = {(r.recipient_id, r.key.split(":")[3]) for r in checklist_reminders(db, deployment)
              if r.state is ReminderState.PENDING}
    assert wanted == {(user.id, "10"), (user.id, "2"), (officer.id, "10"), (officer.id, "2")}


def test_the_reminder_arrives_at_the_smtp_server_listing_the_open_items_only(db, clock, mission, smtp_server):
    deployment, officer, user, _admin = mission
    done = add_checklist_item(db, deployment, "Book the airport transfer", actor=officer, now=clock.now)
    add_checklist_item(db, deployment, "Send the passport copy", actor=officer, now=clock.now)
    add_checklist_item(db, deployment, "Sign the insurance form", actor=officer, now=clock.now)
    set_item_done(db, done, deployment, True, actor=user, now=clock.now)
    db.commit()
    report = dispatch_due_reminders(db, now=local_nine(date(2027, 2, 22)) + timedelta(minutes=1),
                                    mailer=smtp_server.mailer(), base_url=BASE_URL)
    mails = [m for m in smtp_server.messages if "things still to do" in m.subject]
    assert report.failed == 0 and len(mails) == 1
    mail = mails[0]
    assert mail.to == user.email and "Taller de trata" in mail.subject and "2 things" in mail.subject
    assert "Send the passport copy" in mail.text and "Sign the insurance form" in mail.text
    assert "Book the airport transfer" not in mail.text
    assert f"{BASE_URL}/deployments/{deployment.id}/mission#checklist" in mail.text
    assert states(db, deployment) == [ReminderState.SENT]


# --- A changed letter asks again ------------------------------------------------------------------------------


def accept(db, clock, deployment, user):
    letter = letters.assignment_letter(db, deployment)
    letters.accept_letter(db, deployment, letter.version, actor=user, now=clock.now)
    db.commit()
    return letter


def kinds(db, user) -> list[str]:
    return [n.kind for n in db.scalars(select(Notification).where(Notification.user_id == user.id))]


def test_accepting_stores_the_current_version_and_nothing_is_asked(db, clock, mission):
    deployment, _officer, user, _admin = mission
    letter = accept(db, clock, deployment, user)
    stored = db.scalars(select(AssignmentLetter)).one()
    assert (stored.deployment_id, stored.version) == (deployment.id, letter.version)
    titles = [t.kind for t in todos_for(db, user, clock.now)]
    assert "letter" not in titles and "letter_changed" not in titles


def test_postponing_the_activity_changes_the_letter_the_expert_is_told_and_asked_until_they_accept(
        db, clock, mission):
    deployment, officer, user, _admin = mission
    old = accept(db, clock, deployment, user)
    postpone_activity(db, deployment.activity, start_date=date(2027, 4, 5), end_date=date(2027, 4, 7),
                      reason="The venue is closed", actor=officer, now=clock.now)
    db.commit()
    db.expire_all()
    stored = db.scalars(select(AssignmentLetter)).one()
    assert stored.version != old.version and stored.version == letters.assignment_letter(db, deployment).version
    assert kinds(db, user).count("letter_changed") == 1
    [todo] = [t for t in todos_for(db, user, clock.now) if t.kind == "letter_changed"]
    assert "Taller de trata" in todo.title and todo.link.endswith(f"/deployments/{deployment.id}/mission#letters")
    accept(db, clock, deployment, user)
    assert not [t for t in todos_for(db, user, clock.now) if t.kind == "letter_changed"]


def test_a_new_fee_rate_changes_the_letter_once_and_moving_back_asks_nothing(db, clock, mission):
    deployment, officer, user, admin = mission
    accept(db, clock, deployment, user)
    add_fee_rate(db, expert_type="academic", daily_eur="500", effective_from=date(2027, 1, 1), actor=admin,
                 now=clock.now)
    db.commit()
    assert kinds(db, user).count("letter_changed") == 1
    assert [t.kind for t in todos_for(db, user, clock.now)].count("letter_changed") == 1
    db.commit()  # a commit that changes nothing a letter shows tells nobody again
    assert kinds(db, user).count("letter_changed") == 1
    add_fee_rate(db, expert_type="academic", daily_eur="450", effective_from=date(2027, 2, 1), actor=admin,
                 now=clock.now)
    db.commit()  # back to the fee accepted: the letter is the one accepted again
    assert kinds(db, user).count("letter_changed") == 1
    assert "letter_changed" not in [t.kind for t in todos_for(db, user, clock.now)]


def test_a_change_that_leaves_the_letter_as_it_was_tells_nobody(db, clock, mission):
    deployment, officer, user, _admin = mission
    accept(db, clock, deployment, user)
    save_logistics(db, deployment, LogisticsDraft(accommodation="Hotel Miraflores"), actor=officer, now=clock.now)
    deployment.activity.description = "More about the workshop"  # not on the letter
    db.commit()
    assert "letter_changed" not in kinds(db, user)
