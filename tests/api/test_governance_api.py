"""The Steering Committee through the API: the officer opens a consultation, members answer, the officer records
the decision against the eligibility criteria, the requester reads it; each refusal as its page refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.models import Action
from workflow.governance.models import ConsultationAnswer, Decision, MemberKind
from workflow.governance.services import criteria
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request

from ..factories import make_request, make_user
from ..functional import test_governance_pages as pages
from .conftest import refused

# The page tests' committee (a member, and the EU delegation with a veto) and request under review.
AFTER_DEADLINE, seat = pages.AFTER_DEADLINE, pages.seat
admin, supporter, delegation, reviewed = pages.admin, pages.supporter, pages.delegation, pages.reviewed


def decision(db, outcome: str, summary: str = "Relevant to migration governance and owned by MININTER.") -> dict:
    """A decision body: every active criterion met, with a comment."""
    return {"outcome": outcome, "summary": summary,
            "criteria": [{"criterion_id": c.id, "met": True, "comment": f"{c.label}: confirmed in the review."}
                         for c in criteria(db, active_only=True)]}


def opened(api, officer, request, deadline: str = "2026-12-03") -> dict:
    response = api(officer).post(f"/api/v1/requests/{request.id}/consultations", json={"deadline": deadline})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_request_goes_through_the_consultation_to_approval_and_the_requester_reads_the_decision(
        db, api, clock, officer, requester_pe, supporter, delegation, reviewed):
    consultation = opened(api, officer, reviewed)
    assert consultation["status"] == "open" and consultation["request_id"] == reviewed.id
    assert {a["user_id"] for a in consultation["answers"]} == {supporter.id, delegation.id}
    assert consultation["position"] == {"supports": 0, "silent": 2, "objections": 0, "vetoes": 0,
                                        "deadline_passed": False, "silent_as_support": 0, "blocked": False,
                                        "complete": False}
    db.expire_all()
    assert db.get(Request, reviewed.id).status is RequestStatus.CONSULTATION

    member = api(supporter)
    waiting = member.get("/api/v1/consultations").get_json()
    assert [c["id"] for c in waiting["items"]] == [consultation["id"]] and waiting["total"] == 1
    answered = member.put(f"/api/v1/consultations/{consultation['id']}/answer", json={"answer": "support"})
    assert answered.status_code == 200, answered.get_json()
    assert answered.get_json()["position"]["supports"] == 1
    # The EU delegation stays silent: approving waits for the deadline.
    staff = api(officer)
    early = staff.post(f"/api/v1/consultations/{consultation['id']}/decision", json=decision(db, "approve"))
    assert "approving must wait" in refused(early, 409, "transition_refused")["message"]
    assert db.scalar(select(func.count(Decision.id))) == 0

    clock.set(AFTER_DEADLINE)
    recorded = staff.post(f"/api/v1/consultations/{consultation['id']}/decision", json=decision(db, "approve"))
    assert recorded.status_code == 201, recorded.get_json()
    body = recorded.get_json()
    assert body["outcome"] == "approve" and len(body["criteria"]) == len(criteria(db, active_only=True))
    db.expire_all()
    assert db.get(Request, reviewed.id).status is RequestStatus.ACCEPTED
    assert db.scalar(select(Action.id).where(Action.request_id == reviewed.id)) is not None
    assert staff.get(f"/api/v1/consultations/{consultation['id']}").get_json()["status"] == "closed"

    requester = api(requester_pe)
    decisions = requester.get(f"/api/v1/requests/{reviewed.id}/decisions").get_json()
    assert [d["summary"] for d in decisions["items"]] == ["Relevant to migration governance and owned by MININTER."]
    assert "answers" not in decisions["items"][0]  # never the members' answers
    refused(requester.get(f"/api/v1/requests/{reviewed.id}/consultations"), 403, "forbidden")
    refused(requester.get(f"/api/v1/consultations/{consultation['id']}"), 403, "forbidden")


def test_a_veto_blocks_approval_and_a_second_decision_records_nothing(db, api, officer, supporter, delegation,
                                                                      reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    api(supporter).put(f"/api/v1/consultations/{consultation}/answer", json={"answer": "support"})
    objection = api(delegation).put(f"/api/v1/consultations/{consultation}/answer",
                                    json={"answer": "object", "reason": "Another donor funds the same training."})
    assert objection.get_json()["position"]["blocked"] is True
    staff = api(officer)
    blocked = staff.post(f"/api/v1/consultations/{consultation}/decision", json=decision(db, "approve"))
    assert "veto" in refused(blocked, 409, "transition_refused")["message"]
    rejected = staff.post(f"/api/v1/consultations/{consultation}/decision",
                          json=decision(db, "reject", "Covered by another donor."))
    assert rejected.status_code == 201
    db.expire_all()
    request = db.get(Request, reviewed.id)
    assert request.status is RequestStatus.DECLINED and request.decline_reason == "Covered by another donor."
    again = staff.post(f"/api/v1/consultations/{consultation}/decision", json=decision(db, "reject"))
    refused(again, 409, "state_conflict")  # a second click records nothing
    assert db.scalar(select(func.count(Decision.id))) == 1


def test_sending_twice_is_refused_as_the_request_is_no_longer_under_review(db, api, officer, supporter, reviewed):
    opened(api, officer, reviewed)
    again = api(officer).post(f"/api/v1/requests/{reviewed.id}/consultations", json={"deadline": "2026-12-03"})
    refused(again, 409, "transition_refused")


@pytest.mark.parametrize(("body", "field"), [
    ({"deadline": "2026-11-01"}, "deadline"),  # in the past
    ({"deadline": "2031-01-01"}, "deadline"),  # more than a year away
    ({"deadline": "not-a-date"}, "deadline"),
    ({"deadline": "2026-12-03", "notify": True}, "notify"),
])
def test_a_bad_deadline_is_refused_naming_it(db, api, officer, supporter, reviewed, body, field):
    request_id = reviewed.id
    response = api(officer).post(f"/api/v1/requests/{request_id}/consultations", json=body)
    assert field in refused(response, 422)["fields"]
    db.expire_all()
    assert db.get(Request, request_id).status is RequestStatus.UNDER_REVIEW


def test_every_criterion_is_judged_once_with_a_comment(db, api, clock, officer, supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    staff, first = api(officer), criteria(db, active_only=True)[0]
    url = f"/api/v1/consultations/{consultation}/decision"
    missing = decision(db, "reject")
    missing["criteria"] = missing["criteria"][1:]
    assert f"comment_{first.id}" in refused(staff.post(url, json=missing), 422, "domain_error")["fields"]
    twice = decision(db, "reject")
    twice["criteria"].append(twice["criteria"][0])
    assert "criteria.5.criterion_id" in refused(staff.post(url, json=twice), 422)["fields"]
    unknown = decision(db, "reject")
    unknown["criteria"][0]["criterion_id"] = 999_999
    refused(staff.post(url, json=unknown), 422, "domain_error")
    unmet = decision(db, "approve")
    unmet["criteria"][0]["met"] = False
    clock.set(AFTER_DEADLINE)
    assert "outcome" in refused(staff.post(url, json=unmet), 422, "domain_error")["fields"]
    for bad in ({"outcome": "approve-it"}, {"summary": ""}, {"summary": "x" * 20_001}):
        assert set(bad) <= set(refused(staff.post(url, json={**decision(db, "reject"), **bad}), 422)["fields"])
    assert db.scalar(select(func.count(Decision.id))) == 0


def test_answers_are_checked_and_closed_after_the_deadline(db, api, clock, officer, supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    member, url = api(supporter), f"/api/v1/consultations/{consultation}/answer"
    assert "reason" in refused(member.put(url, json={"answer": "object"}), 422, "domain_error")["fields"]
    assert "answer" in refused(member.put(url, json={"answer": "maybe"}), 422)["fields"]
    assert member.put(url, json={"answer": "object", "reason": "Too broad."}).status_code == 200
    assert member.put(url, json={"answer": "support"}).status_code == 200  # changed before the deadline
    clock.set(AFTER_DEADLINE)
    assert "deadline has passed" in refused(member.put(url, json={"answer": "object", "reason": "Late."}),
                                            422)["message"]
    db.expire_all()
    assert db.scalar(select(ConsultationAnswer.answer)).value == "support"


def test_each_role_is_refused_as_on_the_pages(db, api, officer, requester_pe, supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    expert, focal = make_user(db, Role.EXPERT), make_user(db, Role.MS_FOCAL_POINT, country="ES")
    other = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Another one")
    for user in (requester_pe, supporter, expert, focal):  # only staff send a request to the committee
        refused(api(user).post(f"/api/v1/requests/{other.id}/consultations", json={"deadline": "2026-12-03"}), 403)
    for user in (officer, requester_pe, expert):  # only a committee member answers
        refused(api(user).put(f"/api/v1/consultations/{consultation}/answer", json={"answer": "support"}), 403)
    for user in (requester_pe, supporter, focal):  # only staff decide
        refused(api(user).post(f"/api/v1/consultations/{consultation}/decision", json=decision(db, "reject")), 403)
    for user in (requester_pe, expert, focal):  # the committee's lists are for staff and members
        refused(api(user).get("/api/v1/consultations"), 403, "forbidden")
    refused(api(supporter).get("/api/v1/eligibility-criteria"), 403)
    assert api(officer).get("/api/v1/eligibility-criteria").get_json()["total"] == len(criteria(db, active_only=True))
    db.expire_all()
    assert db.get(Request, other.id).status is RequestStatus.UNDER_REVIEW
    assert db.scalar(select(func.count(Decision.id))) == 0


def test_other_peoples_and_unknown_ids_answer_404(db, api, officer, admin, clock, requester_pe, requester_bo,
                                                  supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    outsider = seat(db, admin, clock, MemberKind.DESK, False)  # a member who joined after it was opened
    refused(api(outsider).put(f"/api/v1/consultations/{consultation}/answer", json={"answer": "support"}), 404)
    not_sent = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Not sent")
    refused(api(supporter).get(f"/api/v1/requests/{not_sent.id}/consultations"), 404)  # never consulted on it
    refused(api(requester_bo).get(f"/api/v1/requests/{reviewed.id}/decisions"), 404)  # another institution's
    for url in ("/api/v1/consultations/999999", "/api/v1/requests/999999/consultations"):
        refused(api(officer).get(url), 404, "not_found")
    refused(api(officer).post("/api/v1/consultations/999999/decision", json=decision(db, "reject")), 404)
    refused(api(officer).post("/api/v1/requests/999999/consultations", json={"deadline": "2026-12-03"}), 404)
    db.expire_all()
    assert db.scalar(select(ConsultationAnswer.answer).where(ConsultationAnswer.answer.is_not(None))) is None
