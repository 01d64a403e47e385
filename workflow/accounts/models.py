"""People who sign in, what role they hold, and what keeps their sign-ins safe."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.auditing import Tracked
from ..core.search import Searchable
from ..database import Base
from ..reference.models import Institution
from .passwords import hash_password, verify_password


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    REQUESTER = "requester"
    MS_FOCAL_POINT = "ms_focal_point"
    EXPERT = "expert"
    STEERING = "steering"  # a Steering Committee member (or the EU delegation or desk consulted on requests)


STAFF_ROLES = frozenset({Role.ADMIN, Role.OFFICER})


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, Searchable, Base):
    __tablename__ = "users"
    __audit__ = Tracked("user", "name", include=(
        "email", "name", "role", "institution_id", "country_code", "locale", "timezone", "active"))
    __search_fields__ = ("name", "email")  # what its search box matches
    # Signing in looks the address up whatever its case (`accounts.services.user_by_email`): without this index,
    # every sign-in read the whole table (6 ms at scale 100 on PostgreSQL, a tenth of its database time under load).
    __table_args__ = (Index("ix_users_email_lower", func.lower("email")),)

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
    # Held by every session of this user (see accounts/sessions.py); replaced to end them all at once.
    # None (rows loaded in bulk, or from before sessions held it) until the next sign-in sets one.
    session_token: Mapped[str | None] = mapped_column(String(32), default=new_session_token)
    password_changed_at: Mapped[datetime | None]

    institution: Mapped[Institution | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts
        return self.active

    def get_id(self) -> str:
        """What a session keeps of its user: the id and the session token it began with."""
        return f"{self.id}:{self.session_token or ''}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    def set_password(self, password: str) -> None:
        """Store an Argon2id hash of `password` (the policy is the services' to check)."""
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        return verify_password(self.password_hash, password)

    def end_sessions(self) -> None:
        """Every session that holds the old token is over at its next request."""
        self.session_token = new_session_token()


class LoginFailure(Base):
    """One failed password check, kept for the throttling window (see throttle.py).

    `key` is a SHA-256 of "account:<e-mail>" or "address:<IP>": the table names nobody. A row per
    failure (rather than a counter to update) lets concurrent workers insert without conflicts.
    """

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_failed_at", "key", "failed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    failed_at: Mapped[datetime] = mapped_column(index=True)


class KnownSignIn(Base):
    """An account that has signed in successfully from an address: a known-good combination.

    The address is a SHA-256 like the failure keys. Failures from other accounts at the same address
    (an office behind one NAT, a proxy) do not stop this account signing in from it (see throttle.py).
    """

    __tablename__ = "known_sign_ins"
    __table_args__ = (Index("ix_known_sign_ins_user_id_address_key", "user_id", "address_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    address_key: Mapped[str] = mapped_column(String(64))
    last_success_at: Mapped[datetime] = mapped_column(index=True)


class PasswordReset(Base):
    """A password-reset link sent by e-mail: single use, short-lived, only its hash is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256: the token has 256 random bits
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]  # set when used, or when another link or a password change replaced it

    user: Mapped[User] = relationship()


# Personal access tokens for the JSON API, stored hashed (issued and checked in tokens.py).
class ApiToken(Base):
    __tablename__ = "api_tokens"
    __audit__ = Tracked("api_token", "name", include=("user_id", "name", "prefix", "revoked_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the token: the token itself is shown once and never stored. It carries 256 bits of
    # randomness, so a fast hash is enough (there is nothing to guess, unlike a password).
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists, to tell tokens apart
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()
