"""Pages of the audit trail: the admins' search of the whole log, and one record's full history."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, jsonify, render_template, request
from flask_login import current_user

from ..accounts.access import roles_required, staff_required
from ..accounts.models import Role
from ..core.errors import ConcurrentChange
from ..core.filters import list_query
from ..core.i18n import _
from ..core.web import int_arg, paginate, per_page_arg
from ..extensions import db
from .display import OBJECT_LABELS, object_type_label, object_url, view_entries
from .filters import filter_form, to_filters
from .history import record_history
from .services import object_history, recent_history, search_entries

bp = Blueprint("audit", __name__, url_prefix="/audit")
bp.add_app_template_global(record_history)  # the one history of a record's page (the `history` macro)

# Accounts and tokens: their history is the admins' business only.
ADMIN_ONLY = frozenset({"user", "api_token"})


@bp.get("/")
@roles_required(Role.ADMIN)
def index():
    form = filter_form(request.args)
    page = paginate(db.session, search_entries(to_filters(form.accepted(), current_user.timezone or "UTC")),
                    int_arg("page", 1), per_page_arg())
    return render_template("audit/index.html", form=form, page=page, entries=view_entries(db.session, page.items),
                           query=list_query(), object_url=object_url, object_type_label=object_type_label)


@bp.get("/<object_type>/<id:object_id>")
@staff_required
def record(object_type: str, object_id: int):
    """Every change of one record, newest first (its page shows the latest few)."""
    if object_type not in OBJECT_LABELS or (object_type in ADMIN_ONLY and current_user.role is not Role.ADMIN):
        abort(404)
    page = paginate(db.session, object_history(object_type, object_id), int_arg("page", 1), per_page_arg())
    if not page.total:
        abort(404)
    return render_template("audit/record.html", page=page, entries=view_entries(db.session, page.items),
                           object_type=object_type, object_id=object_id, type_label=object_type_label(object_type),
                           label=next((e.object_label for e in page.items if e.object_label), None),
                           url=object_url(object_type, object_id))


@bp.app_errorhandler(ConcurrentChange)
def concurrent_change(error: ConcurrentChange):
    """A stale save not handled by its page: the error page, or the API's 409 with what changed."""
    from ..api import error_response, is_api_request

    db.session.rollback()
    if not is_api_request():
        return render_template("errors.html", code=409, title=_("Not possible"), message=error.message), 409
    response = error_response(409, error.code, error.summary, {error.field: [error.summary]} if error.field else None)
    body = response.get_json()
    body["error"]["changes"] = error.changes
    return jsonify(body), 409


@bp.app_template_global()
def audit_history(object_type: str, object_id: int) -> dict[str, Any]:
    """The latest changes of a record, for the history section of its page (staff only)."""
    if not (current_user.is_authenticated and current_user.is_staff):
        return {"entries": [], "total": 0}
    entries, total = recent_history(db.session, object_type, object_id)
    return {"entries": view_entries(db.session, entries), "total": total, "object_type": object_type,
            "object_id": object_id}
