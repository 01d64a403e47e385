"""The roster through the API, as on its pages: nominating, editing, the status and unavailable periods."""

from __future__ import annotations

from workflow.accounts.models import Role
from workflow.experts.models import Expert, ExpertStatus, Unavailability

from ..factories import make_expert, make_user
from .conftest import refused
from .test_parity_api import stale

NEW = {"name": "Marta Gil", "email": "marta.gil@example.org", "gender": "female", "nationality": "ES",
       "country": "ES", "type": "ms_official", "languages": {"es": "C2", "en": "B2"},
       "themes": {"irregular_migration_thb": 3}, "countries_worked": ["PE", "CO"]}


def test_an_officer_nominates_an_expert_and_a_requester_may_not(db, api):
    officer, requester = make_user(db, Role.OFFICER), make_user(db, Role.REQUESTER)
    response = api(officer).post("/api/v1/experts", json=NEW)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["status"], body["languages"], body["themes"], body["countries_worked"]) == (
        "nominated", {"es": "C2", "en": "B2"}, {"irregular_migration_thb": 3}, ["CO", "PE"])
    refused(api(requester).post("/api/v1/experts", json=NEW), 403)


def test_a_focal_point_nominates_only_experts_of_their_own_state(db, api):
    focal = make_user(db, Role.MS_FOCAL_POINT, country="FR")
    as_focal = api(focal)
    error = refused(as_focal.post("/api/v1/experts", json=NEW), 422)
    assert "country_code" in error["fields"] or "country" in error["fields"]
    assert as_focal.post("/api/v1/experts", json={**NEW, "country": "FR"}).status_code == 201
    refused(as_focal.post("/api/v1/experts", json={**NEW, "themes": {"nothing": 1}}), 422)


def test_an_edit_keeps_what_it_does_not_send_and_a_stale_version_is_refused(db, api):
    officer, outsider = make_user(db, Role.OFFICER), make_user(db, Role.EXPERT)
    expert = make_expert(db, languages={"es": "C2"})
    url, version = f"/api/v1/experts/{expert.id}", expert.version
    as_officer, as_outsider = api(officer), api(outsider)
    response = as_officer.patch(url, json={"years_experience": 20, "version": version})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["years_experience"], body["name"], body["languages"]) == (20, "Lucía Herrera", {"es": "C2"})
    assert body["version"] > version
    stale(as_officer.patch(url, json={"name": "Another", "version": version}))
    refused(as_outsider.patch(url, json={"name": "Mine", "version": body["version"]}), 404)
    refused(as_officer.patch("/api/v1/experts/999999", json={"name": "Nobody", "version": 1}), 404)
    db.expire_all()
    assert db.get(Expert, expert.id).name == "Lucía Herrera"


def test_an_expert_edits_their_profile_but_not_their_day_cap(db, api):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    url, version = f"/api/v1/experts/{expert.id}", expert.version
    as_expert = api(user)
    error = refused(as_expert.patch(url, json={"max_days_per_year": 200, "version": version}), 422)
    assert "max_days_per_year" in error["fields"]
    assert as_expert.patch(url, json={"name": "Lucía H.", "version": version}).status_code == 200


def test_staff_move_an_expert_through_the_roster_statuses(db, api):
    officer, focal = make_user(db, Role.OFFICER), make_user(db, Role.MS_FOCAL_POINT, country="ES")
    expert = make_expert(db, status="nominated")
    url = f"/api/v1/experts/{expert.id}/status"
    as_officer, as_focal = api(officer), api(focal)
    refused(as_focal.post(url, json={"status": "approved"}), 403)
    refused(as_officer.post(url, json={"status": "inactive"}), 409)  # a nominee is approved first
    response = as_officer.post(url, json={"status": "approved"})
    assert response.status_code == 200 and response.get_json()["status"] == "approved"
    refused(as_officer.post("/api/v1/experts/999999/status", json={"status": "active"}), 404)
    db.expire_all()
    assert db.get(Expert, expert.id).status is ExpertStatus.APPROVED


def test_the_expert_declares_and_removes_an_unavailable_period_and_others_may_not(db, api):
    user, other = make_user(db, Role.EXPERT), make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    url = f"/api/v1/experts/{expert.id}/unavailability"
    as_expert, as_other = api(user), api(other)
    error = refused(as_expert.post(url, json={"start_date": "2027-09-05", "end_date": "2027-09-01"}), 422)
    assert "end_date" in error["fields"]
    refused(as_other.post(url, json={"start_date": "2027-09-01", "end_date": "2027-09-05"}), 404)
    response = as_expert.post(url, json={"start_date": "2027-09-01", "end_date": "2027-09-05", "reason": "Leave"})
    assert response.status_code == 201, response.get_json()
    period_id = response.get_json()["id"]
    refused(as_other.client.delete(f"/api/v1/unavailability/{period_id}", headers=as_other._headers(None)), 404)
    deleted = as_expert.client.delete(f"/api/v1/unavailability/{period_id}", headers=as_expert._headers(None))
    assert deleted.status_code == 204
    assert db.get(Unavailability, period_id) is None
    refused(as_expert.client.delete(f"/api/v1/unavailability/{period_id}", headers=as_expert._headers(None)), 404)


def test_an_unknown_institution_or_country_is_named_not_a_server_error(db, api):
    as_officer = api(make_user(db, Role.OFFICER))
    for field, value in (("institution_id", 999999), ("countries_worked", ["ZZ"])):
        error = refused(as_officer.post("/api/v1/experts", json={**NEW, field: value}), 422)
        assert any(key.startswith(field) for key in error["fields"]), error
