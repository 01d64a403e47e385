"""Participants' evaluations through the API: staff open and close questionnaires and rate deployments, the
questionnaire is answered without a token at its secret link (each nonce once), results hide small groups."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.evaluations.models import DeploymentRating, Evaluation, EvaluationResponse

from ..factories import make_user
from ..functional import test_evaluation_pages as pages
from .conftest import refused

world = pages.world  # the delivered workshop, Lucía's completed deployment and a Spanish questionnaire


@pytest.fixture()
def ids(world):
    """The world's ids (its objects do not outlive a request's session)."""
    evaluation = world["evaluation"]
    return {"activity": world["activity"].id, "action": world["action"].id, "deployment": world["deployment"].id,
            "expert": world["lucia"].id, "evaluation": evaluation.id, "token": evaluation.token,
            "closes_at": evaluation.closes_at, "pending": world["lucia"].user}


def answers(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(EvaluationResponse.id)))


def participant(client, token: str, scores=(4, 5, 4, 3), comment: str | None = None):
    """A participant's app: read the questionnaire (no token), send the answers with its nonce."""
    questionnaire = client.get(f"/api/v1/questionnaires/{token}")
    assert questionnaire.status_code == 200, questionnaire.get_json()
    assert questionnaire.headers["Cache-Control"] == "no-store"
    body = dict(zip(("relevance", "experts_input", "usefulness", "organisation"), scores, strict=True))
    return client.post(f"/api/v1/questionnaires/{token}/answers",
                       json={**body, "comment": comment, "nonce": questionnaire.get_json()["nonce"]})


def test_staff_open_a_questionnaire_once_and_share_its_link(db, api, ids, officer):
    staff, url = api(officer), f"/api/v1/activities/{ids['activity']}/evaluations"
    key = {"Idempotency-Key": "open-english-questionnaire"}
    body = {"language": "en", "opens_on": "2026-11-23", "closes_on": "2026-12-07"}
    opened = staff.post(url, json=body, headers=key)
    assert opened.status_code == 201, opened.get_json()
    questionnaire = opened.get_json()
    assert (questionnaire["language"], questionnaire["is_open"], questionnaire["answers"]) == ("en", True, 0)
    assert questionnaire["link"].endswith(f"/evaluate/{db.get(Evaluation, questionnaire['id']).token}")
    again = staff.post(url, json=body, headers=key)  # a retry after a lost answer
    assert f"/api/v1/evaluations/{questionnaire['id']}" in refused(again, 409, "already_submitted")["message"]
    clash = staff.post(url, json=body)  # a new one in the same language
    assert "language" in refused(clash, 422, "domain_error")["fields"]
    assert {q["language"] for q in staff.get(url).get_json()["items"]} == {"es", "en"}
    assert staff.get(f"/api/v1/evaluations/{questionnaire['id']}").get_json()["id"] == questionnaire["id"]


@pytest.mark.parametrize(("body", "field"), [
    ({"language": "fr", "opens_on": "2026-11-23", "closes_on": "2026-12-07"}, "language"),  # not the activity's
    ({"language": "en", "opens_on": "2026-11-01", "closes_on": "2026-12-07"}, "opens_on"),  # in the past
    ({"language": "en", "opens_on": "2026-11-23", "closes_on": "2026-11-22"}, "closes_on"),
    ({"language": "en", "opens_on": "2026-11-23", "closes_on": "2027-06-01"}, "closes_on"),  # over 92 days
    ({"language": "en", "opens_on": "2026-11-23"}, "closes_on"),
])
def test_a_bad_questionnaire_is_refused_naming_the_field(db, api, ids, officer, body, field):
    response = api(officer).post(f"/api/v1/activities/{ids['activity']}/evaluations", json=body)
    assert field in refused(response, 422)["fields"]
    db.expire_all()
    assert db.scalar(select(func.count(Evaluation.id))) == 1


def test_a_participant_answers_without_a_token_and_each_nonce_counts_once(db, client, ids):
    token = ids["token"]
    read = client.get(f"/api/v1/questionnaires/{token}").get_json()
    assert read["language"] == "es" and read["is_open"] and read["activity_title"] == "Taller sobre asistencia a víctimas"
    assert [q["code"] for q in read["questions"]] == ["relevance", "experts_input", "usefulness", "organisation"]
    assert read["questions"][0]["label"] != "Relevance to your work"  # in the questionnaire's own language
    sent = client.post(f"/api/v1/questionnaires/{token}/answers",
                       json={"relevance": 4, "experts_input": 5, "usefulness": 4, "organisation": 3,
                             "comment": "Muy útil.\nGracias.", "nonce": read["nonce"]})
    assert sent.status_code == 201 and sent.get_json() == {"received": True}
    again = client.post(f"/api/v1/questionnaires/{token}/answers",
                        json={"relevance": 1, "experts_input": 1, "usefulness": 1, "organisation": 1,
                              "nonce": read["nonce"]})
    refused(again, 409, "already_answered")  # the same form sent again
    assert answers(db) == 1
    assert db.scalar(select(EvaluationResponse.comment)) == "Muy útil.\nGracias."


@pytest.mark.parametrize(("changes", "field"), [
    ({"nonce": "forged"}, "nonce"),
    ({"relevance": 6}, "relevance"),
    ({"relevance": None}, "relevance"),
    ({"comment": "x" * 2001}, "comment"),
    ({"name": "María"}, "name"),  # nothing that identifies a participant is taken
])
def test_bad_answers_are_refused_naming_the_field(db, client, ids, changes, field):
    nonce = client.get(f"/api/v1/questionnaires/{ids['token']}").get_json()["nonce"]
    body = {"relevance": 4, "experts_input": 5, "usefulness": 4, "organisation": 3, "nonce": nonce, **changes}
    response = client.post(f"/api/v1/questionnaires/{ids['token']}/answers", json=body)
    assert field in refused(response, 422)["fields"]
    assert answers(db) == 0


def test_the_link_answers_410_once_closed_and_409_before_it_opens(db, api, client, clock, ids, officer):
    token = ids["token"]
    nonce = client.get(f"/api/v1/questionnaires/{token}").get_json()["nonce"]
    clock.set(ids["closes_at"])
    refused(client.get(f"/api/v1/questionnaires/{token}"), 410, "gone")
    late = client.post(f"/api/v1/questionnaires/{token}/answers",
                       json={"relevance": 4, "experts_input": 5, "usefulness": 4, "organisation": 3, "nonce": nonce})
    refused(late, 410, "gone")
    refused(client.get("/api/v1/questionnaires/no-such-link"), 404, "not_found")
    assert client.get("/api/v1/questionnaires/not%20a%20token").status_code == 404

    clock.set(ids["closes_at"] - timedelta(days=30))
    later = api(officer).post(f"/api/v1/activities/{ids['activity']}/evaluations",
                              json={"language": "en", "opens_on": (clock.now + timedelta(days=3)).date().isoformat(),
                                    "closes_on": (clock.now + timedelta(days=10)).date().isoformat()}).get_json()
    waiting_token = db.get(Evaluation, later["id"]).token
    waiting = client.get(f"/api/v1/questionnaires/{waiting_token}").get_json()
    assert waiting["is_open"] is False and waiting["nonce"] is None
    early = client.post(f"/api/v1/questionnaires/{waiting_token}/answers",
                        json={"relevance": 4, "experts_input": 5, "usefulness": 4, "organisation": 3, "nonce": nonce})
    refused(early, 409, "state_conflict")
    assert answers(db) == 0


def test_results_hide_fewer_than_three_answers_and_comments_are_for_staff(db, api, client, ids, officer,
                                                                         requester_pe, requester_bo):
    for scores in ((4, 5, 4, 3), (2, 4, 4, 5)):
        assert participant(client, ids["token"], scores, comment="Útil.").status_code == 201
    url = f"/api/v1/activities/{ids['activity']}/evaluation-results"
    few = api(officer).get(url).get_json()
    assert (few["answers"], few["shown"], few["averages"], few["comments"]) == (2, False, [], [])
    assert participant(client, ids["token"], (3, 3, 4, 4)).status_code == 201
    shown = api(officer).get(url).get_json()
    assert shown["shown"] and {a["question"]: a["average"] for a in shown["averages"]}["experts_input"] == 4.0
    assert shown["comments"] == ["Útil.", "Útil."]
    theirs = api(requester_pe).get(url).get_json()
    assert theirs["averages"] == shown["averages"] and theirs["comments"] == []  # never the comments
    refused(api(requester_bo).get(url), 404)  # another institution's activity
    assert api(requester_pe).get(f"/api/v1/actions/{ids['action']}/evaluation-results").get_json()["counted"] == 3
    assert api(officer).get(f"/api/v1/experts/{ids['expert']}/evaluation-results").get_json()["shown"] is True
    refused(api(requester_pe).get(f"/api/v1/experts/{ids['expert']}/evaluation-results"), 404)


def test_staff_close_a_questionnaire_once(db, api, client, ids, officer):
    staff, url = api(officer), f"/api/v1/evaluations/{ids['evaluation']}/close"
    closed = staff.post(url)
    assert closed.status_code == 200 and closed.get_json()["is_open"] is False and closed.get_json()["link"] is None
    refused(staff.post(url), 409, "state_conflict")  # a second click
    refused(client.get(f"/api/v1/questionnaires/{ids['token']}"), 410)


def test_staff_rate_a_completed_deployment(db, api, ids, officer):
    staff, url = api(officer), f"/api/v1/deployments/{ids['deployment']}/rating"
    refused(staff.get(url), 404)  # not rated yet
    rated = staff.put(url, json={"score": 4, "note": "Solid work.\nWould invite again."})
    assert rated.status_code == 200, rated.get_json()
    assert staff.put(url, json={"score": 5}).get_json()["score"] == 5  # rated again: replaced
    assert staff.get(url).get_json()["note"] is None
    assert "score" in refused(staff.put(url, json={"score": 0}), 422)["fields"]
    db.expire_all()
    assert db.scalar(select(func.count(DeploymentRating.id))) == 1


def test_each_role_is_refused_as_on_the_pages(db, api, ids, requester_pe):
    focal, steering = make_user(db, Role.MS_FOCAL_POINT, country="ES"), make_user(db, Role.STEERING)
    for user in (requester_pe, ids["pending"], focal, steering):  # questionnaires and ratings are staff's
        caller = api(user)
        refused(caller.get(f"/api/v1/activities/{ids['activity']}/evaluations"), 403, "forbidden")
        refused(caller.post(f"/api/v1/activities/{ids['activity']}/evaluations",
                            json={"language": "en", "opens_on": "2026-11-23", "closes_on": "2026-12-07"}), 403)
        refused(caller.post(f"/api/v1/evaluations/{ids['evaluation']}/close"), 403)
        refused(caller.put(f"/api/v1/deployments/{ids['deployment']}/rating", json={"score": 4}), 403)
    db.expire_all()
    assert db.scalar(select(func.count(Evaluation.id))) == 1 and db.scalar(select(func.count(DeploymentRating.id))) == 0
    assert db.get(Evaluation, ids["evaluation"]).closes_at == ids["closes_at"]


def test_unknown_ids_answer_404(db, api, officer):
    staff = api(officer)
    for url in ("/api/v1/evaluations/999999", "/api/v1/activities/999999/evaluations",
                "/api/v1/activities/999999/evaluation-results", "/api/v1/deployments/999999/rating"):
        refused(staff.get(url), 404, "not_found")
    refused(staff.post("/api/v1/evaluations/999999/close"), 404)
