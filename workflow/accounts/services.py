"""Use cases of accounts: creating users and checking a sign-in."""

from __future__ import annotations

from datetime import datetime

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.errors import DomainError
from ..reference.models import Institution
from .models import Role, User

MIN_PASSWORD = 10


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(f"Not a valid e-mail address: {error}", field="email") from None


def create_user(
    session: Session,
    *,
    email: str,
    name: str,
    role: Role,
    password: str,
    now: datetime,
    institution_id: int | None = None,
    country_code: str | None = None,
    is_demo: bool = False,
) -> User:
    email = normalise_email(email)
    if len(password) < MIN_PASSWORD:
        raise DomainError(f"The password needs at least {MIN_PASSWORD} characters.", field="password")
    if session.scalar(select(User.id).where(User.email == email)):
        raise DomainError(f"A user with the e-mail {email} already exists.", field="email")
    if role is Role.REQUESTER and institution_id is None:
        raise DomainError("A requester acts for an institution: give --institution.", field="institution_id")
    if institution_id is not None and session.get(Institution, institution_id) is None:
        raise DomainError(f"No institution with id {institution_id}.", field="institution_id")
    user = User(
        email=email, name=name, role=role, institution_id=institution_id, country_code=country_code,
        is_demo=is_demo, created_at=now,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same answer for every failure)."""
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None or not user.active or not user.check_password(password):
        return None
    return user
