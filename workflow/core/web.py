"""Helpers the views share: the clock, pagination, sorting and double-submit protection."""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from flask import abort, current_app, flash, redirect, request, send_file
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session
from werkzeug.routing import IntegerConverter

from ..extensions import db
from .errors import DomainError
from .i18n import _
from .models import FormSubmission
from .uploads import open_stored, remove_stored, store_form_upload

T = TypeVar("T")
R = TypeVar("R")

MAX_PER_PAGE = 100


API_PREFIX = "/api/v1"


def is_api_request() -> bool:
    """Whether this request is a call to the JSON API (answered in JSON, authenticated by token)."""
    return request.path.startswith(API_PREFIX + "/") or request.path == API_PREFIX


def now() -> datetime:
    """The current time (aware, UTC); tests replace the clock through `app.extensions`."""
    clock = current_app.extensions.get("peerflow.clock")
    return clock() if clock else datetime.now(UTC)


def per_page_arg() -> int:
    return int_arg("per_page", current_app.config["PER_PAGE"], high=MAX_PER_PAGE)


def int_arg(name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
    """A whole-number query argument; anything unreadable falls back to the default."""
    try:
        value = int(request.args.get(name, default))
    except (TypeError, ValueError):
        return default
    value = max(low, value)
    return min(high, value) if high is not None else value


@dataclass(frozen=True)
class Page(Generic[T]):
    items: Sequence[T]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return 0 if not self.total else (self.page - 1) * self.per_page + 1

    @property
    def last_index(self) -> int:
        return min(self.total, self.page * self.per_page)


def paginate(session: Session, stmt: Select[Any], page: int, per_page: int) -> Page[Any]:
    """Two queries whatever the size: the count, and one page of rows."""
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    page = max(1, min(page, max(1, math.ceil(total / per_page))))
    items = session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=items, total=total, page=page, per_page=per_page)


def new_form_key() -> str:
    return secrets.token_urlsafe(24)


def ensure_form_key(form: Any) -> None:
    """Give a creation form its one-time key the first time it is shown (kept when it is shown again)."""
    if not form.form_key.data:
        form.form_key.data = new_form_key()


def already_submitted(session: Session, key: str | None) -> FormSubmission | None:
    """The earlier handling of this creation form, if the same form was posted before."""
    return session.get(FormSubmission, key) if key else None


def remember_submission(session: Session, key: str | None, user_id: int, target_url: str, at: datetime) -> None:
    """Record that this form key has been handled; the unique key stops a concurrent duplicate."""
    if key:
        session.add(FormSubmission(key=key, user_id=user_id, target_url=target_url, created_at=at))
        session.flush()


def attach_error(form: Any, error: Exception) -> None:
    """Show a domain error on the form field it names, or at the top of the form."""
    message = getattr(error, "message", str(error))
    field = getattr(error, "field", None)
    current = getattr(error, "current_version", None)
    if current is not None and "version" in form:  # a stale edit: the user's input stays, on the current version
        form["version"].data, form["version"].raw_data = current, [str(current)]
    if field and field in form:
        form[field].errors = [*form[field].errors, message]
    else:
        form.form_errors.append(message)


def attempt(call: Callable[[], R], form: Any = None) -> R | None:
    """Run one use case; on a DomainError roll back, show why and return None.

    The message goes on `form` (its field, or the top of the form) or, without a form, into a
    flash message. On success the result is returned and the caller commits once.
    """
    try:
        return call()
    except DomainError as error:
        db.session.rollback()
        if form is not None:
            attach_error(form, error)
        else:
            flash(error.message, "danger")
        return None


def create_once(form: Any, create: Callable[[], R | None], *, target: Callable[[R], str], done: Callable[[R], str],
                repeated: str) -> Any:
    """Run a creation form's use case once: the same form posted again goes where the first went.

    Returns the redirect after a creation (the form's key remembered, the transaction committed, `done`
    flashed) or after a repeat (`repeated` flashed), and None when the use case refused (the message is
    on the form), so that the view shows the form again."""
    from flask import redirect  # noqa: PLC0415 - kept beside its only use
    from flask_login import current_user

    earlier = already_submitted(db.session, form.form_key.data)
    if earlier:
        flash(repeated, "info")
        return redirect(earlier.target_url)
    created = attempt(create, form)
    if not created:
        return None
    url = target(created)
    remember_submission(db.session, form.form_key.data, current_user.id, url, now())
    db.session.commit()
    flash(done(created), "success")
    return redirect(url)


def local_url(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`: never a redirect to elsewhere.

    Browsers drop tabs and line breaks inside a URL ("/<TAB>/evil.example" leads to //evil.example,
    another site), so a target with any control character is refused too, as is a backslash (read as "/").
    """
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target)):
        return target
    return fallback


MAX_ID = 2**31 - 1  # PostgreSQL's integer: a larger id cannot exist, so it is a 404, not a database error


class IdConverter(IntegerConverter):
    """`<id:action_id>`: a positive whole number that fits the id columns."""

    def __init__(self, url_map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(url_map, min=1, max=MAX_ID)


def create_with_upload(form: Any, target: str, create: Callable[[Any, str | None], Any], done: str) -> Any:
    """Run a creation form's use case that may keep its uploaded file (`form.file`), once: on a refusal the
    transaction rolls back, the file is removed again and the message goes on the form (None is returned)."""
    from flask_login import current_user  # noqa: PLC0415 - as in create_once
    earlier = already_submitted(db.session, form.form_key.data)
    if earlier:
        flash(_("This was already saved."), "info")
        return redirect(earlier.target_url)
    directory, stored = current_app.config["UPLOAD_DIR"], None
    try:
        stored = store_form_upload(form.file.data, directory, current_app.config["UPLOAD_MAX_BYTES"])
        create(stored, form.file.data.filename if stored else None)
        remember_submission(db.session, form.form_key.data, current_user.id, target, now())
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        if stored:
            remove_stored(directory, stored.stored_name)
        attach_error(form, error)
        return None
    except Exception:
        db.session.rollback()
        if stored:
            remove_stored(directory, stored.stored_name)
        raise
    flash(done, "success")
    return redirect(target)


def send_stored(record: Any, fallback_name: str) -> Any:
    """Send a record's uploaded file (`stored_name`, `content_type`, `file_name`) as a download; 404 without one.
    The caller has checked who may read it."""
    if record.stored_name is None:
        abort(404)
    handle = open_stored(current_app.config["UPLOAD_DIR"], record.stored_name)
    return send_file(handle, mimetype=record.content_type, as_attachment=True,
                     download_name=record.file_name or fallback_name)
