"""What every API view shares: the token's user, paging, and the domain checks views used to do."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import Select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import PermissionDenied
from ..core.signals import stale_edit
from ..core.web import paginate
from ..extensions import db


def me() -> User:
    return g.api_user


def page(stmt: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    found = paginate(db.session, stmt, args["page"], args["per_page"])
    return {"items": found.items, "total": found.total, "page": found.page, "per_page": found.per_page}


def check_version(obj: Any, version: int | None, what: str) -> None:
    if version is not None and version != obj.version:
        raise stale_edit(db.session, obj, version, f"This {what} changed since version {version} (it is at "
                         f"{obj.version}); read it again and retry.", field="version")


def commit(session: Session = None) -> None:  # type: ignore[assignment]
    (session or db.session).commit()


def require_staff() -> None:
    if not me().is_staff:
        raise PermissionDenied("Only programme staff may do that.")
