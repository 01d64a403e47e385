"""/api/v1 knowledge work: knowledge-sharing events across Actions (with participants by country, institution and
gender) and good practices (draft, edit, publish, withdraw).

The same checks and services as the pages (`workflow.knowledge.views`): all of it is for programme staff; the
public reads published practices in the catalogue. A creation sent again with the same Idempotency-Key is done once.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from marshmallow import RAISE

from ..core.errors import NotFound
from ..core.uploads import remove_stored
from ..core.web import now
from ..extensions import db
from ..knowledge.documents import DocumentDraft, add_event_document, remove_event_document
from ..knowledge.lifecycle import EventDocumentKind
from ..knowledge.models import EventDocument, KnowledgeEvent, Practice
from ..knowledge.queries import PracticeFilters, events_list, practices_list
from ..knowledge.services import (
    EventDraft,
    ParticipantGroup,
    PracticeDraft,
    create_event,
    create_practice,
    open_staffing,
    publish_practice,
    set_participants,
    update_event,
    update_practice,
    withdraw_practice,
)
from .common import commit, first_time, kept_upload, me, page, remember, require_staff
from .parsing import Blueprint, MultipartParser
from .schemas import ActivityOut, OnceHeader, PageArgs, page_of
from .schemas_knowledge import (
    EventDocumentOut,
    EventDocumentRemoveIn,
    EventDocumentUpload,
    EventIn,
    EventOut,
    PracticeIn,
    PracticeOut,
    PracticeWithdrawIn,
    StaffingIn,
)

blp = Blueprint("api_knowledge", __name__, url_prefix="/api/v1", description="Knowledge events and good practices")
blp.ARGUMENTS_PARSER = MultipartParser()  # an event's document comes as multipart/form-data


def _event(event_id: int) -> KnowledgeEvent:
    require_staff()
    event = db.session.get(KnowledgeEvent, event_id)
    if event is None:
        raise NotFound("No such event.")
    return event


def _practice(practice_id: int) -> Practice:
    require_staff()
    practice = db.session.get(Practice, practice_id)
    if practice is None:
        raise NotFound("No such practice.")
    return practice


def _event_draft(data: dict[str, Any]) -> tuple[EventDraft, list[ParticipantGroup]]:
    draft = EventDraft(
        title=data["title"], host_institution=data["host_institution"], start_date=data["start_date"],
        end_date=data["end_date"], region_id=data.get("region_id"), thematic_area_id=data.get("thematic_area_id"),
        theme=data.get("theme"), city=data.get("city"), country_code=data.get("country"),
        summary=data.get("summary"), action_ids=tuple(data.get("action_ids") or ()))
    groups = [ParticipantGroup(g["country_code"], g.get("institution"), g.get("female", 0), g.get("male", 0),
                               g.get("other", 0)) for g in data.get("participants") or ()]
    return draft, groups


def _practice_draft(data: dict[str, Any]) -> PracticeDraft:
    return PracticeDraft(
        title=data["title"], description=data["description"], conditions=data.get("conditions"),
        impact_areas=tuple(data["impact_areas"]), thematic_area_id=data.get("thematic_area_id"),
        region_id=data.get("region_id"), event_id=data.get("event_id"), action_ids=tuple(data.get("action_ids") or ()),
        deliverable_ids=tuple(data.get("deliverable_ids") or ()), indicator_ids=tuple(data.get("indicator_ids") or ()))


@blp.route("/knowledge-events")
class Events(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(EventOut, "KnowledgeEventPage"))
    def get(self, args):
        """Knowledge-sharing events, the latest first (staff)."""
        require_staff()
        return page(events_list(), args)

    @blp.arguments(EventIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, EventOut)
    def post(self, data, headers):
        """Record a programme-level event, the Actions it reviews and who came (staff)."""
        require_staff()
        key = first_time(headers)
        draft, groups = _event_draft(data)
        event = create_event(db.session, draft, actor=me(), now=now())
        set_participants(db.session, event, groups, actor=me(), now=now())
        remember(key, f"/api/v1/knowledge-events/{event.id}")
        commit()
        return event


@blp.route("/knowledge-events/<id:event_id>")
class OneEvent(MethodView):
    @blp.response(200, EventOut)
    def get(self, event_id):
        """An event with its Actions and participants (staff)."""
        return _event(event_id)

    @blp.arguments(EventIn)
    @blp.response(200, EventOut)
    def put(self, data, event_id):
        """Replace an event's record, its Actions and its participants (staff)."""
        event = _event(event_id)
        draft, groups = _event_draft(data)
        update_event(db.session, event, draft, actor=me(), now=now())
        set_participants(db.session, event, groups, actor=me(), now=now())
        commit()
        return event


@blp.route("/knowledge-events/<id:event_id>/staffing")
class EventStaffing(MethodView):
    @blp.arguments(StaffingIn)
    @blp.response(201, ActivityOut)
    def post(self, data, event_id):
        """Open the event's staffing activity on one of the running Actions it reviews (staff); experts are then
        invited on it through the slots and deployments operations, under the same hard rules."""
        event = _event(event_id)
        activity = open_staffing(db.session, event, data["host_action_id"], data["languages"], actor=me(), now=now())
        commit()
        return activity


@blp.route("/knowledge-events/<id:event_id>/documents")
class EventDocuments(MethodView):
    @blp.arguments(EventDocumentUpload, location="files", content_type="multipart/form-data", unknown=RAISE)
    @blp.response(201, EventDocumentOut)
    def post(self, data, event_id):
        """Add an agenda, a report or a presentation (staff): a PDF, DOCX or ODT file of at most 20 MB, typed from
        its content, or a link. A refused file is not kept."""
        event = _event(event_id)
        upload = data.get("file")
        draft = DocumentDraft(EventDocumentKind(data["kind"]), data["title"], data.get("url"))
        with kept_upload(upload) as stored:
            document = add_event_document(db.session, event, draft, actor=me(), now=now(), file=stored,
                                          file_name=upload.filename if stored else None)
            commit()
        return document


@blp.route("/event-documents/<id:document_id>/remove")
class RemoveEventDocument(MethodView):
    @blp.arguments(EventDocumentRemoveIn)
    @blp.response(200, EventDocumentOut)
    def post(self, data, document_id):
        """Remove an event's document with the reason (staff): the row stays in the event's history, the file is
        deleted; whoever added it is told."""
        require_staff()
        document = db.session.get(EventDocument, document_id)
        if document is None:
            raise NotFound("No such document.")
        stored = remove_event_document(db.session, document, data["reason"], actor=me(), now=now())
        commit()
        if stored:
            remove_stored(current_app.config["UPLOAD_DIR"], stored)  # only once the removal is recorded
        return document


@blp.route("/practices")
class Practices(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(PracticeOut, "PracticePage"))
    def get(self, args):
        """Good practices, drafts included, by title (staff)."""
        require_staff()
        return page(practices_list(PracticeFilters(), published_only=False), args)

    @blp.arguments(PracticeIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, PracticeOut)
    def post(self, data, headers):
        """Draft a good practice from Actions or an event (staff); it stays off the catalogue until published."""
        require_staff()
        key = first_time(headers)
        practice = create_practice(db.session, _practice_draft(data), actor=me(), now=now())
        remember(key, f"/api/v1/practices/{practice.id}")
        commit()
        return practice


@blp.route("/practices/<id:practice_id>")
class OnePractice(MethodView):
    @blp.response(200, PracticeOut)
    def get(self, practice_id):
        """A good practice (staff)."""
        return _practice(practice_id)

    @blp.arguments(PracticeIn)
    @blp.response(200, PracticeOut)
    def put(self, data, practice_id):
        """Replace a practice's text, sources, evidence and impact areas (staff)."""
        practice = _practice(practice_id)
        update_practice(db.session, practice, _practice_draft(data), actor=me(), now=now())
        commit()
        return practice


@blp.route("/practices/<id:practice_id>/publish")
class PublishPractice(MethodView):
    @blp.response(200, PracticeOut)
    def post(self, practice_id):
        """Publish to the public catalogue and the source Actions' public pages (staff); 409 if published."""
        practice = _practice(practice_id)
        publish_practice(db.session, practice, actor=me(), now=now())
        commit()
        return practice


@blp.route("/practices/<id:practice_id>/withdraw")
class WithdrawPractice(MethodView):
    @blp.arguments(PracticeWithdrawIn)
    @blp.response(200, PracticeOut)
    def post(self, data, practice_id):
        """Take a published practice off the catalogue, with the reason (staff); it is kept."""
        practice = _practice(practice_id)
        withdraw_practice(db.session, practice, data["reason"], actor=me(), now=now())
        commit()
        return practice
