"""The Action state machine, without a database (naming: test_action_naming.py)."""

import pytest

from workflow.actions.lifecycle import (
    ACTION_LIFECYCLE,
    OPEN_STATES,
    ActionFacts,
    next_status,
)
from workflow.actions.lifecycle import (
    ActionEvent as E,
)
from workflow.actions.lifecycle import (
    ActionStatus as S,
)
from workflow.core.errors import TransitionRefused

READY = ActionFacts(reported_assessment_missions=1, has_final_report=True, reason="because")


@pytest.mark.parametrize(
    "status, event, expected",
    [
        (S.ACCEPTED, E.START_ASSESSMENT, S.ASSESSMENT),
        (S.ASSESSMENT, E.START_IMPLEMENTATION, S.IMPLEMENTATION),
        (S.IMPLEMENTATION, E.START_CLOSING, S.CLOSING),
        (S.CLOSING, E.CLOSE, S.CLOSED),
        *[(s, E.SUSPEND, S.SUSPENDED) for s in OPEN_STATES],
        *[(s, E.CANCEL, S.CANCELLED) for s in (*OPEN_STATES, S.SUSPENDED)],
    ],
)
def test_every_allowed_transition_leads_where_the_design_says(status, event, expected):
    assert next_status(status, event, READY, None) is expected


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("event", list(E))
def test_events_outside_the_table_are_refused_with_a_message(status, event):
    if (status, event) in ACTION_LIFECYCLE.table:
        return
    with pytest.raises(TransitionRefused, match="not possible"):
        next_status(status, event, READY, S.ASSESSMENT)


def test_closed_and_cancelled_allow_nothing():
    assert ACTION_LIFECYCLE.events_from(S.CLOSED) == []
    assert ACTION_LIFECYCLE.events_from(S.CANCELLED) == []


@pytest.mark.parametrize("before", OPEN_STATES)
def test_resume_returns_to_the_state_before_suspension(before):
    assert next_status(S.SUSPENDED, E.RESUME, READY, before) is before


def test_implementation_refused_without_a_reported_assessment_or_waiver():
    with pytest.raises(TransitionRefused, match="assessment, fact-finding or mapping mission"):
        next_status(S.ASSESSMENT, E.START_IMPLEMENTATION, ActionFacts(), None)


def test_implementation_allowed_with_a_waiver_reason():
    facts = ActionFacts(assessment_waiver="Mapping done by the partner in 2025")
    assert next_status(S.ASSESSMENT, E.START_IMPLEMENTATION, facts, None) is S.IMPLEMENTATION


def test_a_blank_waiver_is_no_waiver():
    with pytest.raises(TransitionRefused):
        next_status(S.ASSESSMENT, E.START_IMPLEMENTATION, ActionFacts(assessment_waiver="   "), None)


def test_closing_refused_while_an_activity_is_open_and_names_it():
    facts = ActionFacts(open_activities=("Study visit to Argentina",))
    with pytest.raises(TransitionRefused, match="Study visit to Argentina"):
        next_status(S.IMPLEMENTATION, E.START_CLOSING, facts, None)


def test_closing_refusal_lists_at_most_five_titles():
    facts = ActionFacts(open_activities=tuple(f"A{i}" for i in range(8)))
    with pytest.raises(TransitionRefused, match="and 3 more"):
        next_status(S.IMPLEMENTATION, E.START_CLOSING, facts, None)


def test_closed_refused_without_a_final_report():
    with pytest.raises(TransitionRefused, match="final report"):
        next_status(S.CLOSING, E.CLOSE, ActionFacts(), None)


@pytest.mark.parametrize("event", [E.SUSPEND, E.CANCEL])
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_suspend_and_cancel_need_a_reason(event, reason):
    with pytest.raises(TransitionRefused, match="needs a reason"):
        next_status(S.IMPLEMENTATION, event, ActionFacts(reason=reason), None)
