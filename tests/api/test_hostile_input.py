"""Control characters in the API: refused in every one-line string (bodies, queries, nested objects,
lists) with the usual 422 naming the field; free text keeps its line breaks."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionStatus
from workflow.requests.models import Request

from ..factories import make_action


@pytest.mark.parametrize("body, field", [
    ({"title": "T\nX-INJ:1", "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "T\t", "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "T\u2029", "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "T", "description": "D\x00", "thematic_area": "horizontal"}, "description"),
])
def test_api_bodies_with_control_characters_answer_422_naming_the_field(db, api, requester_pe, body, field):
    response = api(requester_pe).post("/api/v1/requests", json=body)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and field in error["fields"]
    assert db.scalar(select(Request.id)) is None


def test_api_free_text_keeps_its_line_breaks(db, api, requester_pe):
    response = api(requester_pe).post("/api/v1/requests", json={
        "title": "Victim identification", "description": "First line\nSecond line\r\n\tThird",
        "thematic_area": "horizontal"})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == "First line\nSecond line\r\n\tThird"


def test_api_nested_and_query_strings_are_checked_too(db, api, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    staff = api(officer)
    response = staff.get("/api/v1/actions?q=peru%0AX")
    assert response.status_code == 422 and "q" in response.get_json()["error"]["fields"]
    response = staff.post(f"/api/v1/actions/{action.id}/activities", json={
        "kind": "workshop", "title": "Workshop", "start_date": "2027-03-01", "end_date": "2027-03-02",
        "city": "Lima\r\nX-INJ:1", "country": "PE", "languages": ["es"]})
    assert response.status_code == 422 and "city" in response.get_json()["error"]["fields"]
    response = staff.post(f"/api/v1/actions/{action.id}/activities", json={
        "kind": "workshop", "title": "Workshop", "start_date": "2027-03-01", "end_date": "2027-03-02",
        "city": "Lima", "country": "PE", "languages": ["es\n"]})
    assert response.status_code == 422 and "languages.0" in response.get_json()["error"]["fields"]


def test_every_api_blueprint_parses_with_the_checking_parser(app):
    from workflow.api import api as the_api
    from workflow.api.parsing import PlainTextParser

    blueprints = [bp for bp in app.blueprints.values() if bp.name.startswith("api_")]
    assert len(blueprints) >= 4 and the_api is not None
    assert all(isinstance(bp.ARGUMENTS_PARSER, PlainTextParser) for bp in blueprints)




def test_the_new_areas_refuse_control_characters_in_one_line_fields(db, api, officer, peru):
    from workflow.plans.models import PlanTemplate

    from ..factories import make_staffed_activity

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer)
    action_id, activity_id = action.id, activity.id
    staff = api(officer)
    cases = [
        (f"/api/v1/actions/{action_id}/plan-templates", {"name": "Peru\nplan"}, "name"),
        (f"/api/v1/activities/{activity_id}/copies", {"title": "Copy\r\nX-INJ: 1", "start_date": "2027-05-03"},
         "title"),
        (f"/api/v1/activities/{activity_id}/calls/preview", {"member_states": ["ES\n"]}, "member_states.0"),
        (f"/api/v1/activities/{activity_id}/calls", {"message": "Hi", "answer_deadline": "2027-02-01",
                                                     "previewed": "abc\tdef"}, "previewed"),
        ("/api/v1/questionnaires/some-token/answers", {"relevance": 4, "experts_input": 4, "usefulness": 4,
                                                       "organisation": 4, "nonce": "n\x00"}, "nonce"),
    ]
    for url, body, field in cases:
        response = staff.post(url, json=body)
        assert response.status_code == 422, (url, response.get_json())
        assert field in response.get_json()["error"]["fields"], (url, response.get_json())
    assert db.scalar(select(PlanTemplate.id)) is None


def test_the_new_areas_keep_line_breaks_in_free_text(db, api, officer, peru):
    from ..factories import make_staffed_activity

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    make_staffed_activity(db, action, officer)
    response = api(officer).post(f"/api/v1/actions/{action.id}/plan-templates",
                                 json={"name": "Peru plan", "description": "For the border.\nThen the capital."})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == "For the border.\nThen the capital."
