"""The outbox: claim, send, record, retry with back-off, hold, mark failed. At most once per message, never lost.

- A batch is *claimed* before anything is sent (`FOR UPDATE SKIP LOCKED` on PostgreSQL, an atomic
  conditional UPDATE on SQLite), so two passes never take the same message.
- Each message is written, sent with no transaction open, and recorded in a transaction that first
  checks the claim is still this pass's (`hold`). Its Message-ID is derived from its row, so if a pass
  dies after the mail server accepted a message but before the row was marked sent, the one resend is
  recognisable as the same message.
- A claim left by a pass that died (a scheduler killed, its machine lost) is released after STALE_CLAIM
  (the app's `OUTBOX_STALE_CLAIM_SECONDS`) and picked up again: several schedulers may run at once, and
  losing one loses nothing. The age must stay above the longest pass, or a live pass's claims are taken over.
- A failure is retried with exponential back-off, then marked failed for staff to see.

A kind of e-mail plugs in with a table and a subclass of `Outbox`; nothing here changes:

- the table has one row per message to one person, with the columns of `OutboxRow` and a state enum
  with the values pending, sending, sent, failed and cancelled;
- the subclass names the table (`model`) and its enum (`states`), says which pending rows are due
  (`due`) and in what order (`order`), writes a row's message (`compose`: an `Outgoing`, or None when
  the data no longer asks for it) and records what was sent (`record`: a copy, a bell notification);
- the scheduler's job, or a page right after its commit, calls `run_pass(session, kind, now=…, mailer=…)`.

Reminders (reminders/dispatch.py) and calls for experts (calls/delivery.py) are two such kinds. A
notification e-mail would be a third: its rows are written only for the people who want e-mail, due at
once or at their digest hour, and `compose` puts a List-Unsubscribe line in `Outgoing.headers`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from flask import current_app, has_app_context
from sqlalchemy import ColumnElement, or_, select, update
from sqlalchemy.orm import Session

from .mailer import Mailer, Outgoing

BATCH = 100
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)
PENDING, SENDING, SENT, FAILED, CANCELLED = "pending", "sending", "sent", "failed", "cancelled"


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, … minutes, at most an hour."""
    return timedelta(minutes=min(60, 2 ** max(0, attempts - 1)))


@dataclass
class OutboxReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


class OutboxRow(Protocol):
    """The columns the outbox reads and writes on a kind's table."""

    id: Any
    state: Any  # the kind's enum: pending (waiting, or for its next attempt), sending (claimed), sent, failed, cancelled
    attempts: Any
    last_error: Any
    next_attempt_at: Any
    claim_token: Any  # the pass that claimed it
    claimed_at: Any
    sent_at: Any


Row = TypeVar("Row", bound=OutboxRow)


class Outbox(Generic[Row]):
    """One kind of e-mail: which rows, how each is written, what is kept once it is sent."""

    model: ClassVar[type]
    states: ClassVar[type[StrEnum]]
    # The column a hold sets to `now`: the write that takes the row (and, on SQLite, the write lock) first.
    touched: ClassVar[str] = "claimed_at"
    # `compose` writes to the row (what the e-mail promises): it runs under a hold, committed before sending.
    compose_writes: bool = False

    def due(self, now: datetime) -> Sequence[ColumnElement[bool]]:
        """What a pending row needs besides its next attempt's time to be sent now."""
        return ()

    def order(self) -> Sequence[Any]:
        return (self.model.id,)

    def compose(self, session: Session, row: Row, now: datetime) -> Outgoing | None:
        """The message for `row`, or None when the data no longer asks for it (the row is cancelled)."""
        raise NotImplementedError

    def record(self, session: Session, row: Row, outgoing: Outgoing, *, transport: str, now: datetime) -> None:
        """Keep what was sent, in the transaction that marks `row` sent (`outgoing` is what `compose` gave)."""
        return None


def stale_claim() -> timedelta:
    """How old a claim is before its pass counts as dead: the app's OUTBOX_STALE_CLAIM_SECONDS, else STALE_CLAIM."""
    if has_app_context() and current_app.config.get("OUTBOX_STALE_CLAIM_SECONDS"):
        return timedelta(seconds=current_app.config["OUTBOX_STALE_CLAIM_SECONDS"])
    return STALE_CLAIM


def release_stale_claims(session: Session, kind: Outbox[Any], now: datetime) -> None:
    """Hand back to pending the claims older than `stale_claim()`: their pass died."""
    model, states = kind.model, kind.states
    session.execute(update(model).where(model.state == states(SENDING), model.claimed_at < now - stale_claim())
                    .values(state=states(PENDING), claim_token=None).execution_options(synchronize_session=False))


def claim(session: Session, kind: Outbox[Any], *, now: datetime, token: str, limit: int = BATCH) -> list[int]:
    """Take up to `limit` due messages for this pass; commit so other passes see the claim."""
    model, states = kind.model, kind.states
    due = (select(model.id)
           .where(model.state == states(PENDING), or_(model.next_attempt_at.is_(None), model.next_attempt_at <= now),
                  *kind.due(now))
           .order_by(*kind.order()).limit(limit))
    claimed = {"state": states(SENDING), "claim_token": token, "claimed_at": now}
    if session.get_bind().dialect.name == "postgresql":
        ids = list(session.scalars(due.with_for_update(skip_locked=True)))
        if ids:
            session.execute(update(model).where(model.id.in_(ids)).values(claimed)
                            .execution_options(synchronize_session=False))
    else:
        # Of two passes, the second re-reads each row after the first commits and skips it.
        session.execute(update(model).where(model.id.in_(due.scalar_subquery()), model.state == states(PENDING))
                        .values(claimed).execution_options(synchronize_session=False))
        ids = list(session.scalars(select(model.id).where(model.claim_token == token, model.state == states(SENDING))
                                   .order_by(*kind.order())))
    session.commit()
    return ids


def release(session: Session, kind: Outbox[Any], token: str) -> None:
    """Hand back the messages this pass claimed but did not try: the next pass takes them."""
    model, states = kind.model, kind.states
    session.rollback()
    session.execute(update(model).where(model.claim_token == token, model.state == states(SENDING))
                    .values(state=states(PENDING), claim_token=None).execution_options(synchronize_session=False))
    session.commit()


def hold(session: Session, kind: Outbox[Row], row_id: int, token: str, now: datetime) -> Row | None:
    """Open a write transaction on the row if this pass still holds its claim, else None.

    The conditional UPDATE comes first: it checks the claim and the row in one statement, and on SQLite
    it takes the write lock before anything is read (a read-then-write transaction fails there when
    another pass committed in between).
    """
    model, states = kind.model, kind.states
    session.rollback()
    held = session.execute(update(model).where(
        model.id == row_id, model.claim_token == token, model.state == states(SENDING))
        .values({kind.touched: now}).execution_options(synchronize_session=False)).rowcount
    if held != 1:
        session.rollback()
        return None
    return session.get(model, row_id, populate_existing=True)


def _read_claimed(session: Session, kind: Outbox[Row], row_id: int, token: str) -> Row | None:
    # The row was claimed by an UPDATE this session did not see: read it afresh, not from the identity map.
    row = session.get(kind.model, row_id, populate_existing=True)
    if row is None or row.state != kind.states(SENDING) or row.claim_token != token:
        session.rollback()
        return None
    return row


def _record_failure(session: Session, kind: Outbox[Any], row_id: int, *, token: str, now: datetime,
                    error: Exception, report: OutboxReport) -> None:
    row = hold(session, kind, row_id, token, now)
    if row is None:
        return
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    row.claim_token = None
    if row.attempts >= MAX_ATTEMPTS:
        row.state = kind.states(FAILED)
        report.failed += 1
    else:
        row.state, row.next_attempt_at = kind.states(PENDING), now + backoff(row.attempts)
        report.retrying += 1
    report.errors.append(row.last_error)
    session.commit()


def _cancel(session: Session, kind: Outbox[Any], row_id: int, *, token: str, now: datetime,
            report: OutboxReport) -> None:
    row = hold(session, kind, row_id, token, now)
    if row is not None:
        row.state, row.claim_token = kind.states(CANCELLED), None
        session.commit()
        report.cancelled += 1


def deliver(session: Session, kind: Outbox[Any], row_id: int, *, token: str, now: datetime, mailer: Mailer,
            report: OutboxReport) -> None:
    """Write one claimed message, send it, record it; a failure is recorded for a later attempt.

    Nothing is held in the database while the mail server answers: the transaction that wrote the
    message ends before sending, and the outcome is recorded in a new one that first checks the claim
    is still ours.
    """
    if kind.compose_writes:
        row = hold(session, kind, row_id, token, now)
    else:
        row = _read_claimed(session, kind, row_id, token)
    if row is None:
        return
    try:
        outgoing = kind.compose(session, row, now)
    except Exception as error:  # noqa: BLE001 - a message that cannot be written is retried, then failed
        _record_failure(session, kind, row_id, token=token, now=now, error=error, report=report)
        return
    if outgoing is None:
        _cancel(session, kind, row_id, token=token, now=now, report=report)
        return
    if kind.compose_writes:
        session.commit()
    else:
        session.rollback()
    try:
        mailer.send(outgoing)
    except Exception as error:  # noqa: BLE001 - whatever went wrong is recorded, and retried with back-off
        _record_failure(session, kind, row_id, token=token, now=now, error=error, report=report)
        return
    row = hold(session, kind, row_id, token, now)
    if row is None:  # the claim went stale and another pass took it over: that pass records it
        return
    kind.record(session, row, outgoing, transport=mailer.transport, now=now)
    row.state, row.sent_at, row.claim_token = kind.states(SENT), now, None
    row.attempts += 1
    session.commit()
    report.sent += 1


def run_pass(session: Session, kind: Outbox[Any], *, now: datetime, mailer: Mailer, batch: int = BATCH,
             max_batches: int | None = None, stop_on_failure: bool = False) -> OutboxReport:
    """One pass: claim and deliver everything due, batch by batch; safe to run in several processes at once.

    `stop_on_failure` ends the pass at the first message that could not be sent (a page that delivers
    right after its commit does not wait on an unwell mail server for each of the others); the messages
    it claimed but has not tried go back to pending.
    """
    report = OutboxReport()
    try:
        release_stale_claims(session, kind, now)
        session.commit()  # every claim starts a fresh transaction with its UPDATE (see `hold`)
        token, batches = uuid.uuid4().hex, 0
        while max_batches is None or batches < max_batches:
            ids = claim(session, kind, now=now, token=token, limit=batch)
            if not ids:
                break
            batches += 1
            for row_id in ids:
                if stop_on_failure and (report.retrying or report.failed):
                    release(session, kind, token)
                    return report
                deliver(session, kind, row_id, token=token, now=now, mailer=mailer, report=report)
    finally:
        mailer.close()
    return report
