"""Use cases of accounts: creating users, signing in, changing passwords, and admins' changes to users."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..core.errors import DomainError
from ..core.i18n import _
from ..core.signals import record_security_event
from ..reference.models import Country, Institution
from .models import PasswordReset, Role, User
from .passwords import check_password_policy, needs_rehash, waste_verification
from .signals import user_changed
from .throttle import FailureStore, Limit, failure_key, remember_known, throttle_keys, wait_needed

SUPPORTED_LOCALES = ("en", "es", "fr")


class SignInRefused(DomainError):
    """The password did not match (or the account is unknown or disabled: the same answer for each)."""

    code = "sign_in_refused"
    status = 401


class TooManyAttempts(DomainError):
    code = "too_many_attempts"
    status = 429

    def __init__(self, retry_after: int, message: str | None = None) -> None:
        minutes = max(1, -(-retry_after // 60))
        super().__init__(message or _("Too many failed attempts for this account or from this address. Wait "
                                      "%(minutes)s minutes and try again, or reset your password.", minutes=minutes))
        self.retry_after = retry_after


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_("Not a valid e-mail address: %(reason)s", reason=error), field="email") from None


def loggable_email(email: str) -> str | None:
    """The e-mail typed, for the audit trail, only if it looks like one (never a password typed in the wrong box)."""
    try:
        return normalise_email(email)
    except DomainError:
        return None


def _check_membership(session: Session, role: Role, institution_id: int | None, country_code: str | None) -> None:
    if role is Role.REQUESTER and institution_id is None:
        raise DomainError(_("A requester acts for an institution: give --institution."), field="institution_id")
    if institution_id is not None and session.get(Institution, institution_id) is None:
        raise DomainError(_("No institution with id %(id)s.", id=institution_id), field="institution_id")
    if role is Role.MS_FOCAL_POINT and not country_code:
        raise DomainError(_("A focal point speaks for a member state: give its country."), field="country_code")
    if country_code is not None and session.get(Country, country_code) is None:
        raise DomainError(_("No country with the code %(code)s.", code=country_code), field="country_code")


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
    check_password_policy(password)
    if session.scalar(select(User.id).where(User.email == email)):
        raise DomainError(_("A user with the e-mail %(email)s already exists.", email=email), field="email")
    if role is Role.REQUESTER and institution_id is None:
        raise DomainError(_("A requester acts for an institution: give --institution."), field="institution_id")
    if institution_id is not None and session.get(Institution, institution_id) is None:
        raise DomainError(_("No institution with id %(id)s.", id=institution_id), field="institution_id")
    user = User(
        email=email, name=name, role=role, institution_id=institution_id, country_code=country_code,
        is_demo=is_demo, created_at=now, password_changed_at=now,
    )
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def find_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same answer, in the same time, for every failure)."""
    user = find_user(session, email)
    if user is None:
        waste_verification(password)
        return None
    matches = user.check_password(password)  # checked even for a disabled account: no faster answer
    return user if matches and user.active else None


def sign_in(session: Session, email: str, password: str, *, now: datetime, ip: str | None,
            failures: FailureStore, limit: Limit) -> User:
    """Check a sign-in, throttled per account and per address; record the outcome.

    Raises TooManyAttempts once the account or the address has used up its failures in the window
    (the password is then not even checked), or SignInRefused. An account that has signed in from this
    address before answers to its own count there instead (see throttle.py). A success clears the
    account's count, records the address as known-good for the account, and re-hashes a password
    stored with an older scheme or other parameters.
    """
    account = find_user(session, email)
    keys = throttle_keys(session, None if account is None else account.id, email, ip, now=now)
    wait = wait_needed(failures, keys.checked, now=now, limit=limit)
    if wait is not None:
        record_security_event(session, "login_throttled", now=now, email=loggable_email(email), ip=ip)
        raise TooManyAttempts(wait)
    user = authenticate(session, email, password)
    if user is None:
        failures.add(keys.counted, now=now, window=limit.window)
        reason = "unknown_account" if account is None else ("disabled" if not account.active else "wrong_password")
        record_security_event(session, "login_failed", now=now, user=account, email=loggable_email(email), ip=ip,
                       detail={"reason": reason})
        raise SignInRefused(_("That e-mail and password do not match an active account."))
    for key in keys.cleared:
        failures.clear(key)
    remember_known(session, user.id, ip, now=now)
    if needs_rehash(user.password_hash):
        user.set_password(password)
    record_security_event(session, "login", now=now, user=user, ip=ip)
    session.flush()
    return user


def confirm_password(session: Session, user: User, password: str, *, now: datetime, ip: str | None,
                     failures: FailureStore, limit: Limit, field: str = "password") -> None:
    """The signed-in user typed their password again (before a sensitive action); throttled like signing in."""
    keys = throttle_keys(session, user.id, user.email, ip, now=now)
    wait = wait_needed(failures, keys.checked, now=now, limit=limit)
    if wait is not None:
        record_security_event(session, "login_throttled", now=now, user=user, ip=ip, detail={"step": "confirmation"})
        raise TooManyAttempts(wait)
    if not user.check_password(password):
        failures.add(keys.counted, now=now, window=limit.window)
        record_security_event(session, "login_failed", now=now, user=user, ip=ip,
                       detail={"reason": "wrong_password", "step": "confirmation"})
        raise SignInRefused(_("That is not your current password."), field=field)
    for key in keys.cleared:
        failures.clear(key)
    session.flush()


def set_new_password(session: Session, user: User, password: str, *, now: datetime, field: str = "password") -> None:
    """Store a new password (the policy applies), end every session and every unused reset link."""
    check_password_policy(password, field=field)
    user.set_password(password)
    user.password_changed_at = now
    user.end_sessions()
    session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                    .values(used_at=now).execution_options(synchronize_session=False))
    session.flush()


def change_password(session: Session, user: User, *, current: str, new: str, now: datetime, ip: str | None,
                    failures: FailureStore, limit: Limit) -> User:
    """The user's own change: the current password first, then the new one; every other session ends."""
    confirm_password(session, user, current, now=now, ip=ip, failures=failures, limit=limit,
                     field="current_password")
    set_new_password(session, user, new, now=now, field="new_password")
    failures.clear(failure_key("account", user.email))
    record_security_event(session, "password_changed", now=now, user=user, ip=ip)
    record_security_event(session, "sessions_ended", now=now, user=user, ip=ip, detail={"cause": "password_changed"})
    return user


def sign_out_everywhere(session: Session, user: User, *, now: datetime, ip: str | None) -> None:
    """Signing out ends every session of the user, on every device, and any copy of the cookie."""
    user.end_sessions()
    record_security_event(session, "logout", now=now, user=user, ip=ip)
    session.flush()


# --- Admins' changes to users ------------------------------------------------------------------


def _not_yourself(user: User, actor: User) -> None:
    if user.id == actor.id:
        raise DomainError(_("You cannot change your own role or disable your own account; ask another admin."))


def change_role(session: Session, user: User, *, role: Role, institution_id: int | None, country_code: str | None,
                actor: User, now: datetime) -> User:
    """Give `user` another role (with the institution or country that role needs)."""
    if actor.role is not Role.ADMIN:
        raise DomainError(_("Only an admin can change roles."))
    _not_yourself(user, actor)
    institution_id = institution_id if role is Role.REQUESTER else None
    country_code = country_code if role is Role.MS_FOCAL_POINT else None
    _check_membership(session, role, institution_id, country_code)
    before = (user.role, user.institution_id, user.country_code)
    if before == (role, institution_id, country_code):
        return user
    user.role, user.institution_id, user.country_code = role, institution_id, country_code
    record_security_event(session, "role_changed", now=now, user=user, detail={
        "from": before[0].value, "to": role.value, "institution_id": institution_id, "country": country_code})
    session.flush()
    user_changed.send(user, session=session, actor=actor, now=now, fields=("role", "institution_id", "country_code"))
    return user


def set_active(session: Session, user: User, active: bool, *, actor: User, now: datetime) -> User:
    """Disable an account (its sessions end at once, its API tokens stop working) or enable it again."""
    if actor.role is not Role.ADMIN:
        raise DomainError(_("Only an admin can disable or enable accounts."))
    _not_yourself(user, actor)
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.end_sessions()
        record_security_event(session, "account_disabled", now=now, user=user)
        record_security_event(session, "sessions_ended", now=now, user=user, detail={"cause": "account_disabled"})
    session.flush()
    user_changed.send(user, session=session, actor=actor, now=now, fields=("active",))
    return user


# --- Preferences -------------------------------------------------------------------------------


def timezones() -> list[str]:
    """IANA time zones (from the system, or the tzdata package where the system has none)."""
    return sorted(zone for zone in available_timezones() if "/" in zone and not zone.startswith(("Etc/", "SystemV/")))


def update_preferences(session: Session, user: User, *, name: str, locale: str | None, timezone: str) -> User:
    """Set how the user is named and how dates and country names are shown to them."""
    if timezone != "UTC" and timezone not in available_timezones():
        raise DomainError(_("Unknown time zone."), field="timezone")
    if locale and locale not in SUPPORTED_LOCALES:
        raise DomainError(_("That language is not available."), field="locale")
    # Set only what changed: a new language or time zone re-derives the user's reminders, a new name does not.
    changed = tuple(field for field, value in (("name", name.strip()), ("locale", locale or None),
                                               ("timezone", timezone)) if getattr(user, field) != value)
    for field, value in (("name", name.strip()), ("locale", locale or None), ("timezone", timezone)):
        if field in changed:
            setattr(user, field, value)
    session.flush()
    if changed:
        user_changed.send(user, session=session, actor=user, fields=changed)
    return user
