"""Which step a record's page offers first, and how the others ask: pure functions of the lifecycles."""

from __future__ import annotations

import pytest

from workflow.actions.lifecycle import ACTION_LIFECYCLE, ActionEvent, ActionStatus
from workflow.actions.steps import action_steps
from workflow.activities.lifecycle import ACTIVITY_LIFECYCLE, ActivityEvent, ActivityStatus
from workflow.activities.steps import activity_steps
from workflow.core.next_step import DANGER, NEXT, OTHER
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.steps import request_steps


def url(event) -> str:
    return f"/steps/{event.value}"


@pytest.mark.parametrize(("status", "forward"), [
    (ActionStatus.ACCEPTED, ActionEvent.START_ASSESSMENT),
    (ActionStatus.ASSESSMENT, ActionEvent.START_IMPLEMENTATION),
    (ActionStatus.IMPLEMENTATION, ActionEvent.START_CLOSING),
    (ActionStatus.CLOSING, ActionEvent.CLOSE),
    (ActionStatus.SUSPENDED, ActionEvent.RESUME),
])
def test_an_actions_next_step_is_the_lifecycles_way_forward(status, forward):
    events = tuple(ACTION_LIFECYCLE.events_from(status))
    steps = action_steps(status, events, {}, name="Peru V", url=url)
    assert steps.next.name == forward and steps.next.tone == NEXT and steps.next.url == f"/steps/{forward.value}"
    assert {s.name for s in steps.others} == {e.value for e in events} - {forward.value}
    for other in steps.others:  # suspending and cancelling: red, asking why in words
        assert other.tone == DANGER and other.asks and other.reason.startswith("Why is the Action")
        assert other.question.endswith("Peru V?")


@pytest.mark.parametrize("status", [ActionStatus.CLOSED, ActionStatus.CANCELLED])
def test_a_finished_action_offers_nothing(status):
    assert not action_steps(status, tuple(ACTION_LIFECYCLE.events_from(status)), {}, name="Peru", url=url)


def test_a_guard_blocks_the_next_step_and_the_waiver_is_offered_only_then():
    events = tuple(ACTION_LIFECYCLE.events_from(ActionStatus.ASSESSMENT))
    blocked = action_steps(ActionStatus.ASSESSMENT, events, {ActionEvent.START_IMPLEMENTATION: "No mission yet.",
                                                             ActionEvent.SUSPEND: "Suspending needs a reason."},
                           name="Peru V", url=url)
    assert blocked.next.blocked == "No mission yet."
    waiver = blocked.others[0]
    assert (waiver.name, waiver.tone, waiver.reason_name, waiver.url) == ("waiver", OTHER, "waiver",
                                                                          "/steps/start_implementation")
    assert waiver.asks and waiver.reason == "Why is no assessment mission needed?"
    # A reason the dialog asks for is no guard: it is given there.
    assert all(s.blocked is None for s in blocked.others)
    free = action_steps(ActionStatus.ASSESSMENT, events, {}, name="Peru V", url=url)
    assert free.next.blocked is None and "waiver" not in {s.name for s in free.others}


def test_a_closing_action_offers_its_final_report_beside_closing():
    events = tuple(ACTION_LIFECYCLE.events_from(ActionStatus.CLOSING))
    steps = action_steps(ActionStatus.CLOSING, events, {}, name="Peru", url=url, final_report=("/report", False))
    report = steps.others[0]
    assert (report.label, report.url, report.link, report.asks) == ("Write the final report", "/report", True, False)


@pytest.mark.parametrize(("status", "forward", "link"), [
    (ActivityStatus.PLANNED, ActivityEvent.CONFIRM, False),
    (ActivityStatus.POSTPONED, ActivityEvent.CONFIRM, False),
    (ActivityStatus.CONFIRMED, ActivityEvent.DELIVER, False),
    (ActivityStatus.DELIVERED, ActivityEvent.REPORT, True),
])
def test_an_activitys_next_step_and_the_pages_of_its_own(status, forward, link):
    events = tuple(ACTIVITY_LIFECYCLE.events_from(status))
    steps = activity_steps(status, events, {}, url=url)
    assert (steps.next.name, steps.next.link) == (forward.value, link)
    by_name = {s.name: s for s in steps.others}
    if ActivityEvent.POSTPONE in events:
        assert by_name["postpone"].link and by_name["postpone"].tone == OTHER
    if ActivityEvent.CANCEL in events:
        cancel = by_name["cancel"]
        assert cancel.tone == DANGER and cancel.label == "Cancel the activity"
        assert cancel.reason == "Why is the activity cancelled?"


@pytest.mark.parametrize(("status", "events", "forward", "waiting"), [
    (RequestStatus.DRAFT, (RequestEvent.SUBMIT,), RequestEvent.SUBMIT, None),
    (RequestStatus.SUBMITTED, (RequestEvent.START_REVIEW,), RequestEvent.START_REVIEW, None),
    (RequestStatus.UNDER_REVIEW, (RequestEvent.ASK_CLARIFICATION, RequestEvent.ACCEPT, RequestEvent.DECLINE),
     RequestEvent.ACCEPT, None),
    (RequestStatus.CLARIFICATION_REQUESTED, (RequestEvent.ANSWER_CLARIFICATION, RequestEvent.WITHDRAW),
     RequestEvent.ANSWER_CLARIFICATION, None),
    (RequestStatus.SUBMITTED, (RequestEvent.WITHDRAW,), None, "you will be notified"),
    (RequestStatus.CLARIFICATION_REQUESTED, (), None, "Waiting for the requester's answer"),
    (RequestStatus.CONSULTATION, (), None, "The Steering Committee is consulted"),
])
def test_a_requests_next_step_is_its_readers_or_what_it_waits_for(status, events, forward, waiting):
    steps = request_steps(status, events, title="Border checks", url=url)
    assert (steps.next.name if steps.next else None) == (forward.value if forward else None)
    assert (waiting in steps.waiting) if waiting else steps.waiting is None
    if forward is RequestEvent.ANSWER_CLARIFICATION:
        assert steps.next.inline_reason and steps.next.reason == "Your answer"
    for other in steps.others:
        assert other.asks and other.reason  # asking, declining, withdrawing: each says what its words are for
        assert other.tone == (DANGER if other.name in ("decline", "withdraw") else OTHER)


def test_a_reviewer_with_a_committee_is_sent_to_it():
    steps = request_steps(RequestStatus.UNDER_REVIEW, (RequestEvent.ASK_CLARIFICATION, RequestEvent.DECLINE),
                          title="Border checks", url=url, send_to_committee=True)
    assert steps.next is None and "Steering Committee" in steps.waiting
