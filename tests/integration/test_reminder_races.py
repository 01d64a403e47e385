"""Dispatchers racing and dying: every due reminder reaches the mail server, and only once.

These commit for real, each dispatcher with its own session (as two scheduler processes would),
so they do not use the rolled-back `db` session; their rows are removed afterwards.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from workflow.accounts.models import Role, User
from workflow.database import AppSession
from workflow.mail.mailer import Outgoing
from workflow.mail.outbox import BATCH, STALE_CLAIM, OutboxReport
from workflow.notifications.models import Notification, NotificationEmail
from workflow.reference.models import Institution
from workflow.reminders.dispatch import dispatch_due_reminders
from workflow.reminders.models import EmailMessage, Reminder, ReminderState
from workflow.requests.lifecycle import RequestEvent
from workflow.requests.models import Request, RequestTransition
from workflow.requests.services import RequestDraft, apply_request_event, create_request

from ..factories import make_institution, make_user, theme

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
SUBMITTED = datetime(2026, 1, 5, 9, tzinfo=UTC)  # chasers every Thursday 09:00 UTC from 15 January
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)      # a Wednesday: no chaser falls due in the next hour
REQUESTS = 300


@dataclass
class Portfolio:
    officer_id: int
    due: int  # reminders due at NOW


@pytest.fixture()
def sessions(app, engine):
    """Sessions of the app's own class (the reminder hooks run), each as a separate process would open it."""
    return sessionmaker(bind=engine, class_=AppSession)


@pytest.fixture()
def portfolio(app, engine, sessions):
    """300 requests waiting for review since January, one officer: 300 chasers and a weekly digest due at NOW."""
    users: list[int] = []
    institutions: list[int] = []
    with app.app_context(), sessions() as session:
        session.info["now"] = NOW
        try:
            institution = make_institution(session, "BO")
            institutions.append(institution.id)
            requester = make_user(session, Role.REQUESTER, institution)
            officer = make_user(session, Role.OFFICER)
            users += [requester.id, officer.id]
            area = theme(session).id
            for n in range(REQUESTS):
                request = create_request(session, RequestDraft(title=f"Peer support {n}", description="Peers, please.",
                                                               thematic_area_id=area), actor=requester, now=SUBMITTED)
                apply_request_event(session, request, RequestEvent.SUBMIT, actor=requester, now=SUBMITTED)
            session.commit()  # the hook derives one due chaser per request for the officer
            yield Portfolio(officer.id, REQUESTS + 1)
        finally:
            cleanup(engine, users, institutions)


def cleanup(engine, users: list[int], institutions: list[int]) -> None:
    with Session(engine) as session:
        requests = select(Request.id).where(Request.author_id.in_(users))
        reminders = select(Reminder.id).where(Reminder.recipient_id.in_(users))
        session.execute(delete(Notification).where(Notification.user_id.in_(users)))
        session.execute(delete(NotificationEmail).where(NotificationEmail.user_id.in_(users)))
        session.execute(delete(EmailMessage).where(EmailMessage.reminder_id.in_(reminders)))
        session.execute(delete(Reminder).where(Reminder.recipient_id.in_(users)))
        session.execute(delete(RequestTransition).where(RequestTransition.request_id.in_(requests)))
        session.execute(delete(Request).where(Request.author_id.in_(users)))
        session.execute(delete(User).where(User.id.in_(users)))
        session.execute(delete(Institution).where(Institution.id.in_(institutions)))
        session.commit()


def officer_reminders(engine, officer_id: int) -> list[Reminder]:
    with Session(engine) as session:
        return list(session.scalars(select(Reminder).where(Reminder.recipient_id == officer_id)))


def recorded_message_ids(engine, officer_id: int) -> set[str]:
    with Session(engine) as session:
        return set(session.scalars(select(EmailMessage.message_id).join(Reminder).where(
            Reminder.recipient_id == officer_id)))


def assert_every_due_reminder_sent(engine, portfolio: Portfolio) -> None:
    due = [r for r in officer_reminders(engine, portfolio.officer_id) if r.due_at <= NOW]
    states = {r.state for r in due if r.state is not ReminderState.CANCELLED}
    assert states == {ReminderState.SENT}
    assert sum(r.state is ReminderState.SENT for r in due) == portfolio.due


def test_two_dispatchers_started_together_deliver_every_reminder_exactly_once(
        app, engine, sessions, portfolio, smtp_server):
    start = threading.Barrier(2)
    reports: dict[str, OutboxReport] = {}
    errors: dict[str, BaseException] = {}

    def dispatcher(name: str) -> None:
        with app.app_context(), sessions() as session:
            start.wait(10)
            try:
                reports[name] = dispatch_due_reminders(session, now=NOW, mailer=smtp_server.mailer(),
                                                       base_url=BASE_URL)
            except BaseException as error:  # noqa: BLE001 - reported by the assertion below
                errors[name] = error

    threads = [threading.Thread(target=dispatcher, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == {}
    assert sum(report.sent for report in reports.values()) == portfolio.due
    received = smtp_server.by_message_id()
    assert smtp_server.duplicates() == {}
    assert len(received) == portfolio.due
    assert set(received) == recorded_message_ids(engine, portfolio.officer_id)
    assert_every_due_reminder_sent(engine, portfolio)


class Killed(BaseException):
    """The dispatcher's process dies (kill -9, OOM): nothing after this point runs."""


class DiesAfter:
    """A mailer whose process dies right after the server accepted message number `survive + 1`."""

    transport = "smtp"

    def __init__(self, inner, survive: int) -> None:
        self.inner, self.survive, self.handed_over = inner, survive, 0
        self.in_flight: str | None = None

    def send(self, message: Outgoing) -> None:
        self.inner.send(message)
        self.handed_over += 1
        if self.handed_over > self.survive:
            self.in_flight = message.message_id
            raise Killed

    def close(self) -> None:
        self.inner.close()


def test_a_dispatcher_killed_mid_pass_loses_nothing_and_only_the_message_in_flight_is_sent_again(
        app, engine, sessions, portfolio, smtp_server):
    dying = DiesAfter(smtp_server.mailer(), survive=40)
    with app.app_context():
        session = sessions()
        with pytest.raises(Killed):
            dispatch_due_reminders(session, now=NOW, mailer=dying, base_url=BASE_URL)
        session.close()  # the process is gone: its connection and open transaction with it

        recorded_before = recorded_message_ids(engine, portfolio.officer_id)
        assert len(recorded_before) == 40 and dying.in_flight not in recorded_before
        with Session(engine) as check:
            held = check.scalar(select(func.count()).select_from(Reminder).where(
                Reminder.recipient_id == portfolio.officer_id, Reminder.state == ReminderState.SENDING))
        assert held == BATCH - 40  # the dead dispatcher's claims: the one in flight and those not yet tried

        # Restarted at once: the claims of the dead dispatcher are respected until they go stale.
        with sessions() as session:
            soon = dispatch_due_reminders(session, now=NOW + timedelta(minutes=1), mailer=smtp_server.mailer(),
                                          base_url=BASE_URL)
        assert soon.sent == portfolio.due - BATCH
        assert smtp_server.by_message_id()[dying.in_flight] == 1

        # After the stale-claim timeout the next pass takes them over.
        with sessions() as session:
            later = dispatch_due_reminders(session, now=NOW + STALE_CLAIM + timedelta(minutes=1),
                                           mailer=smtp_server.mailer(), base_url=BASE_URL)
        assert later.sent == BATCH - 40

    assert_every_due_reminder_sent(engine, portfolio)
    received = smtp_server.by_message_id()
    assert set(received) == recorded_message_ids(engine, portfolio.officer_id)
    assert smtp_server.duplicates() == {dying.in_flight: 2}  # the one resend is the same message, recognisable
    assert all(received[message_id] == 1 for message_id in recorded_before)
