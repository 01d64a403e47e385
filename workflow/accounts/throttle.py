"""Counting failed attempts per account and per client address, shared by every web process.

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

from .models import LoginFailure

if TYPE_CHECKING:
    from redis import Redis

log = logging.getLogger(__name__)
REDIS_PREFIX = "peerflow:failures:"
KEEP = timedelta(days=1)  # longer than any window (sign-in: 15 minutes, reset requests: an hour)


def failure_key(scope: str, value: str | None) -> str:
    """The stored key for an account ("account", e-mail) or an address ("address", IP)."""
    return hashlib.sha256(f"{scope}:{(value or '').strip().lower()}".encode()).hexdigest()


def sign_in_keys(email: str, ip: str | None) -> tuple[str, str]:
    return failure_key("account", email), failure_key("address", ip or "unknown")


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
