"""Erasure records: what the privacy tools keep about their own work (consents live with the experts)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..accounts.models import User
from ..database import Base


class Erasure(Base):
    """That an expert's personal data was erased, when and by whom; nothing about the person."""

    __tablename__ = "erasures"

    id: Mapped[int] = mapped_column(primary_key=True)
    expert_id: Mapped[int] = mapped_column(ForeignKey("experts.id"), unique=True)
    erased_at: Mapped[datetime]
    erased_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    files_removed: Mapped[int] = mapped_column(default=0)

    erased_by: Mapped[User] = relationship()
