"""Cross-cutting tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, String, false
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base


class Provenance:
    """Whether a demo record is stated by the programme's public documents or invented to make the demo work.

    Real data (everything users create) keeps the defaults and is simply real: `invented` false and no
    `invented_fields`. A demo record the documents do not state at all has `invented` true; a stated
    record whose dates, figures or other values the demo had to invent lists those attribute names in
    `invented_fields`. Pages, exports and the public catalogue mark both (see `core.provenance`).
    """

    invented: Mapped[bool] = mapped_column(default=False, server_default=false())
    invented_fields: Mapped[list[str] | None] = mapped_column(default=None)

    def is_invented(self, field: str | None = None) -> bool:
        """The whole record invented, or (with `field`) that value invented."""
        if self.invented:
            return True
        return field is not None and field in (self.invented_fields or ())


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
