"""People who sign in, and what role they hold."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..database import Base
from ..reference.models import Institution


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    REQUESTER = "requester"
    MS_FOCAL_POINT = "ms_focal_point"
    EXPERT = "expert"


STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(index=True)
    # A requester acts for one institution; staff and experts need none.
    institution_id: Mapped[int | None] = mapped_column(ForeignKey("institutions.id"), index=True)
    # A member-state focal point speaks for one country.
    country_code: Mapped[str | None] = mapped_column(ForeignKey("countries.code"), index=True)
    locale: Mapped[str | None] = mapped_column(String(8))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]

    institution: Mapped[Institution | None] = relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)
