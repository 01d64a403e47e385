"""The outbox on its own, for any kind of e-mail: claim, send, record, retry with back-off, hold, mark failed.

The kind here is a table of letters made for these tests (no domain behind it), created on the test
database for this module and dropped after it. Each pass commits for real in a session of its own, as
the scheduler's would; two passes race in threads, and one dies in the middle of a batch.
"""

from __future__ import annotations

import enum
import smtplib
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import pytest
from sqlalchemy import Enum as SAEnum
from sqlalchemy import MetaData, String, delete, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker

from workflow.database import UTCDateTime
from workflow.mail.mailer import Outgoing, make_message_id
from workflow.mail.outbox import (
    MAX_ATTEMPTS,
    STALE_CLAIM,
    Outbox,
    OutboxReport,
    backoff,
    claim,
    deliver,
    hold,
    release_stale_claims,
    run_pass,
)

BASE_URL = "https://peerflow.example.org"
NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData()
    type_annotation_map = {
        datetime: UTCDateTime(),
        enum.Enum: SAEnum(enum.Enum, native_enum=False, length=40, values_callable=lambda e: [m.value for m in e]),
    }


class LetterState(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Letter(Base):
    """One message to one person, with the outbox's columns and what this kind keeps once it is sent."""

    __tablename__ = "test_outbox_letters"

    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime]
    wanted: Mapped[bool] = mapped_column(default=True)  # False: the data no longer asks for it
    broken: Mapped[bool] = mapped_column(default=False)  # its message cannot be written
    written: Mapped[int] = mapped_column(default=0)  # how often `compose` wrote to the row
    state: Mapped[LetterState] = mapped_column(default=LetterState.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(String(2000))
    next_attempt_at: Mapped[datetime | None]
    claim_token: Mapped[str | None] = mapped_column(String(40))
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    message_id: Mapped[str | None] = mapped_column(String(200))
    transport: Mapped[str | None] = mapped_column(String(10))


class LetterOutbox(Outbox[Letter]):
    model = Letter
    states = LetterState

    def __init__(self, *, writes: bool = False) -> None:
        self.compose_writes = writes

    def due(self, now: datetime) -> tuple:
        return (Letter.due_at <= now,)

    def order(self) -> tuple:
        return (Letter.due_at, Letter.id)

    def compose(self, session: Session, row: Letter, now: datetime) -> Outgoing | None:
        if row.broken:
            raise LookupError("template letter.txt not found")
        if not row.wanted:
            return None
        if self.compose_writes:
            row.written += 1
        return Outgoing(make_message_id(f"letter-{row.id}", BASE_URL), row.to, f"Letter {row.id}", "Hello",
                        "<p>Hello</p>")

    def record(self, session: Session, row: Letter, outgoing: Outgoing, *, transport: str, now: datetime) -> None:
        row.message_id, row.transport = outgoing.message_id, transport


class Killed(BaseException):
    """The pass's process dies (kill -9, OOM): nothing after this point runs."""


class FakeMailer:
    """A mail server's side of things: what it accepted (shared by several mailers), or a refusal."""

    transport = "smtp"

    def __init__(self, accepted: Counter[str] | None = None, *, refuse: bool = False, die_after: int | None = None,
                 on_send=None) -> None:
        self.accepted = Counter() if accepted is None else accepted
        self.refusing, self.die_after, self.on_send = refuse, die_after, on_send
        self.handed_over, self.closed = 0, 0
        self.in_flight: str | None = None
        self._lock = threading.Lock()

    def send(self, message: Outgoing) -> None:
        if self.refusing:
            raise smtplib.SMTPDataError(451, b"4.3.0 Mail server busy, try again later")
        if self.on_send:
            self.on_send(message)
        time.sleep(0.001)  # long enough for a second pass to run in between
        with self._lock:
            self.accepted[message.message_id] += 1
        self.handed_over += 1
        if self.die_after is not None and self.handed_over > self.die_after:
            self.in_flight = message.message_id
            raise Killed

    def close(self) -> None:
        self.closed += 1


@pytest.fixture(scope="module")
def letters_table(engine):
    Base.metadata.create_all(engine)
    yield
    Base.metadata.drop_all(engine)


@pytest.fixture()
def sessions(engine, letters_table):
    """Sessions as separate processes would open them; the letters are removed after each test."""
    yield sessionmaker(bind=engine, expire_on_commit=False)
    with Session(engine) as session:
        session.execute(delete(Letter))
        session.commit()


def add_letters(engine, count: int, *, due_at: datetime = NOW, **columns) -> list[int]:
    with Session(engine) as session:
        rows = [Letter(to=f"person{n}@test.peerflow.org", due_at=due_at, **columns) for n in range(count)]
        session.add_all(rows)
        session.commit()
        return [row.id for row in rows]


def letters(engine) -> dict[int, Letter]:
    """The letters as the database holds them now."""
    with Session(engine) as session:
        return {row.id: row for row in session.scalars(select(Letter))}


def a_pass(sessions, mailer, *, now: datetime = NOW, kind: Outbox | None = None, **options) -> OutboxReport:
    with sessions() as session:
        return run_pass(session, kind or LetterOutbox(), now=now, mailer=mailer, **options)


def test_a_pass_sends_each_due_message_once_records_it_and_leaves_the_others(engine, sessions):
    due = add_letters(engine, 3)
    later = add_letters(engine, 2, due_at=NOW + timedelta(hours=1))
    mailer = FakeMailer()

    report = a_pass(sessions, mailer)
    again = a_pass(sessions, FakeMailer(mailer.accepted), now=NOW + timedelta(minutes=1))

    assert (report.sent, report.retrying, report.failed, report.cancelled, again.sent) == (3, 0, 0, 0, 0)
    rows = letters(engine)
    for letter_id in due:
        row = rows[letter_id]
        assert (row.state, row.attempts, row.sent_at, row.claim_token) == (LetterState.SENT, 1, NOW, None)
        assert (row.message_id, row.transport) == (f"<letter-{letter_id}@peerflow.example.org>", "smtp")
    assert {rows[i].state for i in later} == {LetterState.PENDING}
    assert mailer.accepted == Counter({rows[i].message_id: 1 for i in due})
    assert mailer.closed == 1


def test_a_message_the_data_no_longer_asks_for_is_cancelled_unsent(engine, sessions):
    [letter_id] = add_letters(engine, 1, wanted=False)
    mailer = FakeMailer()

    report = a_pass(sessions, mailer)

    assert (report.cancelled, report.sent) == (1, 0) and mailer.accepted == Counter()
    row = letters(engine)[letter_id]
    assert (row.state, row.attempts, row.claim_token) == (LetterState.CANCELLED, 0, None)


def test_the_back_off_doubles_up_to_an_hour():
    assert [backoff(n) for n in (1, 2, 3, 4, 7, 12)] == [timedelta(minutes=m) for m in (1, 2, 4, 8, 60, 60)]


def test_a_refused_message_waits_for_its_back_off_then_goes_exactly_once(engine, sessions):
    [letter_id] = add_letters(engine, 1)
    accepted: Counter[str] = Counter()

    refused = a_pass(sessions, FakeMailer(accepted, refuse=True))

    row = letters(engine)[letter_id]
    assert (refused.retrying, refused.sent) == (1, 0)
    assert (row.state, row.attempts, row.claim_token) == (LetterState.PENDING, 1, None)
    assert row.next_attempt_at == NOW + backoff(1) and "SMTPDataError" in row.last_error
    assert refused.errors == [row.last_error]

    too_soon = a_pass(sessions, FakeMailer(accepted), now=row.next_attempt_at - timedelta(seconds=1))
    on_time = a_pass(sessions, FakeMailer(accepted), now=row.next_attempt_at)

    row = letters(engine)[letter_id]
    assert (too_soon.sent, on_time.sent) == (0, 1)
    assert (row.state, row.attempts, row.sent_at) == (LetterState.SENT, 2, NOW + backoff(1))
    assert accepted == Counter({row.message_id: 1})


def test_after_the_last_attempt_the_message_is_failed_and_not_retried_behind_staffs_back(engine, sessions):
    [letter_id] = add_letters(engine, 1)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS):
        a_pass(sessions, FakeMailer(refuse=True), now=now)
        row = letters(engine)[letter_id]
        assert (row.state, row.attempts, row.next_attempt_at) == (LetterState.PENDING, attempt, now + backoff(attempt))
        now = row.next_attempt_at

    last = a_pass(sessions, FakeMailer(refuse=True), now=now)
    afterwards = FakeMailer()
    a_pass(sessions, afterwards, now=now + timedelta(days=1))

    row = letters(engine)[letter_id]
    assert (last.failed, last.retrying) == (1, 0)
    assert (row.state, row.attempts, row.claim_token) == (LetterState.FAILED, MAX_ATTEMPTS, None)
    assert "451" in row.last_error and afterwards.accepted == Counter()


def test_a_message_that_cannot_be_written_is_retried_like_a_refused_one(engine, sessions):
    [letter_id] = add_letters(engine, 1, broken=True)
    mailer = FakeMailer()

    report = a_pass(sessions, mailer)

    row = letters(engine)[letter_id]
    assert (report.retrying, mailer.accepted) == (1, Counter())
    assert (row.state, row.attempts, row.next_attempt_at) == (LetterState.PENDING, 1, NOW + backoff(1))
    assert row.last_error == "LookupError: template letter.txt not found"


def test_a_claim_takes_the_earliest_due_messages_and_no_other_pass_takes_them(engine, sessions):
    first = add_letters(engine, 2, due_at=NOW - timedelta(hours=2))
    second = add_letters(engine, 3, due_at=NOW - timedelta(hours=1))
    add_letters(engine, 2, due_at=NOW + timedelta(minutes=1))
    kind = LetterOutbox()

    with sessions() as a, sessions() as b:
        taken_by_a = claim(a, kind, now=NOW, token="a", limit=3)
        taken_by_b = claim(b, kind, now=NOW, token="b", limit=10)

    assert taken_by_a == first + second[:1]
    assert taken_by_b == second[1:]
    rows = letters(engine)
    assert {rows[i].claim_token for i in taken_by_a} == {"a"} and {rows[i].state for i in taken_by_b} == {
        LetterState.SENDING}


def test_a_stale_claim_is_released_and_the_pass_that_lost_it_can_no_longer_hold_or_record(engine, sessions):
    [letter_id] = add_letters(engine, 1)
    kind, mailer = LetterOutbox(), FakeMailer()
    later = NOW + STALE_CLAIM + timedelta(minutes=1)
    with sessions() as slow, sessions() as other:
        assert claim(slow, kind, now=NOW, token="slow") == [letter_id]
        release_stale_claims(other, kind, NOW + STALE_CLAIM - timedelta(seconds=1))  # not stale yet
        other.commit()
        assert claim(other, kind, now=later, token="other") == []
        release_stale_claims(other, kind, later)
        other.commit()
        assert claim(other, kind, now=later, token="other") == [letter_id]

        assert hold(slow, kind, letter_id, "slow", later) is None
        report = OutboxReport()
        deliver(slow, kind, letter_id, token="slow", now=later, mailer=mailer, report=report)
        held = hold(other, kind, letter_id, "other", later)
        assert held is not None and (held.claim_token, held.claimed_at) == ("other", later)
        other.rollback()

    assert report == OutboxReport() and mailer.accepted == Counter()


def test_what_compose_writes_is_saved_before_the_message_goes_out(engine, sessions):
    [letter_id] = add_letters(engine, 1)
    seen_by_others: list[int] = []

    def look(_message: Outgoing) -> None:
        seen_by_others.append(letters(engine)[letter_id].written)

    report = a_pass(sessions, FakeMailer(on_send=look), kind=LetterOutbox(writes=True))

    assert report.sent == 1 and seen_by_others == [1]
    assert letters(engine)[letter_id].written == 1


def test_stopping_at_the_first_failure_hands_back_the_messages_not_tried(engine, sessions):
    ids = add_letters(engine, 4)

    report = a_pass(sessions, FakeMailer(refuse=True), stop_on_failure=True)

    rows = letters(engine)
    assert (report.retrying, sorted(rows[i].attempts for i in ids)) == (1, [0, 0, 0, 1])
    assert {rows[i].state for i in ids} == {LetterState.PENDING} and all(rows[i].claim_token is None for i in ids)


def test_two_passes_started_together_send_every_message_exactly_once(engine, sessions):
    ids = add_letters(engine, 120)
    accepted: Counter[str] = Counter()
    start = threading.Barrier(2)
    reports: dict[str, OutboxReport] = {}
    errors: dict[str, BaseException] = {}

    def run(name: str) -> None:
        start.wait(10)
        try:
            reports[name] = a_pass(sessions, FakeMailer(accepted), batch=25)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors[name] = error

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert errors == {}
    assert sum(report.sent for report in reports.values()) == len(ids)
    rows = letters(engine)
    assert {rows[i].state for i in ids} == {LetterState.SENT}
    assert accepted == Counter({rows[i].message_id: 1 for i in ids})


def test_a_pass_killed_mid_batch_loses_nothing_and_only_the_message_in_flight_goes_twice(engine, sessions):
    ids = add_letters(engine, 30)
    accepted: Counter[str] = Counter()
    dying = FakeMailer(accepted, die_after=8)

    with pytest.raises(Killed):
        a_pass(sessions, dying, batch=20)  # the session closes with the process: its transaction is gone

    rows = letters(engine)
    assert Counter(rows[i].state for i in ids) == {LetterState.SENT: 8, LetterState.SENDING: 12,
                                                   LetterState.PENDING: 10}
    soon = a_pass(sessions, FakeMailer(accepted), now=NOW + timedelta(minutes=1))  # the dead claims are respected
    later = a_pass(sessions, FakeMailer(accepted), now=NOW + STALE_CLAIM + timedelta(minutes=1))

    rows = letters(engine)
    assert (soon.sent, later.sent) == (10, 12)
    assert {rows[i].state for i in ids} == {LetterState.SENT}
    assert {rows[i].message_id for i in ids} == set(accepted)
    assert {mid: n for mid, n in accepted.items() if n > 1} == {dying.in_flight: 2}  # recognisably the same message
