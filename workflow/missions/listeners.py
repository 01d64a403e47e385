"""Where the mission shows on other pages: a link from the deployment page, the paperwork from the activity's."""

from __future__ import annotations

from typing import Any

from ..core import signals
from .permissions import is_staff, mission_permissions


def _deployment_page(_page: str, *, deployment: Any, user: Any, **_: Any) -> dict[str, Any]:
    return {"mission_link": True} if mission_permissions(deployment, user).see else {}


def _activity_page(_page: str, *, activity: Any, user: Any, **_: Any) -> dict[str, Any]:
    return {"papers_link": True} if is_staff(user) else {}


def connect() -> None:
    """Connect the mission's page hooks (idempotent)."""
    signals.page_extras.connect(_deployment_page, sender="deployments.show")
    signals.page_extras.connect(_activity_page, sender="activities.show")
