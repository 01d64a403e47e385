"""Dispatching due reminders to a real SMTP server: once each, retried with back-off, never lost."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.activities.models import Activity
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.mail.mailer import OutboxMailer
from workflow.mail.outbox import MAX_ATTEMPTS, backoff
from workflow.notifications.models import Notification
from workflow.reminders.dispatch import dispatch_due_reminders, message_id
from workflow.reminders.models import EmailMessage, Reminder, ReminderState
from workflow.requests.lifecycle import RequestStatus

from ..factories import (
    make_action,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
START = date(2027, 3, 1)  # activity-coming reminders: 30 Jan, 15 Feb and 26 Feb 2027, 09:00 UTC
THIRTY_DAYS_BEFORE = datetime(2027, 1, 30, 9, tzinfo=UTC)
FOURTEEN_DAYS_BEFORE = datetime(2027, 2, 15, 9, tzinfo=UTC)


@dataclass
class Scene:
    officer: User
    expert_user: User
    activity: Activity
    deployment: Deployment


@pytest.fixture()
def app_ctx(app, db, clock):
    """An app context for the whole test: templates render, and the sync hook reads the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def scene(db, clock, app_ctx) -> Scene:
    """An activity on 1 March 2027 with its officer and one confirmed expert, both with accounts."""
    officer = make_user(db, Role.OFFICER)
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=START, title="Workshop on victim referral")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    db.commit()
    return Scene(officer, expert_user, activity, deployment)


def dispatch(db, now: datetime, mailer):
    return dispatch_due_reminders(db, now=now, mailer=mailer, base_url=BASE_URL)


def reminders(db, **where) -> list[Reminder]:
    """Reminder rows as the database holds them now (not as this session last saw them)."""
    db.expire_all()
    stmt = select(Reminder).order_by(Reminder.id)
    for column, value in where.items():
        stmt = stmt.where(getattr(Reminder, column) == value)
    return list(db.scalars(stmt))


def one(db, key: str) -> Reminder:
    found = reminders(db, key=key)
    assert len(found) == 1, key
    return found[0]


def coming_key(scene: Scene, days: int, user: User) -> str:
    return f"activity-coming:activity:{scene.activity.id}:{days}:user:{user.id}"


def test_due_reminders_arrive_once_each_with_their_message_id_both_bodies_a_link_and_a_calendar_file(
        db, clock, scene, smtp_server):
    clock.set(THIRTY_DAYS_BEFORE)
    coming = [one(db, coming_key(scene, 30, user)) for user in (scene.officer, scene.expert_user)]
    assert all(r.state is ReminderState.PENDING for r in coming)  # and the session keeps them in its identity map

    report = dispatch(db, clock.now, smtp_server.mailer())

    coming = [one(db, coming_key(scene, 30, user)) for user in (scene.officer, scene.expert_user)]
    assert all(r.state is ReminderState.SENT and r.sent_at == clock.now and r.attempts == 1 for r in coming)
    arrived = {m.message_id: m for m in smtp_server.messages}
    assert smtp_server.duplicates() == {}
    assert report.sent == len(smtp_server.messages)
    for reminder, user in zip(coming, (scene.officer, scene.expert_user), strict=True):
        mail = arrived[message_id(reminder, BASE_URL)]
        assert mail.to == user.email
        assert mail.envelope_to == (user.email,)
        assert "Workshop on victim referral" in mail.subject and "starts in 30 days" in mail.subject
        link = f"{BASE_URL}/activities/{scene.activity.id}"
        assert link in mail.text
        assert f'href="{link}"' in mail.html
        [ics] = mail.attachments
        assert (ics.filename, ics.content_type) == ("activity.ics", "text/calendar")
        [event] = Calendar.from_ical(ics.data).walk("VEVENT")
        assert event.decoded("dtstart") == START
        assert "Workshop on victim referral" in str(event.get("summary"))
        assert str(event.get("url")) == link
        stored = db.scalar(select(EmailMessage).where(EmailMessage.reminder_id == reminder.id))
        assert (stored.message_id, stored.transport, stored.to_address) == (mail.message_id, "smtp", user.email)
        notification = db.scalar(select(Notification).where(Notification.reminder_id == reminder.id))
        assert (notification.user_id, notification.title, notification.link) == (user.id, mail.subject, link)


def test_a_second_pass_sends_nothing_more_and_moving_the_clock_makes_the_next_reminders_due(
        db, clock, scene, smtp_server):
    clock.set(THIRTY_DAYS_BEFORE)
    first = dispatch(db, clock.now, smtp_server.mailer())
    received = len(smtp_server.messages)
    assert first.sent == received > 0

    again = dispatch(db, clock.now + timedelta(minutes=1), smtp_server.mailer())

    assert (again.sent, len(smtp_server.messages)) == (0, received)
    assert one(db, coming_key(scene, 14, scene.officer)).state is ReminderState.PENDING

    clock.set(FOURTEEN_DAYS_BEFORE)
    later = dispatch(db, clock.now, smtp_server.mailer())

    assert later.sent > 0
    for user in (scene.officer, scene.expert_user):
        reminder = one(db, coming_key(scene, 14, user))
        assert reminder.state is ReminderState.SENT
        assert smtp_server.by_message_id()[message_id(reminder, BASE_URL)] == 1
    assert one(db, coming_key(scene, 3, scene.officer)).state is ReminderState.PENDING
    assert smtp_server.duplicates() == {}


def test_an_unanswered_invitation_nudges_the_expert_then_expires_as_the_officer_is_told(
        db, clock, scene, smtp_server):
    expert = make_expert(db, name="Ana Souza", expert_type="partner_peer", country="AR",
                         user=make_user(db, Role.EXPERT))
    second = make_staffed_activity(db, scene.activity.action, scene.officer, start=START + timedelta(days=30))
    invited_at = clock.now
    deployment = propose(db, second.slots[0], expert, actor=scene.officer, now=invited_at)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=scene.officer, now=invited_at)
    db.commit()
    nudge = f"invite-nudge:deployment:{deployment.id}:3:user:{expert.user_id}"
    expiry = f"invite-expiry:deployment:{deployment.id}:user:{scene.officer.id}"

    dispatch(db, invited_at + timedelta(days=3), smtp_server.mailer())
    assert (one(db, nudge).state, one(db, expiry).state) == (ReminderState.SENT, ReminderState.PENDING)

    dispatch(db, invited_at + timedelta(days=7), smtp_server.mailer())

    told = one(db, expiry)
    assert told.state is ReminderState.SENT
    db.expire_all()
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.EXPIRED
    [mail] = [m for m in smtp_server.messages if m.message_id == message_id(told, BASE_URL)]
    assert mail.to == scene.officer.email and mail.subject.startswith("Invitation expired")
    assert [m.message_id for m in smtp_server.messages].count(message_id(one(db, nudge), BASE_URL)) == 1


REFUSALS = {
    "451 at DATA": lambda server: server.refuse("451 4.3.0 Mail server busy, try again later"),
    "554 at DATA": lambda server: server.refuse("554 5.6.0 Message refused"),
    "server down": lambda server: server.stop(),
}


@pytest.mark.parametrize("trouble", REFUSALS, ids=list(REFUSALS))
def test_a_mail_server_that_refuses_or_is_down_leaves_the_reminder_pending_with_back_off(
        db, clock, scene, smtp_server, trouble):
    clock.set(THIRTY_DAYS_BEFORE)
    REFUSALS[trouble](smtp_server)

    report = dispatch(db, clock.now, smtp_server.mailer())

    assert report.sent == 0 and report.retrying > 0
    for user in (scene.officer, scene.expert_user):
        reminder = one(db, coming_key(scene, 30, user))
        assert reminder.state is ReminderState.PENDING
        assert reminder.attempts == 1
        assert reminder.last_error
        assert reminder.next_attempt_at == clock.now + timedelta(minutes=1)
        assert reminder.claim_token is None
        assert db.scalar(select(EmailMessage).where(EmailMessage.reminder_id == reminder.id)) is None
    assert smtp_server.messages == []


def test_the_back_off_doubles_and_after_the_last_attempt_the_reminder_is_failed(db, clock, scene, smtp_server):
    assert [backoff(n) for n in (1, 2, 3, 4)] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    smtp_server.refuse("451 4.3.0 Try again later")
    key = coming_key(scene, 30, scene.expert_user)
    now = THIRTY_DAYS_BEFORE
    for attempt in range(1, MAX_ATTEMPTS):
        dispatch(db, now, smtp_server.mailer())
        reminder = one(db, key)
        assert (reminder.state, reminder.attempts) == (ReminderState.PENDING, attempt)
        assert reminder.next_attempt_at == now + backoff(attempt)
        dispatch(db, reminder.next_attempt_at - timedelta(seconds=1), smtp_server.mailer())  # not yet
        assert one(db, key).attempts == attempt
        now = reminder.next_attempt_at

    report = dispatch(db, now, smtp_server.mailer())

    reminder = one(db, key)
    assert (reminder.state, reminder.attempts) == (ReminderState.FAILED, MAX_ATTEMPTS)
    assert "451" in reminder.last_error
    assert report.failed >= 1
    smtp_server.accept()
    dispatch(db, now + timedelta(days=1), smtp_server.mailer())
    assert one(db, key).state is ReminderState.FAILED  # staff see it; it is not retried behind their back
    assert message_id(reminder, BASE_URL) not in smtp_server.by_message_id()


def test_when_the_server_comes_back_a_reminder_is_sent_exactly_once_after_its_back_off(
        db, clock, scene, smtp_server):
    key = coming_key(scene, 30, scene.expert_user)
    smtp_server.stop()
    dispatch(db, THIRTY_DAYS_BEFORE, smtp_server.mailer())
    retry_at = one(db, key).next_attempt_at

    smtp_server.start()
    dispatch(db, retry_at - timedelta(seconds=30), smtp_server.mailer())
    assert one(db, key).state is ReminderState.PENDING and smtp_server.messages == []

    dispatch(db, retry_at, smtp_server.mailer())
    dispatch(db, retry_at + timedelta(minutes=5), smtp_server.mailer())

    reminder = one(db, key)
    assert (reminder.state, reminder.attempts, reminder.sent_at) == (ReminderState.SENT, 2, retry_at)
    assert smtp_server.by_message_id()[message_id(reminder, BASE_URL)] == 1
    assert smtp_server.duplicates() == {}


def test_the_outbox_transport_records_the_message_instead_of_sending_it(db, clock, scene, smtp_server):
    report = dispatch(db, THIRTY_DAYS_BEFORE, OutboxMailer())

    reminder = one(db, coming_key(scene, 30, scene.officer))
    stored = db.scalar(select(EmailMessage).where(EmailMessage.reminder_id == reminder.id))
    assert reminder.state is ReminderState.SENT and report.sent >= 2
    assert (stored.transport, stored.message_id, stored.to_address) == (
        "outbox", message_id(reminder, BASE_URL), scene.officer.email)
    assert f"{BASE_URL}/activities/{scene.activity.id}" in stored.body_text
    assert smtp_server.messages == []


def test_reminders_due_while_the_scheduler_was_down_go_out_on_the_next_pass_only_the_latest_occurrence(
        db, clock, scene, smtp_server):
    requester = make_user(db, Role.REQUESTER, make_institution(db, "BO"))
    waiting = make_request(db, requester, RequestStatus.SUBMITTED)  # submitted on 5 January 2026
    dispatch(db, clock.now, smtp_server.mailer())  # the scheduler's last pass before it went down
    smtp_server.clear()

    clock.set(datetime(2027, 2, 27, 10, tzinfo=UTC))  # three months later, after all three activity reminders
    dispatch(db, clock.now, smtp_server.mailer())

    for user in (scene.officer, scene.expert_user):
        assert [one(db, coming_key(scene, d, user)).state for d in (30, 14, 3)] == [
            ReminderState.CANCELLED, ReminderState.CANCELLED, ReminderState.SENT]
    chasers = reminders(db, subject_type="request", subject_id=waiting.id, recipient_id=scene.officer.id)
    sent = [r for r in chasers if r.state is ReminderState.SENT and r.sent_at == clock.now]
    assert len(sent) == 1  # of the weekly chasers missed while down, only the latest
    assert clock.now - timedelta(days=7) < sent[0].due_at <= clock.now
    missed = [r for r in chasers if r.state is ReminderState.CANCELLED]
    assert missed and all(r.due_at < sent[0].due_at for r in missed)
    assert all(r.due_at > clock.now for r in chasers if r.state is ReminderState.PENDING)
    digests = reminders(db, subject_type="digest", subject_id=scene.officer.id, state=ReminderState.SENT)
    assert [d.key for d in digests][-1:] == [f"weekly-digest:user:{scene.officer.id}:2027-W08"]
    due_now = {message_id(r, BASE_URL) for r in reminders(db, state=ReminderState.SENT) if r.sent_at == clock.now}
    assert set(smtp_server.by_message_id()) == due_now
    assert smtp_server.duplicates() == {}


def test_the_dispatch_command_sends_due_reminders_to_the_configured_server(app, db, clock, scene, smtp_server,
                                                                            monkeypatch):
    monkeypatch.setitem(app.config, "SMTP_HOST", smtp_server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    monkeypatch.setitem(app.config, "PEERFLOW_BASE_URL", BASE_URL)
    requester = make_user(db, Role.REQUESTER, make_institution(db, "BO"))
    waiting = make_request(db, requester, RequestStatus.SUBMITTED)  # long overdue for review by the real clock
    request_id, officer_id = waiting.id, scene.officer.id

    result = app.test_cli_runner().invoke(args=["reminders", "dispatch"])

    assert result.exit_code == 0, result.output
    assert "sent" in result.output
    sent = reminders(db, subject_type="request", subject_id=request_id, recipient_id=officer_id,
                     state=ReminderState.SENT)
    assert len(sent) == 1
    mail = [m for m in smtp_server.messages if m.message_id == message_id(sent[0], BASE_URL)]
    assert len(mail) == 1
    assert mail[0].subject.startswith("Request waiting for review")
    assert f"{BASE_URL}/requests/{request_id}" in mail[0].text
