"""The deployable roster as a matching pool, kept warm in each web process and refreshed by what changed.

Loading 8,000 candidates with their languages, themes and bookings takes a second at a hundred times the
real portfolio; ranking them once loaded takes milliseconds. So each process keeps one `CandidatePool`
and, per request, asks the database one cheap question: has anything the pool depends on changed?

- A session hook writes a `RosterChange` row (the expert's id and a random nonce) in the same transaction
  as any change to an expert, their languages, themes, countries or unavailability, a deployment, or the
  dates, place or title of an activity (or the name of an Action) experts are deployed on. Whichever page,
  API call, command or job made the change, the row is there when, and only if, it commits.
- The pool remembers the changes it has applied. A fingerprint of the recent changes (count and sum of
  nonces above a watermark) and the newest expert and deployment ids tell in one statement whether it is
  current; when it is not, only the experts concerned are reloaded. Experts or deployments added in bulk
  without the ORM (the synthetic seed) are caught by the newest ids; a change that cannot be accounted
  for (a rolled-back change whose id was reused, a new day) rebuilds the whole pool.

The watermark stays SETTLE behind the newest change, so a transaction that took its change id early and
committed late is still seen. Bulk SQL UPDATEs of experts bypass the hook: call `roster_changed` after them.
"""

from __future__ import annotations

import gc
import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import chain
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy import event, func, insert, inspect, select
from sqlalchemy.orm import Session

from ..actions.models import Action
from ..activities.models import Activity
from ..core.clock import clock_now
from ..core.figures import served
from ..database import AppSession
from ..experts.models import Expert, ExpertLanguage, ExpertTheme, Unavailability
from ..extensions import db
from ..matching.facts import Candidate
from ..matching.pool import CandidatePool
from .candidates import deployable_experts, load_candidates
from .models import Deployment, RosterChange

# A change this old is taken as committed or abandoned: the watermark may pass it.
SETTLE = timedelta(minutes=15)
# Beyond this many changes above the watermark a full reload is cheaper than a partial one.
MAX_PENDING = 5_000
EXTENSION_KEY = "peerflow.candidate_pool"

_OWNED_BY_EXPERT = (ExpertLanguage, ExpertTheme, Unavailability, Deployment)
_BOOKING_FIELDS = ("start_date", "end_date", "is_remote", "title", "action_id", "status")
_PENDING_KEY = "peerflow.roster_changes"


# --- Writing the changes ------------------------------------------------------------------------------


def roster_changed(session: Session, expert_ids: Iterable[int], *, now: datetime) -> None:
    """Record that these experts' matching facts changed (the hook does this for ORM changes)."""
    rows = [{"expert_id": expert_id, "nonce": random.getrandbits(31), "changed_at": now}
            for expert_id in sorted(set(expert_ids))]
    if rows:
        session.connection().execute(insert(RosterChange), rows)


def _changed(obj: Any, names: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Experts deployed on a changed or deleted activity (or Action name): found before the rows go."""
    activity_ids, action_ids = set(), set()
    for obj in chain(session.dirty, session.deleted):
        if isinstance(obj, Activity) and obj.id is not None and (
                obj in session.deleted or _changed(obj, _BOOKING_FIELDS)):
            activity_ids.add(obj.id)
        elif isinstance(obj, Action) and obj.id is not None and (obj in session.deleted or _changed(obj, ("name",))):
            action_ids.add(obj.id)
    if not activity_ids and not action_ids:
        return
    stmt = select(Deployment.expert_id).join(Activity, Deployment.activity_id == Activity.id).where(
        Activity.id.in_(activity_ids) | Activity.action_id.in_(action_ids)).distinct()
    found = session.connection().execute(stmt).scalars()
    session.info.setdefault(_PENDING_KEY, set()).update(found)


def _after_flush(session: Session, _context: Any) -> None:
    expert_ids: set[int] = session.info.pop(_PENDING_KEY, set())
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Expert):
            if obj in session.new or obj in session.deleted or session.is_modified(obj):
                expert_ids.add(obj.id)
        elif isinstance(obj, _OWNED_BY_EXPERT):
            if obj in session.new or obj in session.deleted or session.is_modified(obj):
                expert_ids.add(obj.expert_id)
                expert_ids.update(v for v in inspect(obj).attrs.expert_id.history.deleted if v is not None)
    expert_ids.discard(None)  # type: ignore[arg-type]
    if expert_ids:
        roster_changed(session, expert_ids, now=clock_now(session))


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(_PENDING_KEY, None)


def install() -> None:
    """Record roster changes in every app session (idempotent)."""
    for name, hook in (("before_flush", _before_flush), ("after_flush", _after_flush),
                       ("after_rollback", _forget)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)


# --- The cached pool ----------------------------------------------------------------------------------


@dataclass
class _Loaded:
    day: date
    watermark: int  # every change up to this id is in the pool
    watermark_nonce: int | None
    applied: dict[int, int]  # change id -> nonce, above the watermark
    applied_sum: int
    newest_expert: int
    newest_deployment: int
    candidates: dict[int, Candidate]
    pool: CandidatePool
    reloads: int = 0


@dataclass
class PoolCache:
    """One process's pool (per app); `pool()` answers from memory when nothing changed."""

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loaded: _Loaded | None = None
    _next_day: threading.Thread | None = None
    full_loads: int = 0
    partial_loads: int = 0

    def pool(self, session: Session, *, today: date, now: datetime) -> CandidatePool:
        """The pool as of this transaction. Built whole only when nothing built it before (gunicorn's master
        builds it before forking the workers: `warm`); on a new day the new day's pool is built beside, in a
        thread, while requests keep ranking with the previous day's, kept current (it differs only by the
        deployments that ended or turned a year old overnight)."""
        with self._lock:
            loaded = self._loaded
            # In the background only where there is an app to build it with, and not in tests (a fixed clock).
            if loaded is None or (loaded.day != today and not (has_app_context() and not current_app.testing)):
                self._loaded = self._full(session, today, now)
            else:
                self._loaded = self._refresh(session, loaded, now)
                if loaded.day != today:
                    self._build_next_day(current_app._get_current_object(), today)
            return self._loaded.pool

    def _build_next_day(self, app: Flask, today: date) -> None:
        if self._next_day is not None and self._next_day.is_alive():
            return

        def build() -> None:
            with app.app_context():
                try:
                    session = db.session()
                    built = self._full(session, today, clock_now(session))
                finally:
                    db.session.remove()
            with self._lock:
                if self._loaded is None or self._loaded.day < today:
                    self._loaded = built

        self._next_day = threading.Thread(target=build, name="roster-pool-next-day", daemon=True)
        self._next_day.start()

    def clear(self) -> None:
        with self._lock:
            self._loaded = None

    def _full(self, session: Session, today: date, now: datetime) -> _Loaded:
        self.full_loads += 1
        served("cold")
        watermark, watermark_nonce = session.execute(
            select(RosterChange.id, RosterChange.nonce).where(RosterChange.changed_at < now - SETTLE)
            .order_by(RosterChange.id.desc()).limit(1)).one_or_none() or (0, None)
        applied = dict(session.execute(
            select(RosterChange.id, RosterChange.nonce).where(RosterChange.id > watermark)).tuples().all())
        newest_expert, newest_deployment = session.execute(_newest()).one()
        candidates = {c.expert_id: c for c in load_candidates(session, deployable_experts(), today=today)}
        pool = CandidatePool(candidates.values())
        # The pool is a few hundred thousand long-lived objects: left to the cyclic garbage collector, every
        # full collection would walk them all (a 140 ms pause in the middle of some request at scale 100).
        # Frozen, the collector skips them; they are acyclic, so reference counting frees the old pool.
        gc.freeze()
        return _Loaded(today, watermark, watermark_nonce, applied, sum(applied.values()), newest_expert or 0,
                       newest_deployment or 0, candidates, pool)

    def _refresh(self, session: Session, loaded: _Loaded, now: datetime) -> _Loaded:
        above = RosterChange.id > loaded.watermark
        newest_expert, newest_deployment, nonce, count, total = session.execute(select(
            select(func.max(Expert.id)).scalar_subquery(),
            select(func.max(Deployment.id)).scalar_subquery(),
            select(RosterChange.nonce).where(RosterChange.id == loaded.watermark).scalar_subquery(),
            select(func.count()).select_from(RosterChange).where(above).scalar_subquery(),
            select(func.coalesce(func.sum(RosterChange.nonce), 0)).where(above).scalar_subquery(),
        )).one()
        newest_expert, newest_deployment = newest_expert or 0, newest_deployment or 0
        if (nonce == loaded.watermark_nonce and count == len(loaded.applied) and total == loaded.applied_sum
                and newest_expert == loaded.newest_expert and newest_deployment == loaded.newest_deployment):
            return loaded  # the common case: nothing changed
        if (nonce != loaded.watermark_nonce or count - len(loaded.applied) > MAX_PENDING
                or newest_expert < loaded.newest_expert
                or newest_deployment < loaded.newest_deployment):
            return self._full(session, loaded.day, now)
        rows = session.execute(select(RosterChange.id, RosterChange.nonce, RosterChange.expert_id).where(above)).all()
        current = {change_id: nonce for change_id, nonce, _expert in rows}
        if any(current.get(change_id) != nonce for change_id, nonce in loaded.applied.items()):
            return self._full(session, loaded.day, now)  # an applied change was rolled back
        stale = {expert_id for change_id, _nonce, expert_id in rows if change_id not in loaded.applied}
        if newest_expert > loaded.newest_expert:
            stale.update(session.scalars(select(Expert.id).where(Expert.id > loaded.newest_expert)))
        if newest_deployment > loaded.newest_deployment:
            stale.update(session.scalars(
                select(Deployment.expert_id).where(Deployment.id > loaded.newest_deployment).distinct()))
        self.partial_loads += 1
        served("cold")
        candidates = dict(loaded.candidates)
        fresh = load_candidates(session, deployable_experts().where(Expert.id.in_(sorted(stale))),
                                today=loaded.day) if stale else []
        gone = stale - {c.expert_id for c in fresh}
        for expert_id in gone:
            candidates.pop(expert_id, None)
        candidates.update((c.expert_id, c) for c in fresh)
        # Only the rows of the experts concerned are written: the rest of the pool is never read again.
        pool = loaded.pool.updated(fresh, removed=gone)
        return _Loaded(loaded.day, loaded.watermark, loaded.watermark_nonce, current, sum(current.values()),
                       newest_expert, newest_deployment, candidates, pool, loaded.reloads + 1)


def _newest():
    return select(select(func.max(Expert.id)).scalar_subquery(), select(func.max(Deployment.id)).scalar_subquery())


def compile_templates(app: Flask) -> None:
    """Every template compiled once now rather than on the first page that needs it (gunicorn's master calls this
    before forking, so that no worker, nor one that replaces a recycled one, compiles on a request)."""
    for name in app.jinja_env.list_templates(filter_func=lambda name: name.endswith((".html", ".txt", ".ics"))):
        app.jinja_env.get_template(name)


def warm(app: Flask) -> None:
    """Build the app's pool now, off any request, and close the connection it used (gunicorn's master calls
    this before forking: each worker starts with the pool, and only brings it up to date)."""
    with app.app_context():
        try:
            session = db.session()
            now = clock_now(session)
            pool_cache().pool(session, today=now.date(), now=now)
        finally:
            db.session.remove()
    db.engine_of(app).dispose()


def pool_cache() -> PoolCache:
    """This app's cache (created on first use)."""
    return current_app.extensions.setdefault(EXTENSION_KEY, PoolCache())


def candidate_pool(session: Session, *, today: date, now: datetime) -> CandidatePool:
    """Every deployable expert as a matching pool, current as of this transaction."""
    return pool_cache().pool(session, today=today, now=now)
