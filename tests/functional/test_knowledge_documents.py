"""A knowledge event's documents, the indicators a practice gives as evidence, and the Action page's knowledge
section: uploads typed from their content, removal with a reason, links that never break silently."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, StateConflict
from workflow.knowledge.documents import DocumentDraft, add_event_document, remove_event_document
from workflow.knowledge.lifecycle import EventDocumentKind
from workflow.knowledge.models import EventDocument, Practice
from workflow.knowledge.services import (
    EventDraft,
    PracticeDraft,
    create_event,
    create_practice,
    publish_practice,
)
from workflow.notifications.models import Notification
from workflow.results.models import ImpactArea, ResultLevel
from workflow.results.services import (
    IndicatorDraft,
    MeasurementDraft,
    add_indicator,
    add_measurement,
    add_result,
    remove_indicator,
    remove_result,
)

from ..factories import make_action, make_user
from ..unit.test_uploads import PDF_BYTES

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def action(db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    action.published, action.published_at = True, NOW
    db.commit()
    return action


@pytest.fixture()
def event(db, officer, action):
    event = create_event(db, EventDraft(title="Mexico City round-table", host_institution="INM",
                                        start_date=date(2018, 7, 10), end_date=date(2018, 7, 12), city="Mexico City",
                                        country_code="MX", action_ids=(action.id,)), actor=officer, now=NOW)
    db.commit()
    return event


@pytest.fixture()
def indicator(db, officer, action):
    result = add_result(db, action, ResultLevel.OUTPUT, "Officials trained", actor=officer, now=NOW)
    indicator = add_indicator(db, result, IndicatorDraft("Officials trained", "officials",
                                                         ImpactArea.CAPACITY_BUILDING, baseline_value=0,
                                                         target_value=755), actor=officer, now=NOW)
    db.commit()
    return indicator


def _document(**changes):
    return {"kind": "agenda", "title": "Agenda of the round-table", "form_key": "doc-1",
            "file": (io.BytesIO(PDF_BYTES), "agenda.pdf")} | changes


# --- Event documents ---------------------------------------------------------------------------------------


def test_staff_add_a_document_typed_from_its_content_and_download_it(db, officer, event, login_as, post, client,
                                                                     upload_dir):
    login_as(officer)
    response = post(f"/knowledge/events/{event.id}/documents", _document(), content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/knowledge/events/{event.id}"
                                                                                  "#documents")
    document = db.scalar(select(EventDocument))
    assert (document.kind, document.content_type, document.size_bytes) == (
        EventDocumentKind.AGENDA, "application/pdf", len(PDF_BYTES))
    assert (upload_dir / document.stored_name).exists()
    page = client.get(f"/knowledge/events/{event.id}").get_data(as_text=True)
    assert "Agenda of the round-table" in page and "agenda.pdf" in page
    assert "added a document" in page  # the event's history
    download = client.get(f"/knowledge/event-documents/{document.id}/file")
    assert download.status_code == 200 and download.data == PDF_BYTES
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "knowledge_event",
                                                  AuditEntry.object_id == event.id))
    assert any(entry.detail.get("part") == "document" for entry in entries)


@pytest.mark.parametrize("content, name, message", [
    (b"MZ\x90\x00" * 100, "agenda.pdf", "Only PDF, Word (DOCX) and OpenDocument text (ODT) files are accepted."),
    (b"", "agenda.pdf", "The file is empty."),
])
def test_a_wrong_file_gets_a_field_message_and_nothing_is_kept(db, officer, event, login_as, post, upload_dir,
                                                               content, name, message):
    before = set(upload_dir.iterdir())
    login_as(officer)
    response = post(f"/knowledge/events/{event.id}/documents", _document(file=(io.BytesIO(content), name)),
                    content_type="multipart/form-data")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(EventDocument)) is None
    assert set(upload_dir.iterdir()) == before


def test_a_file_over_the_size_limit_is_refused_and_not_kept(app, db, officer, event, login_as, post, upload_dir,
                                                            monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024 * 1024)
    before = set(upload_dir.iterdir())
    login_as(officer)
    big = PDF_BYTES + b"0" * (1024 * 1024)
    response = post(f"/knowledge/events/{event.id}/documents", _document(file=(io.BytesIO(big), "report.pdf")),
                    content_type="multipart/form-data")
    assert "larger than the limit of 1 MB" in response.get_data(as_text=True)
    assert db.scalar(select(EventDocument)) is None and set(upload_dir.iterdir()) == before


def test_removing_a_document_needs_a_reason_keeps_the_row_deletes_the_file_and_tells_who_added_it(
        db, officer, event, login_as, post, client, upload_dir):
    colleague = make_user(db, Role.OFFICER)
    db.commit()
    login_as(colleague)
    post(f"/knowledge/events/{event.id}/documents", _document(), content_type="multipart/form-data")
    document = db.scalar(select(EventDocument))
    stored = upload_dir / document.stored_name
    login_as(officer)
    refused = post(f"/knowledge/event-documents/{document.id}/remove", {"reason": ""})
    assert refused.status_code == 302
    db.expire_all()
    assert db.get(EventDocument, document.id).removed_at is None and stored.exists()
    post(f"/knowledge/event-documents/{document.id}/remove", {"reason": "It listed the participants' names."})
    db.expire_all()
    document = db.get(EventDocument, document.id)
    assert document.removed_at is not None and document.removal_reason == "It listed the participants' names."
    assert document.stored_name is None and not stored.exists() and document.file_name == "agenda.pdf"
    assert client.get(f"/knowledge/event-documents/{document.id}/file").status_code == 404
    page = client.get(f"/knowledge/events/{event.id}").get_data(as_text=True)
    assert "It listed the participants" in page and "removed-documents" in page
    notice = db.scalar(select(Notification).where(Notification.user_id == colleague.id))
    assert notice is not None and "Agenda of the round-table" in notice.body
    with pytest.raises(StateConflict):
        remove_event_document(db, document, "again", actor=officer, now=NOW)


def test_a_link_is_a_document_too_and_only_staff_add_or_read_documents(db, officer, event, requester_pe, login_as,
                                                                        post, client):
    document = add_event_document(db, event, DocumentDraft(EventDocumentKind.REPORT, "Report",
                                                           url="https://example.org/report"), actor=officer, now=NOW)
    db.commit()
    with pytest.raises(DomainError):
        add_event_document(db, event, DocumentDraft(EventDocumentKind.REPORT, "Report"), actor=requester_pe, now=NOW)
    login_as(requester_pe)
    assert client.get(f"/knowledge/event-documents/{document.id}/file").status_code == 403
    assert post(f"/knowledge/events/{event.id}/documents", _document(),
                content_type="multipart/form-data").status_code == 403


def test_the_events_csv_lists_the_documents(db, officer, event, login_as):
    add_event_document(db, event, DocumentDraft(EventDocumentKind.REPORT, "Conclusions",
                                                url="https://example.org/c"), actor=officer, now=NOW)
    db.commit()
    text = login_as(officer).get("/exports/knowledge-events.csv").get_data(as_text=True)
    assert "Documents" in text.splitlines()[0] and "Report: Conclusions" in text


def test_an_expert_s_export_lists_the_documents_their_account_added_and_erasure_forgets_who(db, officer, event):
    from workflow.privacy.services import erase_expert, export_expert_data

    from ..factories import make_expert

    staff_expert = make_expert(db, name="Former officer", user=officer)
    document = add_event_document(db, event, DocumentDraft(EventDocumentKind.AGENDA, "Agenda",
                                                           url="https://example.org/a"), actor=officer, now=NOW)
    db.commit()
    data = export_expert_data(db, staff_expert, actor=officer, now=NOW)
    assert [d["title"] for d in data["event_documents"]] == ["Agenda"]
    assert [e["title"] for e in data["knowledge_events_recorded"]] == ["Mexico City round-table"]
    erase_expert(db, staff_expert, actor=make_user(db, Role.ADMIN), now=NOW)
    db.commit()
    db.expire_all()
    assert document.uploaded_by_id is None and document.title == "Agenda"


# --- Practices' indicators -----------------------------------------------------------------------------------


def test_a_practice_gives_indicators_of_its_source_actions_and_shows_their_latest_value(
        db, officer, action, indicator, login_as, post, client):
    add_measurement(db, indicator, MeasurementDraft(755, date(2019, 12, 1), "Training lists"), actor=officer,
                    now=NOW)
    db.commit()
    login_as(officer)
    response = post("/knowledge/practices/new", {
        "title": "Training of trainers", "description": "Officials train officials.",
        "impact_areas": ["capacity_building"], "action_ids": [str(action.id)], "indicator_ids": [str(indicator.id)],
        "form_key": "p-1"})
    assert response.status_code == 302
    practice = db.scalar(select(Practice))
    assert [i.id for i in practice.indicators] == [indicator.id]
    page = client.get(f"/knowledge/practices/{practice.id}").get_data(as_text=True)
    assert "practice-indicators" in page and "755" in page and "Training lists" in page
    form = client.get(f"/knowledge/practices/{practice.id}/edit").get_data(as_text=True)
    assert f"{action.name}: Officials trained" in form
    db.expire_all()
    publish_practice(db, db.get(Practice, practice.id), actor=officer, now=NOW)
    db.commit()
    public = client.get(f"/catalogue/practices/{practice.id}").get_data(as_text=True)
    assert "practice-indicators" in public and "755" in public and "Training lists" not in public  # no source
    assert "Evidence: indicators" in login_as(officer).get("/exports/practices.csv").get_data(as_text=True)


def test_an_indicator_of_another_action_is_refused_on_the_form(db, officer, action, indicator, peru, login_as,
                                                               post):
    other = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Other")
    db.commit()
    login_as(officer)
    response = post("/knowledge/practices/new", {
        "title": "T", "description": "D", "impact_areas": ["capacity_building"], "action_ids": [str(other.id)],
        "indicator_ids": [str(indicator.id)], "form_key": "p-2"})
    assert response.status_code == 200
    assert "An indicator given as evidence must come from one of the source Actions." in response.get_data(
        as_text=True)


def test_an_indicator_a_practice_cites_is_not_removed_silently(db, officer, action, indicator):
    practice = create_practice(db, PracticeDraft(title="Cited", description="D", impact_areas=("capacity_building",),
                                                 action_ids=(action.id,), indicator_ids=(indicator.id,)),
                               actor=officer, now=NOW)
    db.commit()
    with pytest.raises(StateConflict) as refused:
        remove_indicator(db, indicator, actor=officer, now=NOW)
    assert "“Cited”" in refused.value.message
    db.rollback()
    with pytest.raises(StateConflict):
        remove_result(db, indicator.result, actor=officer, now=NOW)
    db.rollback()
    practice.indicators = []
    db.commit()
    remove_indicator(db, indicator, actor=officer, now=NOW)
    db.commit()
    assert practice.indicators == []


# --- The Action page's knowledge section ---------------------------------------------------------------------


def test_the_action_page_lists_the_events_that_reviewed_it_and_the_practices_drawn_from_it(
        db, officer, action, event, requester_pe, login_as):
    page = login_as(officer).get(f"/actions/{action.id}").get_data(as_text=True)
    assert 'id="knowledge"' in page and f"/knowledge/events/{event.id}" in page
    assert "No good practice is drawn from this Action yet." in page
    draft = create_practice(db, PracticeDraft(title="Drafted", description="D", impact_areas=("capacity_building",),
                                              action_ids=(action.id,)), actor=officer, now=NOW)
    published = create_practice(db, PracticeDraft(title="Published", description="D",
                                                  impact_areas=("capacity_building",), action_ids=(action.id,)),
                                actor=officer, now=NOW)
    publish_practice(db, published, actor=officer, now=NOW)
    db.commit()
    page = login_as(officer).get(f"/actions/{action.id}").get_data(as_text=True)
    assert f"/knowledge/practices/{draft.id}" in page and f"/knowledge/practices/{published.id}" in page
    page = login_as(requester_pe).get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Mexico City round-table" in page and f"/knowledge/events/{event.id}" not in page
    assert "Drafted" not in page and f"/catalogue/practices/{published.id}" in page


def test_an_action_without_events_or_practices_says_so(db, officer, action, login_as):
    page = login_as(officer).get(f"/actions/{action.id}").get_data(as_text=True)
    assert "No knowledge-sharing event has reviewed this Action yet." in page


def test_a_practice_drafted_from_an_event_or_an_action_starts_from_its_source(db, officer, action, event, login_as):
    import re

    event.summary = "Working groups shared the integration agenda."
    db.commit()
    client = login_as(officer)
    form = client.get(f"/knowledge/practices/new?event={event.id}").get_data(as_text=True)
    assert "Working groups shared the integration agenda." in form
    assert re.search(rf'<option selected value="{event.id}">Mexico City round-table', form)
    form = client.get(f"/knowledge/practices/new?action={action.id}").get_data(as_text=True)
    assert re.search(rf'name="action_ids" id="action_ids-\d+" value="{action.id}" checked', form)
    assert client.get("/knowledge/practices/new?action=99999999999999").status_code == 200
