"""Request and activity state machines, without a database."""

from datetime import date

import pytest

from workflow.activities.lifecycle import ACTIVITY_LIFECYCLE, ActivityFacts
from workflow.activities.lifecycle import ActivityEvent as AE
from workflow.activities.lifecycle import ActivityStatus as AS
from workflow.core.errors import TransitionRefused
from workflow.requests.lifecycle import REQUEST_LIFECYCLE, RequestFacts
from workflow.requests.lifecycle import RequestEvent as RE
from workflow.requests.lifecycle import RequestStatus as RS


@pytest.mark.parametrize(
    "status, event, expected",
    [
        (RS.DRAFT, RE.SUBMIT, RS.SUBMITTED),
        (RS.SUBMITTED, RE.START_REVIEW, RS.UNDER_REVIEW),
        (RS.UNDER_REVIEW, RE.ASK_CLARIFICATION, RS.CLARIFICATION_REQUESTED),
        (RS.CLARIFICATION_REQUESTED, RE.ANSWER_CLARIFICATION, RS.UNDER_REVIEW),
        (RS.UNDER_REVIEW, RE.ACCEPT, RS.ACCEPTED),
        (RS.UNDER_REVIEW, RE.DECLINE, RS.DECLINED),
    ],
)
def test_request_transitions(status, event, expected):
    assert REQUEST_LIFECYCLE.check(status, event, RequestFacts(reason="why")) is expected


def test_declining_needs_a_reason():
    with pytest.raises(TransitionRefused, match="needs a reason"):
        REQUEST_LIFECYCLE.check(RS.UNDER_REVIEW, RE.DECLINE, RequestFacts(reason=" "))


@pytest.mark.parametrize("status", [RS.ACCEPTED, RS.DECLINED])
def test_finished_requests_allow_nothing(status):
    assert REQUEST_LIFECYCLE.events_from(status) == []


def test_accepting_a_draft_is_refused():
    with pytest.raises(TransitionRefused, match="not possible"):
        REQUEST_LIFECYCLE.check(RS.DRAFT, RE.ACCEPT, RequestFacts())


TODAY = date(2026, 11, 23)


def test_an_activity_cannot_be_delivered_before_it_starts():
    facts = ActivityFacts(today=TODAY, start_date=date(2026, 12, 1))
    with pytest.raises(TransitionRefused, match="once it has started"):
        ACTIVITY_LIFECYCLE.check(AS.CONFIRMED, AE.DELIVER, facts)


def test_an_activity_is_reported_only_with_a_report():
    with pytest.raises(TransitionRefused, match="summary"):
        ACTIVITY_LIFECYCLE.check(AS.DELIVERED, AE.REPORT, ActivityFacts(today=TODAY, start_date=TODAY))
    facts = ActivityFacts(today=TODAY, start_date=TODAY, has_report=True)
    assert ACTIVITY_LIFECYCLE.check(AS.DELIVERED, AE.REPORT, facts) is AS.REPORTED


@pytest.mark.parametrize("status", [AS.DELIVERED, AS.REPORTED, AS.CANCELLED])
def test_finished_activities_cannot_be_cancelled(status):
    with pytest.raises(TransitionRefused):
        ACTIVITY_LIFECYCLE.check(status, AE.CANCEL, ActivityFacts(today=TODAY, start_date=TODAY, reason="x"))


def test_postponing_needs_a_reason():
    with pytest.raises(TransitionRefused, match="needs a reason"):
        ACTIVITY_LIFECYCLE.check(AS.PLANNED, AE.POSTPONE, ActivityFacts(today=TODAY, start_date=TODAY))
