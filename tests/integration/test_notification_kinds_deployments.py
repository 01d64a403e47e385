"""The news of deployments and activities: for each step, exactly the right people get exactly one
notification (its kind, its link), nobody else; the expert's copies carry the mission's calendar file; a
cancelled activity or Action tells each person once per activity, not once per cancelled deployment."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from icalendar import Calendar
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionEvent
from workflow.actions.services import apply_action_event
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.models import Activity
from workflow.activities.services import apply_activity_event, postpone_activity
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, approve_release, propose
from workflow.notifications.dispatch import dispatch_notifications
from workflow.notifications.models import Notification

from ..factories import (
    make_action,
    make_expert,
    make_institution,
    make_request,
    make_staffed_activity,
    make_user,
)

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
NOW = datetime(2027, 1, 10, 14, 30, tzinfo=UTC)


@dataclass
class World:
    officer: User  # the Action's officer
    other_officer: User
    admin: User
    expert: User  # a Spanish member-state official's account
    focal_es: User
    focal_fr: User
    requesters: list[User]  # of the institution whose request opened the Action
    stranger: User  # a requester of another institution
    activity: Activity
    deployment: Deployment


@pytest.fixture()
def world(app, db, clock) -> World:
    with app.app_context():
        officer, other_officer, admin = make_user(db, Role.OFFICER), make_user(db, Role.OFFICER), make_user(db, Role.ADMIN)
        institution = make_institution(db, "PE")
        requesters = [make_user(db, Role.REQUESTER, institution=institution) for _ in range(2)]
        stranger = make_user(db, Role.REQUESTER, institution=make_institution(db, "CO"))
        expert_user = make_user(db, Role.EXPERT)
        expert = make_expert(db, expert_type="ms_official", country="ES", user=expert_user)
        focal_es, focal_fr = make_user(db, Role.MS_FOCAL_POINT, country="ES"), make_user(db, Role.MS_FOCAL_POINT, country="FR")
        make_user(db, Role.MS_FOCAL_POINT, country="ES").active = False  # a former focal point hears nothing
        action = make_action(db, officer, beneficiary=institution)
        action.request, action.officer = make_request(db, requesters[0]), officer
        activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Taller de Lima")
        deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
        db.commit()
        yield World(officer, other_officer, admin, expert_user, focal_es, focal_fr, requesters, stranger, activity,
                    deployment)


def news(db, since: int = 0) -> list[tuple[int, str, str]]:
    """(user id, kind, link) of every notification written after id `since`, in a stable order."""
    rows = db.scalars(select(Notification).where(Notification.id > since).order_by(Notification.user_id,
                                                                                       Notification.id))
    return [(n.user_id, n.kind, n.link) for n in rows]


def last_id(db) -> int:
    return max([0, *db.scalars(select(Notification.id))])


def step(db, action, *args, **kwargs) -> list[tuple[int, str, str]]:
    since = last_id(db)
    action(*args, **kwargs)
    db.commit()
    return news(db, since)


def invite(db, w: World):
    return step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.INVITE, actor=w.officer, now=NOW)


def confirmed(db, w: World) -> None:
    invite(db, w)
    apply_deployment_event(db, w.deployment, DeploymentEvent.ACCEPT, actor=w.expert, now=NOW)
    approve_release(db, w.deployment, actor=w.focal_es, now=NOW)
    apply_deployment_event(db, w.deployment, DeploymentEvent.CONFIRM, actor=w.officer, now=NOW)
    db.commit()


def test_inviting_an_official_asks_their_focal_points_for_the_release(db, world):
    w, link = world, f"/deployments/{world.deployment.id}"
    assert invite(db, w) == [(w.expert.id, "expert_invited", link), (w.focal_es.id, "release_requested", link)]


def test_the_officer_hears_the_answer_and_the_release(db, world):
    w, link = world, f"/deployments/{world.deployment.id}"
    invite(db, w)
    assert step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.ACCEPT, actor=w.expert,
                now=NOW) == [(w.officer.id, "invitation_accepted", link)]
    assert step(db, approve_release, db, w.deployment, actor=w.focal_es,
                now=NOW) == [(w.officer.id, "release_approved", link)]


def test_a_decline_reaches_every_officer_while_the_action_has_none(db, world):
    w = world
    invite(db, w)
    w.activity.action.officer = None
    db.commit()
    got = step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.DECLINE, actor=w.expert, now=NOW,
               reason="I am on leave")
    assert got == [(u.id, "invitation_declined", f"/deployments/{w.deployment.id}")
                   for u in (w.officer, w.other_officer)]
    assert "I am on leave" in db.scalars(select(Notification).where(Notification.user_id == w.officer.id)).one().body


def test_a_release_already_given_is_not_asked_again(db, world):
    w = world
    w.deployment.release_approved_at = NOW
    db.commit()
    assert [kind for _user, kind, _link in invite(db, w)] == ["expert_invited"]


def test_confirmation_reaches_the_expert_and_their_focal_point(db, world):
    w, link = world, f"/deployments/{world.deployment.id}"
    invite(db, w)
    apply_deployment_event(db, w.deployment, DeploymentEvent.ACCEPT, actor=w.expert, now=NOW)
    approve_release(db, w.deployment, actor=w.focal_es, now=NOW)
    db.commit()
    assert step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.CONFIRM, actor=w.officer,
                now=NOW) == [(w.expert.id, "deployment_confirmed", link), (w.focal_es.id, "deployment_confirmed", link)]


def test_a_deployment_cancelled_tells_the_expert_and_focal_point_why(db, world):
    w, link = world, f"/deployments/{world.deployment.id}"
    confirmed(db, w)
    got = step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.CANCEL, actor=w.officer, now=NOW,
               reason="The budget moved")
    assert got == [(w.expert.id, "deployment_cancelled", link), (w.focal_es.id, "deployment_cancelled", link)]
    bodies = db.scalars(select(Notification.body).where(Notification.kind == "deployment_cancelled")).all()
    assert all("The budget moved" in body for body in bodies)


def test_a_mere_proposal_cancelled_tells_nobody(db, world):
    w = world
    assert step(db, apply_deployment_event, db, w.deployment, DeploymentEvent.CANCEL, actor=w.officer, now=NOW,
                reason="Someone else") == []


def test_a_postponement_reaches_the_booked_expert_and_the_requesters_with_the_new_dates(db, world):
    w = world
    confirmed(db, w)
    got = step(db, postpone_activity, db, w.activity, start_date=date(2027, 4, 5), end_date=date(2027, 4, 7),
               reason="Elections", actor=w.officer, now=NOW)
    assert got == [(w.requesters[0].id, "activity_postponed", f"/activities/{w.activity.id}"),
                   (w.requesters[1].id, "activity_postponed", f"/activities/{w.activity.id}"),
                   (w.expert.id, "activity_postponed", f"/deployments/{w.deployment.id}")]
    body = db.scalars(select(Notification.body).where(Notification.user_id == w.expert.id,
                                                      Notification.kind == "activity_postponed")).one()
    # Both periods in words, each one interval: "5–7 Apr 2027", "1–3 Mar 2027".
    assert "5\u2009–\u20097 Apr 2027" in body and "Elections" in body and "1\u2009–\u20093 Mar 2027" in body


def test_an_activity_cancelled_tells_each_person_once_and_not_of_each_deployment(db, world):
    w = world
    confirmed(db, w)
    got = step(db, apply_activity_event, db, w.activity, ActivityEvent.CANCEL, actor=w.officer, now=NOW,
               reason="No venue")
    deployment_link = f"/deployments/{w.deployment.id}"
    assert got == [(w.requesters[0].id, "activity_cancelled", f"/activities/{w.activity.id}"),
                   (w.requesters[1].id, "activity_cancelled", f"/activities/{w.activity.id}"),
                   (w.expert.id, "activity_cancelled", deployment_link),
                   (w.focal_es.id, "activity_cancelled", deployment_link)]
    assert all("No venue" in n.body for n in db.scalars(select(Notification).where(
        Notification.kind == "activity_cancelled")))


def test_an_action_cancelled_tells_each_person_once_per_activity(db, world):
    w = world
    confirmed(db, w)
    second = make_staffed_activity(db, w.activity.action, w.officer, start=date(2027, 6, 1), title="Segundo taller")
    other = propose(db, second.slots[0], w.deployment.expert, actor=w.officer, now=NOW)
    apply_deployment_event(db, other, DeploymentEvent.INVITE, actor=w.officer, now=NOW)
    db.commit()
    got = step(db, apply_action_event, db, w.activity.action, ActionEvent.CANCEL, actor=w.officer, now=NOW,
               reason="Funding ended")
    assert {kind for _user, kind, _link in got} == {"activity_cancelled"}
    per_person = sorted((user, link) for user, _kind, link in got)
    assert len(per_person) == len(set(per_person)) == 8  # 2 activities × (expert, focal point, 2 requesters)
    assert (w.expert.id, f"/deployments/{other.id}") in per_person


def test_nobody_else_hears_anything_over_the_whole_journey(db, world):
    w = world
    confirmed(db, w)
    postpone_activity(db, w.activity, start_date=date(2027, 4, 5), end_date=date(2027, 4, 7), reason="Elections",
                      actor=w.officer, now=NOW)
    apply_activity_event(db, w.activity, ActivityEvent.CANCEL, actor=w.officer, now=NOW, reason="No venue")
    db.commit()
    told = {user for user, _kind, _link in news(db)}
    assert told == {w.officer.id, w.expert.id, w.focal_es.id, *(u.id for u in w.requesters)}


def calendar_of(message) -> Calendar:
    [ics] = message.attachments
    assert ics.filename.endswith(".ics")
    return Calendar.from_ical(ics.data)


def test_the_experts_copies_carry_the_calendar_file_at_a_real_smtp_server(db, world, smtp_server):
    w = world
    confirmed(db, w)
    dispatch_notifications(db, now=NOW, mailer=smtp_server.mailer(), base_url=BASE_URL)
    postpone_activity(db, w.activity, start_date=date(2027, 4, 5), end_date=date(2027, 4, 7),
                      reason="Elections", actor=w.officer, now=NOW)
    db.commit()
    dispatch_notifications(db, now=NOW, mailer=smtp_server.mailer(), base_url=BASE_URL)
    to_expert = {m.subject: m for m in smtp_server.messages if m.to == w.expert.email}
    assert len(to_expert) == 3  # invited, confirmed, postponed
    starts = sorted(calendar_of(m).walk("VEVENT")[0]["DTSTART"].dt for m in to_expert.values())
    assert [str(s) for s in starts] == ["2027-03-01", "2027-03-01", "2027-04-05"]
    to_focal = [m for m in smtp_server.messages if m.to == w.focal_es.email]
    assert len(to_focal) == 2 and not any(m.attachments for m in to_focal)  # release requested, confirmed
    assert all(f"{BASE_URL}/deployments/{w.deployment.id}" in m.text for m in to_focal)


def test_a_refused_release_tells_the_officer_and_the_expert_that_the_mission_is_off(db, world):
    from workflow.deployments.services import refuse_release

    w, link = world, f"/deployments/{world.deployment.id}"
    invite(db, w)
    got = step(db, refuse_release, db, w.deployment, "He is needed at home", actor=w.focal_es, now=NOW)
    assert got == [(w.officer.id, "release_refused", link), (w.expert.id, "deployment_cancelled", link)]
    bodies = db.scalars(select(Notification.body).where(Notification.kind.in_(("release_refused",
                                                                               "deployment_cancelled")))).all()
    assert all("He is needed at home" in body for body in bodies)
