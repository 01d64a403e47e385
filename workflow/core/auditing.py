"""How a model declares what the audit trail records of it (the trail itself lives in workflow/audit/).

A model class sets `__audit__ = Tracked(...)`; a lifecycle's history row sets
`__audit_transition__ = AuditedTransition(object_type, foreign key)`; rows that the services replace
wholesale and that are recorded through their owner's collection set `__audit_collection_item__ = True`.
The trail finds them in the mapper registry: it imports no domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Item = Callable[[Any], Any]


def key_of(obj: Any) -> Any:
    """How a collection's item is recorded by default: its id, or its code."""
    return getattr(obj, "id", None) if getattr(obj, "id", None) is not None else getattr(obj, "code", None)


@dataclass(frozen=True)
class Tracked:
    """How one model is recorded."""

    object_type: str
    label: str | None = None  # the attribute that names a record ("name", "title")
    include: tuple[str, ...] | None = None  # the columns recorded; None: every column not excluded
    collections: dict[str, Item] = field(default_factory=dict)  # relationship -> how an item is recorded
    # A part shown in its parent's history (an Action's deliverable): the parent's foreign key and the part's name.
    parent_fk: str | None = None
    part: str | None = None
    # Collections recorded in the record's "created" entry only: later, each item is a part of its own.
    on_create: dict[str, Item] = field(default_factory=dict)
    # A part without a name (an expert slot): the detail key and function that say which one it is.
    describe: tuple[str, Item] | None = None
    # A part edited with its parent (through this relationship), whose version it moves: a stale edit of
    # the parent names the part's changes too, and a part created with its parent is in the parent's entry.
    edited_with: str | None = None


@dataclass(frozen=True)
class AuditedTransition:
    """A lifecycle's history row: recorded as one "transition" entry on the record it moves."""

    object_type: str
    foreign_key: str
