"""Use cases of accounts: creating users and checking a sign-in."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.errors import DomainError
from ..core.i18n import _
from ..reference.models import Institution
from .models import Role, User

MIN_PASSWORD = 10
SUPPORTED_LOCALES = ("en", "es", "fr")


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_("Not a valid e-mail address: %(reason)s", reason=error), field="email") from None


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
        raise DomainError(_("The password needs at least %(count)s characters.", count=MIN_PASSWORD), field="password")
    if session.scalar(select(User.id).where(User.email == email)):
        raise DomainError(_("A user with the e-mail %(email)s already exists.", email=email), field="email")
    if role is Role.REQUESTER and institution_id is None:
        raise DomainError(_("A requester acts for an institution: give --institution."), field="institution_id")
    if institution_id is not None and session.get(Institution, institution_id) is None:
        raise DomainError(_("No institution with id %(id)s.", id=institution_id), field="institution_id")
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


def timezones() -> list[str]:
    """IANA time zones (from the system, or the tzdata package where the system has none)."""
    return sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))


def update_preferences(session: Session, user: User, *, name: str, locale: str | None, timezone: str) -> User:
    """Set how the user is named and how dates and country names are shown to them."""
    if timezone != "UTC" and timezone not in available_timezones():
        raise DomainError(_("Unknown time zone."), field="timezone")
    if locale and locale not in SUPPORTED_LOCALES:
        raise DomainError(_("That language is not available."), field="locale")
    user.name = name.strip()
    user.locale = locale or None
    user.timezone = timezone
    session.flush()
    return user
