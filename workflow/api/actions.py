"""/api/v1/actions"""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..actions.filters import to_filters
from ..actions.lifecycle import ActionEvent
from ..actions.models import Action, ActionTransition
from ..actions.publishing import PublicTexts, set_public_details, set_published
from ..actions.queries import filtered_actions, get_action
from ..actions.services import (
    ActionEdit,
    FinalReportDraft,
    apply_action_event,
    record_final_report,
    update_action,
)
from ..core.errors import DomainError
from ..core.web import now
from ..extensions import db
from ..reference.models import ThematicArea
from .common import check_version, commit, filled, me, page, require_staff
from .parsing import Blueprint
from .schemas import ActionEventIn, ActionOut, ActionQuery, FinalReportIn, PageArgs, TransitionOut, page_of
from .schemas_actions import ActionEditIn, ActionPublicOut, PublicDetailsIn, PublishedIn

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

    @blp.arguments(ActionEditIn)
    @blp.response(200, ActionOut)
    def patch(self, data, action_id):
        """Edit the Action's fields (staff, while it is open); a stale `version` answers 409."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        check_version(action, data["version"], "Action")
        update_action(db.session, action, _edit(action, data), version=data["version"], actor=me(), now=now())
        commit()
        return action


def _edit(action: Action, data: dict) -> ActionEdit:
    """The page's edit: the fields sent, the others as they are."""
    filled(data, "name", "title")
    theme_id = action.thematic_area_id
    if data.get("thematic_area"):
        theme_id = db.session.scalar(select(ThematicArea.id).where(ThematicArea.code == data["thematic_area"]))
        if theme_id is None:
            raise DomainError("No such thematic area.", field="thematic_area")
    return ActionEdit(
        name=data.get("name", action.name), title=data.get("title", action.title).strip(),
        thematic_area_id=theme_id, objective=data.get("objective", action.objective).strip(),
        summary=data.get("summary", action.summary).strip(),
        planned_start=data.get("planned_start") or action.planned_start,
        planned_end=data["planned_end"] if "planned_end" in data else action.planned_end)


@blp.route("/actions/<id:action_id>/published")
class Published(MethodView):
    @blp.arguments(PublishedIn)
    @blp.response(200, ActionPublicOut)
    def put(self, data, action_id):
        """Show the Action in the public catalogue or take it out (staff); a stale `version` answers 409."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        check_version(action, data["version"], "Action")
        set_published(action, data["published"], version=data["version"], actor=me(), now=now())
        commit()
        return action


@blp.route("/actions/<id:action_id>/public-details")
class PublicDetails(MethodView):
    @blp.arguments(PublicDetailsIn)
    @blp.response(200, ActionPublicOut)
    def put(self, data, action_id):
        """Write the public texts in Spanish and French, and a regional Action's member countries (staff)."""
        require_staff()
        action = get_action(db.session, me(), action_id)
        check_version(action, data["version"], "Action")
        texts = {locale: PublicTexts(*(data[locale][name].strip() for name in ("title", "objective", "summary")))
                 for locale in ("es", "fr") if locale in data}
        members = data.get("member_countries")
        set_public_details(db.session, action, translations=texts,
                           member_countries=tuple(members) if members is not None else None,
                           version=data["version"], actor=me(), now=now())
        commit()
        return action


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
