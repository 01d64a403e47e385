"""The accounts' part of an expert's export and erasure: their sign-in account and its API tokens."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..core.privacy import erased_name, row
from .models import ApiToken


def export(expert: Any, *, session: Session) -> dict[str, Any]:
    user = expert.user
    return {"account": row(user, "email", "name", "role", "locale", "timezone", "active", "created_at")
            if user is not None else None}


def erase(expert: Any, *, session: Session, user: Any, **_: Any) -> list[str]:
    """Disable and anonymise the account: a password nobody knows, no tokens."""
    if user is not None:
        user.name = erased_name(expert.id)
        user.email = f"erased-user-{user.id}@erased.invalid"
        user.set_password(secrets.token_urlsafe(32))
        user.active = False
        user.locale, user.timezone, user.institution_id, user.country_code = None, "UTC", None, None
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    return []
