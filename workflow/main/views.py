"""The home page each role lands on."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, g, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..accounts.access import signed_in
from ..accounts.models import Role
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.queries import action_counts_by_status, visibility, visible_actions
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..core.figures import remember
from ..core.web import now
from ..experts.models import Expert
from ..extensions import db
from ..requests.filters import QUEUE
from ..requests.models import Request
from ..requests.services import visible_requests
from ..todos.services import todo_list

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """Signed-in users land on their home page; the public on the catalogue."""
    if current_user.is_authenticated:
        return redirect(url_for(".home"))
    from ..catalogue.views import index as catalogue

    return catalogue()


@bp.get("/home")
@signed_in
def home():
    today = now().date()
    upcoming = _upcoming(today)
    queue = db.session.scalar(
        select(func.count()).select_from(visible_requests(current_user).where(Request.status.in_(QUEUE)).subquery())
    )
    my_requests = []
    if current_user.role is Role.REQUESTER:
        my_requests = db.session.scalars(
            visible_requests(current_user).order_by(Request.updated_at.desc()).limit(10)
        ).all()
    expert = None
    if current_user.role is Role.EXPERT:
        expert = db.session.scalar(
            select(Expert).where(Expert.user_id == current_user.id).options(selectinload(Expert.languages))
        )
    return render_template(
        "main/home.html",
        todos=_todos(),
        # The same for everyone who sees the same Actions: counted once per change of the portfolio.
        counts=remember(db.session, ("home.action_counts", visibility(current_user)),
                        lambda: action_counts_by_status(db.session, current_user)),
        statuses=list(ActionStatus),
        upcoming=upcoming,
        queue=queue,
        my_requests=my_requests,
        expert=expert,
    )


def _upcoming(today) -> list[Activity]:
    """The next activities of the Actions the user sees. Which ones is the same for everyone who sees the same
    Actions, so their ids are found once per day and change of the portfolio (workflow.core.figures); the
    rows themselves are read by primary key."""
    actions = visible_actions(current_user)

    def ids() -> tuple[int, ...]:
        return tuple(db.session.scalars(
            select(Activity.id)
            .where(
                # Each activity of the next 90 days asks whether its Action is visible (a few lookups), rather
                # than listing every visible Action first.
                actions.with_only_columns(Action.id).where(Action.id == Activity.action_id).exists(),
                Activity.start_date >= today,
                Activity.start_date <= today + timedelta(days=90),
                Activity.status.in_((ActivityStatus.PLANNED, ActivityStatus.CONFIRMED, ActivityStatus.POSTPONED)),
            )
            .order_by(Activity.start_date, Activity.id)
            .limit(10)))

    found = remember(db.session, ("home.upcoming", visibility(current_user), today), ids)
    if not found:
        return []
    rows = {activity.id: activity for activity in db.session.scalars(
        select(Activity).where(Activity.id.in_(found)).options(selectinload(Activity.action)))}
    return [rows[i] for i in found if i in rows]


def _todos():
    """The home page's to-dos, whose number is the menu's count (no second query for it)."""
    found = todo_list(db.session, current_user, now())
    g.todo_count = found.count
    return found.items


@bp.get("/health")
def health():
    db.session.execute(select(1))
    return {"status": "ok"}
