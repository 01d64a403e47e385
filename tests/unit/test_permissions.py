"""The permissions objects the pages ask instead of comparing statuses: tables over states × roles, without
an app or a database (the objects' attributes are all these functions read)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest

from workflow.accounts.models import STAFF_ROLES, Role
from workflow.actions.lifecycle import ACTION_LIFECYCLE
from workflow.actions.lifecycle import ActionStatus as A
from workflow.actions.permissions import NOTHING as NO_ACTION
from workflow.actions.permissions import action_permissions
from workflow.activities.lifecycle import ACTIVITY_LIFECYCLE
from workflow.activities.lifecycle import ActivityStatus as T
from workflow.activities.permissions import NOTHING as NO_ACTIVITY
from workflow.activities.permissions import activity_permissions
from workflow.calls.lifecycle import CallEvent
from workflow.calls.lifecycle import CallStatus as C
from workflow.calls.permissions import call_permissions
from workflow.core.errors import DomainError
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.lifecycle import DeploymentStatus as D
from workflow.deployments.permissions import deployment_permissions
from workflow.experts.models import ExpertType
from workflow.plans.services import ensure_takes_plan
from workflow.requests.lifecycle import RequestEvent
from workflow.requests.lifecycle import RequestStatus as R
from workflow.requests.permissions import request_permissions

STAFF = sorted(STAFF_ROLES)
OTHERS = [role for role in Role if role not in STAFF_ROLES]


def person(role: Role, *, user_id: int = 7, institution_id: int | None = None, country: str | None = None):
    return SimpleNamespace(id=user_id, role=role, is_staff=role in STAFF_ROLES, institution_id=institution_id,
                           country_code=country)


# --- Actions ------------------------------------------------------------------------------------

# status: (edit and plan, apply a template, add a deliverable, write the final report)
ACTION_TABLE = {
    A.ACCEPTED: (True, True, True, False),
    A.ASSESSMENT: (True, True, True, False),
    A.IMPLEMENTATION: (True, True, True, False),
    A.CLOSING: (True, False, True, True),
    A.SUSPENDED: (True, False, True, False),
    A.CLOSED: (False, False, True, False),
    A.CANCELLED: (False, False, False, False),
}


@pytest.mark.parametrize("published", [False, True])
@pytest.mark.parametrize("role", STAFF)
@pytest.mark.parametrize("status", list(A))
def test_staff_may_change_an_action_as_its_state_allows(status, role, published):
    action = SimpleNamespace(status=status, published=published, activities=["one"])
    can = action_permissions(action, person(role))
    edit, template, deliverable, report = ACTION_TABLE[status]
    assert (can.edit, can.plan, can.apply_template, can.add_deliverable, can.final_report) == (
        edit, edit, template, deliverable, report)
    assert can.publish is (not published and status is not A.CANCELLED)
    assert can.unpublish is published  # a cancelled Action can still be taken out of the catalogue
    assert can.save_template
    assert can.events == tuple(ACTION_LIFECYCLE.events_from(status))


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("status", list(A))
def test_no_one_but_staff_changes_an_action(status, role):
    action = SimpleNamespace(status=status, published=True, activities=["one"])
    assert action_permissions(action, person(role)) == NO_ACTION


@pytest.mark.parametrize("status", list(A))
def test_the_page_offers_a_template_exactly_where_the_plan_service_takes_one(status):
    action = SimpleNamespace(status=status, published=False, activities=[], name="Peru")
    offered = action_permissions(action, person(Role.OFFICER)).apply_template
    try:
        ensure_takes_plan(action)
    except DomainError:
        taken = False
    else:
        taken = True
    assert offered is taken


def test_a_plan_is_saved_only_from_an_action_with_activities():
    assert not action_permissions(SimpleNamespace(status=A.ACCEPTED, published=False, activities=[]),
                                  person(Role.OFFICER)).save_template


# --- Activities ---------------------------------------------------------------------------------

TO_COME = {T.PLANNED, T.CONFIRMED, T.POSTPONED}


@pytest.mark.parametrize("action_status", list(A))
@pytest.mark.parametrize("status", list(T))
def test_staff_change_and_staff_an_activity_while_it_is_to_come_on_a_running_action(status, action_status):
    activity = SimpleNamespace(status=status, action=SimpleNamespace(status=action_status))
    can = activity_permissions(activity, person(Role.OFFICER))
    running = action_status not in (A.CLOSED, A.CANCELLED)
    assert can.edit is can.find_experts is (running and status in TO_COME)
    assert can.postpone is (status in TO_COME)
    assert can.copy is running
    assert can.events == tuple(ACTIVITY_LIFECYCLE.events_from(status))


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize("status", list(T))
def test_no_one_but_staff_runs_an_activity(status, role):
    activity = SimpleNamespace(status=status, action=SimpleNamespace(status=A.IMPLEMENTATION))
    assert activity_permissions(activity, person(role)) == NO_ACTIVITY


# --- Deployments --------------------------------------------------------------------------------

TODAY = date(2027, 3, 10)
T0 = datetime(2027, 1, 1, tzinfo=UTC)
EXPERT_USER = 42


def deployment(status: D, *, official: bool = True, approved: bool = False, starts: date = TODAY,
               activity_status: T = T.CONFIRMED):
    expert = SimpleNamespace(type=ExpertType.MS_OFFICIAL if official else ExpertType.PARTNER_PEER, country_code="ES",
                             user_id=EXPERT_USER)
    return SimpleNamespace(status=status, expert=expert, release_approved_at=T0 if approved else None,
                           activity=SimpleNamespace(start_date=starts, status=activity_status))


PEOPLE = {
    "admin": person(Role.ADMIN), "officer": person(Role.OFFICER),
    "its focal point": person(Role.MS_FOCAL_POINT, country="ES"),
    "another focal point": person(Role.MS_FOCAL_POINT, country="FR"),
    "the expert": person(Role.EXPERT, user_id=EXPERT_USER), "another expert": person(Role.EXPERT, user_id=43),
    "a requester": person(Role.REQUESTER, institution_id=1),
}
RELEASERS = {"admin", "its focal point"}
REPORTERS = {"admin", "officer", "the expert"}
EXPERT_EVENTS = {DeploymentEvent.ACCEPT, DeploymentEvent.DECLINE}


@pytest.mark.parametrize("who", list(PEOPLE))
@pytest.mark.parametrize("status", list(D))
def test_who_may_move_release_report_and_rate_a_deployment(status, who):
    can = deployment_permissions(deployment(status), PEOPLE[who], today=TODAY)
    assert can.release is (who in RELEASERS and status in (D.PROPOSED, D.INVITED, D.ACCEPTED))
    assert can.report is (who in REPORTERS and status is D.CONFIRMED)
    assert can.rate is (who in ("admin", "officer") and status is D.COMPLETED)
    offered = set(can.events)
    if who in ("admin", "officer"):
        assert not offered & EXPERT_EVENTS
    elif who == "the expert":
        assert offered <= EXPERT_EVENTS and (offered == EXPERT_EVENTS) is (status is D.INVITED)
    else:
        assert offered == set()


def test_a_release_is_asked_once_and_only_for_a_member_state_official():
    focal = PEOPLE["its focal point"]
    assert not deployment_permissions(deployment(D.INVITED, approved=True), focal, today=TODAY).release
    assert not deployment_permissions(deployment(D.INVITED, official=False), focal, today=TODAY).release


def test_the_mission_report_waits_for_the_activity_to_start_and_not_be_cancelled():
    expert = PEOPLE["the expert"]
    later = deployment(D.CONFIRMED, starts=TODAY + timedelta(days=1))
    assert not deployment_permissions(later, expert, today=TODAY).report
    cancelled = deployment(D.CONFIRMED, activity_status=T.CANCELLED)
    assert not deployment_permissions(cancelled, expert, today=TODAY).report


# --- Requests -----------------------------------------------------------------------------------

OWN, OTHER = 1, 2
ASKERS = {
    "officer": person(Role.OFFICER), "its requester": person(Role.REQUESTER, institution_id=OWN),
    "another requester": person(Role.REQUESTER, institution_id=OTHER), "steering": person(Role.STEERING),
}
STAFF_STEPS = {  # what the page offers staff, without a committee
    R.DRAFT: set(), R.SUBMITTED: {RequestEvent.START_REVIEW},
    R.UNDER_REVIEW: {RequestEvent.ASK_CLARIFICATION, RequestEvent.ACCEPT, RequestEvent.DECLINE},
    R.CONSULTATION: set(), R.CLARIFICATION_REQUESTED: set(), R.ACCEPTED: set(), R.DECLINED: set(),
    R.WITHDRAWN: set(),
}
REQUESTER_STEPS = {R.DRAFT: {RequestEvent.SUBMIT}, R.SUBMITTED: {RequestEvent.WITHDRAW},
                   R.UNDER_REVIEW: {RequestEvent.WITHDRAW},
                   R.CLARIFICATION_REQUESTED: {RequestEvent.ANSWER_CLARIFICATION, RequestEvent.WITHDRAW}}


@pytest.mark.parametrize("committee", [0, 3])
@pytest.mark.parametrize("who", list(ASKERS))
@pytest.mark.parametrize("status", list(R))
def test_what_a_request_page_offers(status, who, committee):
    can = request_permissions(SimpleNamespace(status=status, institution_id=OWN), ASKERS[who],
                              committee_members=committee)
    editable = status in (R.DRAFT, R.CLARIFICATION_REQUESTED)
    assert can.edit is (who == "its requester" and editable)
    assert can.send_to_committee is (who == "officer" and status is R.UNDER_REVIEW and committee > 0)
    if who == "officer":
        expected = STAFF_STEPS[status] - ({RequestEvent.ACCEPT} if committee else set())
    elif who == "its requester":
        expected = REQUESTER_STEPS.get(status, set())
    else:
        expected = set()
    assert set(can.events) == expected


# --- Calls for experts --------------------------------------------------------------------------

DEADLINE = datetime(2027, 2, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("late", [False, True])
@pytest.mark.parametrize("status", list(C))
def test_a_call_takes_answers_until_its_deadline_and_staff_end_it(status, late, role):
    now = DEADLINE + timedelta(minutes=1 if late else -1)
    can = call_permissions(SimpleNamespace(status=status, answer_deadline=DEADLINE), person(role), now=now)
    assert can.answer is (status is C.OPEN and not late)
    assert can.overdue is (status is C.OPEN and late)
    ended_by_staff = {CallEvent.STAND_DOWN, CallEvent.CLOSE} if status is C.OPEN and role in STAFF_ROLES else set()
    assert set(can.events) == ended_by_staff
