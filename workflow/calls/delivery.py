"""Delivering the e-mails of calls for experts through the outbox (mail/outbox.py): at most once each, never lost.

Each `CallRecipient` row is one outgoing message, written in the transaction that created the call. A
delivery pass (right after the commit in the page, and every minute in the scheduler) claims pending rows,
writes each with its answer link, sends it with no transaction open and records the outcome only if the
claim is still its own. A failure is retried with back-off, then marked failed for staff to see on the call
page; a message of a call that ended before it went out is cancelled. Every message carries a List-Unsubscribe
line: to the preferences of a reader with an account, or to the expert's own link that stops calls by e-mail
(one click, RFC 8058) for an expert without one.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from sqlalchemy.orm import Session

from ..core.i18n import _
from ..mail.mailer import Mailer, Outgoing, mailer_from_config, make_message_id
from ..mail.outbox import BATCH, Outbox, OutboxReport, run_pass
from .lifecycle import CallStatus
from .models import CallRecipient, DeliveryState, RecipientKind
from .optout import unsubscribe_token
from .services import answer_token, answers_in_portal, token_hash
from .signals import call_delivered

UNSUBSCRIBE_PATH = "/calls/unsubscribe/"


def message_id(recipient: CallRecipient, base_url: str) -> str:
    return make_message_id(f"call-{recipient.call_id}.recipient-{recipient.id}", base_url)


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


class CallOutbox(Outbox[CallRecipient]):
    """The messages of calls for experts (of one call, or of all), each with the link where it is answered."""

    model = CallRecipient
    states = DeliveryState
    compose_writes = True  # the answer link's hash, saved before the e-mail that carries the link goes out

    def __init__(self, *, base_url: str, secret: str, call_id: int | None = None) -> None:
        self.base_url, self.secret, self.call_id = base_url, secret, call_id

    def due(self, now: datetime) -> tuple:
        return () if self.call_id is None else (CallRecipient.call_id == self.call_id,)

    def compose(self, session: Session, row: CallRecipient, now: datetime) -> Outgoing | None:
        """The e-mail for one recipient, in their language (rendered without the pages' context)."""
        call = row.call
        if call.status is not CallStatus.OPEN or now > call.answer_deadline:  # too late to ask
            return None
        focal = row.kind is RecipientKind.FOCAL_POINT
        env = current_app.jinja_env
        base = self.base_url.rstrip("/")
        if row.token_salt is not None:  # an expert without an account: the link in the e-mail stops the calls
            unsubscribe, preferences = f"{base}{UNSUBSCRIBE_PATH}{unsubscribe_token(row.expert, self.secret)}", None
            headers = (("List-Unsubscribe", f"<{unsubscribe}>"), ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        else:  # a reader with an account chooses how news reaches them on their preferences page (notifications)
            unsubscribe = None  # an expert's own choice is the page's "calls for experts" group
            preferences = f"{base}/notifications/preferences" + ("" if focal else "?kind=calls")
            headers = (("List-Unsubscribe", f"<{preferences}>"),)
        with force_locale(_language(row)):
            context = {"call": call, "activity": call.activity, "name": row.user.name if focal else row.expert.name,
                       "focal": focal, "link": self.base_url + answer_path(row, self.secret), "slot": call.slot,
                       "unsubscribe": unsubscribe, "preferences": preferences}
            outgoing = Outgoing(message_id(row, self.base_url), row.user.email if focal else row.expert.email,
                                _("Call for experts: %(title)s", title=call.activity.title),
                                env.get_template("emails/call_for_experts.txt").render(**context),
                                env.get_template("emails/call_for_experts.html").render(**context), (), headers)
        if row.token_salt is not None:
            # The link in this e-mail is the one that must open the answer page (the app's secret may have changed).
            row.token_hash = token_hash(answer_token(self.secret, row.token_salt))
        return outgoing

    def record(self, session: Session, row: CallRecipient, outgoing: Outgoing, *, transport: str,
               now: datetime) -> None:
        row.message_id, row.transport = outgoing.message_id, transport
        user_id = row.user_id if row.kind is RecipientKind.FOCAL_POINT else (
            row.expert.user_id if answers_in_portal(row.expert) else None)
        call_delivered.send(row, session=session, now=now, user_id=user_id, title=outgoing.subject,
                            body=row.call.message[:2000], link=answer_path(row, self.secret))


def deliver_pending(session: Session, *, now: datetime, mailer: Mailer, base_url: str, secret: str,
                    call_id: int | None = None, batch: int = BATCH, max_batches: int | None = None,
                    stop_on_failure: bool = False) -> OutboxReport:
    """One pass over the pending messages (of one call, or of all); safe to run in several processes at once.

    `stop_on_failure` ends the pass at the first message that could not be sent (see `run_pass`)."""
    return run_pass(session, CallOutbox(base_url=base_url, secret=secret, call_id=call_id), now=now, mailer=mailer,
                    batch=batch, max_batches=max_batches, stop_on_failure=stop_on_failure)


def deliver_from_app(session: Session, *, now: datetime, call_id: int | None = None,
                     max_batches: int | None = None, stop_on_failure: bool = False) -> OutboxReport:
    """A delivery pass with the app's mail settings (the page after sending a call, the scheduler)."""
    config = current_app.config
    return deliver_pending(session, now=now, mailer=mailer_from_config(config), base_url=config["PEERFLOW_BASE_URL"],
                           secret=config["SECRET_KEY"], call_id=call_id, max_batches=max_batches,
                           stop_on_failure=stop_on_failure)
