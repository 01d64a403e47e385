"""Recording and reading the audit trail.

`security_event` is called by the sign-in, token and privacy code; changes to tracked records are
recorded by the session hook in `tracking.py`, whichever page, API call, command or job made them.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import g, has_app_context, has_request_context, request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import User
from ..core.errors import ConcurrentChange
from ..core.i18n import gettext
from ..core.search import matches
from .models import AuditEntry, EntryKind

# A detail key is refused when one of its words names a secret ("password", "new_password",
# "token_hash", "api-token", "secretKey"), unless its last word says it only points at one
# ("token_id", "token_name", "token_prefix", "password_changed_at" are fine).
_SECRET_WORDS = frozenset({"password", "passwd", "pwd", "passphrase", "token", "secret", "hash", "hashed",
                           "otp", "apikey", "credential", "credentials", "cookie"})
_HARMLESS_LAST_WORDS = frozenset({"id", "ids", "name", "prefix", "count", "at", "kind", "changed", "length"})


def _words(key: str) -> list[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", key)
    return [w for w in re.split(r"[^a-z0-9]+", spaced.lower()) if w]


def is_secret_key(key: str) -> bool:
    words = _words(key)
    if not words or not any(w in _SECRET_WORDS for w in words):
        return False
    return not (len(words) > 1 and words[-1] in _HARMLESS_LAST_WORDS)


def check_no_secrets(detail: Any, path: str = "detail") -> None:
    """Raise ValueError when any key, at any depth, looks like it holds a secret."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            if is_secret_key(str(key)):
                raise ValueError(f"{path}[{key!r}] looks like a secret; the audit trail never stores secrets")
            check_no_secrets(value, f"{path}[{key!r}]")
    elif isinstance(detail, list | tuple):
        for i, value in enumerate(detail):
            check_no_secrets(value, f"{path}[{i}]")


def jsonable(value: Any) -> Any:
    """A value as the audit log stores it: dates as ISO text, enums by value, sets as sorted lists."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return sorted((jsonable(v) for v in value), key=str)
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return str(value)


# --- Who is acting ---------------------------------------------------------------------------

ACTOR_KEY = "actor_id"


def set_actor(session: Session, user: User | int | None) -> None:
    """Name the person on whose behalf this session works (a command's `--as`, a test)."""
    session.info[ACTOR_KEY] = user.id if isinstance(user, User) else user


def current_actor_id(session: Session) -> int | None:
    """The acting user: the session's named actor, else the API token's user, else the signed-in
    user of this request; None for the system (scheduler, commands without `--as`)."""
    if ACTOR_KEY in session.info:
        return session.info[ACTOR_KEY]
    if has_app_context():
        for name in ("api_user", "_login_user"):  # only users already loaded: no query inside a flush
            user = g.get(name)
            if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "id", None):
                return int(user.id)
    return None


def client_ip() -> str | None:
    return request.remote_addr if has_request_context() else None


# --- Security events -------------------------------------------------------------------------


def security_event(session: Session, kind: str, *, now: datetime, user: User | None = None,
                   email: str | None = None, ip: str | None = None, detail: dict[str, Any] | None = None) -> None:
    """Record a security event (kinds used by others: "login", "login_failed", "login_throttled", "logout",
    "password_changed", "password_reset_requested", "password_reset", "sessions_ended", "token_created",
    "token_revoked", "token_used", "role_changed", "account_disabled", "expert_erased", "data_exported",
    "consent_given", "consent_withdrawn", "outbox_retried"). Adds a row and flushes; never commits. Refuses (ValueError) any
    detail key that looks like a secret (password, token, secret, hash).

    `user` is the account the event concerns (it is the actor too unless someone else is acting: an
    admin changing a role); `ip` defaults to the request's address. Keys that only point at a secret
    ("token_id", "token_name", "token_prefix") are accepted.
    """
    if not kind or len(kind) > 40:
        raise ValueError("a security event needs a short kind")
    if now.tzinfo is None:
        raise ValueError("naive datetime given; the audit trail stores aware UTC datetimes only")
    detail = dict(detail or {})
    check_no_secrets(detail)
    if user is not None and user.id is None:
        session.flush()  # a user created in this transaction: give it its id
    actor_id = current_actor_id(session)
    if actor_id is None and user is not None:
        actor_id = user.id
    typed = email or (user.email if user is not None else None)
    session.add(AuditEntry(
        at=now, kind=EntryKind.SECURITY, event=kind, actor_id=actor_id,
        object_type="user" if user is not None else None, object_id=user.id if user is not None else None,
        object_label=user.name if user is not None else None,
        # What was typed at a sign-in may be anything: kept to the column's length (addresses are at most 254).
        email=typed[:254] if typed else None,
        ip=(ip if ip is not None else client_ip()), changes={}, detail=jsonable(detail),
    ))
    session.flush()


# --- Reading the trail -----------------------------------------------------------------------

HISTORY_ON_PAGE = 20


def object_history(object_type: str, object_id: int) -> Select[tuple[AuditEntry]]:
    """One record's changes (its parts' too), newest first."""
    return (select(AuditEntry).options(joinedload(AuditEntry.actor))
            .where(AuditEntry.kind == EntryKind.CHANGE, AuditEntry.object_type == object_type,
                   AuditEntry.object_id == object_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()))


def recent_history(session: Session, object_type: str, object_id: int,
                   limit: int = HISTORY_ON_PAGE) -> tuple[list[AuditEntry], int]:
    """The latest `limit` entries of a record, and how many there are in all."""
    stmt = object_history(object_type, object_id)
    entries = list(session.scalars(stmt.limit(limit)))
    total = len(entries) if len(entries) < limit else session.scalar(
        select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    return entries, total


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    system_only: bool = False  # what no person did (the scheduler, commands, failed sign-ins)
    object_type: str | None = None
    object_id: int | None = None
    kind: EntryKind | None = None
    event: str | None = None
    date_from: date | None = None  # in the reader's time zone, both days included
    date_to: date | None = None
    timezone: str = "UTC"
    oldest_first: bool = False
    q: str | None = None  # words of the record's name or the e-mail address typed


def _day_start(day: date, zone: str) -> datetime:
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        tz = ZoneInfo("UTC")
    return datetime.combine(day, time(0, 0), tzinfo=tz).astimezone(UTC)


def actors(session: Session) -> list[tuple[int, str]]:
    """Everyone who appears in the log as the one who acted, by name."""
    acted = select(AuditEntry.actor_id).where(AuditEntry.actor_id.is_not(None)).distinct().subquery()
    return [(i, n) for i, n in session.execute(select(User.id, User.name).where(User.id.in_(select(acted)))
                                                .order_by(User.name, User.id))]


def search_entries(filters: AuditFilters) -> Select[tuple[AuditEntry]]:
    """The whole log, filtered; the newest first unless asked otherwise."""
    stmt = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if filters.actor_id is not None:
        stmt = stmt.where(AuditEntry.actor_id == filters.actor_id)
    if filters.system_only:
        stmt = stmt.where(AuditEntry.actor_id.is_(None))
    if filters.object_type:
        stmt = stmt.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id is not None:
        stmt = stmt.where(AuditEntry.object_id == filters.object_id)
    if filters.kind is not None:
        stmt = stmt.where(AuditEntry.kind == filters.kind)
    if filters.event:
        stmt = stmt.where(AuditEntry.event == filters.event)
    if filters.date_from is not None:
        stmt = stmt.where(AuditEntry.at >= _day_start(filters.date_from, filters.timezone))
    if filters.date_to is not None:
        stmt = stmt.where(AuditEntry.at < _day_start(filters.date_to + timedelta(days=1), filters.timezone))
    if filters.q:
        stmt = stmt.where(matches(filters.q, AuditEntry.search_key))
    if filters.oldest_first:
        return stmt.order_by(AuditEntry.at.asc(), AuditEntry.id.asc())
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


def changes_since(session: Session, object_type: str, object_id: int, version: int) -> list[AuditEntry]:
    """The changes a record had after `version` (the one a form was opened on), oldest first."""
    return list(session.scalars(
        select(AuditEntry).options(joinedload(AuditEntry.actor))
        .where(AuditEntry.kind == EntryKind.CHANGE, AuditEntry.object_type == object_type,
               AuditEntry.object_id == object_id, AuditEntry.object_version > version)
        .order_by(AuditEntry.at, AuditEntry.id)))


# --- Lost updates ----------------------------------------------------------------------------


OBJECT_TYPES: dict[str, str] = {"Action": "action", "Activity": "activity", "Request": "request",
                                "Expert": "expert", "Deployment": "deployment"}


def explain_stale_edit(obj: Any, *, session: Session, version: int | None, message: str,
                       field: str | None = None) -> ConcurrentChange:
    """The refusal of a save made on `version` of `obj`, naming what changed since then.

    The caller raises it; views show `message` followed by the summary (in the reader's language),
    the API answers 409 with the list of changes.
    """
    from .display import summary as summarise
    from .display import view_entries  # display reads the models of every package: imported when needed

    object_type = OBJECT_TYPES.get(type(obj).__name__, type(obj).__name__.lower())
    entries = changes_since(session, object_type, obj.id, version or 0)
    views = view_entries(session, entries)
    said = summarise(views)
    if not said and (version or 0) < obj.version:  # changed before the trail was kept, or only in its parts
        said = gettext("Someone saved it in the meantime (version %(old)s, now %(new)s).", old=version, new=obj.version)
    changes = [{"field": name, "old": pair[0], "new": pair[1], "by": view.actor, "at": jsonable(view.at),
                "event": view.entry.event}
               for view in views for name, pair in (view.entry.changes or {}).items()]
    said = " ".join(filter(None, [message, said]))  # the refusal and what changed: the API's message
    full = said + " " + gettext("Your input is kept below: check it against their changes, then save again to "
                                "keep your version.")
    return ConcurrentChange(full, field=field, changes=changes, summary=said, current_version=obj.version)

