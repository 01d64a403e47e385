"""The API edits slots in place and moves dates only through POST /activities/{id}/postpone (#15)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.models import Activity, ExpertSlot
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.notifications.models import Notification

from ..factories import make_action, make_expert, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def setup(db):
    officer = make_user(db, Role.OFFICER)
    activity = make_staffed_activity(db, make_action(db, officer, status=ActionStatus.IMPLEMENTATION), officer,
                                     places=2, title="Workshop on victim referral")
    expert = make_expert(db, name="Lucía Herrera", expert_type="academic", user=make_user(db, Role.EXPERT))
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.commit()
    return officer, activity, deployment


def body(activity: Activity, **changes) -> dict:
    return {"kind": "workshop", "title": activity.title, "is_remote": False, "city": "Lima", "country": "PE",
            "languages": ["es"], "version": activity.version, **changes}


def test_a_patch_changes_a_slot_in_place_and_adds_one_keeping_the_deployment(db, api):
    officer, activity, deployment = setup(db)
    slot_id = activity.slots[0].id
    response = api(officer).patch(f"/api/v1/activities/{activity.id}", json=body(
        activity, title="Renamed", slots=[{"id": slot_id, "places": 3},
                                          {"thematic_area": "legal_migration_mobility", "language": "en", "role": "trainer"}]))
    assert response.status_code == 200, response.get_json()
    slots = response.get_json()["slots"]
    assert [(s["id"] == slot_id, s["places"], s["role"]) for s in slots] == [(True, 3, "expert"), (False, 1, "trainer")]
    db.expire_all()
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.INVITED


def test_a_patch_without_slots_keeps_them(db, api):
    officer, activity, deployment = setup(db)
    slot_id = activity.slots[0].id
    response = api(officer).patch(f"/api/v1/activities/{activity.id}", json=body(activity, title="Renamed"))
    assert response.status_code == 200
    assert [s["id"] for s in response.get_json()["slots"]] == [slot_id]


def test_removing_a_slot_with_a_live_deployment_answers_409_naming_the_expert(db, api):
    officer, activity, deployment = setup(db)
    slot_id = activity.slots[0].id
    response = api(officer).patch(f"/api/v1/activities/{activity.id}", json=body(
        activity, slots=[{"id": slot_id, "remove": True}]))
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert "Lucía Herrera" in error["message"] and "slots" in error["fields"]
    db.expire_all()
    assert db.get(ExpertSlot, slot_id).removed_at is None


def test_dates_in_a_patch_answer_422_pointing_to_postpone(db, api):
    officer, activity, _deployment = setup(db)
    activity_id, original, client = activity.id, body(activity), api(officer)
    response = client.patch(f"/api/v1/activities/{activity_id}", json={
        **original, "title": "Renamed", "start_date": "2027-06-01", "end_date": "2027-06-03"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert f"/api/v1/activities/{activity_id}/postpone" in error["fields"]["start_date"][0]
    db.expire_all()
    assert db.get(Activity, activity_id).title == "Workshop on victim referral"
    same = client.patch(f"/api/v1/activities/{activity_id}", json={
        **original, "title": "Renamed", "start_date": "2027-03-01", "end_date": "2027-03-03"})
    assert same.status_code == 200  # the dates as they are: nothing moves


def test_postpone_moves_the_dates_and_tells_the_invited_expert(db, api, client):
    officer, activity, deployment = setup(db)
    response = api(officer).post(f"/api/v1/activities/{activity.id}/postpone", json={
        "start_date": "2027-05-10", "end_date": "2027-05-12", "reason": "The minister is travelling.",
        "version": activity.version})
    assert response.status_code == 200, response.get_json()
    assert (response.get_json()["start_date"], response.get_json()["status"]) == ("2027-05-10", "postponed")
    notices = db.scalars(select(Notification.user_id).where(Notification.kind == "activity_postponed")).all()
    assert notices == [deployment.expert.user_id]
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "post" in spec["paths"]["/api/v1/activities/{activity_id}/postpone"]


def test_postpone_without_a_reason_or_onto_an_unavailability_answers_422(db, api):
    officer, activity, deployment = setup(db)
    activity_id = activity.id
    from workflow.experts.models import Unavailability

    db.add(Unavailability(expert_id=deployment.expert_id, start_date=date(2027, 5, 1), end_date=date(2027, 5, 31)))
    db.commit()
    client = api(officer)
    url = f"/api/v1/activities/{activity_id}/postpone"
    assert client.post(url, json={"start_date": "2027-05-10", "end_date": "2027-05-12"}).status_code == 422
    refused = client.post(url, json={"start_date": "2027-05-10", "end_date": "2027-05-12", "reason": "Moved."})
    assert refused.status_code == 422 and "Lucía Herrera" in refused.get_json()["error"]["message"]
    # The events endpoint's postpone is the same use case, with the same refusal.
    same = client.post(f"/api/v1/activities/{activity_id}/events", json={
        "event": "postpone", "start_date": "2027-05-10", "end_date": "2027-05-12", "reason": "Moved."})
    assert same.status_code == 422 and "Lucía Herrera" in same.get_json()["error"]["message"]
    db.expire_all()
    assert db.get(Activity, activity_id).start_date == date(2027, 3, 1)


def test_postponing_off_the_calendar_answers_422_not_500(db, api):
    officer, activity, _deployment = setup(db)
    activity_id, client = activity.id, api(officer)
    for start, end in (("0001-01-01", "0001-01-02"), ("9999-12-30", "9999-12-31")):
        response = client.post(f"/api/v1/activities/{activity_id}/postpone",
                               json={"start_date": start, "end_date": end, "reason": "Moved."})
        assert response.status_code == 422 and "start_date" in response.get_json()["error"]["fields"]
