"""The JSON API as a client uses it: tokens, permissions, errors, and a whole journey."""

from datetime import date

import pytest
from sqlalchemy import select

from workflow.accounts.models import ApiToken, Role
from workflow.actions.lifecycle import ActionStatus
from workflow.requests.lifecycle import RequestStatus

from ..factories import T0, make_action, make_expert, make_request, make_user


def test_the_description_is_public_and_lists_the_actions_operation(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/actions" in spec["paths"]
    params = {p["name"] for p in spec["paths"]["/api/v1/actions"]["get"]["parameters"]}
    assert {"region", "country", "theme", "status", "year", "page", "per_page"} <= params
    assert client.get("/api/v1/docs").status_code == 200


def test_without_a_token_the_api_answers_401_json(client, api):
    response = api(None).get("/api/v1/actions")
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"
    assert api(None).get("/api/v1/actions", headers={"Authorization": "Bearer pf_wrong"}).status_code == 401


def test_a_session_cookie_alone_writes_nothing(db, client, login_as, officer, requester_pe):
    request = make_request(db, requester_pe, RequestStatus.SUBMITTED, officer)
    login_as(officer)  # a signed-in browser session
    response = client.post(f"/api/v1/requests/{request.id}/events", json={"event": "start_review"})
    assert response.status_code == 401
    db.expire_all()
    assert request.status is RequestStatus.SUBMITTED


def test_a_revoked_token_stops_at_once(db, api, officer):
    caller = api(officer)
    assert caller.get("/api/v1/actions").status_code == 200
    token = db.scalar(select(ApiToken))
    assert token.last_used_at is not None
    token.revoked_at = T0
    db.commit()
    assert caller.get("/api/v1/actions").status_code == 401


def test_lists_are_paginated_and_filtered_like_the_page(db, api, officer, peru):
    for country in ("PE", "PE", "MX"):
        make_action(db, officer, country=country, beneficiary=peru if country == "PE" else None)
    body = api(officer).get("/api/v1/actions?country=PE&per_page=1").get_json()
    assert (body["total"], body["page"], body["per_page"], len(body["items"])) == (2, 1, 1, 1)
    assert body["items"][0]["name"] in {"Peru", "Peru II"} and "id" in body["items"][0]


def test_a_bolivian_token_sees_no_peruvian_action(db, api, officer, peru, requester_bo, requester_pe):
    action = make_action(db, officer, country="PE", beneficiary=peru)
    assert api(requester_pe).get("/api/v1/actions?country=PE").get_json()["total"] == 1
    bolivian = api(requester_bo)
    assert bolivian.get("/api/v1/actions?country=PE").get_json()["total"] == 0
    response = bolivian.get(f"/api/v1/actions/{action.id}")
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("query", ["country=pe", "country=PER", "status=bogus", "year=1850", "page=0",
                                   "per_page=1000", "theme=cooking", "page=abc"])
def test_bad_query_parameters_answer_422_naming_the_field(db, api, officer, query):
    response = api(officer).get(f"/api/v1/actions?{query}")
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "validation_error" and query.split("=")[0] in error["fields"]


def test_unknown_fields_are_refused_not_ignored(db, api, requester_pe):
    response = api(requester_pe).post("/api/v1/requests", json={
        "title": "T", "description": "D", "thematic_area": "horizontal", "status": "accepted"})
    assert response.status_code == 422 and "status" in response.get_json()["error"]["fields"]


@pytest.mark.parametrize("body, field", [
    ({"title": "", "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "x" * 100_000, "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "T", "description": "D", "thematic_area": "cooking"}, "thematic_area"),
    ({"title": 42, "description": "D", "thematic_area": "horizontal"}, "title"),
    ({"title": "T", "description": "D", "thematic_area": "horizontal", "desired_start": "31/31/2026"}, "desired_start"),
])
def test_bad_bodies_answer_422_and_write_nothing(db, api, requester_pe, body, field):
    from workflow.requests.models import Request

    response = api(requester_pe).post("/api/v1/requests", json=body)
    assert response.status_code == 422 and field in response.get_json()["error"]["fields"]
    assert db.scalar(select(Request.id)) is None


def test_a_refused_transition_answers_409_with_the_rule(db, api, officer, peru):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    response = api(officer).post(f"/api/v1/actions/{action.id}/events", json={"event": "start_implementation"})
    assert response.status_code == 409
    assert "assessment" in response.get_json()["error"]["message"]


def test_a_stale_version_answers_409(db, api, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    response = api(officer).post(f"/api/v1/actions/{action.id}/events",
                                 json={"event": "start_assessment", "version": action.version + 5})
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "stale_edit"


def test_a_requester_cannot_move_an_action(db, api, officer, peru, requester_pe):
    action = make_action(db, officer, beneficiary=peru)
    response = api(requester_pe).post(f"/api/v1/actions/{action.id}/events", json={"event": "start_assessment"})
    assert response.status_code == 403 and "staff" in response.get_json()["error"]["message"]


def test_a_whole_journey_through_the_api_alone(db, api, peru, officer, requester_pe, clock):
    """Request → accepted → assessment mission delivered → staffed from suggestions → expert accepts
    with their own token → activity delivered → Action closed with its report."""
    requester, staff = api(requester_pe), api(officer)
    expert_user = make_user(db, Role.EXPERT)
    make_expert(db, name="Marta Peer", country="AR", expert_type="partner_peer", user=expert_user)
    expert = api(expert_user)

    created = requester.post("/api/v1/requests", json={
        "title": "Victim identification", "description": "Peers on victim identification.",
        "thematic_area": "irregular_migration_thb"})
    assert created.status_code == 201, created.get_json()
    rid = created.get_json()["id"]
    assert requester.post(f"/api/v1/requests/{rid}/events", json={"event": "submit"}).status_code == 200
    assert staff.post(f"/api/v1/requests/{rid}/events", json={"event": "start_review"}).status_code == 200
    accepted = staff.post(f"/api/v1/requests/{rid}/events", json={"event": "accept"}).get_json()
    action_id = accepted["action_id"]
    assert staff.get(f"/api/v1/actions/{action_id}").get_json()["name"] == "Peru"
    assert staff.post(f"/api/v1/actions/{action_id}/events", json={"event": "start_assessment"}).status_code == 200

    mission = staff.post(f"/api/v1/actions/{action_id}/activities", json={
        "kind": "fact_finding_mission", "title": "Fact-finding mission", "start_date": "2026-11-02",
        "end_date": "2026-11-05", "city": "Lima", "country": "PE", "languages": ["es"],
        "slots": [{"role": "lead_expert", "thematic_area": "irregular_migration_thb", "language": "es"}]})
    assert mission.status_code == 201, mission.get_json()
    mission = mission.get_json()
    slot_id = mission["slots"][0]["id"]
    suggestions = staff.get(f"/api/v1/slots/{slot_id}/suggestions").get_json()
    assert suggestions["items"][0]["name"] == "Marta Peer" and suggestions["items"][0]["parts"]
    invited = staff.post(f"/api/v1/slots/{slot_id}/deployments",
                         json={"expert_id": suggestions["items"][0]["expert_id"]}).get_json()
    assert invited["status"] == "invited"
    assert expert.post(f"/api/v1/deployments/{invited['id']}/events", json={"event": "accept"}).status_code == 200
    assert staff.post(f"/api/v1/deployments/{invited['id']}/events", json={"event": "confirm"}).status_code == 200

    mid = mission["id"]
    assert staff.post(f"/api/v1/activities/{mid}/events", json={"event": "deliver"}).status_code == 200
    reported = staff.post(f"/api/v1/activities/{mid}/events", json={
        "event": "report", "report": {"summary": "Needs identified.", "participants_female": 9,
                                      "participants_male": 7}})
    assert reported.get_json()["status"] == "reported"
    assert expert.put(f"/api/v1/deployments/{invited['id']}/report",
                      json={"report": "Findings on victim identification."}).status_code == 200
    assert staff.post(f"/api/v1/deployments/{invited['id']}/events", json={"event": "complete"}).status_code == 200

    for event in ("start_implementation", "start_closing"):
        response = staff.post(f"/api/v1/actions/{action_id}/events", json={"event": event})
        assert response.status_code == 200, response.get_json()
    assert staff.put(f"/api/v1/actions/{action_id}/final-report", json={
        "results": "Guidelines drafted.", "lessons_learned": "Start with the provinces.",
        "officials_trained_female": 9, "officials_trained_male": 7}).status_code == 200
    closed = staff.post(f"/api/v1/actions/{action_id}/events", json={"event": "close"}).get_json()
    assert closed["status"] == "closed"
    history = staff.get(f"/api/v1/actions/{action_id}/transitions").get_json()
    assert [t["to_status"] for t in history["items"]] == ["accepted", "assessment", "implementation", "closing",
                                                         "closed"]
    assert staff.get("/api/v1/portfolio").get_json()["officials_trained"] == 16


def test_an_expert_token_sees_only_their_own_deployments(db, api, officer, peru):
    from workflow.deployments.services import propose

    from ..factories import make_staffed_activity

    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    mine_user, other_user = make_user(db, Role.EXPERT), make_user(db, Role.EXPERT)
    mine = make_expert(db, user=mine_user)
    other = make_expert(db, name="Other", user=other_user)
    d1 = propose(db, make_staffed_activity(db, action, officer).slots[0], mine, actor=officer, now=T0)
    d2 = propose(db, make_staffed_activity(db, action, officer, start=date(2027, 6, 1)).slots[0], other,
                 actor=officer, now=T0)
    db.commit()
    caller = api(mine_user)
    assert caller.get(f"/api/v1/deployments/{d1.id}").status_code == 200
    assert caller.get(f"/api/v1/deployments/{d2.id}").status_code == 404
    assert caller.get("/api/v1/experts").get_json()["total"] == 1


def test_tokens_created_on_the_command_line_work_once_printed(app, db, officer, client):
    result = app.test_cli_runner().invoke(args=["tokens", "create", officer.email, "--name", "report script"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert token.startswith("pf_")
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()["email"] == officer.email
    assert db.scalar(select(ApiToken)).token_hash != token  # only the hash is stored


def _write_operations(client) -> list[tuple[str, str]]:
    """Every write that takes a token (the anonymous questionnaire's, `security: []`, takes none: tested apart)."""
    spec = client.get("/api/v1/openapi.json").get_json()
    return [(method.upper(), path.replace("{", "").replace("}", "").replace("_id", "").replace(
        "action", "1").replace("activity", "1").replace("deployment", "1").replace("request", "1").replace(
        "slot", "1").replace("expert", "1"))
        for path, operations in spec["paths"].items() for method, operation in operations.items()
        if method in {"post", "put", "patch", "delete"} and operation.get("security") != []]


def test_only_the_anonymous_questionnaire_takes_no_token(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    anonymous = sorted((method, path) for path, operations in spec["paths"].items()
                       for method, operation in operations.items()
                       if isinstance(operation, dict) and operation.get("security") == [])
    assert anonymous == [("get", "/api/v1/questionnaires/{token}"), ("post", "/api/v1/questionnaires/{token}/answers")]


def test_every_write_refuses_a_cookie_without_a_token_and_a_revoked_token(db, client, login_as, officer, token_for):
    operations = _write_operations(client)
    assert len(operations) >= 12
    login_as(officer)  # a valid browser session cookie
    token = token_for(officer)
    db.scalar(select(ApiToken)).revoked_at = T0
    db.commit()
    for method, path in operations:
        assert client.open(path, method=method, json={}).status_code == 401, (method, path)
        revoked = client.open(path, method=method, json={}, headers={"Authorization": f"Bearer {token}"})
        assert revoked.status_code == 401, (method, path)


def test_the_demo_portfolio_through_the_api(db, client, token_for):
    from seed.demo import load_demo
    from workflow.accounts.models import User

    load_demo(db, now=T0)
    db.commit()
    pe = db.scalar(select(User).where(User.email == "requester.pe@demo.peerflow.org"))
    bo = db.scalar(select(User).where(User.email == "requester.bo@demo.peerflow.org"))
    as_pe = {"Authorization": f"Bearer {token_for(pe)}"}
    as_bo = {"Authorization": f"Bearer {token_for(bo)}"}
    peruvian = client.get("/api/v1/actions?country=PE", headers=as_pe).get_json()
    assert {a["name"] for a in peruvian["items"]} == {"Peru", "Peru III"}
    assert client.get("/api/v1/actions?country=PE", headers=as_bo).get_json()["total"] == 0
    assert client.get(f"/api/v1/actions/{peruvian['items'][0]['id']}", headers=as_bo).status_code == 404


def test_a_deliverable_is_uploaded_as_multipart_and_a_wrong_type_refused(db, client, token_for, officer, peru):
    import io

    from ..unit.test_uploads import PDF_BYTES

    action_id = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru).id
    headers = {"Authorization": f"Bearer {token_for(officer)}"}
    form = {"kind": "handbook", "title": "M&E handbook", "language": "es"}
    refused = client.post(f"/api/v1/actions/{action_id}/deliverables", headers=headers,
                          data={**form, "file": (io.BytesIO(b"MZ executable"), "handbook.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 422 and "file" in refused.get_json()["error"]["fields"]
    created = client.post(f"/api/v1/actions/{action_id}/deliverables", headers=headers,
                          data={**form, "file": (io.BytesIO(PDF_BYTES), "handbook.pdf")},
                          content_type="multipart/form-data")
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["content_type"], body["size_bytes"], body["file_name"]) == ("application/pdf", len(PDF_BYTES),
                                                                            "handbook.pdf")
    listed = client.get(f"/api/v1/actions/{action_id}/deliverables", headers=headers).get_json()
    assert listed["total"] == 1
