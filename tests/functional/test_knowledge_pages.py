"""Knowledge-sharing events and the good-practices library: staff record and publish, the public reads and finds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionStatus
from workflow.activities.models import Deliverable, DeliverableKind
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError
from workflow.knowledge.lifecycle import PracticeStatus
from workflow.knowledge.models import KnowledgeEvent, Practice
from workflow.knowledge.services import PracticeDraft, create_practice, publish_practice
from workflow.reference.models import Region

from ..factories import make_action, theme

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def action(db, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    action.published, action.published_at = True, NOW
    db.commit()
    return action


def _practice(db, officer, action, **changes) -> Practice:
    values = {"title": "Integración como responsabilidad compartida", "description": "Working groups on integration.",
              "impact_areas": ("policy_development",), "action_ids": (action.id,)} | changes
    practice = create_practice(db, PracticeDraft(**values), actor=officer, now=NOW)
    db.commit()
    return practice


def test_staff_record_an_event_with_participants_by_country_and_gender(db, officer, action, login_as, post):
    login_as(officer)
    region = db.scalar(select(Region).order_by(Region.id))
    response = post("/knowledge/events/new", {
        "title": "Regional round-table", "host_institution": "National Institute of Migration",
        "start_date": "2018-07-10", "end_date": "2018-07-12", "region_id": str(region.id), "city": "Mexico City",
        "country_code": "MX", "action_ids": [str(action.id)], "form_key": "k1",
        "participants": "PE; Superintendencia Nacional de Migraciones; 2; 1; 0\nMX; ; 3; 3; 1"})
    assert response.status_code == 302
    event = db.scalar(select(KnowledgeEvent))
    assert [(g.country_code, g.total) for g in event.participants] == [("PE", 3), ("MX", 7)]
    assert [a.id for a in event.actions] == [action.id]
    page = login_as(officer).get(f"/knowledge/events/{event.id}").get_data(as_text=True)
    assert "Superintendencia Nacional de Migraciones" in page and action.name in page
    assert db.scalar(select(AuditEntry).where(AuditEntry.object_type == "knowledge_event")) is not None


def test_a_badly_typed_participants_line_is_refused_on_the_form(db, officer, login_as, post):
    login_as(officer)
    response = post("/knowledge/events/new", {
        "title": "Round-table", "host_institution": "Host", "start_date": "2018-07-10", "end_date": "2018-07-12",
        "participants": "PE; Someone; two; 1; 0", "form_key": "k2"})
    assert response.status_code == 200
    assert "Line 1" in response.get_data(as_text=True)
    assert db.scalar(select(KnowledgeEvent)) is None


def test_non_staff_cannot_reach_the_knowledge_pages(db, requester_pe, login_as):
    client = login_as(requester_pe)
    assert client.get("/knowledge/events").status_code == 403
    assert client.get("/knowledge/practices").status_code == 403


def test_a_practice_needs_a_source_and_an_impact_area(db, officer, action):
    with pytest.raises(DomainError) as refused:
        create_practice(db, PracticeDraft(title="T", description="D", impact_areas=()), actor=officer, now=NOW)
    assert refused.value.field == "impact_areas"
    with pytest.raises(DomainError) as refused:
        create_practice(db, PracticeDraft(title="T", description="D", impact_areas=("capacity_building",)),
                        actor=officer, now=NOW)
    assert refused.value.field == "action_ids"


def test_evidence_must_come_from_a_source_action(db, officer, action, peru):
    other = make_action(db, officer, beneficiary=peru)
    deliverable = Deliverable(action_id=other.id, kind=DeliverableKind.PROTOCOL, title="Protocol", language="es",
                              url="https://example.org/p.pdf", uploaded_by_id=officer.id, created_at=NOW)
    db.add(deliverable)
    db.flush()
    with pytest.raises(DomainError) as refused:
        _practice(db, officer, action, deliverable_ids=(deliverable.id,))
    assert refused.value.field == "deliverable_ids"


def test_a_published_practice_is_found_without_accents_and_shows_on_its_action(app, db, officer, action, client,
                                                                                  login_as, post):
    practice = _practice(db, officer, action, thematic_area_id=theme(db).id)
    practice_id = practice.id
    assert client.get(f"/catalogue/practices/{practice.id}").status_code == 404  # a draft stays off
    assert practice.title not in client.get("/catalogue/practices").get_data(as_text=True)
    login_as(officer)
    assert post(f"/knowledge/practices/{practice.id}/publish").status_code == 302
    practice = db.get(Practice, practice_id)
    assert practice.status is PracticeStatus.PUBLISHED
    client = app.test_client()  # the public, signed out
    found = client.get("/catalogue/practices?q=INTEGRACION+como").get_data(as_text=True)
    assert practice.title in found
    missing = client.get("/catalogue/practices?impact_area=capacity_building").get_data(as_text=True)
    assert practice.title not in missing
    assert practice.title in client.get("/catalogue/practices?impact_area=policy_development").get_data(as_text=True)
    assert practice.title in client.get(f"/catalogue/practices?theme={theme(db).code}").get_data(as_text=True)
    assert practice.title in client.get(f"/catalogue/actions/{action.id}").get_data(as_text=True)


def test_withdrawing_needs_a_reason_and_keeps_the_practice(db, officer, action, login_as, post, client):
    practice = _practice(db, officer, action)
    publish_practice(db, practice, actor=officer, now=NOW)
    db.commit()
    practice_id = practice.id
    login_as(officer)
    post(f"/knowledge/practices/{practice.id}/withdraw", {"reason": ""})
    practice = db.get(Practice, practice_id)
    assert practice.status is PracticeStatus.PUBLISHED
    post(f"/knowledge/practices/{practice.id}/withdraw", {"reason": "Superseded by the 2019 publication"})
    practice = db.get(Practice, practice_id)
    assert practice.status is PracticeStatus.WITHDRAWN
    assert practice.withdrawn_reason == "Superseded by the 2019 publication"
    assert "Superseded" in client.get(f"/knowledge/practices/{practice.id}").get_data(as_text=True)


def test_unpublished_source_actions_stay_off_the_public_practice_page(db, officer, action, peru, client):
    hidden = make_action(db, officer, beneficiary=peru, name="HIDDEN-ACTION")
    practice = _practice(db, officer, action, action_ids=(action.id, hidden.id))
    publish_practice(db, practice, actor=officer, now=NOW)
    db.commit()
    page = client.get(f"/catalogue/practices/{practice.id}").get_data(as_text=True)
    assert action.name in page and "HIDDEN-ACTION" not in page


def test_staff_draft_and_edit_a_practice_from_the_form(db, officer, action, login_as, post):
    login_as(officer)
    assert login_as(officer).get("/knowledge/practices/new").status_code == 200
    response = post("/knowledge/practices/new", {
        "title": "Flexibility", "description": "Adapting to the local context.", "impact_areas": ["capacity_building"],
        "action_ids": [str(action.id)], "form_key": "p1"})
    assert response.status_code == 302
    practice = db.scalar(select(Practice))
    practice_id = practice.id
    response = post(f"/knowledge/practices/{practice.id}/edit", {
        "title": "Flexibility and adaptation", "description": "Adapting to the local context.",
        "impact_areas": ["capacity_building", "knowledge_production"], "action_ids": [str(action.id)]})
    assert response.status_code == 302
    practice = db.get(Practice, practice_id)
    assert practice.title == "Flexibility and adaptation"
    assert practice.impact_areas == ["knowledge_production", "capacity_building"]


def _event(db, officer, action) -> KnowledgeEvent:
    from workflow.knowledge.services import EventDraft, ParticipantGroup, create_event, set_participants

    event = create_event(db, EventDraft("Regional Knowledge Sharing Round-table", "National Institute of Migration",
                                        date(2018, 7, 10), date(2018, 7, 12), city="Mexico City", country_code="MX",
                                        action_ids=(action.id,)), actor=officer, now=NOW)
    set_participants(db, event, [ParticipantGroup("MX", "INM", 4, 3, 0), ParticipantGroup("AR", None, 2, 1, 0)],
                     actor=officer, now=NOW)
    db.commit()
    return event


def test_the_csv_exports_hold_the_events_participants_and_the_practices(db, officer, action, login_as):
    _event(db, officer, action)
    _practice(db, officer, action)
    client = login_as(officer)
    events = client.get("/exports/knowledge-events.csv").get_data(as_text=True)
    assert events.count("Regional Knowledge Sharing Round-table") == 2 and "INM" in events
    practices = client.get("/exports/practices.csv").get_data(as_text=True)
    assert "Integración como responsabilidad compartida" in practices and "Policy development" in practices


def test_the_action_calendar_feed_shows_the_event_that_reviews_it(db, officer, action, client):
    from workflow.experts.services import renew_calendar_token

    _event(db, officer, action)
    token = renew_calendar_token(action)
    db.commit()
    feed = client.get(f"/calendar/actions/{token}.ics").get_data(as_text=True)
    assert "SUMMARY:Regional Knowledge Sharing Round-table" in feed and "DTSTART;VALUE=DATE:20180710" in feed


def test_the_dashboard_counts_events_apart_from_activities(db, officer, action, login_as):
    _event(db, officer, action)
    page = login_as(officer).get("/dashboard/").get_data(as_text=True)
    assert 'id="figure-knowledge"' in page and "1 event, 10 participants" in page


def test_staffing_opens_a_round_table_on_a_running_action_counted_apart(db, officer, action, login_as, post):
    from workflow.dashboard.services import PortfolioFilters, portfolio

    event = _event(db, officer, action)
    before = portfolio(db, PortfolioFilters(), detail=False).overall.activities
    login_as(officer)
    response = post(f"/knowledge/events/{event.id}/staffing", {"host_action_id": str(action.id), "languages": ["es"]})
    assert response.status_code == 302 and "/activities/" in response.headers["Location"]
    event = db.get(KnowledgeEvent, event.id)
    activity = event.staffing_activity
    assert activity.kind.value == "round_table" and activity.action_id == action.id
    assert (activity.start_date, activity.city) == (date(2018, 7, 10), "Mexico City")
    assert portfolio(db, PortfolioFilters(), detail=False).overall.activities == before  # counted with the events
    again = post(f"/knowledge/events/{event.id}/staffing", {"host_action_id": str(action.id), "languages": ["es"]})
    assert again.status_code == 302 and db.get(KnowledgeEvent, event.id).staffing_activity_id == activity.id


def test_staffing_keeps_the_activities_rules_a_closed_action_takes_no_new_activity(db, officer, peru):
    from workflow.knowledge.services import open_staffing

    closed = make_action(db, officer, status=ActionStatus.CLOSED, beneficiary=peru)
    event = _event(db, officer, closed)
    with pytest.raises(DomainError):
        open_staffing(db, event, closed.id, ("es",), actor=officer, now=NOW)
    with pytest.raises(DomainError) as refused:
        open_staffing(db, event, 999_999, ("es",), actor=officer, now=NOW)
    assert refused.value.field == "host_action_id"
