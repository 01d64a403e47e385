"""/api/v1/iati: the IATI 2.03 publication as JSON, each published Action as /iati/activities.xml writes it."""

from __future__ import annotations

from flask.views import MethodView

from ..extensions import db
from ..iati.queries import published_ids
from ..iati.records import IatiSettings
from ..iati.services import activity_records, english_name, page_url, published_record
from .parsing import Blueprint
from .schemas import PageArgs
from .schemas_iati import IatiActivityOut, IatiActivityPage

blp = Blueprint("api_iati", __name__, url_prefix="/api/v1", description="IATI 2.03 publication")


@blp.route("/iati/activities")
class IatiActivities(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, IatiActivityPage)
    def get(self, args):
        """Every published Action as an IATI activity (the catalogue's Actions, oldest first)."""
        ids = published_ids(db.session)
        per_page, total = args["per_page"], len(ids)
        number = max(1, min(args["page"], -(-total // per_page)))
        shown = ids[(number - 1) * per_page:number * per_page]
        items = list(activity_records(db.session, IatiSettings.from_app(), page_url, english_name, ids=shown))
        return {"items": items, "total": total, "page": number, "per_page": per_page}


@blp.route("/iati/activities/<id:action_id>")
class OneIatiActivity(MethodView):
    @blp.response(200, IatiActivityOut)
    def get(self, action_id):
        """One published Action as an IATI activity (404 for an Action not in the public catalogue)."""
        return published_record(db.session, IatiSettings.from_app(), action_id, page_url, english_name)
