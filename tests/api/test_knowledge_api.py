"""/api/v1 knowledge events and good practices: the same services and checks as the pages, with field errors."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from workflow.accounts.tokens import create_token
from workflow.actions.lifecycle import ActionStatus

from ..factories import make_action

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def api(db, client, officer):
    _token, plain = create_token(db, officer, "test", now=NOW)
    db.commit()
    return {"Authorization": f"Bearer {plain}"}


def test_staff_record_an_event_and_publish_a_practice_through_the_api(db, client, api, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    db.commit()
    event = client.post("/api/v1/knowledge-events", headers=api, json={
        "title": "Round-table", "host_institution": "INM", "start_date": "2018-07-10", "end_date": "2018-07-12",
        "country": "MX", "action_ids": [action.id],
        "participants": [{"country": "MX", "institution": "INM", "female": 4, "male": 3}]})
    assert event.status_code == 201, event.get_json()
    assert event.get_json()["participant_total"] == 7 and event.get_json()["action_ids"] == [action.id]
    practice = client.post("/api/v1/practices", headers=api, json={
        "title": "Working groups", "description": "Shared journey.", "impact_areas": ["policy_development"],
        "event_id": event.get_json()["id"]})
    assert practice.status_code == 201 and practice.get_json()["status"] == "draft"
    practice_id = practice.get_json()["id"]
    published = client.post(f"/api/v1/practices/{practice_id}/publish", headers=api)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert client.post(f"/api/v1/practices/{practice_id}/publish", headers=api).status_code == 409
    refused = client.post(f"/api/v1/practices/{practice_id}/withdraw", headers=api, json={"reason": ""})
    assert refused.status_code == 422


def test_bad_fields_answer_422_with_the_field(db, client, api):
    answer = client.post("/api/v1/knowledge-events", headers=api, json={
        "title": "Round-table", "host_institution": "INM", "start_date": "2018-07-12", "end_date": "2018-07-10"})
    assert answer.status_code == 422
    assert "end_date" in answer.get_json()["error"]["fields"]
    answer = client.post("/api/v1/practices", headers=api, json={
        "title": "T", "description": "D", "impact_areas": ["world_peace"]})
    assert answer.status_code == 422 and "impact_areas.0" in answer.get_json()["error"]["fields"]


def test_an_event_document_is_uploaded_as_multipart_listed_and_removed_with_a_reason(db, client, api, officer, peru,
                                                                                    upload_dir):
    import io

    from ..unit.test_uploads import PDF_BYTES

    event = client.post("/api/v1/knowledge-events", headers=api, json={
        "title": "Round-table", "host_institution": "INM", "start_date": "2018-07-10", "end_date": "2018-07-12"})
    event_id = event.get_json()["id"]
    before = set(upload_dir.iterdir())
    refused = client.post(f"/api/v1/knowledge-events/{event_id}/documents", headers=api,
                          data={"kind": "agenda", "title": "Agenda", "file": (io.BytesIO(b"MZ exe"), "agenda.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "file" in refused.get_json()["error"]["fields"]
    assert set(upload_dir.iterdir()) == before
    created = client.post(f"/api/v1/knowledge-events/{event_id}/documents", headers=api,
                          data={"kind": "agenda", "title": "Agenda", "file": (io.BytesIO(PDF_BYTES), "agenda.pdf")},
                          content_type="multipart/form-data")
    assert created.status_code == 201, created.get_json()
    document = created.get_json()
    assert (document["content_type"], document["file_name"]) == ("application/pdf", "agenda.pdf")
    assert document["download_path"] == f"/knowledge/event-documents/{document['id']}/file"
    listed = client.get(f"/api/v1/knowledge-events/{event_id}", headers=api).get_json()["documents"]
    assert [d["title"] for d in listed] == ["Agenda"]
    no_reason = client.post(f"/api/v1/event-documents/{document['id']}/remove", headers=api, json={"reason": ""})
    assert no_reason.status_code == 422
    removed = client.post(f"/api/v1/event-documents/{document['id']}/remove", headers=api,
                          json={"reason": "The wrong version."})
    assert removed.status_code == 200 and removed.get_json()["removal_reason"] == "The wrong version."
    assert removed.get_json()["download_path"] is None and set(upload_dir.iterdir()) == before
    again = client.post(f"/api/v1/event-documents/{document['id']}/remove", headers=api, json={"reason": "Again."})
    assert again.status_code == 409


def test_a_practice_names_indicators_of_its_source_actions_through_the_api(db, client, api, officer, peru):
    from workflow.results.models import ImpactArea, ResultLevel
    from workflow.results.services import IndicatorDraft, add_indicator, add_result

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    other = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Other")
    result = add_result(db, action, ResultLevel.OUTPUT, "Officials trained", actor=officer, now=NOW)
    indicator = add_indicator(db, result, IndicatorDraft("Officials trained", "officials",
                                                         ImpactArea.CAPACITY_BUILDING), actor=officer, now=NOW)
    db.commit()
    body = {"title": "Training of trainers", "description": "D", "impact_areas": ["capacity_building"],
            "action_ids": [action.id], "indicator_ids": [indicator.id]}
    created = client.post("/api/v1/practices", headers=api, json=body)
    assert created.status_code == 201 and created.get_json()["indicator_ids"] == [indicator.id]
    refused = client.post("/api/v1/practices", headers=api, json=body | {"action_ids": [other.id]})
    assert refused.status_code == 422 and "indicator_ids" in refused.get_json()["error"]["fields"]
    removal = client.delete(f"/api/v1/indicators/{indicator.id}", headers=api)
    assert removal.status_code == 409
