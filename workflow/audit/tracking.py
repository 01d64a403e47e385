"""Record every change to the tracked records, centrally, in the transaction that makes it.

An `after_flush` hook on every app session reads the attribute history of what the flush wrote
(the history is still there at that point, and new rows have their ids) and inserts one audit row
per changed record with its old and new values. Nothing has to remember to call it: pages, the API,
commands and the scheduler all go through a session. The rows are written on the same connection,
so a rollback takes them away with the change.

A lifecycle transition (a new *Transition row) reads as one "transition" entry on its record —
"Planned → Confirmed" with the reason — and absorbs the record's other changes of the same flush
(a postponement's new dates). Collections (an Action's beneficiaries, an activity's expert slots, an
expert's languages) are recorded as a field of their owner, only when their content changed.
Secrets are never read: password and token hashes, calendar tokens and stored file names are not
tracked, and any column whose name looks like a secret is skipped whatever the configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, insert, inspect, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import NO_VALUE

from ..core.auditing import AuditedTransition, Tracked
from ..core.clock import clock_now
from ..core.search import row_search_key
from ..database import AppSession, Base
from .models import AuditEntry, EntryKind
from .services import current_actor_id, is_secret_key, jsonable

# Never tracked, on any record: bookkeeping, and values that are secrets or lead to files.
EXCLUDED = frozenset({
    "id", "version", "created_at", "updated_at", "calendar_token", "password_hash", "token_hash",
    "stored_name", "cv_stored_name", "mission_report_file", "sha256", "status_before_suspension",
    "last_used_at", "is_demo", "invented", "invented_fields", "search_key",
})

# What each model declared (see workflow/core/auditing.py), read from the mapper registry once.
_declared: dict[str, Any] = {}


def _declarations() -> dict[str, Any]:
    if not _declared:
        classes = [mapper.class_ for mapper in Base.registry.mappers]
        _declared["tracked"] = {cls: cls.__dict__["__audit__"] for cls in classes if "__audit__" in cls.__dict__}
        _declared["transitions"] = {cls: cls.__dict__["__audit_transition__"] for cls in classes
                                    if "__audit_transition__" in cls.__dict__}
        _declared["items"] = tuple(cls for cls in classes if cls.__dict__.get("__audit_collection_item__"))
    return _declared


def tracked(cls: type) -> Tracked | None:
    """How `cls` is recorded, or None when the trail does not follow it."""
    return _declarations()["tracked"].get(cls)


def _columns(obj: Any, spec: Tracked) -> list[str]:
    mapper = inspect(type(obj))
    names = [attr.key for attr in mapper.column_attrs]
    if spec.include is not None:
        names = [n for n in names if n in spec.include]
    skip = {spec.parent_fk} if spec.parent_fk else set()
    return [n for n in names if n not in EXCLUDED and n not in skip and not is_secret_key(n)]


def _loaded(state: Any, key: str) -> Any:
    value = state.dict.get(key, NO_VALUE)
    return None if value is NO_VALUE else value


def _label(state: Any, spec: Tracked) -> str | None:
    value = _loaded(state, spec.label) if spec.label else None
    return str(value)[:200] if value not in (None, "") else None


def _column_changes(state: Any, names: list[str], before: dict[str, Any]) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name in names:
        history = state.attrs[name].history  # never loads: what the flush wrote, and what it replaced
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else before.get(name)
        new = history.added[0] if history.added else None
        old, new = jsonable(old), jsonable(new)
        if old != new:
            changes[name] = [old, new]
    return changes


def _sorted(values: list[Any]) -> list[Any]:
    return sorted(values, key=lambda v: str(v))


def _collection_changes(state: Any, spec: Tracked, created: bool) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for name, item in ({**spec.collections, **spec.on_create} if created else spec.collections).items():
        history = state.attrs[name].history
        if not history.has_changes():
            continue
        unchanged = list(history.unchanged or ())
        old = _sorted([jsonable(item(o)) for o in [*unchanged, *(history.deleted or ())]])
        new = _sorted([jsonable(item(o)) for o in [*unchanged, *(history.added or ())]])
        if created:
            old = None  # type: ignore[assignment]
        if old != new and (new or old):
            changes[name] = [old, new]
    return changes


def _initial_values(state: Any, names: list[str]) -> dict[str, list[Any]]:
    values = {}
    for name in names:
        value = jsonable(_loaded(state, name))
        if value not in (None, "", [], {}):
            values[name] = [None, value]
    return values


def _final_values(state: Any, names: list[str]) -> dict[str, list[Any]]:
    return {name: [value, None] for name, [_none, value] in _initial_values(state, names).items()}


@dataclass
class Pending:
    object_type: str
    object_id: int
    event: str
    changes: dict[str, list[Any]]
    label: str | None = None
    version: int | None = None
    actor_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _record_of(state: Any, obj: Any, spec: Tracked, kind: str) -> Pending | None:
    names = _columns(obj, spec)
    if kind == "created":
        changes = {**_initial_values(state, names), **_collection_changes(state, spec, created=True)}
    elif kind == "deleted":
        changes = _final_values(state, names) if spec.part else {}
    else:
        before = session_before(state).get(state.key, {}) if state.key is not None else {}
        changes = {**_column_changes(state, names, before), **_collection_changes(state, spec, created=False)}
        if not changes:
            return None
    version = _loaded(state, "version") if "version" in state.dict else None
    if spec.part:
        parent_id = _loaded(state, spec.parent_fk)
        if parent_id is None:
            return None
        detail = {"part": spec.part, "part_id": _loaded(state, "id")}
        if spec.label and _label(state, spec):
            detail["part_label"] = _label(state, spec)
        if spec.describe is not None:  # a part with no name: its history says which one by what it is
            key, describe = spec.describe
            detail[key] = describe(obj)
        if spec.edited_with:  # edited with its parent, whose version it moves: a stale edit names its changes too
            parent = state.dict.get(spec.edited_with) or state.session.identity_map.get(
                state.mapper.relationships[spec.edited_with].mapper.identity_key_from_primary_key((parent_id,)))
            version = _loaded(inspect(parent), "version") if parent is not None else None
            return Pending(spec.object_type, parent_id, kind, changes, detail=detail, version=version)
        return Pending(spec.object_type, parent_id, kind, changes, detail=detail)
    object_id = _loaded(state, "id")
    if object_id is None:
        return None
    return Pending(spec.object_type, object_id, kind, changes, label=_label(state, spec), version=version)


BEFORE = "audit.before"


def session_before(state: Any) -> dict[Any, dict[str, Any]]:
    session = state.session
    return session.info.get(BEFORE, {}) if session is not None else {}


def _read_replaced_values(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Before a flush: the stored values of fields set while they were not loaded (after a rollback
    expired them), which the attribute history cannot tell, read while the row still holds them."""
    session.info.pop(BEFORE, None)
    for obj in session.dirty:
        spec = tracked(type(obj))
        state = inspect(obj)
        if spec is None or state.key is None:
            continue
        blind = [n for n in _columns(obj, spec)
                 if (h := state.attrs[n].history).added and not h.deleted and not h.unchanged]
        if not blind:
            continue
        mapper = state.mapper
        columns = [mapper.columns[n] for n in blind]
        where = [col == value for col, value in zip(mapper.primary_key, state.key[1], strict=True)]
        row = session.connection().execute(select(*columns).where(*where)).first()
        if row is not None:
            session.info.setdefault(BEFORE, {})[state.key] = dict(zip(blind, row, strict=True))


def _transition_of(state: Any, key: AuditedTransition) -> Pending | None:
    object_type, fk = key.object_type, key.foreign_key
    object_id = _loaded(state, fk)
    from_status, to_status = _loaded(state, "from_status"), _loaded(state, "to_status")
    if object_id is None:
        return None
    if from_status is None:  # the creation's row: the "created" entry says it; only its actor is of use
        return Pending(object_type, object_id, "opened", {}, actor_id=_loaded(state, "actor_id"))
    detail: dict[str, Any] = {}
    if _loaded(state, "reason"):
        detail["reason"] = _loaded(state, "reason")
    return Pending(object_type, object_id, "transition", {"status": [jsonable(from_status), jsonable(to_status)]},
                   actor_id=_loaded(state, "actor_id"), detail=detail)


def collect(session: Session) -> tuple[list[Pending], dict[tuple[str, int], int]]:
    """What this flush changed, as audit records (called after the flush, before the history resets),
    and who its lifecycle rows say moved each record."""
    declared = _declarations()
    records: list[Pending] = []
    transitions: list[Pending] = []
    for kind, objects in (("created", session.new), ("updated", session.dirty), ("deleted", session.deleted)):
        for obj in objects:
            state = inspect(obj)
            cls = type(obj)
            if cls in declared["transitions"]:
                if kind == "created" and (record := _transition_of(state, declared["transitions"][cls])):
                    transitions.append(record)
                continue
            spec = declared["tracked"].get(cls)
            if spec is None or isinstance(obj, declared["items"]):
                continue
            if kind == "created" and spec.edited_with and state.dict.get(spec.edited_with) in session.new:
                continue  # made with its parent: in the parent's "created" entry
            record = _record_of(state, obj, spec, kind)
            if record is not None:
                records.append(record)
    # Merge each transition with the other changes its record had in the same flush.
    by_key = {(r.object_type, r.object_id): r for r in records if r.event == "updated" and not r.detail}
    named = {(t.object_type, t.object_id): t.actor_id for t in transitions if t.actor_id is not None}
    transitions = [t for t in transitions if t.event == "transition"]
    for transition in transitions:
        merged = by_key.pop((transition.object_type, transition.object_id), None)
        if merged is not None:
            records.remove(merged)
            transition.changes = {**merged.changes, **transition.changes}
            transition.version, transition.label = merged.version, merged.label
        records.append(transition)
    return records, named


# The entries this transaction wrote, by record: a record changed again in the same transaction by the
# same person (an Action given its beneficiaries just after it was created) updates its entry.
WRITTEN = "audit.written"


def _identity(record: Pending) -> tuple[Any, ...]:
    return (record.object_type, record.object_id, record.detail.get("part"), record.detail.get("part_id"))


def _fold(earlier: dict[str, list[Any]], later: dict[str, list[Any]], created: bool) -> dict[str, list[Any]]:
    """Two successive changes as one: the first old value, the last new one; a field back where it was drops."""
    merged = dict(earlier)
    for name, (old, new) in later.items():
        first = merged[name][0] if name in merged else (None if created else old)
        if first == new and not created:
            merged.pop(name, None)
        else:
            merged[name] = [first, new]
    return merged


def _write(session: Session, _flush_context: Any) -> None:
    records, named = collect(session)
    session.info.pop(BEFORE, None)
    if not records:
        return
    written: dict[tuple[Any, ...], dict[str, Any]] = session.info.setdefault(WRITTEN, {})
    table = AuditEntry.__table__
    connection = session.connection()
    actor = current_actor_id(session)
    if actor is None and named:
        # No signed-in user, but the lifecycle rows say who moved a record (a service given `actor` in a
        # command or job): theirs are that record's changes, in this flush and earlier in the transaction.
        unnamed = [e for e in written.values()
                   if e["actor_id"] is None and (e["object_type"], e["object_id"]) in named]
        for entry in unnamed:
            entry["actor_id"] = named[(entry["object_type"], entry["object_id"])]
            connection.execute(update(table).where(table.c.id == entry["id"]).values(actor_id=entry["actor_id"]))
    at = clock_now(session)
    new_rows, keys = [], []
    for r in records:
        row = {
            "at": at, "kind": EntryKind.CHANGE.value, "event": r.event,
            "actor_id": next((a for a in (r.actor_id, actor, named.get((r.object_type, r.object_id)))
                              if a is not None), None),
            "object_type": r.object_type, "object_id": r.object_id, "object_label": r.label,
            "object_version": r.version, "email": None, "ip": None,
            "changes": r.changes, "detail": jsonable(r.detail),
        }
        row["search_key"] = row_search_key(AuditEntry, row)  # Core rows: the session hook does not see them
        key = _identity(r)
        earlier = written.get(key)
        if (r.event == "updated" and earlier is not None and earlier["event"] in ("created", "updated")
                and earlier["actor_id"] == row["actor_id"]):
            earlier["changes"] = _fold(earlier["changes"], r.changes, earlier["event"] == "created")
            earlier["object_version"] = r.version if r.version is not None else earlier["object_version"]
            earlier["object_label"] = r.label or earlier["object_label"]
            earlier["search_key"] = row_search_key(AuditEntry, earlier)
            connection.execute(update(table).where(table.c.id == earlier["id"]).values(
                changes=earlier["changes"], object_version=earlier["object_version"],
                object_label=earlier["object_label"], search_key=earlier["search_key"]))
            continue
        new_rows.append(row)
        keys.append(key)
    if not new_rows:
        return
    ids = connection.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), new_rows).scalars()
    for key, row, row_id in zip(keys, new_rows, ids, strict=True):
        written[key] = {**row, "id": row_id}


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(WRITTEN, None)


def install() -> None:
    """Record the changes of every app session (idempotent)."""
    for name, hook in (("before_flush", _read_replaced_values), ("after_flush", _write),
                       ("after_commit", _forget), ("after_soft_rollback", _forget)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)
