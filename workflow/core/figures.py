"""Figures over the whole portfolio, computed once per change of the data they are made of, kept per process.

The dashboard, the public catalogue and the map add up thousands of rows; the data behind them changes
a few times an hour. Each domain whose tables the figures are made of declares it in its `models.py`
(`__portfolio__ = True`: Actions, activities, deployments, experts, evaluations, reference data), and has a
random token of its own in `data_versions`, named after its package ("actions", "deployments" …). Domains that
are not portfolio figures but whose tables something remembered reads (the menu's to-do count reads requests,
consultations, calls, missions, reminders and e-mails) declare `__versioned__ = True` and have a token too. A
session hook replaces the token of every domain a transaction changed, just before it commits (whichever
page, command or job wrote it: a hook, not a signal, so that no write path can forget).

`remember(session, key, compute)` keeps what `compute` returned together with the tokens of the domains
whose tables its SQL read (seen on the connection while it ran, so no caller has to list them and none can
forget one): an answer to an expert changes the deployments' token, and the Action list, which reads no
deployment, stays warm. The user loader reads every token with the user in one query; the rest is memory.
Each gunicorn worker keeps its own copy; the first request after a change computes anew (the README gives
the cold times). Whether a request computed (cold) or found everything (warm) is told in its
`Server-Timing` header and log line.

What is remembered must be plain values (numbers, strings, tuples, dataclasses of those): never ORM
objects, which belong to the session that loaded them. Changes made with bulk SQL outside the ORM (the
synthetic seed) call `portfolio_changed(session)` themselves.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from functools import lru_cache
from itertools import chain
from typing import Any, TypeVar

from flask import current_app, g, has_app_context
from sqlalchemy import (
    Engine,
    ScalarSelect,
    Select,
    String,
    Table,
    cast,
    event,
    func,
    insert,
    inspect,
    select,
    update,
)
from sqlalchemy.orm import Session

from ..database import AppSession, Base
from .models import DataVersion
from .web import Page, paginate

T = TypeVar("T")

_CHANGED = "peerflow.portfolio_changed"  # session.info: the domains this transaction changed
_TOKENS = "peerflow_portfolio_tokens"  # g: {domain: token} as read in this request
_STATE = "peerflow_cache_state"  # g: "cold" once anything was computed, else "warm" once anything was found
EXTENSION_KEY = "peerflow.figures"
# Remembered results per process; the least recently used go first. Many are per visibility (an institution's
# requesters, an expert, a member state): at scale 100 that is hundreds of keys per page; and each person's to-do
# rows and count are two more (small) ones: the load test's 857 people alone would fill half of 2,048.
CAPACITY = 4096


# --- The domains and their tables ---------------------------------------------------------------------


def counts_in_portfolio(cls: type) -> bool:
    """Whether rows of `cls` are what the portfolio figures are made of (its module declares `__portfolio__`)."""
    module = sys.modules.get(cls.__module__)
    return bool(getattr(module, "__portfolio__", False))


def has_data_version(cls: type) -> bool:
    """Whether a change to a row of `cls` replaces a data version: the portfolio's tables, and those of the
    domains that declare `__versioned__` (requests, consultations, calls, missions, reminders, notifications:
    the menu's to-do count reads them)."""
    module = sys.modules.get(cls.__module__)
    return counts_in_portfolio(cls) or bool(getattr(module, "__versioned__", False))


def domain_of(cls: type) -> str | None:
    """The data version a change to a row of `cls` replaces: its package's name (or the class's own
    `__data_version__`, for a table whose changes should not replace the rest of its package's), or None."""
    if not has_data_version(cls):
        return None
    return getattr(cls, "__data_version__", None) or cls.__module__.rsplit(".", 2)[-2]


@lru_cache(maxsize=1)
def _domain_tables() -> dict[str, str]:
    """Every table of a portfolio domain (mapped classes and the association tables of their modules)."""
    found: dict[str, str] = {}
    for mapper in Base.registry.mappers:
        domain = domain_of(mapper.class_)
        if domain is None:
            continue
        for table in mapper.tables:
            found[table.name] = domain
        module = sys.modules[mapper.class_.__module__]
        found.update((value.name, domain) for value in vars(module).values() if isinstance(value, Table))
    return found


def domains() -> tuple[str, ...]:
    """The domains with a data version, in a fixed order."""
    return tuple(sorted(set(_domain_tables().values())))


@lru_cache(maxsize=1)
def portfolio_domains() -> frozenset[str]:
    """The domains the portfolio's figures are made of (not the requests, reminders … that only have a version)."""
    return frozenset(domain_of(mapper.class_) for mapper in Base.registry.mappers
                     if counts_in_portfolio(mapper.class_))


@lru_cache(maxsize=1)
def _table_pattern() -> re.Pattern[str]:
    names = sorted(_domain_tables(), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(name) for name in names) + r")\b")


# --- Replacing the tokens -----------------------------------------------------------------------------


def portfolio_changed(session: Session, changed: Iterable[str] | None = None) -> None:
    """Replace these domains' tokens now (all of them when not told which; the hook calls this before commit)."""
    for name in sorted(domains() if changed is None else set(changed)):
        token = random.getrandbits(62)
        done = session.execute(update(DataVersion).where(DataVersion.name == name).values(token=token))
        if not done.rowcount:
            session.execute(insert(DataVersion).values(name=name, token=token))


# The columns an outbox writes as it delivers an e-mail (workflow.mail.outbox), and the states a delivery moves
# between: waiting, claimed, sent, or waiting again for its next attempt.
DELIVERY_COLUMNS = frozenset({"state", "attempts", "last_error", "next_attempt_at", "claim_token", "claimed_at",
                              "sent_at", "updated_at", "to_address", "subject", "transport"})
DELIVERY_STATES = frozenset({"pending", "sending", "sent"})


def only_delivered(row: Any) -> bool:
    """Whether this flush only records an e-mail's delivery on `row` (an outbox row: a reminder, a notification
    e-mail): claimed, sent, or waiting for its next attempt. Nothing remembered reads that: the pages list the
    reminders still to come by their due time (a delivery never moves it), and the to-do counts count the failed
    e-mails, which replace the version (as do a cancellation, and any change to what the e-mail is about). The
    scheduler sends several e-mails a second under load; each replaced the whole domain's version, so that every
    page showing reminders or a to-do count was computed afresh."""
    state = inspect(row)
    changed = {attr.key for attr in state.attrs if attr.history.has_changes()}
    if not changed <= DELIVERY_COLUMNS:
        return False
    history = state.attrs.state.history
    before = getattr(history.deleted[0] if history.deleted else row.state, "value", None)
    return before in DELIVERY_STATES - {"sent"} and getattr(row.state, "value", None) in DELIVERY_STATES


def _replaces_version(obj: Any) -> bool:
    """Whether a changed row replaces its domain's data version: yes, unless its class says that this change is one
    nothing remembered reads (its `keeps_data_version()`: an e-mail's delivery recorded)."""
    keeps = getattr(obj, "keeps_data_version", None)
    return not (keeps is not None and keeps())


def _after_flush(session: Session, _context: Any) -> None:
    changed = {domain_of(type(obj)) for obj in chain(session.new, session.dirty) if _replaces_version(obj)}
    changed.update(domain_of(type(obj)) for obj in session.deleted)
    changed.discard(None)
    if changed:
        session.info.setdefault(_CHANGED, set()).update(changed)


def _before_commit(session: Session) -> None:
    # This hook runs before the commit's own flush: flush first, so that its changes count.
    if session.new or session.dirty or session.deleted:
        session.flush()
    # Not cleared on rollback: a savepoint rolled back inside a transaction that goes on to commit other
    # changes must still replace the token; a needless replacement only costs a recomputation.
    changed = session.info.pop(_CHANGED, None)
    if changed:
        portfolio_changed(session, changed)
        if has_app_context():
            g.pop(_TOKENS, None)  # read again by the rest of this request


# --- Which tables a computation reads -----------------------------------------------------------------

_reading = threading.local()  # the sets of domains being collected by this thread's computations


def _seen_statement(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    stack = getattr(_reading, "stack", None)
    if stack:
        found = set(_table_pattern().findall(statement))
        if found:
            tables = _domain_tables()
            for collected in stack:
                collected.update(tables[name] for name in found)


def _tracked(compute: Callable[[], T]) -> tuple[T, set[str]]:
    """`compute()` and the domains whose tables its statements named."""
    stack = _reading.__dict__.setdefault("stack", [])
    collected: set[str] = set()
    stack.append(collected)
    try:
        return compute(), collected
    finally:
        stack.pop()  # nested computations end first


def install() -> None:
    """Replace the tokens in every app session whose transaction changed them, and watch what computations
    read (idempotent)."""
    for name, hook in (("after_flush", _after_flush), ("before_commit", _before_commit)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)
    if not event.contains(Engine, "before_cursor_execute", _seen_statement):
        event.listen(Engine, "before_cursor_execute", _seen_statement)


# --- The remembered values ----------------------------------------------------------------------------


class Remembered:
    """A small least-recently-used store shared by the threads of one process: key -> (value, the tokens of the
    domains it was computed from)."""

    def __init__(self, capacity: int = CAPACITY) -> None:
        self._items: OrderedDict[Hashable, tuple[Any, tuple[tuple[str, int | None], ...]]] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity
        self.hits = self.misses = 0

    def find(self, key: Hashable, tokens: dict[str, int]) -> tuple[bool, Any, tuple[tuple[str, int | None], ...]]:
        with self._lock:
            item = self._items.get(key)
            if item is not None and all(tokens.get(name) == token for name, token in item[1]):
                self._items.move_to_end(key)
                self.hits += 1
                return True, item[0], item[1]
            return False, None, ()

    def keep(self, key: Hashable, value: Any, versions: tuple[tuple[str, int | None], ...] | None) -> None:
        with self._lock:
            self.misses += 1
            if versions is None:
                return
            self._items[key] = (value, versions)
            self._items.move_to_end(key)
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def remembered() -> Remembered:
    return current_app.extensions.setdefault(EXTENSION_KEY, Remembered())


def tokens_column() -> ScalarSelect[str]:
    """Every domain's current token as one column, "name:token,name:token…": the user loader reads it with the
    user, in one query (a column per domain cost the driver and the ORM more than the statement itself)."""
    return select(func.aggregate_strings(DataVersion.name + ":" + cast(DataVersion.token, String), ",")
                  ).scalar_subquery()


def token_read(tokens: str | None) -> None:
    """Note the tokens read with the user, so that `remember` needs no query of its own in this request."""
    known = set(domains())
    found: dict[str, int] = {}
    for pair in (tokens or "").split(","):
        name, _sep, token = pair.rpartition(":")
        if name in known and token:
            found[name] = int(token)
    setattr(g, _TOKENS, found)


def _tokens(session: Session) -> dict[str, int]:
    tokens = g.get(_TOKENS)
    if tokens is None:
        tokens = dict(session.execute(select(DataVersion.name, DataVersion.token)
                                      .where(DataVersion.name.in_(domains()))).tuples().all())
        setattr(g, _TOKENS, tokens)
    return tokens


def served(state: str) -> None:
    """Note that this request computed something remembered ("cold") or found it ("warm")."""
    if has_app_context() and g.get(_STATE) != "cold":
        setattr(g, _STATE, state)


def cache_state() -> str | None:
    """"cold" when this request computed a remembered value (or reloaded the roster pool), "warm" when it found
    every one it needed, None when it needed none."""
    return g.get(_STATE) if has_app_context() else None


def current_token(session: Session) -> int | None:
    """One token for the whole portfolio as this request sees it (every domain's token folded into one), for
    what is kept outside the process (files built once per data version); None when this transaction changed
    the portfolio or no token was written yet."""
    if session.info.get(_CHANGED):
        return None
    tokens = _tokens(session) if has_app_context() else dict(
        session.execute(select(DataVersion.name, DataVersion.token).where(DataVersion.name.in_(domains()))).tuples())
    tokens = {name: token for name, token in tokens.items() if name in portfolio_domains()}
    if not tokens:
        return None
    folded = hashlib.blake2b(repr(sorted(tokens.items())).encode(), digest_size=7).digest()  # the same in every process
    return int.from_bytes(folded, "big")


def remember(session: Session, key: Hashable, compute: Callable[[], T], *, told: bool = True) -> T:
    """`compute()`, or what it returned for `key` when the domains it read were last exactly as they are now.

    A transaction that changed the portfolio itself computes afresh and keeps nothing: its changes may
    still be rolled back. `told=False`: not told in the request's cache state (the menu's count, on every
    page: "cold" and "warm" tell of the page's own content)."""
    if not has_app_context() or session.info.get(_CHANGED):
        return compute()
    tokens = _tokens(session)
    store = remembered()
    found, value, versions = store.find(key, tokens)
    if found:
        for collected in getattr(_reading, "stack", ()):  # a computation that uses this one depends on it too
            collected.update(name for name, _token in versions)
        if told:
            served("warm")
        return value
    value, read = _tracked(compute)
    read = read or set(domains())  # nothing of the portfolio read: kept until anything in it changes
    # A domain without a token yet (no row in `data_versions`: nothing in it was written since the table was
    # made) is kept as None: the first write in it adds its token, which then differs.
    versions = tuple((name, tokens.get(name)) for name in sorted(read))
    store.keep(key, value, versions)
    if told:
        served("cold")
    return value


def _hashable(value: Any) -> Hashable:
    return tuple(map(_hashable, value)) if isinstance(value, list | tuple | set | frozenset) else value


def remembered_rows(session: Session, stmt: Select[Any]) -> tuple[tuple[Any, ...], ...]:
    """The rows of `stmt` (plain tuples), remembered under the statement itself (its SQLAlchemy cache key and
    parameter values) and the data versions of the tables it reads: a figure made of several statements
    remembers each apart, so a write recomputes only those that read what it changed (an expert's answer: the
    deployments' sums, not the cost lines')."""
    cache_key = stmt._generate_cache_key()
    if cache_key is None:  # a statement SQLAlchemy cannot key (none here so far): read every time
        return tuple(tuple(row) for row in session.execute(stmt))
    key = ("rows", cache_key.key, tuple(_hashable(bind.effective_value) for bind in cache_key.bindparams))
    return remember(session, key, lambda: tuple(tuple(row) for row in session.execute(stmt)))


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
