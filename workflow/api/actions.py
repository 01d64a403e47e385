"""/api/v1/actions"""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.filters import to_filters
from ..actions.lifecycle import ActionEvent
from ..actions.models import Action, ActionTransition
from ..actions.queries import filtered_actions, get_action
from ..actions.services import FinalReportDraft, apply_action_event, record_final_report
from ..core.web import now
from ..extensions import db
from .common import check_version, commit, me, page, require_staff
from .parsing import Blueprint
from .schemas import ActionEventIn, ActionOut, ActionQuery, FinalReportIn, PageArgs, TransitionOut, page_of

blp = Blueprint("api_actions", __name__, url_prefix="/api/v1", description="Actions and their lifecycle")


@blp.route("/actions")
class Actions(MethodView):
    @blp.arguments(ActionQuery, location="query")
    @blp.response(200, page_of(ActionOut, "ActionPage"))
    def get(self, args):
        """The Actions you may see, with the list page's filters (region, country, theme, status, year)."""
        stmt = filtered_actions(me(), to_filters(request.args)).options(
            selectinload(Action.region), selectinload(Action.thematic_area), selectinload(Action.beneficiaries),
            selectinload(Action.activities))  # what its permissions read
        return page(stmt, args)


@blp.route("/actions/<id:action_id>")
class OneAction(MethodView):
    @blp.response(200, ActionOut)
    def get(self, action_id):
        return get_action(db.session, me(), action_id)


@blp.route("/actions/<id:action_id>/transitions")
class ActionTransitions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(TransitionOut, "TransitionPage"))
    def get(self, args, action_id):
        """The Action's history: who moved it, when, from where to where, and why."""
        action = get_action(db.session, me(), action_id)
        return page(select(ActionTransition).where(ActionTransition.action_id == action.id)
                    .order_by(ActionTransition.id), args)


@blp.route("/actions/<id:action_id>/events")
class ActionEvents(MethodView):
    @blp.arguments(ActionEventIn)
    @blp.response(200, ActionOut)
    def post(self, data, action_id):
        """Move the Action on; a refusal (409) says which rule stopped it."""
        action = get_action(db.session, me(), action_id)
        check_version(action, data.get("version"), "Action")
        apply_action_event(db.session, action, ActionEvent(data["event"]), actor=me(), now=now(),
                           reason=data.get("reason"), waiver=data.get("waiver"))
        commit()
        return action


@blp.route("/actions/<id:action_id>/final-report")
class FinalReport(MethodView):
    @blp.arguments(FinalReportIn)
    @blp.response(200, ActionOut)
    def put(self, data, action_id):
        """Write the final report (while the Action is in closing)."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        record_final_report(db.session, action, FinalReportDraft(**data), actor=me(), now=now())
        commit()
        return action
