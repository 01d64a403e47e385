"""Creating, checking and revoking personal access tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.errors import DomainError, PermissionDenied
from .models import ApiToken, User

PREFIX = "pf_"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(session: Session, user: User, name: str, *, now: datetime) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and only its hash is kept."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError("Give the token a name of 1 to 100 characters.", field="name")
    plain = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name, token_hash=_hash(plain), prefix=plain[:10], created_at=now)
    session.add(token)
    session.flush()
    return token, plain


def user_for_token(session: Session, plain: str, *, now: datetime) -> User | None:
    """The active user a live token belongs to (and note its use), or None."""
    if not plain.startswith(PREFIX) or len(plain) > 100:
        return None
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(plain)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    token.last_used_at = now
    return token.user


def revoke_token(session: Session, token: ApiToken, *, actor: User, now: datetime) -> None:
    if token.user_id != actor.id and not actor.role.value == "admin":
        raise PermissionDenied("You can revoke only your own tokens.")
    token.revoked_at = token.revoked_at or now
    session.flush()
