"""Delivering the e-mails of calls for experts: claim, write, send, record. At most once each, never lost.

Each `CallRecipient` row is one outgoing message, written in the transaction that created the call. A
delivery pass (right after the commit in the page, and every minute in the scheduler) claims pending rows
with a conditional UPDATE, so two passes never take the same row; it sends with no transaction open and
records the outcome only if the claim is still its own. The Message-ID is derived from the row, so the one
resend after a crash between the server's "accepted" and the record is recognisable as the same message.
A failure is retried with back-off (as reminders are), then marked failed for staff to see on the call page.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..core.i18n import _
from ..mail.mailer import Mailer, Outgoing
from ..notifications.models import Notification
from ..reminders.dispatch import backoff
from .lifecycle import CallStatus
from .models import CallRecipient, DeliveryState, RecipientKind
from .services import answer_token, answers_in_portal, token_hash

BATCH = 100
MAX_ATTEMPTS = 8
STALE_CLAIM = timedelta(minutes=10)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    cancelled: int = 0
    errors: list[str] = field(default_factory=list)


def message_id(recipient: CallRecipient, base_url: str) -> str:
    return f"<call-{recipient.call_id}.recipient-{recipient.id}@{urlsplit(base_url).hostname or 'peerflow'}>"


def answer_path(recipient: CallRecipient, secret: str) -> str:
    """Where the person answers: the focal point's call page, the expert's portal, or the expert's link."""
    if recipient.kind is RecipientKind.FOCAL_POINT:
        return f"/calls/{recipient.call_id}"
    if recipient.token_salt is None:
        return "/me#calls"
    return f"/calls/answer/{answer_token(secret, recipient.token_salt)}"


def _language(recipient: CallRecipient) -> str:
    """The recipient's own language; for an expert without an account, the first of the activity's we write."""
    person = recipient.user if recipient.kind is RecipientKind.FOCAL_POINT else recipient.expert.user
    if person is not None and person.locale:
        return person.locale
    written = current_app.config["LANGUAGES"]
    return next((code for code in recipient.call.activity.languages or () if code in written), "en")


def compose(recipient: CallRecipient, *, base_url: str, secret: str) -> Outgoing:
    """The e-mail for one recipient, in their language (rendered without the pages' context)."""
    call = recipient.call
    focal = recipient.kind is RecipientKind.FOCAL_POINT
    name = recipient.user.name if focal else recipient.expert.name
    address = recipient.user.email if focal else recipient.expert.email
    env = current_app.jinja_env
    with force_locale(_language(recipient)):
        context = {"call": call, "activity": call.activity, "name": name, "focal": focal,
                   "link": base_url + answer_path(recipient, secret), "slot": call.slot}
        subject = _("Call for experts: %(title)s", title=call.activity.title)
        return Outgoing(message_id(recipient, base_url), address, subject,
                        env.get_template("emails/call_for_experts.txt").render(**context),
                        env.get_template("emails/call_for_experts.html").render(**context))


def release_stale_claims(session: Session, now: datetime) -> None:
    session.execute(update(CallRecipient).where(CallRecipient.state == DeliveryState.SENDING,
                                                CallRecipient.claimed_at < now - STALE_CLAIM)
                    .values(state=DeliveryState.PENDING, claim_token=None).execution_options(synchronize_session=False))


def claim(session: Session, *, now: datetime, token: str, call_id: int | None = None, limit: int = BATCH) -> list[int]:
    """Take up to `limit` pending messages (of one call, or of all); commit so other passes see the claim.

    A conditional UPDATE: of two passes, the second re-reads the row after the first commits and skips it."""
    due = select(CallRecipient.id).where(
        CallRecipient.state == DeliveryState.PENDING,
        or_(CallRecipient.next_attempt_at.is_(None), CallRecipient.next_attempt_at <= now))
    if call_id is not None:
        due = due.where(CallRecipient.call_id == call_id)
    session.execute(update(CallRecipient).where(CallRecipient.id.in_(due.order_by(CallRecipient.id).limit(limit)
                                                                    .scalar_subquery()),
                                                CallRecipient.state == DeliveryState.PENDING)
                    .values(state=DeliveryState.SENDING, claim_token=token, claimed_at=now)
                    .execution_options(synchronize_session=False))
    ids = list(session.scalars(select(CallRecipient.id).where(CallRecipient.claim_token == token,
                                                              CallRecipient.state == DeliveryState.SENDING)
                               .order_by(CallRecipient.id)))
    session.commit()
    return ids


def _hold(session: Session, recipient_id: int, token: str, now: datetime) -> CallRecipient | None:
    """Open a write transaction on the row if this pass still holds its claim, else None (see reminders)."""
    session.rollback()
    held = session.execute(update(CallRecipient).where(
        CallRecipient.id == recipient_id, CallRecipient.claim_token == token,
        CallRecipient.state == DeliveryState.SENDING).values(claimed_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if held != 1:
        session.rollback()
        return None
    return session.get(CallRecipient, recipient_id, populate_existing=True)


def _failed(session: Session, recipient_id: int, *, token: str, now: datetime, error: Exception,
            report: DeliveryReport) -> None:
    recipient = _hold(session, recipient_id, token, now)
    if recipient is None:
        return
    recipient.attempts += 1
    recipient.last_error = f"{type(error).__name__}: {error}"[:2000]
    recipient.claim_token = None
    if recipient.attempts >= MAX_ATTEMPTS:
        recipient.state = DeliveryState.FAILED
        report.failed += 1
    else:
        recipient.state, recipient.next_attempt_at = DeliveryState.PENDING, now + backoff(recipient.attempts)
        report.retrying += 1
    report.errors.append(recipient.last_error)
    session.commit()


def deliver(session: Session, recipient_id: int, *, token: str, now: datetime, mailer: Mailer, base_url: str,
            secret: str, report: DeliveryReport) -> None:
    """Write one claimed message, send it, record it; nothing is held in the database while the server answers."""
    recipient = _hold(session, recipient_id, token, now)
    if recipient is None:
        return
    if recipient.call.status is not CallStatus.OPEN or now > recipient.call.answer_deadline:  # too late to ask
        recipient.state, recipient.claim_token = DeliveryState.CANCELLED, None
        session.commit()
        report.cancelled += 1
        return
    try:
        outgoing = compose(recipient, base_url=base_url, secret=secret)
    except Exception as error:  # noqa: BLE001 - a message that cannot be written is retried, then failed
        _failed(session, recipient_id, token=token, now=now, error=error, report=report)
        return
    if recipient.token_salt is not None:
        # The link in this e-mail is the one that must open the answer page (the app's secret may have changed).
        recipient.token_hash = token_hash(answer_token(secret, recipient.token_salt))
    session.commit()
    try:
        mailer.send(outgoing)
    except Exception as error:  # noqa: BLE001 - whatever went wrong is recorded, and retried with back-off
        _failed(session, recipient_id, token=token, now=now, error=error, report=report)
        return
    recipient = _hold(session, recipient_id, token, now)
    if recipient is None:  # the claim went stale and another pass took it over: that pass records it
        return
    recipient.state, recipient.sent_at, recipient.claim_token = DeliveryState.SENT, now, None
    recipient.attempts += 1
    recipient.message_id, recipient.transport = outgoing.message_id, mailer.transport
    user_id = recipient.user_id if recipient.kind is RecipientKind.FOCAL_POINT else (
        recipient.expert.user_id if answers_in_portal(recipient.expert) else None)
    if user_id is not None:
        session.add(Notification(user_id=user_id, title=outgoing.subject, body=recipient.call.message[:2000],
                                 link=answer_path(recipient, secret), created_at=now))
    session.commit()
    report.sent += 1


def deliver_pending(session: Session, *, now: datetime, mailer: Mailer, base_url: str, secret: str,
                    call_id: int | None = None, batch: int = BATCH, max_batches: int | None = None,
                    stop_on_failure: bool = False) -> DeliveryReport:
    """One pass over the pending messages (of one call, or of all); safe to run in several processes at once.

    `stop_on_failure` ends the pass at the first message that could not be sent (a page that delivers right
    after its commit does not wait on an unwell mail server for each of the others); the messages it has not
    tried yet go back to pending."""
    report = DeliveryReport()
    try:
        release_stale_claims(session, now)
        session.commit()
        token, batches = uuid.uuid4().hex, 0
        while max_batches is None or batches < max_batches:
            ids = claim(session, now=now, token=token, call_id=call_id, limit=batch)
            if not ids:
                break
            batches += 1
            for recipient_id in ids:
                if stop_on_failure and (report.retrying or report.failed):
                    _release(session, token)
                    return report
                deliver(session, recipient_id, token=token, now=now, mailer=mailer, base_url=base_url, secret=secret,
                        report=report)
    finally:
        mailer.close()
    return report


def _release(session: Session, token: str) -> None:
    """Hand back the messages this pass claimed but did not try: the next pass takes them."""
    session.rollback()
    session.execute(update(CallRecipient).where(CallRecipient.claim_token == token,
                                                CallRecipient.state == DeliveryState.SENDING)
                    .values(state=DeliveryState.PENDING, claim_token=None).execution_options(synchronize_session=False))
    session.commit()


def deliver_from_app(session: Session, *, now: datetime, call_id: int | None = None,
                     max_batches: int | None = None, stop_on_failure: bool = False) -> DeliveryReport:
    """A delivery pass with the app's mail settings (the page after sending a call, the scheduler)."""
    from ..mail.mailer import mailer_from_config

    config = current_app.config
    return deliver_pending(session, now=now, mailer=mailer_from_config(config), base_url=config["PEERFLOW_BASE_URL"],
                           secret=config["SECRET_KEY"], call_id=call_id, max_batches=max_batches,
                           stop_on_failure=stop_on_failure)
