"""Counting failed attempts per account and per client address, shared by every web process.

Signing in follows the OWASP Authentication Cheat Sheet: failures are counted per account (guessing at
one account is slowed whatever the addresses) and per address (one address guessing at many accounts
is slowed), and an account that has signed in successfully from an address before (a known-good
combination, kept in `known_sign_ins` for 90 days) is checked against its own count only: ten failures
from an office's NAT, or from anyone guessing at the account elsewhere, do not lock its user out there.

The counts live in Redis when `REDIS_URL` is set (a sorted set of failure times per key), else in
the `login_failures` table (a row per failure, counted in the window and purged after it), so that
several workers share them either way. Keys are SHA-256 digests: neither store names anyone.
"""

from __future__ import annotations

import hashlib
import logging
import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import KnownSignIn, LoginFailure

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)
REDIS_PREFIX = "peerflow:failures:"
KEEP = timedelta(days=1)  # longer than any window (sign-in: 15 minutes, reset requests: an hour)
KNOWN_FOR = timedelta(days=90)  # a combination not signed in from for this long is unknown again


def failure_key(scope: str, value: str | None) -> str:
    """The stored key for an account ("account", e-mail) or an address ("address", IP)."""
    return hashlib.sha256(f"{scope}:{(value or '').strip().lower()}".encode()).hexdigest()


def sign_in_keys(email: str, ip: str | None) -> tuple[str, str]:
    return failure_key("account", email), failure_key("address", ip or "unknown")


def address_key(ip: str | None) -> str:
    return failure_key("address", ip or "unknown")


@dataclass(frozen=True)
class SignInKeys:
    checked: tuple[str, ...]  # any of them used up: the attempt is refused before the password is checked
    counted: tuple[str, ...]  # a failure counts against each
    cleared: tuple[str, ...]  # a success clears them


def throttle_keys(session: Session, user_id: int | None, email: str, ip: str | None, *, now: datetime) -> SignInKeys:
    """Which counts a sign-in of this account (its id when it exists) from this address answers to."""
    account, address = sign_in_keys(email, ip)
    if user_id is None or not is_known(session, user_id, ip, now=now):
        return SignInKeys(checked=(account, address), counted=(account, address), cleared=(account,))
    combination = failure_key("known", f"{user_id}@{address}")
    return SignInKeys(checked=(combination,), counted=(account, address, combination),
                      cleared=(account, combination))


def is_known(session: Session, user_id: int, ip: str | None, *, now: datetime) -> bool:
    """Whether the account signed in successfully from this address within KNOWN_FOR."""
    return session.scalar(select(KnownSignIn.id).where(
        KnownSignIn.user_id == user_id, KnownSignIn.address_key == address_key(ip),
        KnownSignIn.last_success_at > now - KNOWN_FOR).limit(1)) is not None


def remember_known(session: Session, user_id: int, ip: str | None, *, now: datetime) -> None:
    """Record a successful sign-in of the account from the address (at most one write a day per pair)."""
    key = address_key(ip)
    rows = session.scalars(select(KnownSignIn).where(KnownSignIn.user_id == user_id,
                                                     KnownSignIn.address_key == key)).all()
    if rows:
        latest = max(rows, key=lambda row: row.last_success_at)
        if now - latest.last_success_at >= timedelta(days=1):
            latest.last_success_at = now
        return
    # Pairs unused for longer than KNOWN_FOR are of no use: each new pair sweeps them (indexed).
    session.execute(delete(KnownSignIn).where(KnownSignIn.last_success_at <= now - KNOWN_FOR)
                    .execution_options(synchronize_session=False))
    session.add(KnownSignIn(user_id=user_id, address_key=key, last_success_at=now))
    session.flush()


@dataclass(frozen=True)
class Limit:
    attempts: int  # failures allowed in the window; the next attempt is refused
    window: timedelta


class FailureStore(Protocol):
    def count(self, key: str, *, now: datetime, window: timedelta) -> tuple[int, datetime | None]:
        """Failures of `key` in the window ending `now`, and the oldest of them."""

    def add(self, keys: Iterable[str], *, now: datetime, window: timedelta) -> None: ...

    def clear(self, key: str) -> None: ...


class DatabaseFailures:
    """A row per failure in `login_failures`; written in the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def count(self, key: str, *, now: datetime, window: timedelta) -> tuple[int, datetime | None]:
        found, oldest = self.session.execute(
            select(func.count(), func.min(LoginFailure.failed_at))
            .where(LoginFailure.key == key, LoginFailure.failed_at > now - window)).one()
        return int(found), oldest

    def add(self, keys: Iterable[str], *, now: datetime, window: timedelta) -> None:
        # Rows older than every window are of no use any more: each failure sweeps them (the index
        # on failed_at keeps this cheap), so the table holds about a day of failures at most.
        self.session.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - max(window, KEEP))
                             .execution_options(synchronize_session=False))
        self.session.add_all(LoginFailure(key=key, failed_at=now) for key in keys)
        self.session.flush()

    def clear(self, key: str) -> None:
        self.session.execute(delete(LoginFailure).where(LoginFailure.key == key)
                             .execution_options(synchronize_session=False))


class RedisFailures:
    """A sorted set of failure times per key, expiring with the window.

    When Redis does not answer, the database takes over for the rest of the request (one wait for
    Redis per request, not one per step): sign-ins stay throttled, across workers, either way.
    """

    def __init__(self, client: Redis, fallback: DatabaseFailures) -> None:
        self.client, self.fallback = client, fallback
        self.down = False

    def _failed(self, error: Exception) -> None:
        log.warning("Redis unavailable for sign-in counters, using the database: %s", error)
        self.down = True

    def count(self, key: str, *, now: datetime, window: timedelta) -> tuple[int, datetime | None]:
        from redis import RedisError

        if self.down:
            return self.fallback.count(key, now=now, window=window)
        name, since = REDIS_PREFIX + key, (now - window).timestamp()
        try:
            pipe = self.client.pipeline()
            pipe.zremrangebyscore(name, "-inf", since)
            pipe.zcount(name, f"({since}", "+inf")
            pipe.zrangebyscore(name, f"({since}", "+inf", start=0, num=1, withscores=True)
            _removed, found, first = pipe.execute()
        except RedisError as error:
            self._failed(error)
            return self.fallback.count(key, now=now, window=window)
        oldest = datetime.fromtimestamp(first[0][1], UTC) if first else None
        return int(found), oldest

    def add(self, keys: Iterable[str], *, now: datetime, window: timedelta) -> None:
        from redis import RedisError

        keys = list(keys)
        if not self.down:
            try:
                pipe = self.client.pipeline()
                for key in keys:
                    pipe.zadd(REDIS_PREFIX + key, {uuid.uuid4().hex: now.timestamp()})
                    pipe.expire(REDIS_PREFIX + key, math.ceil(window.total_seconds()))
                pipe.execute()
                return
            except RedisError as error:
                self._failed(error)
        self.fallback.add(keys, now=now, window=window)

    def clear(self, key: str) -> None:
        from redis import RedisError

        if not self.down:
            try:
                self.client.delete(REDIS_PREFIX + key)
            except RedisError as error:
                self._failed(error)
        self.fallback.clear(key)  # failures counted there while Redis was away


def failure_store(session: Session) -> FailureStore:
    """Redis when the app has one (`REDIS_URL`), else the database."""
    from ..ops.redis import redis_client

    client = redis_client()
    database = DatabaseFailures(session)
    return RedisFailures(client, database) if client is not None else database


def wait_needed(store: FailureStore, keys: Iterable[str], *, now: datetime, limit: Limit) -> int | None:
    """Seconds to wait when any key has used up its attempts in the window, else None."""
    waits = []
    for key in keys:
        found, oldest = store.count(key, now=now, window=limit.window)
        if found >= limit.attempts:
            freed = (oldest or now) + limit.window  # when the oldest failure leaves the window
            waits.append(max(1, math.ceil((freed - now).total_seconds())))
    return max(waits) if waits else None
