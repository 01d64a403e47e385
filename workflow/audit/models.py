"""The audit log: one row per change to a tracked record, or per security event."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.search import Searchable
from ..database import Base


class EntryKind(StrEnum):
    CHANGE = "change"
    SECURITY = "security"


class AuditEntry(Searchable, Base):
    """Who did what, when: a change (created / updated / deleted / transition) or a security event.

    `changes` maps each changed field to `[old, new]` (JSON values: dates as ISO text, enums by
    value); `detail` holds the event's context (a transition's reason, a failed login's reason).
    Neither ever holds a password, a hash or a token: the recorder refuses them.
    """

    __tablename__ = "audit_entries"
    __search_fields__ = ("object_label", "email")  # what the log's search box matches
    __table_args__ = (Index("ix_audit_entries_object", "object_type", "object_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    kind: Mapped[EntryKind] = mapped_column(index=True)
    # "created", "updated", "deleted", "transition" for changes; the event's name ("login", …) otherwise.
    event: Mapped[str] = mapped_column(String(40), index=True)
    # Who did it; None for the system (scheduler, migrations) or an unknown visitor.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # What it was done to ("action", 12); a security event's subject is the user it concerns.
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None]
    # A readable name of the object when it was written ("Peru", "Workshop on …"), for the log page.
    object_label: Mapped[str | None] = mapped_column(String(200))
    # The record's version after the change (Actions, activities… carry one): a stale edit names what
    # changed since the version its form was opened on.
    object_version: Mapped[int | None]
    # The address typed at a login (the account may not exist) and the client's address.
    email: Mapped[str | None] = mapped_column(String(254))
    ip: Mapped[str | None] = mapped_column(String(45))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
