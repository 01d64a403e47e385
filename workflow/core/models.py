"""Cross-cutting tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class FormSubmission(Base):
    """A creation form already handled: a second POST of the same form key is answered, not repeated."""

    __tablename__ = "form_submissions"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    target_url: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime]


class DataVersion(Base):
    """A random token replaced whenever a transaction that changed the data it stands for commits: figures
    cached under the old token are no longer used (see `workflow.core.figures`). Random rather than counted,
    so that a rolled-back change never leaves a cache entry that a later, different change would match."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    token: Mapped[int] = mapped_column(BigInteger)
