"""Calls for experts through the API: preview and send once (counted at a real SMTP server), answers with a CV,
focal points' proposals, the board, invitations, standing down and closing; each refusal as its page refuses."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.calls.models import Call, CallAnswer, FocalProposal
from workflow.calls.services import send_call
from workflow.deployments.models import Deployment

from ..factories import make_user
from ..integration import test_calls as integration
from ..unit.test_uploads import PDF_BYTES
from .conftest import refused

pytest_plugins = ["tests.smtp"]

NOW, SECRET, draft_for = integration.NOW, integration.SECRET, integration.draft_for
roster = integration.roster  # the Mexico workshop and its roster, as the integration tests build them


@pytest.fixture()
def mail_to(app, smtp_server, monkeypatch):
    """The app's mail goes to the test SMTP server."""
    monkeypatch.setitem(app.config, "SMTP_HOST", smtp_server.host)
    monkeypatch.setitem(app.config, "SMTP_PORT", smtp_server.port)
    return smtp_server


@pytest.fixture()
def mexico(db, roster, clock):
    """The roster at the time of the call, with plain ids (the objects do not outlive a request's session)."""
    activity, people, focal = roster
    clock.set(NOW)
    return {"activity": activity.id, "slot": activity.slots[0].id, "theme": activity.slots[0].thematic_area.code,
            "people": people, "focal": focal, "ana": people["es"].user}


def call_body(m: dict, **changes) -> dict:
    body = {"slot_id": m["slot"], "thematic_area": m["theme"], "language": "es", "member_states": ["ES", "PT"],
            "message": "We need two trainers on victim identification.\nAnswer by the deadline.",
            "answer_deadline": "2027-01-25"}
    return {**body, **changes}


def count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture()
def sent(db, mexico, officer):
    """A call already sent to Ana and Rui and the Spanish and Portuguese focal points (e-mails not delivered)."""
    from workflow.activities.models import Activity

    call = send_call(db, db.get(Activity, mexico["activity"]), draft_for(db.get(Activity, mexico["activity"])),
                     actor=officer, now=NOW, secret=SECRET)
    db.commit()
    return {**mexico, "call": call.id, "version": call.version}


def test_a_call_is_previewed_then_sent_once_to_exactly_the_filtered_people(db, api, mexico, officer, mail_to):
    staff = api(officer)
    preview = staff.post(f"/api/v1/activities/{mexico['activity']}/calls/preview", json=call_body(mexico))
    assert preview.status_code == 200, preview.get_json()
    audience = preview.get_json()
    assert audience["count"] == 4 and {e["name"] for e in audience["experts"]} == {"Ana Sánchez", "Rui Costa"}
    assert {f["country"] for f in audience["focal_points"]} == {"ES", "PT"} and count(db, Call) == 0

    key = {"Idempotency-Key": "a7c1e2d4-call-mexico"}
    body = call_body(mexico, previewed=audience["signature"])
    sent = staff.post(f"/api/v1/activities/{mexico['activity']}/calls", json=body, headers=key)
    assert sent.status_code == 201, sent.get_json()
    call = sent.get_json()
    assert (call["status"], call["answers_open"], call["member_states"]) == ("open", True, ["ES", "PT"])
    assert call["message"].endswith("\nAnswer by the deadline.")  # free text keeps its line breaks
    people, focal = mexico["people"], mexico["focal"]
    expected = {people["es"].email, people["pt"].email, focal["ES"].email, focal["PT"].email}
    assert sorted(m.to for m in mail_to.messages) == sorted(expected)  # sent at once, exactly these, once each

    again = staff.post(f"/api/v1/activities/{mexico['activity']}/calls", json=body, headers=key)
    assert f"/api/v1/calls/{call['id']}" in refused(again, 409, "already_submitted")["message"]
    fresh = staff.post(f"/api/v1/activities/{mexico['activity']}/calls", json=call_body(mexico))
    error = refused(fresh, 422, "domain_error")  # a new call to the same people: refused, naming them
    assert "Ana Sánchez" in error["message"] and "Rui Costa" in error["message"]
    assert count(db, Call) == 1 and len(mail_to.messages) == 4
    listed = staff.get(f"/api/v1/activities/{mexico['activity']}/calls").get_json()
    assert [c["id"] for c in listed["items"]] == [call["id"]]


def test_sending_with_filters_other_than_the_preview_sends_nothing(db, api, mexico, officer, mail_to):
    staff = api(officer)
    shown = staff.post(f"/api/v1/activities/{mexico['activity']}/calls/preview", json=call_body(mexico)).get_json()
    changed = call_body(mexico, member_states=["ES", "PT", "DE"], previewed=shown["signature"])
    response = staff.post(f"/api/v1/activities/{mexico['activity']}/calls", json=changed)
    assert "filters changed" in refused(response, 409, "state_conflict")["message"]
    assert count(db, Call) == 0 and mail_to.messages == []


@pytest.mark.parametrize(("changes", "field"), [
    ({"slot_id": 2_147_483_647}, "slot_id"),  # not a slot of this activity
    ({"member_states": ["ZZ"]}, "member_states.0"),
    ({"language": "xx"}, "language"),
    ({"answer_deadline": "2027-01-01"}, "answer_deadline"),  # in the past
    ({"answer_deadline": "2027-03-05"}, "answer_deadline"),  # after the activity starts
    ({"message": "x" * 5001}, "message"),
    ({"message": "Hi", "bcc": "everyone"}, "bcc"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_sent(db, api, mexico, officer, changes, field):
    response = api(officer).post(f"/api/v1/activities/{mexico['activity']}/calls", json=call_body(mexico, **changes))
    assert field in refused(response, 422)["fields"]
    assert count(db, Call) == 0


def test_ana_answers_in_her_portal_with_a_cv_and_changes_her_mind(db, api, app, sent, officer):
    ana = api(sent["ana"])
    url = f"/api/v1/calls/{sent['call']}/answer"
    answered = ana.put(url, data={"answer": "interested", "note": "Free in March.",
                                  "file": (io.BytesIO(PDF_BYTES), "cv-2027.pdf")}, content_type="multipart/form-data")
    assert answered.status_code == 200, answered.get_json()
    assert (answered.get_json()["answer"], answered.get_json()["cv_file_name"]) == ("interested", "cv-2027.pdf")
    stored = db.scalar(select(CallAnswer.cv_stored_name))
    assert (Path(app.config["UPLOAD_DIR"]) / stored).exists()
    changed = ana.put(url, data={"answer": "not_available", "note": ""}, content_type="multipart/form-data")
    assert changed.get_json()["answer"] == "not_available" and changed.get_json()["cv_file_name"] == "cv-2027.pdf"
    mine = ana.get("/api/v1/me/calls").get_json()
    assert [(c["call"]["id"], c["answer"]["answer"]) for c in mine["items"]] == [(sent["call"], "not_available")]
    board = api(officer).get(f"/api/v1/calls/{sent['call']}/board").get_json()
    assert board["slot_id"] == sent["slot"]
    assert {r["name"]: r["answer"] for r in board["items"]} == {"Ana Sánchez": "not_available", "Rui Costa": None}


def test_a_cv_that_is_not_a_document_is_refused_and_nothing_is_kept(db, api, app, sent):
    before = set(Path(app.config["UPLOAD_DIR"]).iterdir())
    response = api(sent["ana"]).put(f"/api/v1/calls/{sent['call']}/answer", content_type="multipart/form-data",
                                    data={"answer": "interested", "file": (io.BytesIO(b"MZ\x90 not a CV"), "cv.pdf")})
    assert "file" in refused(response, 422, "invalid_upload")["fields"]
    assert count(db, CallAnswer) == 0 and set(Path(app.config["UPLOAD_DIR"]).iterdir()) == before


def test_a_focal_point_proposes_an_expert_of_their_own_state_once(db, api, sent, officer):
    spain, url = api(sent["focal"]["ES"]), f"/api/v1/calls/{sent['call']}/proposals"
    pablo, rui = sent["people"]["es_border"].id, sent["people"]["pt"].id
    proposed = spain.post(url, json={"expert_id": pablo, "note": "Knows the border."})
    assert proposed.status_code == 201, proposed.get_json()
    assert proposed.get_json()["name"] == "Pablo Ruiz"
    assert "expert_id" in refused(spain.post(url, json={"expert_id": pablo}), 422, "domain_error")["fields"]
    assert "expert_id" in refused(spain.post(url, json={"expert_id": rui}), 422)["fields"]  # Portuguese
    refused(spain.post(url, json={"expert_id": 999_999}), 404)
    refused(api(sent["focal"]["DE"]).post(url, json={"expert_id": pablo}), 404)  # not reached by the call
    assert [p["expert_id"] for p in spain.get(url).get_json()["items"]] == [pablo]
    assert api(officer).get(url).get_json()["total"] == 1
    assert api(sent["focal"]["PT"]).get(url).get_json()["total"] == 0  # their own proposals only
    assert count(db, FocalProposal) == 1


def test_the_officer_invites_from_the_call_then_stands_it_down(db, api, sent, officer):
    staff, call = api(officer), sent["call"]
    invited = staff.post(f"/api/v1/calls/{call}/invitations",
                         json={"expert_id": sent["people"]["es"].id, "slot_id": sent["slot"]})
    assert invited.status_code == 201, invited.get_json()
    assert invited.get_json()["status"] == "invited"
    stranger = sent["people"]["de"].id  # never reached by the call nor proposed
    refused(staff.post(f"/api/v1/calls/{call}/invitations", json={"expert_id": stranger, "slot_id": sent["slot"]}),
            404)
    stale = staff.post(f"/api/v1/calls/{call}/events", json={"event": "stand_down", "version": sent["version"] + 1})
    refused(stale, 409, "stale_edit")
    down = staff.post(f"/api/v1/calls/{call}/events",
                      json={"event": "stand_down", "reason": "Places filled.", "version": sent["version"]})
    assert down.status_code == 200, down.get_json()
    assert (down.get_json()["status"], down.get_json()["answers_open"]) == ("stood_down", False)
    closing = staff.post(f"/api/v1/calls/{call}/events", json={"event": "close", "version": down.get_json()["version"]})
    refused(closing, 409, "transition_refused")
    late = api(sent["ana"]).put(f"/api/v1/calls/{call}/answer", data={"answer": "interested"},
                                content_type="multipart/form-data")
    assert "stood down" in refused(late, 422)["message"]
    assert count(db, Deployment) == 1


def test_each_role_is_refused_as_on_the_pages(db, api, sent, officer, requester_pe):
    call, activity = sent["call"], sent["activity"]
    steering, expert_elsewhere = make_user(db, Role.STEERING), make_user(db, Role.EXPERT)
    for user in (requester_pe, steering):  # the call's pages are not theirs
        refused(api(user).get(f"/api/v1/calls/{call}"), 403, "forbidden")
    for user in (requester_pe, sent["focal"]["ES"], sent["ana"]):  # only staff preview, send and read the board
        refused(api(user).post(f"/api/v1/activities/{activity}/calls/preview", json=call_body(sent)), 403)
        refused(api(user).post(f"/api/v1/activities/{activity}/calls", json=call_body(sent)), 403)
        refused(api(user).get(f"/api/v1/calls/{call}/board"), 403)
        refused(api(user).post(f"/api/v1/calls/{call}/events", json={"event": "close", "version": 1}), 403)
    refused(api(officer).put(f"/api/v1/calls/{call}/answer", data={"answer": "interested"},
                             content_type="multipart/form-data"), 403)  # only an expert answers
    refused(api(sent["ana"]).post(f"/api/v1/calls/{call}/proposals", json={"expert_id": 1}), 403)
    refused(api(expert_elsewhere).get(f"/api/v1/calls/{call}"), 404)  # an expert the call did not reach
    refused(api(expert_elsewhere).put(f"/api/v1/calls/{call}/answer", data={"answer": "interested"},
                                      content_type="multipart/form-data"), 404)
    assert api(sent["ana"]).get(f"/api/v1/calls/{call}").get_json()["id"] == call  # she was reached
    assert api(sent["focal"]["ES"]).get(f"/api/v1/calls/{call}").status_code == 200
    assert count(db, CallAnswer) == 0 and count(db, Call) == 1


def test_unknown_ids_answer_404(db, api, sent, officer):
    staff = api(officer)
    for url in ("/api/v1/calls/999999", "/api/v1/calls/999999/board", "/api/v1/activities/999999/calls"):
        refused(staff.get(url), 404, "not_found")
    refused(staff.post("/api/v1/activities/999999/calls", json=call_body(sent)), 404)
    refused(staff.post("/api/v1/calls/999999/events", json={"event": "close", "version": 1}), 404)
    assert "slot_id" in refused(staff.get(f"/api/v1/calls/{sent['call']}/board?slot_id=999999"), 422)["fields"]
