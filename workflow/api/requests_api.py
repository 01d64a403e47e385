"""/api/v1/requests"""

from __future__ import annotations

from flask import request
from flask.views import MethodView
from sqlalchemy import select

from ..core.web import now
from ..extensions import db
from ..reference.models import ThematicArea
from ..requests.filters import filtered_requests, to_filters
from ..requests.lifecycle import RequestEvent
from ..requests.models import Request
from ..requests.services import (
    RequestDraft,
    accept_request,
    apply_request_event,
    create_request,
    get_request,
    update_request,
)
from .common import commit, me, page
from .parsing import Blueprint
from .schemas import RequestEdit, RequestEventIn, RequestIn, RequestOut, RequestQuery, page_of

blp = Blueprint("api_requests", __name__, url_prefix="/api/v1", description="Requests for assistance")


def _draft(data: dict) -> RequestDraft:
    area = db.session.scalar(select(ThematicArea).where(ThematicArea.code == data["thematic_area"]))
    return RequestDraft(title=data["title"].strip(), description=data["description"].strip(),
                        thematic_area_id=area.id, desired_start=data.get("desired_start"))


@blp.route("/requests")
class Requests(MethodView):
    @blp.arguments(RequestQuery, location="query")
    @blp.response(200, page_of(RequestOut, "RequestPage"))
    def get(self, args):
        """The requests you may see (your institution's, or all for staff)."""
        return page(filtered_requests(me(), to_filters(request.args)).order_by(Request.id.desc()), args)

    @blp.arguments(RequestIn)
    @blp.response(201, RequestOut)
    def post(self, data):
        """Draft a request for your institution (requesters)."""
        created = create_request(db.session, _draft(data), actor=me(), now=now())
        commit()
        return created


@blp.route("/requests/<id:request_id>")
class OneRequest(MethodView):
    @blp.response(200, RequestOut)
    def get(self, request_id):
        return get_request(db.session, me(), request_id)

    @blp.arguments(RequestEdit)
    @blp.response(200, RequestOut)
    def patch(self, data, request_id):
        """Edit a draft, or a request sent back for clarification."""
        item = get_request(db.session, me(), request_id)
        update_request(db.session, item, _draft(data), version=data["version"], actor=me(), now=now())
        commit()
        return item


@blp.route("/requests/<id:request_id>/events")
class RequestEvents(MethodView):
    @blp.arguments(RequestEventIn)
    @blp.response(200, RequestOut)
    def post(self, data, request_id):
        """Submit, start review, ask for or give clarification, accept (opens the Action), decline or withdraw (the
        requester, with a reason)."""
        item = get_request(db.session, me(), request_id)
        event = RequestEvent(data["event"])
        if event is RequestEvent.ACCEPT and me().is_staff:
            accept_request(db.session, item, actor=me(), now=now())
        else:
            apply_request_event(db.session, item, event, actor=me(), now=now(), reason=data.get("reason"))
        commit()
        return item
