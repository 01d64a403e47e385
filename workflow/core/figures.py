"""Figures over the whole portfolio, computed once per change of the data and kept in each web process.

The dashboard, the public catalogue and the map add up thousands of rows; the data behind them changes
a few times an hour. So a session hook replaces the random token of `DataVersion("portfolio")` in every
transaction that changed a row the figures are made of, just before it commits (whichever page,
command or job wrote it: a hook, not a signal, so that no write path can forget). A package whose
tables count says so in its `models.py` (`__portfolio__ = True`: Actions, activities, deployments,
experts, evaluations, reference data); this module knows no package by name. And and `remember(key, compute)` keeps what `compute` returned under (key, token): one primary-key
read per request decides whether the figures are still those of the data. Each gunicorn worker keeps
its own copy; the first request after a change computes anew (the README gives the cold times).

What is remembered must be plain values (numbers, strings, tuples, dataclasses of those): never ORM
objects, which belong to the session that loaded them. Changes made with bulk SQL outside the ORM (the
synthetic seed) call `portfolio_changed(session)` themselves.
"""

from __future__ import annotations

import random
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import chain
from typing import Any, TypeVar

from flask import current_app, g, has_app_context
from sqlalchemy import ScalarSelect, Select, event, insert, select, update
from sqlalchemy.orm import Session

from ..database import AppSession
from .models import DataVersion
from .web import Page, paginate

T = TypeVar("T")

PORTFOLIO = "portfolio"
_CHANGED = "peerflow.portfolio_changed"
_TOKEN = "peerflow_portfolio_token"
EXTENSION_KEY = "peerflow.figures"
CAPACITY = 512  # remembered results per process; the oldest go first


def portfolio_changed(session: Session) -> None:
    """Replace the portfolio's token now (the hook calls this for ORM changes, just before commit)."""
    token = random.getrandbits(62)
    done = session.execute(update(DataVersion).where(DataVersion.name == PORTFOLIO).values(token=token))
    if not done.rowcount:
        session.execute(insert(DataVersion).values(name=PORTFOLIO, token=token))


def counts_in_portfolio(cls: type) -> bool:
    """Whether rows of `cls` are what the portfolio figures are made of (its module declares `__portfolio__`)."""
    module = sys.modules.get(cls.__module__)
    return bool(getattr(module, "__portfolio__", False))


def _after_flush(session: Session, _context: Any) -> None:
    if not session.info.get(_CHANGED) and any(
            counts_in_portfolio(type(obj)) for obj in chain(session.new, session.dirty, session.deleted)):
        session.info[_CHANGED] = True


def _before_commit(session: Session) -> None:
    # This hook runs before the commit's own flush: flush first, so that its changes count.
    if session.new or session.dirty or session.deleted:
        session.flush()
    # Not cleared on rollback: a savepoint rolled back inside a transaction that goes on to commit other
    # changes must still replace the token; a needless replacement only costs a recomputation.
    if session.info.pop(_CHANGED, False):
        portfolio_changed(session)
        if has_app_context():
            g.pop(_TOKEN, None)  # read again by the rest of this request


def install() -> None:
    """Replace the portfolio token in every app session whose transaction changed it (idempotent)."""
    for name, hook in (("after_flush", _after_flush), ("before_commit", _before_commit)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)


class Remembered:
    """A small least-recently-used store shared by the threads of one process."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity
        self.hits = self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
        value = compute()  # outside the lock: a slow computation never blocks the other threads' hits
        with self._lock:
            self.misses += 1
            self._items[key] = value
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def remembered() -> Remembered:
    return current_app.extensions.setdefault(EXTENSION_KEY, Remembered())


def token_column() -> ScalarSelect[int]:
    """The portfolio's current token as a column: the user loader reads it with the user, in one query."""
    return select(DataVersion.token).where(DataVersion.name == PORTFOLIO).scalar_subquery()


def token_read(token: int | None) -> None:
    """Note the token read with the user, so that `remember` needs no query of its own in this request."""
    if token is not None:
        setattr(g, _TOKEN, token)


def remember(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it returned for `key` when the portfolio was last exactly as it is now.

    A transaction that changed the portfolio itself computes afresh and keeps nothing: its changes may
    still be rolled back."""
    if not has_app_context() or session.info.get(_CHANGED):
        return compute()
    token = g.get(_TOKEN)
    if token is None:
        token = session.scalar(select(DataVersion.token).where(DataVersion.name == PORTFOLIO))
        if token is None:
            return compute()
        setattr(g, _TOKEN, token)
    return remembered().get((key, token), compute)


def remembered_page(session: Session, key: Hashable, stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """`paginate` with the count and the page's ids remembered: only the page's own rows are read
    (by primary key, with `stmt`'s eager loads), so the list costs the same whatever the portfolio's size.
    For lists that are the same for every reader (the public catalogue)."""
    entity = stmt.column_descriptions[0]["entity"]

    def locate() -> tuple[int, int, tuple[int, ...]]:
        found = paginate(session, stmt, page, per_page)
        return found.total, found.page, tuple(item.id for item in found.items)

    total, shown, ids = remember(session, ("page", key, page, per_page), locate)
    rows = {row.id: row for row in session.scalars(stmt.where(entity.id.in_(ids)).order_by(None)).unique()}
    return Page(items=[rows[i] for i in ids if i in rows], total=total, page=shown, per_page=per_page)
