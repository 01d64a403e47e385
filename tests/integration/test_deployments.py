"""Deployments on a real database: every hard rule refused through the service, with its message."""

from datetime import UTC, date, datetime

import pytest

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.core.errors import DomainError, PermissionDenied, TransitionRefused
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.queries import visible_deployments
from workflow.deployments.services import (
    apply_deployment_event,
    approve_release,
    propose,
    record_mission_report,
)
from workflow.experts.models import Unavailability
from workflow.experts.services import visible_experts

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def ministry(db):
    return make_institution(db, "PE", name="Ministry of the Interior of Peru")


@pytest.fixture()
def action(db, officer, ministry):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=ministry)


def confirmed(db, slot, expert, officer, focal=None):
    deployment = propose(db, slot, expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    expert_user = expert.user
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=NOW)
    approve_release(db, deployment, actor=focal or make_user(db, Role.MS_FOCAL_POINT, country=expert.country_code),
                    now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    return deployment


@pytest.fixture()
def expert(db):
    return make_expert(db, user=make_user(db, Role.EXPERT))


def test_the_whole_deployment_journey(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer, start=date(2026, 11, 2))
    deployment = confirmed(db, activity.slots[0], expert, officer)
    assert deployment.status is DeploymentStatus.CONFIRMED
    with pytest.raises(TransitionRefused, match="mission report"):
        apply_deployment_event(db, deployment, DeploymentEvent.COMPLETE, actor=officer, now=NOW)
    record_mission_report(db, deployment, "Two days of exchange on victim identification.", actor=expert.user, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.COMPLETE, actor=officer, now=NOW)
    assert [t.to_status.value for t in deployment.transitions] == [
        "proposed", "invited", "accepted", "confirmed", "completed"]


def test_overlap_is_refused_naming_the_other_activity(db, officer, action, expert):
    first = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim assistance")
    confirmed(db, first.slots[0], expert, officer)
    clash = make_staffed_activity(db, action, officer, start=date(2027, 3, 3))
    with pytest.raises(DomainError, match="Workshop on victim assistance"):
        propose(db, clash.slots[0], expert, actor=officer, now=NOW)


def test_a_travel_day_each_side_counts_for_on_site_activities(db, officer, action, expert):
    confirmed(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0], expert, officer)
    next_day = make_staffed_activity(db, action, officer, start=date(2027, 3, 4))  # the 3rd ends it; the 4th is travel
    with pytest.raises(DomainError, match="travel day"):
        propose(db, next_day.slots[0], expert, actor=officer, now=NOW)
    remote_next_day = make_staffed_activity(db, action, officer, start=date(2027, 3, 5), remote=True)
    assert propose(db, remote_next_day.slots[0], expert, actor=officer, now=NOW).status is DeploymentStatus.PROPOSED


def test_declared_unavailability_is_refused(db, officer, action, expert):
    db.add(Unavailability(expert=expert, start_date=date(2027, 2, 25), end_date=date(2027, 3, 10),
                          reason="parental leave"))
    db.commit()
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    with pytest.raises(DomainError, match="parental leave"):
        propose(db, activity.slots[0], expert, actor=officer, now=NOW)


def test_the_yearly_day_cap_is_refused(db, officer, action):
    capped = make_expert(db, day_cap=5, user=make_user(db, Role.EXPERT))
    confirmed(db, make_staffed_activity(db, action, officer, start=date(2027, 1, 11), days=3).slots[0], capped, officer)
    later = make_staffed_activity(db, action, officer, start=date(2027, 6, 7), days=3)
    with pytest.raises(DomainError, match="cap"):
        propose(db, later.slots[0], capped, actor=officer, now=NOW)


def test_no_common_working_language_is_refused(db, officer, action):
    francophone = make_expert(db, languages={"fr": "C2", "es": "B1"})
    activity = make_staffed_activity(db, action, officer)
    with pytest.raises(DomainError, match="working level"):
        propose(db, activity.slots[0], francophone, actor=officer, now=NOW)


def test_an_employee_of_a_beneficiary_is_refused(db, officer, action, ministry):
    insider = make_expert(db, country="PE", employer=ministry, expert_type="partner_peer")
    activity = make_staffed_activity(db, action, officer)
    with pytest.raises(DomainError, match="beneficiary"):
        propose(db, activity.slots[0], insider, actor=officer, now=NOW)


def test_confirmation_needs_the_focal_points_release(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    with pytest.raises(TransitionRefused, match="release approval"):
        apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    portuguese_focal = make_user(db, Role.MS_FOCAL_POINT, country="PT")
    with pytest.raises(DomainError, match="focal point"):
        approve_release(db, deployment, actor=portuguese_focal, now=NOW)


def test_a_partner_peer_needs_no_release(db, officer, action):
    peer = make_expert(db, country="AR", expert_type="partner_peer", user=make_user(db, Role.EXPERT))
    activity = make_staffed_activity(db, action, officer)
    deployment = propose(db, activity.slots[0], peer, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=peer.user, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=NOW)
    assert deployment.status is DeploymentStatus.CONFIRMED


def test_only_the_expert_answers_an_invitation(db, officer, action, expert):
    other = make_user(db, Role.EXPERT)
    activity = make_staffed_activity(db, action, officer)
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    for intruder in (other, officer):
        with pytest.raises(PermissionDenied):
            apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=intruder, now=NOW)
    with pytest.raises(TransitionRefused, match="needs a reason"):
        apply_deployment_event(db, deployment, DeploymentEvent.DECLINE, actor=expert.user, now=NOW, reason=" ")
    apply_deployment_event(db, deployment, DeploymentEvent.DECLINE, actor=expert.user, now=NOW, reason="Court case")
    assert deployment.decline_reason == "Court case"


def test_a_full_slot_takes_no_more_experts(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer)
    propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    with pytest.raises(DomainError, match="full"):
        propose(db, activity.slots[0], make_expert(db, name="Second"), actor=officer, now=NOW)


def test_a_declined_expert_can_be_invited_again(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer)
    first = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    apply_deployment_event(db, first, DeploymentEvent.CANCEL, actor=officer, now=NOW, reason="Dates moved")
    second = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    assert second.attempt == 2


def test_experts_see_only_their_own_and_focal_points_only_their_state(db, officer, action, expert):
    activity = make_staffed_activity(db, action, officer)
    mine = propose(db, activity.slots[0], expert, actor=officer, now=NOW)
    portuguese = make_expert(db, name="João Silva", country="PT", languages={"pt": "C2", "es": "C1"})
    other = make_staffed_activity(db, action, officer)
    theirs = propose(db, other.slots[0], portuguese, actor=officer, now=NOW)
    assert set(db.scalars(visible_deployments(expert.user))) == {mine}
    focal_es = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    assert set(db.scalars(visible_deployments(focal_es))) == {mine}
    assert set(db.scalars(visible_experts(focal_es))) == {expert}
    assert theirs in set(db.scalars(visible_deployments(officer)))


def test_inactive_experts_are_not_deployed(db, officer, action):
    retired = make_expert(db, status="inactive")
    with pytest.raises(DomainError, match="inactive"):
        propose(db, make_staffed_activity(db, action, officer).slots[0], retired, actor=officer, now=NOW)


def test_accepting_rechecks_the_calendar(db, officer, action, expert):
    """Invited to two overlapping activities: accepting the first makes accepting the second refused."""
    a = make_staffed_activity(db, action, officer, start=date(2027, 4, 5), title="Training A")
    b = make_staffed_activity(db, action, officer, start=date(2027, 4, 6), title="Training B")
    first = propose(db, a.slots[0], expert, actor=officer, now=NOW)
    second = propose(db, b.slots[0], expert, actor=officer, now=NOW)
    for d in (first, second):
        apply_deployment_event(db, d, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, first, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    with pytest.raises(DomainError, match="Training A"):
        apply_deployment_event(db, second, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    assert second.status is DeploymentStatus.INVITED
