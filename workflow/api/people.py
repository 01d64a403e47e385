"""/api/v1 experts, suggestions, deployments, me, portfolio"""

from __future__ import annotations

from flask.views import MethodView
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..actions.models import Action, FinalReport
from ..actions.services import get_action, visible_actions
from ..activities.models import Activity, ExpertSlot
from ..core.errors import NotFound
from ..core.web import now
from ..deployments.candidates import deployable_experts, load_candidates, slot_of
from ..deployments.lifecycle import BOOKED, DeploymentEvent
from ..deployments.models import Deployment
from ..deployments.services import (
    apply_deployment_event,
    approve_release,
    get_deployment,
    propose,
    record_mission_report,
)
from ..experts.models import Expert, ExpertStatus, ExpertType
from ..experts.services import RosterFilters, filtered_experts, get_expert
from ..extensions import db
from ..matching.engine import rank
from ..notifications.models import Notification
from ..reminders.models import Reminder
from .common import check_version, commit, me, page, require_staff
from .parsing import Blueprint
from .schemas import (
    DeploymentEventIn,
    DeploymentIn,
    DeploymentOut,
    ExpertOut,
    ExpertQuery,
    MeOut,
    MissionReportIn,
    NotificationOut,
    PageArgs,
    PortfolioOut,
    ReminderOut,
    SuggestionList,
    page_of,
)

blp = Blueprint("api_people", __name__, url_prefix="/api/v1", description="Experts, deployments and you")


@blp.route("/experts")
class Experts(MethodView):
    @blp.arguments(ExpertQuery, location="query")
    @blp.response(200, page_of(ExpertOut, "ExpertPage"))
    def get(self, args):
        """The roster you may see (staff: all; a focal point: their state's; an expert: themselves)."""
        filters = RosterFilters(theme=args.get("theme"), language=args.get("language"), country=args.get("country"),
                                type=ExpertType(args["type"]) if args.get("type") else None,
                                status=ExpertStatus(args["status"]) if args.get("status") else None, q=args.get("q"))
        stmt = filtered_experts(me(), filters).options(selectinload(Expert.languages), selectinload(Expert.themes))
        return page(stmt, args)


@blp.route("/experts/<id:expert_id>")
class OneExpert(MethodView):
    @blp.response(200, ExpertOut)
    def get(self, expert_id):
        return get_expert(db.session, me(), expert_id)


def _slot(slot_id: int) -> ExpertSlot:
    slot = db.session.get(ExpertSlot, slot_id)
    if slot is None:
        raise NotFound("No such slot.")
    get_action(db.session, me(), slot.activity.action_id)
    return slot


@blp.route("/slots/<id:slot_id>/suggestions")
class Suggestions(MethodView):
    @blp.response(200, SuggestionList)
    def get(self, slot_id):
        """Ranked candidates for the slot, each with the reasons behind its score (staff)."""
        require_staff()
        slot = slot_of(db.session, _slot(slot_id))
        candidates = load_candidates(db.session, deployable_experts(slot.activity_languages), today=now().date())
        ranked = rank(slot, candidates, limit=20)
        return {"considered": len(candidates), "items": [
            {"expert_id": r.candidate.expert_id, "name": r.candidate.name, "score": r.score,
             "parts": [{"factor": p.factor, "points": p.points, "reason": p.reason} for p in r.parts]}
            for r in ranked]}


@blp.route("/slots/<id:slot_id>/deployments")
class SlotDeployments(MethodView):
    @blp.arguments(DeploymentIn)
    @blp.response(201, DeploymentOut)
    def post(self, data, slot_id):
        """Propose an expert for the slot (and invite them, unless `invite` is false)."""
        slot = _slot(slot_id)
        expert = db.session.get(Expert, data["expert_id"])
        if expert is None:
            raise NotFound("No such expert.")
        moment = now()
        deployment = propose(db.session, slot, expert, actor=me(), now=moment, days=data.get("working_days"))
        if data["invite"]:
            apply_deployment_event(db.session, deployment, DeploymentEvent.INVITE, actor=me(), now=moment)
        commit()
        return deployment


@blp.route("/deployments/<id:deployment_id>")
class OneDeployment(MethodView):
    @blp.response(200, DeploymentOut)
    def get(self, deployment_id):
        return get_deployment(db.session, me(), deployment_id)


@blp.route("/deployments/<id:deployment_id>/events")
class DeploymentEvents(MethodView):
    @blp.arguments(DeploymentEventIn)
    @blp.response(200, DeploymentOut)
    def post(self, data, deployment_id):
        """Invite, accept or decline (the expert), confirm, complete, cancel, expire."""
        deployment = get_deployment(db.session, me(), deployment_id)
        check_version(deployment, data.get("version"), "deployment")
        apply_deployment_event(db.session, deployment, DeploymentEvent(data["event"]), actor=me(), now=now(),
                               reason=data.get("reason"))
        commit()
        return deployment


@blp.route("/deployments/<id:deployment_id>/release")
class Release(MethodView):
    @blp.response(200, DeploymentOut)
    def post(self, deployment_id):
        """The member-state focal point releases their official for this deployment."""
        deployment = get_deployment(db.session, me(), deployment_id)
        approve_release(db.session, deployment, actor=me(), now=now())
        commit()
        return deployment


@blp.route("/deployments/<id:deployment_id>/report")
class MissionReport(MethodView):
    @blp.arguments(MissionReportIn)
    @blp.response(200, DeploymentOut)
    def put(self, data, deployment_id):
        """The expert's mission report."""
        deployment = get_deployment(db.session, me(), deployment_id)
        record_mission_report(db.session, deployment, data["report"], actor=me(), now=now())
        commit()
        return deployment


@blp.route("/me")
class Me(MethodView):
    @blp.response(200, MeOut)
    def get(self):
        return me()


@blp.route("/me/notifications")
class MyNotifications(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(NotificationOut, "NotificationPage"))
    def get(self, args):
        return page(select(Notification).where(Notification.user_id == me().id)
                    .order_by(Notification.created_at.desc(), Notification.id.desc()), args)


@blp.route("/me/reminders")
class MyReminders(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ReminderOut, "ReminderPage"))
    def get(self, args):
        return page(select(Reminder).where(Reminder.recipient_id == me().id)
                    .order_by(Reminder.due_at.desc(), Reminder.id.desc()), args)


@blp.route("/portfolio")
class Portfolio(MethodView):
    @blp.response(200, PortfolioOut)
    def get(self):
        """Figures over the Actions you may see."""
        ids = visible_actions(me()).with_only_columns(Action.id).scalar_subquery()
        by_status = dict(db.session.execute(select(Action.status, func.count()).where(Action.id.in_(ids))
                                            .group_by(Action.status)).all())
        reports = db.session.execute(select(
            func.coalesce(func.sum(FinalReport.officials_trained_female + FinalReport.officials_trained_male
                                   + FinalReport.officials_trained_other), 0)).where(FinalReport.action_id.in_(ids)))
        experts = db.session.scalar(select(func.count(func.distinct(Deployment.expert_id)))
                                    .join(Activity, Deployment.activity_id == Activity.id)
                                    .where(Activity.action_id.in_(ids), Deployment.status.in_(BOOKED)))
        return {"actions": sum(by_status.values()), "actions_by_status": {s.value: n for s, n in by_status.items()},
                "activities": db.session.scalar(select(func.count()).select_from(Activity).where(
                    Activity.action_id.in_(ids))) or 0,
                "experts_deployed": experts or 0, "officials_trained": reports.scalar() or 0}
