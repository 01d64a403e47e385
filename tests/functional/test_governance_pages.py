"""The Steering Committee on the pages: the officer sends a request, members answer, the officer records the
decision against the eligibility criteria, the requester reads it; admins keep the committee and criteria."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.models import Action
from workflow.governance.models import (
    Answer,
    ConsultationAnswer,
    Decision,
    EligibilityCriterion,
    MemberKind,
    SteeringMember,
)
from workflow.governance.services import add_member, criteria
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request

from ..factories import make_request, make_user

AFTER_DEADLINE = datetime(2026, 12, 4, 0, 1, tzinfo=UTC)  # the clock starts on 23 November 2026


@pytest.fixture()
def admin(db):
    return make_user(db, Role.ADMIN)


def seat(db, admin, clock, kind: MemberKind, veto: bool):
    user = make_user(db, Role.STEERING)
    add_member(db, user.id, kind, veto, actor=admin, now=clock.now)
    db.commit()
    return user


@pytest.fixture()
def supporter(db, admin, clock):
    return seat(db, admin, clock, MemberKind.COMMITTEE_MEMBER, False)


@pytest.fixture()
def delegation(db, admin, clock):
    """The EU delegation, with a veto."""
    return seat(db, admin, clock, MemberKind.EU_DELEGATION, True)


@pytest.fixture()
def reviewed(db, requester_pe, officer):
    return make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer)


def decision_form(db, choice: str, summary: str = "Relevant to migration governance and owned by MININTER.",
                  **changes) -> dict[str, str]:
    """The decision form as a browser sends it: `choice` of outcome, every criterion met and commented."""
    data = {"outcome": choice, "summary": summary}
    for c in criteria(db, active_only=True):
        data[f"met_{c.id}"] = "yes"
        data[f"comment_{c.id}"] = f"{c.label}: confirmed in the review."
    return {**data, **changes}


def send(login_as, post, officer, request, deadline: str = "2026-12-03"):
    login_as(officer)
    return post(f"/requests/{request.id}/consultation", {"deadline": deadline}, follow_redirects=True)


def answer(login_as, post, member, request, value: str, reason: str = ""):
    login_as(member)
    return post(f"/requests/{request.id}/consultation/answer", {"answer": value, "reason": reason},
                follow_redirects=True)


def test_a_request_walks_through_the_consultation_to_approval_and_the_requester_reads_the_decision(
        db, client, clock, login_as, post, officer, requester_pe, supporter, delegation, reviewed):
    login_as(officer)
    page = client.get(f"/requests/{reviewed.id}").get_data(as_text=True)
    assert "Send to the Steering Committee" in page
    assert "/events/accept" not in page  # the committee decides, not the officer alone
    assert "Request sent to the Steering Committee. Its members are notified" in send(login_as, post, officer, reviewed).get_data(as_text=True)

    login_as(supporter)
    listing = client.get("/steering/consultations").get_data(as_text=True)
    assert reviewed.title in listing and "Not answered yet" in listing
    assert "Your answer is recorded." in answer(login_as, post, supporter, reviewed, "support").get_data(as_text=True)
    # The EU delegation stays silent.

    login_as(officer)
    early = post(f"/requests/{reviewed.id}/decision", decision_form(db, "approve"),
                 token_page=f"/requests/{reviewed.id}/decision")
    assert early.status_code == 200 and "approving must wait" in early.get_data(as_text=True)

    clock.set(AFTER_DEADLINE)
    login_as(officer)  # a sign-in of ten days before has timed out
    page = client.get(f"/requests/{reviewed.id}/decision").get_data(as_text=True)
    for c in criteria(db, active_only=True):
        assert f'name="comment_{c.id}"' in page
    response = post(f"/requests/{reviewed.id}/decision", decision_form(db, "approve"),
                    token_page=f"/requests/{reviewed.id}/decision")
    action = db.scalar(select(Action).where(Action.request_id == reviewed.id))
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/actions/{action.id}")
    db.expire_all()
    assert db.get(Request, reviewed.id).status is RequestStatus.ACCEPTED

    login_as(requester_pe)
    page = client.get(f"/requests/{reviewed.id}").get_data(as_text=True)
    assert "Relevant to migration governance and owned by MININTER." in page
    assert "Feasibility: confirmed in the review." in page and "Approve" in page
    assert supporter.name not in page and delegation.name not in page  # never the members' answers


def test_a_veto_members_objection_blocks_approval_on_the_decision_page(db, client, clock, login_as, post, officer,
                                                                       supporter, delegation, reviewed):
    send(login_as, post, officer, reviewed)
    answer(login_as, post, supporter, reviewed, "support")
    page = answer(login_as, post, delegation, reviewed, "object", "Another donor funds the same training.")
    assert "Your answer is recorded." in page.get_data(as_text=True)
    login_as(officer)
    page = client.get(f"/requests/{reviewed.id}").get_data(as_text=True)
    assert "Blocked: a member with a veto objected." in page and "Another donor funds the same training." in page

    blocked = post(f"/requests/{reviewed.id}/decision", decision_form(db, "approve"),
                   token_page=f"/requests/{reviewed.id}/decision")
    assert blocked.status_code == 200
    assert "A member with a veto objected: the request cannot be approved." in blocked.get_data(as_text=True)
    assert db.scalar(select(Decision.id).where(Decision.request_id == reviewed.id)) is None

    post(f"/requests/{reviewed.id}/decision", decision_form(db, "reject", summary="Covered by another donor."),
         token_page=f"/requests/{reviewed.id}/decision")
    db.expire_all()
    request = db.get(Request, reviewed.id)
    assert request.status is RequestStatus.DECLINED and request.decline_reason == "Covered by another donor."
    again = post(f"/requests/{reviewed.id}/decision", decision_form(db, "reject"), follow_redirects=True,
                 token_page=f"/requests/{reviewed.id}")
    assert "no open consultation" in again.get_data(as_text=True)  # a second click records nothing
    assert len(db.scalars(select(Decision).where(Decision.request_id == reviewed.id)).all()) == 1


def test_the_decision_form_needs_every_criterion_ticked_and_commented(db, client, login_as, post, officer, supporter,
                                                                      reviewed):
    send(login_as, post, officer, reviewed)
    first = criteria(db, active_only=True)[0]
    for changes in ({f"comment_{first.id}": ""}, {f"met_{first.id}": "maybe"}, {"outcome": "approve-it"},
                    {"summary": "x" * 20_001}, {f"comment_{first.id}": "y" * 20_001}):
        response = post(f"/requests/{reviewed.id}/decision", decision_form(db, "reject", **changes),
                        token_page=f"/requests/{reviewed.id}/decision")
        assert response.status_code == 200, changes
        assert "nothing was saved" in response.get_data(as_text=True) and 'aria-invalid="true"' in response.get_data(
            as_text=True)
    data = decision_form(db, "reject")
    del data[f"met_{first.id}"]
    assert post(f"/requests/{reviewed.id}/decision", data, token_page=f"/requests/{reviewed.id}/decision"
                ).status_code == 200
    assert db.scalar(select(Decision.id)) is None


@pytest.mark.parametrize(("value", "reason", "message"), [
    ("object", "", "An objection needs a reason."),
    ("maybe", "", "Choose to support or to object."),
    ("support", "z" * 20_001, "Choose to support or to object."),
])
def test_a_bad_answer_is_refused_and_changes_nothing(db, login_as, post, officer, supporter, reviewed, value, reason,
                                                     message):
    send(login_as, post, officer, reviewed)
    page = answer(login_as, post, supporter, reviewed, value, reason)
    assert message in page.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(ConsultationAnswer.answer)) is None


def test_after_the_deadline_a_member_can_no_longer_answer(db, client, clock, login_as, post, officer, supporter,
                                                          reviewed):
    send(login_as, post, officer, reviewed)
    answer(login_as, post, supporter, reviewed, "object", "Too broad.")
    clock.set(AFTER_DEADLINE)
    login_as(supporter)
    assert "answers can no longer be given or changed" in client.get(f"/requests/{reviewed.id}").get_data(as_text=True)
    page = answer(login_as, post, supporter, reviewed, "support")
    assert "The deadline has passed" in page.get_data(as_text=True)
    db.expire_all()
    assert db.scalar(select(ConsultationAnswer.answer)) is Answer.OBJECT


@pytest.mark.parametrize(("deadline", "message"), [("not-a-date", "Give the deadline as a date."),
                                                   ("2026-11-01", "The deadline must be in the future."),
                                                   ("2031-01-01", "The deadline must be within a year.")])
def test_a_bad_deadline_is_refused(db, login_as, post, officer, supporter, reviewed, deadline, message):
    assert message in send(login_as, post, officer, reviewed, deadline).get_data(as_text=True)
    db.expire_all()
    assert db.get(Request, reviewed.id).status is RequestStatus.UNDER_REVIEW


def test_members_see_only_the_requests_they_were_consulted_on(db, client, login_as, post, officer, supporter,
                                                              requester_pe):
    other = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Not sent to the committee")
    login_as(supporter)
    assert client.get(f"/requests/{other.id}").status_code == 404
    assert answer(login_as, post, supporter, other, "support").status_code == 404
    assert client.get(f"/requests/{other.id}/decision").status_code == 403
    login_as(requester_pe)
    assert client.get("/steering/consultations").status_code == 403


def test_the_admin_keeps_the_committee_and_the_criteria(db, client, login_as, post, admin):
    person = make_user(db, Role.STEERING)
    login_as(admin)
    assert person.name in client.get("/admin/steering-committee").get_data(as_text=True)
    response = post("/admin/steering-committee", {"user_id": str(person.id), "kind": "desk", "has_veto": "y"})
    assert response.status_code == 302
    member = db.scalar(select(SteeringMember).where(SteeringMember.user_id == person.id))
    assert (member.kind, member.has_veto, member.active) == (MemberKind.DESK, True, True)
    assert post("/admin/steering-committee", {"user_id": str(person.id), "kind": "desk"}).status_code == 200
    post(f"/admin/steering-committee/{member.id}", {"kind": "eu_delegation"})
    db.expire_all()
    member = db.get(SteeringMember, member.id)
    assert (member.kind, member.has_veto, member.active) == (MemberKind.EU_DELEGATION, False, False)
    assert post("/admin/steering-committee/999999", {"kind": "desk"}).status_code == 404
    post(f"/admin/steering-committee/{member.id}", {"kind": "chairman", "active": "y"})
    db.expire_all()
    assert db.get(SteeringMember, member.id).active is False  # unreadable: nothing saved

    page = client.get("/admin/eligibility-criteria").get_data(as_text=True)
    assert "Relevance to migration governance" in page and "No overlap with other donors" in page
    assert post("/admin/eligibility-criteria", {"label": "Gender mainstreaming", "position": ""}).status_code == 302
    added = db.scalar(select(EligibilityCriterion).where(EligibilityCriterion.label == "Gender mainstreaming"))
    post(f"/admin/eligibility-criteria/{added.id}", {"label": "Gender equality", "position": "2"})
    db.expire_all()
    added = db.get(EligibilityCriterion, added.id)
    assert (added.label, added.position, added.active) == ("Gender equality", 2, False)
    assert post("/admin/eligibility-criteria", {"label": ""}).status_code == 200
    assert post("/admin/eligibility-criteria", {"label": "x" * 201}).status_code == 200
    assert post(f"/admin/eligibility-criteria/{added.id}", {"label": "Renamed", "position": "abc"}).status_code == 302
    db.expire_all()
    assert db.get(EligibilityCriterion, added.id).label == "Gender equality"


def test_without_a_committee_the_officer_still_accepts_directly(db, client, login_as, officer, reviewed):
    login_as(officer)
    page = client.get(f"/requests/{reviewed.id}").get_data(as_text=True)
    assert "/events/accept" in page and "Send to the Steering Committee" not in page
