"""Extra fields in a form or a JSON body (`role=admin`, `status=closed`, `institution_id=<B>`, `id`,
`version`, `published=1` …) change nothing beyond what the form itself edits: the pages copy named
fields into the services' drafts, and the API refuses unknown fields with 422."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import inspect, select

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.activities.models import Activity
from workflow.experts.models import Expert
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.models import Request

from ..factories import make_action, make_expert, make_request, make_staffed_activity, make_user, theme

# What an attacker adds to every form: ownership, role, state, identity and bookkeeping columns.
HOSTILE = {
    "id": "9999", "role": "admin", "status": "closed", "published": "1", "published_at": "2020-01-01",
    "active": "1", "is_demo": "1", "created_at": "2020-01-01", "updated_at": "2020-01-01",
    "author_id": "1", "officer_id": "1", "user_id": "1", "nominated_by_id": "1", "request_id": "1",
    "action_id": "1", "calendar_token": "a" * 40, "session_token": "b" * 22, "password_hash": "x",
    "decline_reason": "forged", "submitted_at": "2020-01-01", "consent_at": "2020-01-01",
    "cv_stored_name": "../../etc/passwd", "report": "forged", "reported_at": "2020-01-01",
    "participants_female": "999", "country_code": "BO", "region_id": "1", "is_regional": "y",
}


def columns(db, model: type, row_id: int) -> dict[str, Any]:
    row = db.get(model, row_id, populate_existing=True)  # as stored now, whatever the session held
    return {attr.key: getattr(row, attr.key) for attr in inspect(model).column_attrs}


# `search_key` follows the searched fields it is made of (a title, a name): it changes with them, and only then.
def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


# --- Pages ------------------------------------------------------------------------------------------


def test_a_new_request_belongs_to_the_requesters_institution_whatever_is_posted(db, login_as, post, requester_pe,
                                                                               bolivia, officer):
    login_as(requester_pe)
    response = post("/requests/new", {**HOSTILE, "institution_id": str(bolivia.id), "author_id": str(officer.id),
                                      "status": "submitted", "version": "7", "title": "Help with return counselling",
                                      "thematic_area_id": theme(db).id, "description": "Peers on voluntary return."})
    assert response.status_code == 302
    created = db.scalar(select(Request).where(Request.title == "Help with return counselling"))
    assert created.id != 9999 and created.institution_id == requester_pe.institution_id
    assert created.author_id == requester_pe.id and created.status is RequestStatus.DRAFT
    assert created.version == 1 and created.submitted_at is None and created.decline_reason is None


def test_editing_a_request_changes_only_its_text_theme_and_date(db, login_as, post, requester_pe, bolivia):
    request = make_request(db, requester_pe)
    before = columns(db, Request, request.id)
    login_as(requester_pe)
    response = post(f"/requests/{request.id}/edit", {
        **HOSTILE, "institution_id": str(bolivia.id), "status": "under_review", "title": "Edited title",
        "thematic_area_id": theme(db).id, "description": "Edited need.", "desired_start": "2027-02-01",
        "version": str(request.version)})
    assert response.status_code == 302
    after = columns(db, Request, request.id)
    assert changed(before, after) == {"title", "description", "desired_start", "updated_at", "version", "search_key"}
    assert after["status"] is RequestStatus.DRAFT and after["institution_id"] == requester_pe.institution_id


def test_editing_an_action_changes_only_the_fields_of_its_form(db, login_as, post, officer, peru, bolivia):
    action = make_action(db, officer, beneficiary=peru)
    before = columns(db, Action, action.id)
    login_as(officer)
    response = post(f"/actions/{action.id}/edit", {
        **HOSTILE, "status": "closed", "published": "1", "beneficiary_ids": str(bolivia.id), "name": action.name,
        "title": "Edited title", "thematic_area_id": theme(db).id, "planned_start": "2026-01-01",
        "objective": "Edited objective.", "version": str(action.version)})
    assert response.status_code == 302
    after = columns(db, Action, action.id)
    assert changed(before, after) <= {"title", "objective", "updated_at", "version", "search_key"}
    assert {"title", "objective"} <= changed(before, after)
    assert after["status"] is ActionStatus.ACCEPTED and after["published"] is False
    assert [b.id for b in db.get(Action, action.id).beneficiaries] == [peru.id]


def test_a_forged_version_is_a_stale_edit_not_a_new_version(db, login_as, post, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    before = columns(db, Action, action.id)
    login_as(officer)
    response = post(f"/actions/{action.id}/edit", {
        "name": action.name, "title": "Edited title", "thematic_area_id": theme(db).id,
        "planned_start": "2026-01-01", "version": str(action.version + 5)})
    assert response.status_code == 200  # the form again, saying why
    assert columns(db, Action, action.id) == before


def test_editing_an_activity_changes_only_the_fields_of_its_form(db, login_as, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    other = make_action(db, officer, beneficiary=peru, name="Peru II")
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    before = columns(db, Activity, activity.id)
    login_as(officer)
    response = post(f"/activities/{activity.id}/edit", {
        **HOSTILE, "status": "delivered", "action_id": str(other.id), "report": "Forged report.",
        "kind": "workshop", "title": "Renamed workshop", "start_date": "2027-03-01", "end_date": "2027-03-03",
        "city": "Cusco", "country_code": "PE", "languages": "es", "slots-0-role": "expert",
        "slots-0-thematic_area_id": theme(db).id, "slots-0-language": "es", "slots-0-places": "1",
        "version": str(activity.version)})
    assert response.status_code == 302
    after = columns(db, Activity, activity.id)
    assert changed(before, after) == {"title", "city", "updated_at", "version", "search_key"}
    assert after["action_id"] == action.id and after["report"] is None


def test_preferences_change_name_language_and_time_zone_only(db, login_as, post, requester_pe, bolivia):
    before = columns(db, User, requester_pe.id)
    login_as(requester_pe)
    response = post("/account", {**HOSTILE, "role": "admin", "institution_id": str(bolivia.id),
                                 "email": "someone.else@example.org", "active": "0", "country_code": "ES",
                                 "name": "Pedro Q.", "locale": "es", "timezone": "America/Lima"},
                    token_page="/account")
    assert response.status_code == 302
    after = columns(db, User, requester_pe.id)
    assert changed(before, after) == {"name", "locale", "timezone", "search_key"}
    assert after["role"] is Role.REQUESTER and after["institution_id"] == requester_pe.institution_id


def test_an_expert_editing_their_profile_cannot_touch_status_owner_or_files(db, login_as, post):
    user = make_user(db, Role.EXPERT)
    expert = make_expert(db, user=user)
    before = columns(db, Expert, expert.id)
    login_as(user)
    response = post(f"/experts/{expert.id}/edit", {
        **HOSTILE, "status": "active", "user_id": str(make_user(db, Role.EXPERT).id),
        "name": expert.name, "email": expert.email, "gender": expert.gender.value, "nationality": "ES",
        "country_code": expert.country_code, "type": expert.type.value, "institution_id": "",
        "years_experience": "14", "max_days_per_year": str(expert.max_days_per_year), "lang_es": "C2",
        f"theme_{theme(db).id}": "3", "version": str(expert.version)})
    assert response.status_code == 302
    after = columns(db, Expert, expert.id)
    assert changed(before, after) == {"years_experience", "updated_at", "version"}


# --- The API ----------------------------------------------------------------------------------------


@pytest.fixture()
def api_token(db):
    from workflow.accounts.tokens import create_token

    from ..factories import T0

    def make(user: User) -> dict[str, str]:
        plain = create_token(db, user, "tests", now=T0)[1]
        db.commit()
        return {"Authorization": f"Bearer {plain}"}

    return make


def test_the_api_refuses_unknown_fields_when_creating_a_request(db, client, api_token, requester_pe, bolivia):
    body = {"title": "Help with return counselling", "description": "Peers.", "thematic_area": theme(db).code,
            "institution_id": bolivia.id, "status": "accepted", "id": 9999, "version": 3}
    response = client.post("/api/v1/requests", json=body, headers=api_token(requester_pe))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"institution_id", "status", "id", "version"}
    assert db.scalar(select(Request).where(Request.title == "Help with return counselling")) is None


@pytest.mark.parametrize("extra", [{"status": "delivered"}, {"action_id": 1}, {"report": "Forged."},
                                   {"id": 9999}, {"participants_female": 5}])
def test_the_api_refuses_unknown_fields_when_editing_an_activity(db, client, api_token, officer, peru, extra):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    before = columns(db, Activity, activity.id)
    body = {"kind": "workshop", "title": "Renamed", "start_date": "2027-03-01", "end_date": "2027-03-03",
            "city": "Lima", "country": "PE", "languages": ["es"], "version": activity.version,
            "slots": [{"thematic_area": theme(db).code, "language": "es"}], **extra}
    response = client.patch(f"/api/v1/activities/{activity.id}", json=body, headers=api_token(officer))
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == set(extra)
    assert columns(db, Activity, activity.id) == before


def test_the_api_refuses_a_role_or_institution_in_a_request_edit(db, client, api_token, requester_pe, bolivia):
    request = make_request(db, requester_pe)
    before = columns(db, Request, request.id)
    body = {"title": "Edited", "description": "Edited.", "thematic_area": theme(db).code, "version": request.version,
            "institution_id": bolivia.id, "author_id": 1, "role": "admin"}
    response = client.patch(f"/api/v1/requests/{request.id}", json=body, headers=api_token(requester_pe))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"institution_id", "author_id", "role"}
    assert columns(db, Request, request.id) == before


def test_the_api_refuses_extra_fields_on_an_action_event(db, client, api_token, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    before = columns(db, Action, action.id)
    body = {"event": "start_assessment", "version": action.version, "status": "closed", "published": True}
    response = client.post(f"/api/v1/actions/{action.id}/events", json=body, headers=api_token(officer))
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"status", "published"}
    assert columns(db, Action, action.id) == before
