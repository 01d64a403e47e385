"""What every API view shares: the token's user, paging, role checks, sending once, kept uploads."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from flask import current_app, g
from sqlalchemy import Select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..actions.queries import get_action
from ..activities.models import Activity
from ..core.errors import DomainError, NotFound, PermissionDenied, StateConflict
from ..core.signals import stale_edit
from ..core.uploads import DOCUMENTS, StoredFile, remove_stored, store_form_upload
from ..core.web import already_submitted, now, paginate, remember_submission
from ..extensions import db


def me() -> User:
    return g.api_user


def page(stmt: Select[Any], args: dict[str, Any]) -> dict[str, Any]:
    found = paginate(db.session, stmt, args["page"], args["per_page"])
    return {"items": found.items, "total": found.total, "page": found.page, "per_page": found.per_page}


def listed(items: Sequence[Any], args: dict[str, Any]) -> dict[str, Any]:
    """A page of a list a service returned, paged as `page` pages a query (the last page if past it)."""
    per_page, total = args["per_page"], len(items)
    number = max(1, min(args["page"], -(-total // per_page)))
    start = (number - 1) * per_page
    return {"items": list(items[start:start + per_page]), "total": total, "page": number, "per_page": per_page}


def visible_activity(activity_id: int) -> Activity:
    """The activity, if its Action is one the caller may see (404 otherwise)."""
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        raise NotFound("No such activity.")
    get_action(db.session, me(), activity.action_id)
    return activity


def check_version(obj: Any, version: int | None, what: str) -> None:
    if version is not None and version != obj.version:
        raise stale_edit(db.session, obj, version, f"This {what} changed since version {version} (it is at "
                         f"{obj.version}); read it again and retry.", field="version")


def filled(data: dict[str, Any], *names: str) -> None:
    """A text sent must say something: only spaces would blank a required field (the page's "required")."""
    for name in names:
        if name in data and not data[name].strip():
            raise DomainError("This field cannot be blank.", field=name)


def commit(session: Session = None) -> None:  # type: ignore[assignment]
    (session or db.session).commit()


def require_staff() -> None:
    if not me().is_staff:
        raise PermissionDenied("Only programme staff may do that.")


def require_roles(*roles: Role, doing: str) -> None:
    """The page's role decorator, as a 403 naming who may do it."""
    if me().role not in roles:
        raise PermissionDenied(f"Only {', '.join(r.value for r in roles)} may {doing}.")


# --- Sending once ---------------------------------------------------------------------------------


class AlreadySubmitted(StateConflict):
    """The same creation was sent before (its Idempotency-Key): the first one stands, nothing more is done."""

    code = "already_submitted"


def _already(target: str) -> AlreadySubmitted:
    return AlreadySubmitted(f"This was already done for the same Idempotency-Key; its result is {target}.")


def first_time(headers: dict[str, Any]) -> str | None:
    """The record key of the request's Idempotency-Key (None without one); refused when already handled.

    As a page's form key: a double click, a retry after a lost answer, does the work once."""
    key = headers.get("idempotency_key")
    if not key:
        return None
    digest = hashlib.sha256(f"api:{me().id}:{key}".encode()).hexdigest()
    earlier = already_submitted(db.session, digest)
    if earlier is not None:
        raise _already(earlier.target_url)
    return digest


def remember(digest: str | None, target: str) -> None:
    """Record the creation under its key; the same key sent at the same moment loses (409), undoing its work."""
    if digest is None:
        return
    try:
        with db.session.begin_nested():
            remember_submission(db.session, digest, me().id, target, now())
    except IntegrityError:
        earlier = already_submitted(db.session, digest)
        raise _already(earlier.target_url if earlier else target) from None


# --- Uploads --------------------------------------------------------------------------------------


@contextmanager
def kept_upload(upload: Any, accepted: frozenset[str] = DOCUMENTS) -> Iterator[StoredFile | None]:
    """Store the request's file for the use case inside the block (which commits); if the block fails,
    the transaction is rolled back and the file removed, so no file outlives a refused request."""
    directory = current_app.config["UPLOAD_DIR"]
    stored = store_form_upload(upload, directory, current_app.config["UPLOAD_MAX_BYTES"], accepted)
    try:
        yield stored
    except BaseException:
        db.session.rollback()
        if stored:
            remove_stored(directory, stored.stored_name)
        raise
