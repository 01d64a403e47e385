"""Plan templates through the API: save Mexico IV's plan, preview and start Mexico V from it, copy an activity,
delete a template; each creation done once per Idempotency-Key and each refusal as its page refuses."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.services import apply_action_event
from workflow.activities.models import Activity
from workflow.plans.models import PlanTemplate
from workflow.plans.services import save_plan

from ..factories import T0, make_action, make_user
from ..integration.test_plans import NOW, build_mexico_iv
from .conftest import refused


@pytest.fixture()
def mexico(db, officer):
    """Mexico IV with its plan (one training cancelled) and Mexico V, just accepted; their ids."""
    mexico_iv, inm = build_mexico_iv(db, officer)
    mexico_v = make_action(db, officer, country="MX", name="Mexico V", beneficiary=inm, start=date(2027, 1, 1))
    first = min(mexico_iv.activities, key=lambda a: a.start_date)
    return {"iv": mexico_iv.id, "v": mexico_v.id, "first_activity": first.id}


@pytest.fixture()
def template(db, officer, mexico):
    from workflow.actions.models import Action

    saved = save_plan(db, db.get(Action, mexico["iv"]), "Mexico IV plan", actor=officer, now=NOW)
    db.commit()
    return {"id": saved.id, "items": [i.id for i in saved.items]}


def activities_of(db, action_id: int) -> list[Activity]:
    db.expire_all()
    return db.scalars(select(Activity).where(Activity.action_id == action_id).order_by(Activity.start_date)).all()


def count_templates(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count(PlanTemplate.id)))


def test_mexico_v_is_started_from_the_template_of_mexico_iv(db, api, officer, mexico):
    staff = api(officer)
    key = {"Idempotency-Key": "save-mexico-iv-plan"}
    saved = staff.post(f"/api/v1/actions/{mexico['iv']}/plan-templates", headers=key,
                       json={"name": "Mexico IV plan", "description": "The Protocol, from assessment to lessons."})
    assert saved.status_code == 201, saved.get_json()
    template = saved.get_json()
    assert len(template["items"]) == 4  # the cancelled training is left out
    assert [i["offset_days"] for i in template["items"]] == [0, 28, 189, 525]
    assert template["items"][2]["slots"][0] == {"role": "trainer", "thematic_area": "legal_migration_mobility",
                                                "language": "es", "places": 2}
    again = staff.post(f"/api/v1/actions/{mexico['iv']}/plan-templates", headers=key, json={"name": "Mexico IV plan"})
    assert f"/api/v1/plan-templates/{template['id']}" in refused(again, 409, "already_submitted")["message"]
    assert count_templates(db) == 1
    assert [t["name"] for t in staff.get("/api/v1/plan-templates").get_json()["items"]] == ["Mexico IV plan"]

    preview = staff.get(f"/api/v1/actions/{mexico['v']}/plan-preview?template_id={template['id']}&anchor=2027-03-01")
    assert preview.status_code == 200, preview.get_json()
    assert preview.get_json()["refusal"] is None
    assert [a["start_date"] for a in preview.get_json()["activities"]] == [
        "2027-03-01", "2027-03-29", "2027-09-06", "2028-08-07"]
    assert activities_of(db, mexico["v"]) == []  # a preview plans nothing

    apply_key = {"Idempotency-Key": "start-mexico-v-from-iv"}
    body = {"template_id": template["id"], "anchor": "2027-03-01"}
    planned = staff.post(f"/api/v1/actions/{mexico['v']}/plan", json=body, headers=apply_key)
    assert planned.status_code == 201, planned.get_json()
    assert [(a["start_date"], a["end_date"]) for a in planned.get_json()["items"]] == [
        ("2027-03-01", "2027-03-03"), ("2027-03-29", "2027-06-11"), ("2027-09-06", "2027-09-10"),
        ("2028-08-07", "2028-08-09")]
    refused(staff.post(f"/api/v1/actions/{mexico['v']}/plan", json=body, headers=apply_key), 409, "already_submitted")
    assert [sum(s.places for s in a.slots) for a in activities_of(db, mexico["v"])] == [2, 1, 3, 1]


def test_only_the_listed_activities_are_planned(db, api, officer, mexico, template):
    training = template["items"][2]
    response = api(officer).post(f"/api/v1/actions/{mexico['v']}/plan",
                                 json={"template_id": template["id"], "anchor": "2027-03-01", "items": [training]})
    assert response.status_code == 201 and len(response.get_json()["items"]) == 1
    assert [a.title for a in activities_of(db, mexico["v"])] == [
        "Training of trainers on the Protocol at the southern border"]


@pytest.mark.parametrize(("changes", "status", "field"), [
    ({"items": [424242]}, 422, "items"),  # not an activity of this plan
    ({"items": []}, 422, "items"),
    ({"anchor": "9999-12-01"}, 422, "anchor"),  # past the end of the calendar
    ({"anchor": "31/31/2027"}, 422, "anchor"),
    ({"template_id": 999_999}, 404, None),
    ({"form_key": "k"}, 422, "form_key"),
])
def test_bad_apply_input_plans_nothing(db, api, officer, mexico, template, changes, status, field):
    body = {"template_id": template["id"], "anchor": "2027-03-01", **changes}
    error = refused(api(officer).post(f"/api/v1/actions/{mexico['v']}/plan", json=body), status)
    if field:
        assert field in error["fields"]
    assert activities_of(db, mexico["v"]) == []


def test_a_suspended_or_closed_action_takes_no_plan(db, api, officer, mexico, template, peru):
    from workflow.actions.models import Action

    apply_action_event(db, db.get(Action, mexico["v"]), ActionEvent.SUSPEND, actor=officer, now=T0,
                       reason="Elections.")
    db.commit()
    staff = api(officer)
    preview = staff.get(f"/api/v1/actions/{mexico['v']}/plan-preview?template_id={template['id']}&anchor=2027-03-01")
    assert "resume it before planning" in preview.get_json()["refusal"]
    body = {"template_id": template["id"], "anchor": "2027-03-01"}
    assert "resume it" in refused(staff.post(f"/api/v1/actions/{mexico['v']}/plan", json=body), 422)["message"]
    closed = make_action(db, officer, status=ActionStatus.CLOSED, beneficiary=peru).id
    refused(staff.post(f"/api/v1/actions/{closed}/plan", json=body), 409, "state_conflict")
    assert activities_of(db, mexico["v"]) == [] and activities_of(db, closed) == []


@pytest.mark.parametrize(("name", "field"), [("", "name"), ("   ", "name"), ("n" * 201, "name"),
                                             ("mexico iv PLAN", "name")])
def test_a_bad_or_taken_template_name_is_refused(db, api, officer, mexico, template, name, field):
    response = api(officer).post(f"/api/v1/actions/{mexico['iv']}/plan-templates", json={"name": name})
    assert field in refused(response, 422)["fields"]
    assert count_templates(db) == 1


def test_an_activity_is_copied_once_from_a_new_start(db, api, officer, mexico):
    staff, url = api(officer), f"/api/v1/activities/{mexico['first_activity']}/copies"
    key = {"Idempotency-Key": "copy-the-assessment-mission"}
    copy = staff.post(url, json={"title": "Second assessment mission", "start_date": "2027-05-03"}, headers=key)
    assert copy.status_code == 201, copy.get_json()
    body = copy.get_json()
    assert (body["title"], body["start_date"], body["end_date"], body["action_id"]) == (
        "Second assessment mission", "2027-05-03", "2027-05-05", mexico["iv"])
    assert len(body["slots"]) == 2
    refused(staff.post(url, json={"title": "Again", "start_date": "2027-06-01"}, headers=key), 409, "already_submitted")
    assert "title" in refused(staff.post(url, json={"title": " ", "start_date": "2027-06-01"}), 422)["fields"]
    assert len(activities_of(db, mexico["iv"])) == 6  # five planned, and the one copy


def test_a_template_is_deleted_and_the_activities_planned_from_it_stay(db, api, officer, mexico, template):
    staff = api(officer)
    staff.post(f"/api/v1/actions/{mexico['v']}/plan", json={"template_id": template["id"], "anchor": "2027-03-01"})
    deleted = staff.client.delete(f"/api/v1/plan-templates/{template['id']}",
                                  headers={"Authorization": f"Bearer {staff.token}"})
    assert deleted.status_code == 204
    refused(staff.get(f"/api/v1/plan-templates/{template['id']}"), 404, "not_found")
    assert count_templates(db) == 0 and len(activities_of(db, mexico["v"])) == 4


def test_each_role_is_refused_as_on_the_pages(db, api, officer, requester_pe, mexico, template):
    people = [requester_pe, make_user(db, Role.MS_FOCAL_POINT, country="ES"), make_user(db, Role.EXPERT),
              make_user(db, Role.STEERING)]
    for user in people:  # plan templates are programme staff's
        caller = api(user)
        refused(caller.get("/api/v1/plan-templates"), 403, "forbidden")
        refused(caller.get(f"/api/v1/plan-templates/{template['id']}"), 403)
        refused(caller.post(f"/api/v1/actions/{mexico['iv']}/plan-templates", json={"name": "Mine"}), 403)
        refused(caller.get(f"/api/v1/actions/{mexico['v']}/plan-preview?template_id={template['id']}"
                           "&anchor=2027-03-01"), 403)
        refused(caller.post(f"/api/v1/actions/{mexico['v']}/plan",
                            json={"template_id": template["id"], "anchor": "2027-03-01"}), 403)
        refused(caller.post(f"/api/v1/activities/{mexico['first_activity']}/copies",
                            json={"title": "Mine", "start_date": "2027-05-03"}), 403)
        deleted = caller.client.delete(f"/api/v1/plan-templates/{template['id']}",
                                       headers={"Authorization": f"Bearer {caller.token}"})
        refused(deleted, 403)
    assert count_templates(db) == 1 and activities_of(db, mexico["v"]) == []


def test_unknown_ids_answer_404(db, api, officer, template):
    staff = api(officer)
    refused(staff.get("/api/v1/plan-templates/999999"), 404, "not_found")
    refused(staff.post("/api/v1/actions/999999/plan-templates", json={"name": "Nothing"}), 404)
    refused(staff.get(f"/api/v1/actions/999999/plan-preview?template_id={template['id']}&anchor=2027-03-01"), 404)
    refused(staff.post("/api/v1/activities/999999/copies", json={"title": "x", "start_date": "2027-05-03"}), 404)
    assert count_templates(db) == 1
