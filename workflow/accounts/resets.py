"""Password resets: a single-use link that expires, e-mailed in the user's language; only its hash is stored."""

from __future__ import annotations

import hashlib
import logging
import secrets
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core.errors import DomainError
from ..core.i18n import _
from ..core.signals import record_security_event
from ..mail.mailer import Mailer, Outgoing
from .models import PasswordReset, User
from .passwords import check_password_policy
from .services import TooManyAttempts, find_user, loggable_email, set_new_password
from .throttle import FailureStore, Limit, failure_key, wait_needed

log = logging.getLogger(__name__)

PREFERENCES_PATH = "/notifications/preferences"  # the notifications' page (a reader above: named, not imported)


class ResetLinkInvalid(DomainError):
    code = "reset_link_invalid"
    status = 410


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class ResetRequested:
    """A link to send: the plain token exists only here, for the e-mail."""

    user: User
    token: str
    expires_at: datetime


def request_password_reset(session: Session, email: str, *, now: datetime, lifetime: timedelta, ip: str | None,
                           failures: FailureStore, limit: Limit) -> ResetRequested | None:
    """A new reset link for the active account with this e-mail (earlier links stop working), or None.

    The caller answers the same whether or not an account exists. Requests are counted per e-mail and
    per address (whether or not the account exists), so nobody can flood an inbox: past `limit`,
    TooManyAttempts.
    """
    keys = (failure_key("reset-account", email), failure_key("reset-address", ip or "unknown"))
    wait = wait_needed(failures, keys, now=now, limit=limit)
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        raise TooManyAttempts(wait, _("Too many reset requests for this e-mail or from this address. Wait "
                                      "%(minutes)s minutes and try again.", minutes=minutes))
    failures.add(keys, now=now, window=limit.window)
    user = find_user(session, email)
    record_security_event(session, "password_reset_requested", now=now, user=user, email=loggable_email(email), ip=ip,
                   detail={"sent": bool(user is not None and user.active)})
    if user is None or not user.active:
        return None
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))
    token = secrets.token_urlsafe(32)
    reset = PasswordReset(user_id=user.id, token_hash=_hash(token), created_at=now, expires_at=now + lifetime)
    session.add(reset)
    session.flush()
    return ResetRequested(user, token, reset.expires_at)


def valid_reset(session: Session, token: str, *, now: datetime) -> PasswordReset | None:
    """The unused, unexpired link of an active account that `token` opens, or None."""
    if not token or len(token) > 100:
        return None
    reset = session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at <= now or not reset.user.active:
        return None
    return reset


def reset_password(session: Session, token: str, password: str, *, now: datetime, ip: str | None,
                   failures: FailureStore) -> User:
    """Use a reset link once: set the new password (the policy applies) and end every session."""
    check_password_policy(password)  # before the link is spent: a refused password leaves it usable
    reset = valid_reset(session, token, now=now)
    if reset is None:
        raise ResetLinkInvalid(_("This link has expired or has already been used. Ask for a new one."))
    # Spend the link with a conditional update: of two submissions at once, only one gets it.
    spent = session.execute(update(PasswordReset).where(PasswordReset.id == reset.id, PasswordReset.used_at.is_(None))
                            .values(used_at=now).execution_options(synchronize_session=False)).rowcount
    if spent != 1:
        raise ResetLinkInvalid(_("This link has expired or has already been used. Ask for a new one."))
    user = reset.user
    set_new_password(session, user, password, now=now)
    failures.clear(failure_key("account", user.email))
    record_security_event(session, "password_reset", now=now, user=user, ip=ip)
    record_security_event(session, "sessions_ended", now=now, user=user, ip=ip, detail={"cause": "password_reset"})
    return user


def send_later(mailer: Mailer, outgoing: Outgoing) -> threading.Thread:
    """Send on a thread of its own, so that the answer comes as fast whether or not a mail is sent (the
    time a mail server takes would otherwise tell which e-mails have an account)."""

    def send() -> None:
        try:
            mailer.send(outgoing)
        except (smtplib.SMTPException, OSError) as error:
            log.error("The password-reset e-mail could not be sent: %s", error)
        finally:
            mailer.close()

    thread = threading.Thread(target=send, name="password-reset-mail", daemon=True)
    thread.start()
    return thread


def reset_mail(requested: ResetRequested, link: str) -> Outgoing:
    """The e-mail with the link (absolute), in the user's language (rendered without the pages' context).

    Like every e-mail it carries a List-Unsubscribe line and a link to the reader's notification preferences
    (a reset link itself is sent whenever it is asked for: only its reader asks for it)."""
    user = requested.user
    env = current_app.jinja_env
    host = urlsplit(link).hostname or "peerflow"
    preferences = current_app.config["PEERFLOW_BASE_URL"].rstrip("/") + PREFERENCES_PATH
    with force_locale(user.locale or "en"):
        minutes = int((current_app.config["PASSWORD_RESET_LIFETIME"]).total_seconds() // 60)
        context = {"user": user, "link": link, "minutes": minutes, "preferences": preferences}
        return Outgoing(
            message_id=f"<password-reset.{secrets.token_hex(12)}@{host}>",
            to=user.email,
            subject=_("Reset your Peerflow password"),
            text=env.get_template("emails/password_reset.txt").render(**context),
            html=env.get_template("emails/password_reset.html").render(**context),
            headers=(("List-Unsubscribe", f"<{preferences}>"),),
        )
