"""Calendar feeds at secret, revocable URLs (no sign-in: the token is the key)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.models import Action
from ..activities.models import Activity
from ..core.web import now
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert
from ..extensions import db
from ..knowledge.queries import events_of_action
from .feeds import activities_feed, deployments_feed

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

ICS = "text/calendar; charset=utf-8"


def _token_ok(token: str) -> bool:
    return 20 <= len(token) <= 64


@bp.get("/experts/<token>.ics")
def expert_feed(token: str):
    expert = db.session.scalar(select(Expert).where(Expert.calendar_token == token)) if _token_ok(token) else None
    if expert is None:
        abort(404)
    deployments = db.session.scalars(
        select(Deployment)
        .where(Deployment.expert_id == expert.id,
               Deployment.status.in_((DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED)))
        .options(selectinload(Deployment.activity).selectinload(Activity.action))
        .order_by(Deployment.id)
    ).all()
    # A calendar client names no language: the feed is written in the expert's own.
    with force_locale((expert.user.locale if expert.user else None) or "en"):
        body = deployments_feed(f"Peerflow — {expert.name}", deployments,
                                base_url=current_app.config["PEERFLOW_BASE_URL"], stamp=now())
    return Response(body, mimetype="text/calendar", headers={"Content-Type": ICS, "Cache-Control": "private, max-age=300"})


@bp.get("/actions/<token>.ics")
def action_feed(token: str):
    action = db.session.scalar(select(Action).where(Action.calendar_token == token)) if _token_ok(token) else None
    if action is None:
        abort(404)
    activities = db.session.scalars(
        select(Activity).where(Activity.action_id == action.id).options(selectinload(Activity.action))
        .order_by(Activity.start_date, Activity.id)
    ).all()
    body = activities_feed(f"Peerflow — {action.name}", activities,
                           base_url=current_app.config["PEERFLOW_BASE_URL"], stamp=now(),
                           events=events_of_action(db.session, action.id))
    return Response(body, mimetype="text/calendar", headers={"Content-Type": ICS, "Cache-Control": "private, max-age=300"})
