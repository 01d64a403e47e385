"""The API operations that close the gaps with the pages: an Action's edit, publication and public texts."""

from __future__ import annotations

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action

from ..factories import make_action, make_institution, make_user
from .conftest import refused


def stale(response) -> dict:
    """The 409 of a stale `version`, naming the field and what changed since."""
    assert response.status_code == 409, response.get_json()
    error = response.get_json()["error"]
    assert error["code"] == "stale_edit" and "version" in error["fields"], error
    return error


def _action(db):
    officer = make_user(db, Role.OFFICER)
    institution = make_institution(db, "PE")
    action = make_action(db, officer, beneficiary=institution)
    return officer, action, make_user(db, Role.REQUESTER, institution=institution)


def test_an_officer_edits_an_action_and_a_field_left_out_keeps_its_value(db, api):
    officer, action, _requester = _action(db)
    as_officer = api(officer)
    planned_start, version = action.planned_start.isoformat(), action.version
    response = as_officer.patch(f"/api/v1/actions/{action.id}", json={
        "title": "Referral of victims", "objective": "Better referral.", "thematic_area": "legal_migration_mobility",
        "version": action.version})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["title"], body["objective"], body["thematic_area"], body["planned_start"]) == (
        "Referral of victims", "Better referral.", "legal_migration_mobility", planned_start)
    assert body["version"] == version + 1


def test_an_action_edit_is_refused_to_a_requester_an_unknown_id_and_a_stale_version(db, api):
    officer, action, requester = _action(db)
    as_officer, as_requester = api(officer), api(requester)
    refused(as_requester.patch(f"/api/v1/actions/{action.id}", json={"title": "Mine", "version": action.version}),
            403)
    refused(as_officer.patch("/api/v1/actions/999999", json={"title": "None", "version": 1}), 404)
    version = action.version
    assert as_officer.patch(f"/api/v1/actions/{action.id}", json={"title": "First", "version": version}
                              ).status_code == 200
    error = stale(as_officer.patch(f"/api/v1/actions/{action.id}", json={"title": "Second", "version": version}))
    assert any(change["field"] == "title" for change in error["changes"])
    db.expire_all()
    assert db.get(Action, action.id).title == "First"


def test_a_closed_action_is_not_edited_and_a_bad_date_order_names_its_field(db, api):
    officer = make_user(db, Role.OFFICER)
    closed = make_action(db, officer, status=ActionStatus.CLOSED)
    action = make_action(db, officer)
    closed_url, url, version = f"/api/v1/actions/{closed.id}", f"/api/v1/actions/{action.id}", action.version
    as_officer = api(officer)
    refused(as_officer.patch(closed_url, json={"title": "Late", "version": closed.version}), 409)
    error = refused(as_officer.patch(url, json={"planned_start": "2027-01-01", "planned_end": "2026-01-01",
                                                "version": version}), 422)
    assert "planned_end" in error["fields"]


def test_publishing_an_action_needs_its_objective_and_its_version(db, api):
    officer, action, requester = _action(db)
    as_officer, as_requester = api(officer), api(requester)
    url, edit_url, version = f"/api/v1/actions/{action.id}/published", f"/api/v1/actions/{action.id}", action.version
    refused(as_officer.put(url, json={"published": True, "version": version}), 422)
    edited = as_officer.patch(edit_url, json={"objective": "Referral.", "version": version}).get_json()
    refused(as_requester.put(url, json={"published": True, "version": edited["version"]}), 403)
    stale(as_officer.put(url, json={"published": True, "version": edited["version"] - 1}))
    response = as_officer.put(url, json={"published": True, "version": edited["version"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["published"] is True and response.get_json()["published_at"]
    again = as_officer.put(url, json={"published": False, "version": response.get_json()["version"]})
    assert again.status_code == 200 and again.get_json()["published"] is False
    refused(as_officer.put("/api/v1/actions/999999/published", json={"published": True, "version": 1}), 404)


def test_the_public_texts_are_written_and_removed_by_language(db, api):
    officer, action, requester = _action(db)
    as_officer, as_requester = api(officer), api(requester)
    url = f"/api/v1/actions/{action.id}/public-details"
    response = as_officer.put(url, json={"es": {"title": "Trata de personas", "summary": "Resumen."},
                                           "fr": {"title": "Traite des êtres humains"}, "version": action.version})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["translations"]["es"] == {"title": "Trata de personas", "objective": "", "summary": "Resumen."}
    assert body["translations"]["fr"]["title"] == "Traite des êtres humains"
    removed = as_officer.put(url, json={"fr": {}, "version": body["version"]}).get_json()
    assert set(removed["translations"]) == {"es"}
    refused(as_requester.put(url, json={"es": {"title": "Mío"}, "version": removed["version"]}), 403)
    edited = as_officer.patch(url.removesuffix("/public-details"), json={"title": "Renamed",
                                                                          "version": removed["version"]}).get_json()
    assert edited["version"] == removed["version"] + 1
    stale(as_officer.put(url, json={"es": {"title": "Viejo"}, "version": removed["version"]}))
    error = refused(as_officer.put(url, json={"member_countries": ["ES"], "version": edited["version"]}), 422)
    assert "member_countries" in error["fields"]  # a national Action has no member countries
    refused(as_officer.put("/api/v1/actions/999999/public-details", json={"version": 1}), 404)


def test_a_name_of_only_spaces_is_refused_as_the_page_requires_it(db, api):
    officer, action, _requester = _action(db)
    url, version = f"/api/v1/actions/{action.id}", action.version
    as_officer = api(officer)
    error = refused(as_officer.patch(url, json={"name": "   ", "version": version}), 422)
    assert "name" in error["fields"]
    refused(as_officer.patch("/api/v1/me", json={"name": " "}), 422)
    refused(as_officer.post("/api/v1/experts", json={
        "name": " ", "email": "a@example.org", "gender": "male", "nationality": "ES", "country": "ES",
        "type": "academic"}), 422)
