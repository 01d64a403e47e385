"""Signed-in sessions: begun at sign-in, checked on every request, ended everywhere at once.

Flask's session is a signed cookie with no id kept on the server, so each user row carries a
`session_token`: a session holds the value current when it began (as Flask-Login's user id,
"<id>:<token>"), and replacing it ends every session of that user at once, a copied or replayed
cookie included (sign-out, password change or reset, disabling). The cookie also says when the
session began, when it was last used and when the password was last typed: the absolute and idle
timeouts and the recent-sign-in check read them.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from flask import current_app, session
from flask_login import login_user, logout_user

from ..core.i18n import _
from ..core.web import now as clock_now
from ..extensions import db
from .models import User

STARTED_AT = "_started_at"  # when the password was typed at sign-in: the absolute timeout counts from here
SEEN_AT = "_seen_at"  # the last request: the idle timeout counts from here
AUTHENTICATED_AT = "_authenticated_at"  # the last time the password was typed (sign-in or confirmation)
ENDED = "_ended"  # why the last session ended, for the sign-in page to say
KEPT = ("lang",)  # what survives a new session: the language picked with the switcher
SEEN_RESOLUTION = 60  # seconds: `_seen_at` is rewritten at most once a minute, not on every request


def _stamp(moment: datetime) -> int:
    return int(moment.timestamp())


def _moment(stamp: Any) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(stamp), UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def session_values(user: User, now: datetime) -> dict[str, Any]:
    """What a freshly signed-in session holds for `user` (also what the tests' sign-in helper writes)."""
    stamp = _stamp(now)
    return {"_user_id": user.get_id(), "_fresh": True, STARTED_AT: stamp, SEEN_AT: stamp, AUTHENTICATED_AT: stamp}


def _clear() -> None:
    """Empty the session, keeping only harmless preferences."""
    kept = {key: session[key] for key in KEPT if key in session}
    session.clear()
    session.update(kept)


def begin_session(user: User, now: datetime) -> None:
    """Sign `user` in on a new session: nothing of the previous one (a planted cookie, say) survives."""
    if not user.session_token:
        user.end_sessions()  # its first session token (the caller commits)
    _clear()
    login_user(user)
    session.update(session_values(user, now))


def end_session() -> None:
    """Sign out this browser (the caller ends the user's other sessions by replacing the token)."""
    logout_user()
    _clear()


def confirm_password_entry(now: datetime) -> None:
    """The password was just typed again: sensitive actions are allowed for a while."""
    session[AUTHENTICATED_AT] = _stamp(now)


def recently_authenticated(now: datetime) -> bool:
    typed = _moment(session.get(AUTHENTICATED_AT))
    return typed is not None and now - typed <= current_app.config["RECENT_LOGIN_WINDOW"]


def _expired(now: datetime) -> str | None:
    """Why this session is over ("absolute", "idle", "unreadable"), or None while it lasts."""
    started, seen = _moment(session.get(STARTED_AT)), _moment(session.get(SEEN_AT))
    if started is None or seen is None:
        return "unreadable"
    if now - started > current_app.config["SESSION_ABSOLUTE_TIMEOUT"]:
        return "absolute"
    if now - seen > current_app.config["SESSION_IDLE_TIMEOUT"]:
        return "idle"
    return None


def ended_notice() -> str | None:
    """Why the last session ended, once, for the sign-in page (the loader cannot translate: choosing the
    language asks who the user is)."""
    reason = session.pop(ENDED, None)
    if reason == "absolute":
        hours = int(current_app.config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds() // 3600)
        return _("Your session has ended after %(hours)s hours. Sign in again.", hours=hours)
    if reason == "idle":
        minutes = int(current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds() // 60)
        return _("Your session has ended after %(minutes)s minutes without activity. Sign in again.",
                 minutes=minutes)
    return None


def load_session_user(user_id: str, fetch: Callable[[int], User | None] | None = None) -> User | None:
    """Flask-Login's user loader: the user of a session that is still valid, else None (signed out).
    `fetch` reads the user by id (the app's reads other per-request facts in the same query)."""
    number, _sep, token = user_id.partition(":")
    fetch = fetch or (lambda found: db.session.get(User, found))
    user = fetch(int(number)) if number.isdigit() and token else None
    if user is None or not user.active or not hmac.compare_digest(user.session_token or "", token):
        _clear()  # a session ended elsewhere, or a replayed cookie: forget it
        return None
    now = clock_now()
    reason = _expired(now)
    if reason is not None:
        _clear()
        session[ENDED] = reason
        return None
    if _stamp(now) - int(session[SEEN_AT]) >= SEEN_RESOLUTION:
        session[SEEN_AT] = _stamp(now)
    return user
