"""The Edit and Postpone pages: slots edited in place, dates moved only by postponing (#15)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.activities.lifecycle import ActivityStatus
from workflow.activities.models import Activity, ActivityTransition, ExpertSlot
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.notifications.models import Notification

from ..factories import make_action, make_expert, make_staffed_activity, make_user, theme

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def version_on(page: str) -> str:
    match = VERSION.search(page)
    return match.group(1) or match.group(2)


def setup(db, *, places: int = 2):
    officer = make_user(db, Role.OFFICER)
    activity = make_staffed_activity(db, make_action(db, officer, status=ActionStatus.IMPLEMENTATION), officer,
                                     places=places, title="Workshop on victim referral")
    return officer, activity


def invite(db, activity, officer, name: str) -> Deployment:
    expert = make_expert(db, name=name, expert_type="academic", user=make_user(db, Role.EXPERT))
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    db.commit()
    return deployment


def edit_form(activity: Activity, version: str, **changes: str) -> dict[str, str]:
    slot = activity.slots[0]
    data = {"kind": activity.kind.value, "title": activity.title, "city": "Lima", "country_code": "PE",
            "languages": "es", "slots-0-slot_id": str(slot.id), "slots-0-role": slot.role.value,
            "slots-0-thematic_area_id": str(slot.thematic_area_id), "slots-0-language": slot.language,
            "slots-0-places": str(slot.places), "version": version}
    return {**data, **changes}


def test_the_edit_page_shows_each_slot_with_its_id_a_remove_box_an_empty_row_and_no_dates(db, client, login_as):
    officer, activity = setup(db)
    deployment = invite(db, activity, officer, "Lucía Herrera")
    login_as(officer)
    page = text(client.get(f"/activities/{activity.id}/edit"))
    slot_id = activity.slots[0].id
    assert re.search(rf'name="slots-0-slot_id"[^>]*value="{slot_id}"|value="{slot_id}"[^>]*name="slots-0-slot_id"', page)
    assert '<label class="form-check-label" for="slots-0-remove">Remove this slot</label>' in page
    assert 'name="slots-1-thematic_area_id"' in page and 'name="slots-1-remove"' not in page  # an empty row to add
    assert 'name="start_date"' not in page and 'name="end_date"' not in page
    assert f'href="/activities/{activity.id}/postpone"' in page
    assert f'On this slot: <a href="/deployments/{deployment.id}">Lucía Herrera</a>.' in page


def test_saving_a_new_title_keeps_the_slot_and_the_invitation(db, client, login_as, post):
    officer, activity = setup(db)
    deployment = invite(db, activity, officer, "Lucía Herrera")
    slot_id = activity.slots[0].id
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(activity, version, title="Workshop on referral"))
    assert response.status_code == 302
    db.expire_all()
    assert [s.id for s in db.get(Activity, activity.id).slots] == [slot_id]
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.INVITED
    assert db.get(Activity, activity.id).title == "Workshop on referral"


def test_a_new_row_adds_a_slot_and_places_change_in_place(db, client, login_as, post):
    officer, activity = setup(db)
    slot_id = activity.slots[0].id
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(
        activity, version, **{"slots-0-places": "3", "slots-1-slot_id": "", "slots-1-role": "trainer",
                              "slots-1-thematic_area_id": str(theme(db).id), "slots-1-language": "es",
                              "slots-1-places": "1"}))
    assert response.status_code == 302
    db.expire_all()
    assert [(s.id == slot_id, s.places, s.role.value) for s in db.get(Activity, activity.id).slots] == [
        (True, 3, "expert"), (False, 1, "trainer")]


def test_removing_a_slot_with_an_invited_expert_is_refused_naming_them(db, client, login_as, post):
    officer, activity = setup(db)
    invite(db, activity, officer, "Lucía Herrera")
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(activity, version, **{"slots-0-remove": "y"}))
    page = text(response)
    assert response.status_code == 200
    assert "This slot still holds live deployments (Lucía Herrera): cancel them first" in page
    db.expire_all()
    assert len(db.get(Activity, activity.id).slots) == 1


def test_removing_a_slot_without_experts_works_from_the_page(db, client, login_as, post):
    officer, activity = setup(db)
    slot_id = activity.slots[0].id
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(activity, version, **{"slots-0-remove": "y"}))
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Activity, activity.id).slots == [] and db.get(ExpertSlot, slot_id) is None


def test_an_existing_row_left_without_a_thematic_area_asks_for_one(db, client, login_as, post):
    officer, activity = setup(db)
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(activity, version,
                                                                 **{"slots-0-thematic_area_id": ""}))
    assert response.status_code == 200
    assert "Choose a thematic area, or tick “Remove this slot”." in text(response)


def test_dates_posted_to_the_edit_page_are_ignored(db, client, login_as, post):
    officer, activity = setup(db)
    login_as(officer)
    version = version_on(text(client.get(f"/activities/{activity.id}/edit")))
    response = post(f"/activities/{activity.id}/edit", edit_form(activity, version, title="Renamed",
                                                                 start_date="2027-06-01", end_date="2027-06-03"))
    assert response.status_code == 302
    db.expire_all()
    assert db.get(Activity, activity.id).start_date == date(2027, 3, 1)


def test_the_postpone_page_names_who_is_told_and_moves_the_dates(db, client, login_as, post):
    officer, activity = setup(db)
    deployment = invite(db, activity, officer, "Lucía Herrera")
    login_as(officer)
    page = text(client.get(f"/activities/{activity.id}/postpone"))
    assert "will be told of the new dates: Lucía Herrera." in page
    response = post(f"/activities/{activity.id}/postpone", {"start_date": "2027-05-10", "end_date": "2027-05-12",
                                                            "reason": "The minister is travelling.",
                                                            "version": version_on(page)})
    assert response.status_code == 302
    db.expire_all()
    moved = db.get(Activity, activity.id)
    assert (moved.start_date, moved.status) == (date(2027, 5, 10), ActivityStatus.POSTPONED)
    assert db.scalar(select(ActivityTransition.previous_start).where(
        ActivityTransition.activity_id == activity.id, ActivityTransition.to_status == ActivityStatus.POSTPONED)) \
        == date(2027, 3, 1)
    notices = db.scalars(select(Notification.user_id).where(
        Notification.kind == "activity_postponed", Notification.subject_id == activity.id)).all()
    assert notices == [db.get(Deployment, deployment.id).expert.user_id]


def test_a_postponement_an_expert_cannot_follow_is_refused_on_the_page(db, client, login_as, post):
    officer, activity = setup(db)
    expert = make_expert(db, name="Lucía Herrera", expert_type="academic", user=make_user(db, Role.EXPERT))
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    from workflow.experts.models import Unavailability

    db.add(Unavailability(expert_id=expert.id, start_date=date(2027, 5, 1), end_date=date(2027, 5, 31),
                          reason="Parental leave"))
    db.commit()
    login_as(officer)
    page = text(client.get(f"/activities/{activity.id}/postpone"))
    response = post(f"/activities/{activity.id}/postpone", {"start_date": "2027-05-10", "end_date": "2027-05-12",
                                                            "reason": "Rescheduled.", "version": version_on(page)})
    assert response.status_code == 200
    assert "Lucía Herrera cannot be kept at the new dates" in text(response)
    db.expire_all()
    assert db.get(Activity, activity.id).start_date == date(2027, 3, 1)
