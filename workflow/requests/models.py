"""Requests for assistance from partner administrations, and their history."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..core.auditing import AuditedTransition, Tracked
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Institution, ThematicArea
from .lifecycle import RequestStatus

# Not portfolio figures, but what is remembered from these tables (the menu's to-do count) is kept with their
# data version: a change to any row replaces it (core/figures.py).
__versioned__ = True

if TYPE_CHECKING:
    from ..actions.models import Action


class Request(Searchable, Base):
    __tablename__ = "requests"
    __audit__ = Tracked("request", "title")
    __search_fields__ = ("title",)  # what its search box matches
    __table_args__ = (
        CheckConstraint("status != 'declined' OR decline_reason IS NOT NULL", name="declined_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("institutions.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)  # the need, in the requester's words
    thematic_area_id: Mapped[int] = mapped_column(ForeignKey("thematic_areas.id"), index=True)
    desired_start: Mapped[date | None]
    status: Mapped[RequestStatus] = mapped_column(index=True, default=RequestStatus.DRAFT)
    clarification_question: Mapped[str | None] = mapped_column(Text)
    clarification_answer: Mapped[str | None] = mapped_column(Text)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)  # the requester's, when they took it back
    # The staff member reviewing it: the one who started the review (or first asked or consulted on it).
    officer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    version: Mapped[int] = mapped_column(default=1)  # optimistic lock against stale edits

    __mapper_args__ = {"version_id_col": version}

    institution: Mapped[Institution] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    officer: Mapped[User | None] = relationship(foreign_keys=[officer_id])
    thematic_area: Mapped[ThematicArea] = relationship()
    action: Mapped[Action | None] = relationship(back_populates="request")
    transitions: Mapped[list[RequestTransition]] = relationship(
        back_populates="request", order_by="RequestTransition.id", cascade="all, delete-orphan"
    )


class RequestTransition(Base):
    __tablename__ = "request_transitions"
    __audit_transition__ = AuditedTransition("request", "request_id")

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("requests.id"), index=True)
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    at: Mapped[datetime]
    from_status: Mapped[RequestStatus | None]
    to_status: Mapped[RequestStatus]
    reason: Mapped[str | None] = mapped_column(Text)

    request: Mapped[Request] = relationship(back_populates="transitions")
    actor: Mapped[User] = relationship()
