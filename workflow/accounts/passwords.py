"""Passwords: the policy a new one must meet, and hashing with Argon2id.

Hashes made before Argon2id (werkzeug's `scrypt:`/`pbkdf2:`) still verify, and are replaced by an
Argon2id hash at the next successful sign-in, as are Argon2id hashes made with other parameters.

The common-password list is `common_passwords.txt`, from the PyPI package django (see
`common_passwords.LICENSE` beside it for its source and licence).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context
from werkzeug.security import check_password_hash

from ..core.errors import DomainError
from ..core.i18n import _

MIN_LENGTH = 8
MAX_LENGTH = 1024  # passphrases are welcome; the limit only keeps a request from costing a minute of hashing
COMMON_PASSWORDS = Path(__file__).with_name("common_passwords.txt")

# OWASP's minimum for Argon2id (19 MiB, 2 passes, 1 lane): about 25 ms a hash on one core. Deployments
# can raise it (PASSWORD_HASH_PARAMETERS); the test app lowers it so that tests stay fast.
STANDARD_PARAMETERS: dict[str, int] = {"time_cost": 2, "memory_cost": 19 * 1024, "parallelism": 1}


@lru_cache(maxsize=8)
def _hasher_for(time_cost: int, memory_cost: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)


def _hasher() -> PasswordHasher:
    parameters: dict[str, Any] = STANDARD_PARAMETERS
    if has_app_context():
        parameters = current_app.config.get("PASSWORD_HASH_PARAMETERS") or STANDARD_PARAMETERS
    return _hasher_for(int(parameters["time_cost"]), int(parameters["memory_cost"]), int(parameters["parallelism"]))


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def _is_argon2(stored: str) -> bool:
    return stored.startswith("$argon2")


def verify_password(stored: str, password: str) -> bool:
    """Whether `password` matches the stored hash (Argon2id, or an older werkzeug hash)."""
    if len(password) > MAX_LENGTH or not stored:
        return False
    if _is_argon2(stored):
        try:
            return _hasher().verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    return check_password_hash(stored, password)


def needs_rehash(stored: str) -> bool:
    """An older kind of hash, or Argon2id with other parameters than the configured ones."""
    return not _is_argon2(stored) or _hasher().check_needs_rehash(stored)


@lru_cache(maxsize=8)
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash("no account has this password")


def waste_verification(password: str) -> None:
    """Spend the time a real check takes, so that an unknown e-mail answers no faster than a known one."""
    hasher = _hasher()
    try:
        hasher.verify(_dummy_hash(hasher), password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        pass


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with COMMON_PASSWORDS.open(encoding="utf-8") as lines:
        return frozenset(line.rstrip("\n").casefold() for line in lines if line.strip())


def password_problem(password: str) -> str | None:
    """Why `password` cannot be used (a message for the reader), or None when it is acceptable."""
    if len(password) < MIN_LENGTH or len(password) > MAX_LENGTH:
        return _("Use a password of %(low)s to %(high)s characters; a long passphrase is best.",
                 low=MIN_LENGTH, high=MAX_LENGTH)
    if password.casefold() in common_passwords() or password.strip().casefold() in common_passwords():
        return _("This password is one of the most common ones and easy to guess; choose another.")
    return None


def check_password_policy(password: str, field: str = "password") -> None:
    """Raise a DomainError on `field` when `password` does not meet the policy."""
    problem = password_problem(password)
    if problem:
        raise DomainError(problem, field=field)
