"""The menu's count of to-dos: a template helper, counted once per page and only if the page shows it."""

from __future__ import annotations

from flask import Blueprint, g
from flask_login import current_user

from ..core.web import now
from ..extensions import db
from .services import TodoCount, todo_count

bp = Blueprint("todos", __name__)


def menu_count() -> TodoCount:
    """The signed-in user's number of to-dos (one query, remembered for the rest of the request; the home page
    gives it from its list)."""
    if current_user is None or not current_user.is_authenticated:
        return TodoCount(0, False)
    if "todo_count" not in g:
        g.todo_count = todo_count(db.session, current_user, now())
    return g.todo_count


@bp.app_context_processor
def _todo_count() -> dict:
    return {"todo_count": menu_count}
