"""Staff move an open consultation's deadline through the API, as on the request's page: the answer with the
moves listed, 422 naming the field, 403 for others, 404 for unknown ids, 409 once it is decided or past."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.governance.models import Consultation, DeadlineChange

from ..factories import make_user
from ..functional import test_governance_pages as pages
from .conftest import refused
from .test_governance_api import decision, opened

AFTER_DEADLINE = pages.AFTER_DEADLINE
admin, supporter, delegation, reviewed = pages.admin, pages.supporter, pages.delegation, pages.reviewed


def url(consultation_id) -> str:
    return f"/api/v1/consultations/{consultation_id}/deadline"


def unchanged(db) -> bool:
    db.expire_all()
    return (db.scalar(select(func.count(DeadlineChange.id))) == 0
            and db.scalar(select(Consultation.deadline)).isoformat().startswith("2026-12-04"))


def test_staff_move_the_deadline_and_read_each_move(db, api, officer, admin, supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    response = api(officer).post(url(consultation), json={"deadline": "2026-12-10", "reason": "More time."})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["id"] == consultation and body["deadline"].startswith("2026-12-11T00:00:00")
    [moved] = body["deadline_changes"]
    assert moved["from_deadline"].startswith("2026-12-04T00:00:00") and moved["to_deadline"] == body["deadline"]
    assert (moved["reason"], moved["changed_by_id"]) == ("More time.", officer.id)
    shortened = api(admin).post(url(consultation), json={"deadline": "2026-12-01", "reason": None})
    assert shortened.status_code == 200, shortened.get_json()
    assert [c["reason"] for c in shortened.get_json()["deadline_changes"]] == ["More time.", None]
    read = api(supporter).get(f"/api/v1/consultations/{consultation}").get_json()
    assert read["deadline"].startswith("2026-12-02T00:00:00") and len(read["deadline_changes"]) == 2


@pytest.mark.parametrize(("body", "field"), [
    ({}, "deadline"),
    ({"deadline": "not-a-date"}, "deadline"),
    ({"deadline": "2026-11-01"}, "deadline"),  # in the past
    ({"deadline": "2031-01-01"}, "deadline"),  # more than a year away
    ({"deadline": "2026-12-03"}, "deadline"),  # the deadline it already is
    ({"deadline": "2026-12-10", "reason": "x" * 2_001}, "reason"),
    ({"deadline": "2026-12-10", "notify": False}, "notify"),
])
def test_a_bad_body_is_refused_naming_the_field_and_changes_nothing(db, api, officer, supporter, reviewed, body,
                                                                    field):
    consultation = opened(api, officer, reviewed)["id"]
    assert field in refused(api(officer).post(url(consultation), json=body), 422)["fields"]
    assert unchanged(db)


def test_only_staff_move_it_and_unknown_ids_answer_404(db, api, officer, requester_pe, requester_bo, supporter,
                                                       reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    expert, focal = make_user(db, Role.EXPERT), make_user(db, Role.MS_FOCAL_POINT, country="ES")
    for user in (requester_pe, requester_bo, supporter, expert, focal):
        refused(api(user).post(url(consultation), json={"deadline": "2026-12-10"}), 403, "forbidden")
    refused(api(None).post(url(consultation), json={"deadline": "2026-12-10"}), 401)
    refused(api(officer).post(url(999999), json={"deadline": "2026-12-10"}), 404, "not_found")
    assert unchanged(db)


def test_a_decided_consultation_or_a_passed_deadline_answers_409(db, api, clock, officer, supporter, reviewed):
    consultation = opened(api, officer, reviewed)["id"]
    clock.set(AFTER_DEADLINE)
    passed = refused(api(officer).post(url(consultation), json={"deadline": "2026-12-20"}), 409, "state_conflict")
    assert "deadline has passed" in passed["message"]
    decided = api(officer).post(f"/api/v1/consultations/{consultation}/decision", json=decision(db, "reject"))
    assert decided.status_code == 201, decided.get_json()
    closed = refused(api(officer).post(url(consultation), json={"deadline": "2026-12-20"}), 409, "state_conflict")
    assert "closed" in closed["message"]
    assert unchanged(db)
