"""/api/v1 experts, suggestions, deployments, me, portfolio"""

from __future__ import annotations

from dataclasses import replace

from flask import request
from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.models import Action
from ..actions.queries import get_action, visible_actions
from ..activities.models import ExpertSlot
from ..core.errors import DomainError, NotFound
from ..core.web import now
from ..dashboard.adopted import deliverables_adopted
from ..dashboard.countries import actions_per_country
from ..dashboard.filters import to_filters as portfolio_filters
from ..dashboard.services import actions_by_status, activities_per_year, portfolio
from ..deployments.candidates import deployable_experts, load_candidates, slot_of
from ..deployments.lifecycle import DeploymentEvent
from ..deployments.queries import get_deployment
from ..deployments.services import (
    apply_deployment_event,
    approve_release,
    propose,
    record_mission_report,
    refuse_release,
)
from ..experts.filters import to_filters as roster_filters
from ..experts.models import Expert
from ..experts.services import filtered_experts, get_expert
from ..extensions import db
from ..matching.engine import rank
from ..notifications.models import Notification
from ..reminders.models import Reminder
from .common import check_version, commit, me, page, require_staff
from .parsing import Blueprint
from .schemas import PageArgs, page_of
from .schemas_people import (
    DeploymentEventIn,
    DeploymentIn,
    DeploymentOut,
    ExpertOut,
    ExpertQuery,
    MeOut,
    MissionReportIn,
    NotificationOut,
    PortfolioOut,
    PortfolioQuery,
    ReleaseRefusalIn,
    ReminderOut,
    SuggestionList,
)

blp = Blueprint("api_people", __name__, url_prefix="/api/v1", description="Experts, deployments and you")


@blp.route("/experts")
class Experts(MethodView):
    @blp.arguments(ExpertQuery, location="query")
    @blp.response(200, page_of(ExpertOut, "ExpertPage"))
    def get(self, args):
        """The roster you may see (staff: all; a focal point: their state's; an expert: themselves)."""
        stmt = filtered_experts(me(), roster_filters(request.args)).options(selectinload(Expert.languages), selectinload(Expert.themes))
        return page(stmt, args)


@blp.route("/experts/<id:expert_id>")
class OneExpert(MethodView):
    @blp.response(200, ExpertOut)
    def get(self, expert_id):
        return get_expert(db.session, me(), expert_id)


def _slot(slot_id: int) -> ExpertSlot:
    slot = db.session.get(ExpertSlot, slot_id)
    if slot is None or slot.removed_at is not None:
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


@blp.route("/deployments/<id:deployment_id>/release/refuse")
class ReleaseRefusal(MethodView):
    @blp.arguments(ReleaseRefusalIn)
    @blp.response(200, DeploymentOut)
    def post(self, data, deployment_id):
        """The member-state focal point refuses to release their official: the deployment is cancelled, with why."""
        deployment = get_deployment(db.session, me(), deployment_id)
        refuse_release(db.session, deployment, data["reason"], actor=me(), now=now())
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
    @blp.arguments(PortfolioQuery, location="query")
    @blp.response(200, PortfolioOut)
    def get(self, args):
        """The dashboard's figures, with its filters, over the Actions you may see (staff: the whole
        portfolio, counted exactly as the dashboard counts it)."""
        if args.get("year_from") and args.get("year_to") and args["year_to"] < args["year_from"]:
            raise DomainError("The last year is before the first.", field="year_to")  # a rule across two fields
        caller = me()
        within = None if caller.is_staff else tuple(
            db.session.scalars(visible_actions(caller).with_only_columns(Action.id).order_by(None)))
        filters = replace(portfolio_filters(request.args), within=within)
        figures = portfolio(db.session, filters, detail=False).overall
        return {"actions": figures.actions,
                "actions_by_status": {s.value: n for s, n in actions_by_status(db.session, filters).items()},
                "activities": figures.activities, "experts_deployed": figures.experts,
                "member_states": figures.member_states, "officials": figures.officials,
                "women_officials": figures.women_officials, "officials_trained": figures.trained,
                "officials_trained_female": figures.trained_female, "officials_trained_male": figures.trained_male,
                "officials_trained_other": figures.trained_other,
                "activities_by_year": [{"year": row.year, "activities": row.total.count, "held": row.held,
                                        "planned": row.planned} for row in activities_per_year(db.session, filters)],
                "actions_by_country": {row.country_code: row.actions
                                       for row in actions_per_country(db.session, filters)},
                "deliverables_adopted_by_year": [{"year": row.year, "adopted": row.total, "regions": row.regions}
                                                 for row in deliverables_adopted(db.session, filters)]}
