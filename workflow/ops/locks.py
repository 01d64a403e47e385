"""A job that must run on one scheduler at a time, however many schedulers run (several machines).

The e-mail passes need no lock: each message is claimed in its row (mail/outbox.py). A job that works on
a whole table at once (the daily retention rule) takes a PostgreSQL advisory lock for its transaction
instead: the first scheduler to ask runs it, the others skip that round, and the lock is released when
the transaction ends, even when the process holding it is killed (the server ends its connection).
SQLite needs none: it is one machine's database, and its write lock already lets one writer in.
"""

from __future__ import annotations

import zlib

from sqlalchemy import text
from sqlalchemy.orm import Session

NAMESPACE = 0x5046  # "PF": keeps our advisory locks apart from any other application's on the server


def lock_key(name: str) -> int:
    """The lock's number: stable across processes and machines (Python's own hash() is not)."""
    return zlib.crc32(name.encode())


def take_job_lock(session: Session, name: str) -> bool:
    """Take the lock `name` for the session's transaction, without waiting; False when another holds it."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(session.scalar(text("SELECT pg_try_advisory_xact_lock(:space, :key)"),
                               {"space": NAMESPACE, "key": lock_key(name) - 2**31}))
