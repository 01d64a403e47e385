"""Consent records and erasure records: what the privacy tools keep about their own work."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import Base
from ..experts.models import Expert


class ConsentPurpose(StrEnum):
    # Being kept on the roster and put forward for deployments.
    ROSTER = "roster"


class Consent(Base):
    """One consent, from when it was given (against a version of the notice) until it is withdrawn.

    Giving it again after a withdrawal adds a new row: the history stays readable.
    """

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR expert_id IS NOT NULL", name="has_subject"),
        CheckConstraint("withdrawn_at IS NULL OR withdrawn_at >= given_at", name="withdrawn_after_given"),
        # At most one open consent per expert and purpose, even when two clicks race.
        Index("uq_consents_open_expert_purpose", "expert_id", "purpose", unique=True,
              sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The account that gave it (the expert's own), and the roster record it covers.
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    expert_id: Mapped[int | None] = mapped_column(ForeignKey("experts.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(index=True)
    notice_version: Mapped[str] = mapped_column(String(20))  # the privacy notice the person read
    given_at: Mapped[datetime]
    withdrawn_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship()
    expert: Mapped[Expert | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.withdrawn_at is None


class Erasure(Base):
    """That an expert's personal data was erased, when and by whom; nothing about the person."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), unique=True)
    erased_at: Mapped[datetime]
    erased_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    files_removed: Mapped[int] = mapped_column(default=0)

    erased_by: Mapped[User] = relationship()
