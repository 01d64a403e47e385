"""The API's contract: a valid OpenAPI 3.0.3 description that says what the server enforces, one
error body, refusals by kind (403 role, 409 state, 422 input), unknown parameters refused, and the
portfolio figures counted by the dashboard's own definitions."""

from __future__ import annotations

import re
from datetime import date

import pytest
from openapi_spec_validator import validate
from sqlalchemy import select

from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import FinalReportDraft, apply_action_event, record_final_report
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.services import apply_activity_event
from workflow.dashboard.services import PortfolioFilters, portfolio, regional_counts
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.services import propose

from ..factories import T0, make_action, make_activity, make_expert, make_staffed_activity

ERROR_KEYS = {"code", "message", "fields"}


def _spec(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def test_the_whole_description_is_valid_openapi_3_0_3(client):
    spec = _spec(client)
    assert spec["openapi"] == "3.0.3"
    validate(spec)  # raises on any error


def test_the_deliverable_upload_documents_every_field_it_takes_as_one_multipart_body(client):
    spec = _spec(client)
    operation = spec["paths"]["/api/v1/actions/{action_id}/deliverables"]["post"]
    assert not [p for p in operation.get("parameters", []) if p["in"] not in ("path", "query", "header")]
    body = operation["requestBody"]["content"]["multipart/form-data"]["schema"]
    schema = spec["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {"file", "kind", "language", "title", "issued_on", "activity_id", "url"} <= set(schema["properties"])
    assert {"kind", "language", "title"} <= set(schema["required"])
    assert schema["properties"]["file"]["format"] == "binary"


def test_every_operation_documents_the_errors_it_can_answer(client):
    spec = _spec(client)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            documented = set(operation["responses"])
            if operation.get("security") == []:  # the anonymous questionnaire: no token, so no 401 nor 403
                assert "422" in documented and not {"401", "403"} & documented, (method, path)
                assert "410" in documented, (method, path)  # its link closes for good, as the page's
            else:
                assert {"401", "422"} <= documented, (method, path)
            if "{" in path:
                assert "404" in documented, (method, path)
            if method != "get":
                assert {"409", "413"} <= documented, (method, path)
                assert "403" in documented or operation.get("security") == [], (method, path)
    assert "403" in spec["paths"]["/api/v1/slots/{slot_id}/suggestions"]["get"]["responses"]
    for read in ("/api/v1/consultations", "/api/v1/calls/{call_id}/board", "/api/v1/plan-templates"):
        assert "403" in spec["paths"][read]["get"]["responses"], read  # reads kept to some roles, as their pages


@pytest.mark.parametrize("url", ["/api/v1/actions?bogus=1", "/api/v1/me?bogus=1", "/api/v1/portfolio?bogus=1&status=closed",
                                 "/api/v1/experts?page=1&bogus=1", "/api/v1/me/notifications?bogus=x"])
def test_an_unknown_query_parameter_is_refused_naming_it(db, api, officer, url):
    response = api(officer).get(url)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert set(error) == ERROR_KEYS and error["code"] == "validation_error"
    assert "bogus" in error["fields"] and "bogus" in error["message"]
    assert "page" not in error["fields"]


def test_an_unknown_query_parameter_on_a_write_is_refused_and_nothing_written(db, api, officer, peru, requester_pe):
    from workflow.requests.models import Request

    response = api(requester_pe).post("/api/v1/requests?notify=1", json={
        "title": "T", "description": "D", "thematic_area": "horizontal"})
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"notify"}
    assert db.scalar(select(Request.id)) is None
    action = make_action(db, officer, beneficiary=peru)
    activity = make_activity(db, action, officer)
    patched = api(officer).patch(f"/api/v1/activities/{activity.id}?dry_run=1", json={"version": activity.version})
    assert patched.status_code == 422 and "dry_run" in patched.get_json()["error"]["fields"]


def test_documented_query_parameters_are_still_taken(db, api, officer):
    assert api(officer).get("/api/v1/actions?page=1&per_page=5&sort=name&dir=asc&q=x").status_code == 200
    assert api(officer).get("/api/v1/portfolio?region=latin_america_caribbean&year_from=2020&year_to=2027"
                            ).status_code == 200


def test_a_refusal_because_of_state_answers_409(db, api, officer, peru):
    action = make_action(db, officer, status=ActionStatus.CLOSED, beneficiary=peru)
    running = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru II").id
    staff = api(officer)
    response = staff.post(f"/api/v1/actions/{action.id}/activities", json={
        "kind": "workshop", "title": "Late", "start_date": "2027-01-04", "end_date": "2027-01-05",
        "is_remote": True, "languages": ["es"]})
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert set(error) == ERROR_KEYS and error["code"] == "state_conflict" and error["fields"] == {}
    assert "closed" in error["message"]
    report = staff.put(f"/api/v1/actions/{running}/final-report",
                              json={"results": "R", "lessons_learned": "L"})
    assert report.status_code == 409 and "closing" in report.get_json()["error"]["message"]


def test_permission_refusals_answer_403(db, api, officer, peru, requester_pe):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    slot_id = make_staffed_activity(db, action, officer).slots[0].id
    expert_id, action_id = make_expert(db).id, action.id
    requester, staff = api(requester_pe), api(officer)
    refusals = [
        requester.post(f"/api/v1/actions/{action_id}/activities", json={
            "kind": "workshop", "title": "Mine", "start_date": "2027-01-04", "end_date": "2027-01-05",
            "is_remote": True, "languages": ["es"]}),
        requester.get(f"/api/v1/slots/{slot_id}/suggestions"),
        requester.post(f"/api/v1/slots/{slot_id}/deployments", json={"expert_id": expert_id}),
        requester.put(f"/api/v1/actions/{action_id}/final-report", json={"results": "R", "lessons_learned": "L"}),
        staff.post("/api/v1/requests", json={"title": "T", "description": "D", "thematic_area": "horizontal"}),
    ]
    for response in refusals:
        assert response.status_code == 403, response.get_json()
        error = response.get_json()["error"]
        assert set(error) == ERROR_KEYS and error["code"] == "forbidden" and error["fields"] == {}


def test_every_error_body_has_the_same_keys(app, db, api, client, officer, monkeypatch):
    caller = api(officer)
    answers = {
        401: api(None).get("/api/v1/actions"),
        404: caller.get("/api/v1/actions/999999"),
        405: caller.client.delete("/api/v1/actions", headers={"Authorization": f"Bearer {caller.token}"}),
        422: caller.get("/api/v1/actions?page=0"),
    }
    answers[404.1] = caller.get("/api/v1/no-such-thing")  # an address that is no operation
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 100)
    answers[413] = caller.post("/api/v1/requests", json={"title": "x" * 500, "description": "D",
                                                          "thematic_area": "horizontal"})
    for expected, response in answers.items():
        assert response.status_code == int(expected), (expected, response.status_code)
        body = response.get_json()
        assert set(body) == {"error"} and set(body["error"]) == ERROR_KEYS, (expected, body)
        assert isinstance(body["error"]["fields"], dict)


def test_a_throttled_or_forged_api_answer_keeps_the_error_body(app, db, client):
    """429 and a CSRF-like refusal under /api answer the same body (as every HTTP error there does)."""
    from werkzeug.exceptions import TooManyRequests

    from workflow.api import http_error_response

    with app.test_request_context("/api/v1/actions"):
        body = http_error_response(TooManyRequests()).get_json()
    assert set(body["error"]) == ERROR_KEYS and body["error"]["code"] == "too_many_requests"
    forged = client.post("/api/v1/no-such-form", data={"csrf_token": "forged"})
    assert set(forged.get_json()["error"]) == ERROR_KEYS


# --- One definition of every figure ------------------------------------------------------------


@pytest.fixture()
def mixed_portfolio(db, officer, peru):
    """Actions with cancelled activities, a cancelled Action, a final report whose own count differs from
    the activities' participants, an Action held later than planned, and engaged experts."""
    held_late = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru",
                            start=date(2020, 1, 1))
    held_late.planned_end = date(2020, 6, 30)
    make_activity(db, held_late, officer, start=date(2021, 3, 1), reported=True)  # 12 women, 9 men
    cancelled = make_activity(db, held_late, officer, start=date(2022, 5, 2))
    apply_activity_event(db, cancelled, ActivityEvent.CANCEL, actor=officer, now=T0, reason="Elections.")
    apply_action_event(db, held_late, ActionEvent.START_CLOSING, actor=officer, now=T0)
    record_final_report(db, held_late, FinalReportDraft(results="R", lessons_learned="L",
                                                        officials_trained_female=40), actor=officer, now=T0)
    apply_action_event(db, held_late, ActionEvent.CLOSE, actor=officer, now=T0)
    db.commit()

    running = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru II",
                          start=date(2026, 1, 1))
    make_activity(db, running, officer, start=date(2026, 3, 2), reported=True)
    staffed = make_staffed_activity(db, running, officer, start=date(2027, 3, 1))
    for name in ("Ana Experta", "Luis Experto"):
        expert = make_expert(db, name=name)
        deployment = propose(db, staffed.slots[0] if name == "Ana Experta" else
                             make_staffed_activity(db, running, officer, start=date(2027, 5, 3)).slots[0],
                             expert, actor=officer, now=T0)
        deployment.status = DeploymentStatus.ACCEPTED
    dropped = make_staffed_activity(db, running, officer, start=date(2027, 9, 6))
    propose(db, dropped.slots[0], make_expert(db, name="Eva Cancelada"), actor=officer,
            now=T0).status = DeploymentStatus.ACCEPTED
    apply_activity_event(db, dropped, ActivityEvent.CANCEL, actor=officer, now=T0, reason="No venue.")

    gone = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru III")
    make_activity(db, gone, officer, start=date(2026, 2, 2))
    apply_action_event(db, gone, ActionEvent.CANCEL, actor=officer, now=T0, reason="Elections.")
    other = make_action(db, officer, status=ActionStatus.ASSESSMENT, country="MA", name="Morocco",
                        start=date(2024, 1, 1))
    make_activity(db, other, officer, start=date(2024, 4, 1), reported=True)
    db.commit()
    return held_late


FILTERS = [
    {},
    {"region": "latin_america_caribbean"},
    {"year_from": 2021, "year_to": 2021},
    {"year_from": 2022},
    {"year_to": 2024},
    {"theme": "irregular_migration_thb", "year_from": 2026},
    {"region": "africa", "theme": "irregular_migration_thb"},
]


def _dashboard_figures(client, query: str) -> dict[str, int]:
    page = client.get(f"/dashboard/?{query}").get_data(as_text=True)
    return {name: int(re.search(rf'id="figure-{name}"[^>]*>([0-9]+)<', page).group(1))
            for name in ("actions", "activities", "experts", "member-states", "trained")}


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: "&".join(f"{k}={v}" for k, v in f.items()) or "all")
def test_the_api_and_the_dashboard_give_the_same_figures(db, api, client, login_as, officer, mixed_portfolio,
                                                         filters):
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    response = api(officer).get(f"/api/v1/portfolio?{query}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    login_as(officer)
    assert _dashboard_figures(client, query) == {
        "actions": body["actions"], "activities": body["activities"], "experts": body["experts_deployed"],
        "member-states": body["member_states"], "trained": body["officials_trained"]}
    dashboard = portfolio(db, PortfolioFilters(**filters)).overall
    assert (body["officials_trained_female"], body["officials_trained_male"]) == (
        dashboard.trained_female, dashboard.trained_male)
    assert sum(body["actions_by_status"].values()) == body["actions"]
    assert "cancelled" not in body["actions_by_status"]


def test_the_figures_count_activities_and_trained_officials_by_one_rule(db, api, officer, mixed_portfolio):
    body = api(officer).get("/api/v1/portfolio").get_json()
    # Peru (closed), Peru II, Morocco; not the cancelled Peru III
    assert body["actions"] == 3 and body["actions_by_status"] == {"closed": 1, "implementation": 1, "assessment": 1}
    # 1 + (1 reported, 2 staffed) + 1; the cancelled ones do not count
    assert body["activities"] == 5
    assert body["experts_deployed"] == 2  # the expert on the cancelled activity is not involved
    assert body["officials_trained"] == 3 * 21  # the activities' participants, not the report's own 40


def test_the_dashboard_counts_an_action_in_the_year_it_was_held(db, api, client, login_as, officer,
                                                                mixed_portfolio):
    body = api(officer).get("/api/v1/portfolio?year_from=2021&year_to=2021").get_json()
    assert (body["actions"], body["activities"]) == (1, 1)  # Peru, held in 2021 although planned for 2020
    login_as(officer)
    assert _dashboard_figures(client, "year_from=2021&year_to=2021")["actions"] == 1


def test_an_action_counts_in_the_years_its_activities_were_held(db, officer, mixed_portfolio):
    assert portfolio(db, PortfolioFilters(year_from=2021, year_to=2021)).overall.actions == 1
    # its only 2022 activity was cancelled: not running in 2022 by its activities, and planned to end in 2020
    assert portfolio(db, PortfolioFilters(year_from=2022, year_to=2022)).overall.actions == 0
    assert portfolio(db, PortfolioFilters(year_from=2019, year_to=2019)).overall.actions == 0


def test_the_actions_list_behind_a_figure_counts_the_same_actions(db, client, login_as, officer, mixed_portfolio):
    login_as(officer)
    page = client.get("/actions/?year_from=2021&year_to=2021&counted=1").get_data(as_text=True)
    assert ">Peru<" in page or "Peru</a>" in page


def test_the_closed_actions_period_shows_when_its_activities_were_held(db, client, login_as, officer,
                                                                      mixed_portfolio):
    action = db.get(Action, mixed_portfolio.id)
    assert action.held == (date(2021, 3, 1), date(2021, 3, 3))
    assert action.span == (date(2020, 1, 1), date(2021, 3, 3))
    login_as(officer)
    page = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "activities held" in page and "2021" in page


def test_a_requester_token_counts_only_their_institutions_actions(db, api, requester_pe, mixed_portfolio):
    body = api(requester_pe).get("/api/v1/portfolio").get_json()
    assert body["actions"] == 2  # Peru and Peru II; not Morocco, not the cancelled one


def test_the_catalogue_figures_are_the_dashboards_for_published_actions(db, officer, mixed_portfolio):
    for action in db.scalars(select(Action)):
        action.published = action.status is not ActionStatus.CANCELLED
    db.commit()
    published = PortfolioFilters(published_only=True)
    full = {named.code: (f.actions, f.activities, f.experts) for named, f in portfolio(db, published).regions}
    counted = {named.code: (f.actions, f.activities, f.experts) for named, f in regional_counts(db, published)}
    assert counted == full
    assert full["latin_america_caribbean"] == (2, 4, 2)


def test_the_catalogue_names_no_administration_only_seen_on_a_cancelled_activity(db, officer, peru, client):
    from workflow.catalogue.services import expert_administrations
    from workflow.reference.models import InstitutionKind

    from ..factories import make_institution

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    ministry = make_institution(db, country="ES", name="Spanish ministry", kind=InstitutionKind.MS_ADMINISTRATION)
    expert = make_expert(db, name="Solo Cancelado")
    expert.institution_id = ministry.id
    activity = make_staffed_activity(db, action, officer)
    propose(db, activity.slots[0], expert, actor=officer, now=T0).status = DeploymentStatus.ACCEPTED
    db.commit()
    assert expert_administrations(db, action) == [ministry]
    apply_activity_event(db, activity, ActivityEvent.CANCEL, actor=officer, now=T0, reason="No venue.")
    db.commit()
    assert expert_administrations(db, action) == []


def test_the_portfolio_refuses_years_out_of_order(db, api, officer):
    response = api(officer).get("/api/v1/portfolio?year_from=2025&year_to=2020")
    assert response.status_code == 422 and "year_to" in response.get_json()["error"]["fields"]
