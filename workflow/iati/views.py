"""/iati/activities.xml and /iati/organisation.xml: the IATI 2.03 publication, public, one build per data version."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request, stream_with_context, url_for

from ..core.figures import remember
from ..core.web import now
from ..extensions import db
from .records import IatiSettings
from .services import (
    absolute,
    activity_records,
    english_name,
    keep_while_streaming,
    kept_file,
    last_published_change,
    page_url,
    read_file,
    version_key,
)
from .xml import activities_document, organisation_document

bp = Blueprint("iati", __name__, url_prefix="/iati")

XML = "application/xml"
MAX_AGE = 300  # seconds a client or proxy may reuse a file without asking again


def answered(response: Response, key: str | None) -> Response:
    if key:
        response.set_etag(key)
        response.cache_control.public = True
        response.cache_control.max_age = MAX_AGE
    return response


@bp.get("/activities.xml")
def activities():
    """Every published Action as an iati-activity, streamed; the same file again until the data change."""
    settings = IatiSettings.from_app()
    key = version_key(db.session, "activities", settings, current_app.config["PEERFLOW_BASE_URL"])
    if key and key in request.if_none_match:
        return answered(Response(status=304), key)
    directory = current_app.config["IATI_CACHE_DIR"]
    if key and kept_file(directory, "activities", key).is_file():
        body = read_file(kept_file(directory, "activities", key))
    else:
        built = activities_document(activity_records(db.session, settings, page_url, english_name), now())
        body = keep_while_streaming(directory, "activities", key, built) if key else built
    return answered(Response(stream_with_context(body), mimetype=XML), key)


@bp.get("/organisation.xml")
def organisation():
    """The publishing organisation (the README's IATI_ORGANISATION_* settings)."""
    settings = IatiSettings.from_app()
    catalogue = absolute(url_for("catalogue.index"))

    def build() -> bytes:
        moment = now()
        return organisation_document(settings, moment, last_published_change(db.session) or moment, catalogue)

    key = version_key(db.session, "organisation", settings, catalogue)
    if key and key in request.if_none_match:
        return answered(Response(status=304), key)
    return answered(Response(remember(db.session, ("iati-organisation", settings, catalogue), build),
                             mimetype=XML), key)
