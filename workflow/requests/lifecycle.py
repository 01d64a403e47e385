"""The request lifecycle: draft -> submitted -> under review [-> consultation] -> accepted | declined.

The requester may withdraw it (with a reason) while it waits for the programme: submitted, under review
or sent back for clarification; a withdrawn request stays in the history and moves no further.

While the Steering Committee has active members, a request is accepted only on its decision: the
officer sends it to the committee (consultation) and records the decision, which accepts, declines
or sends it back for clarification (workflow/governance/).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.i18n import N_, _l
from ..core.statemachine import StateMachine, needs_reason


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CONSULTATION = "consultation"  # the Steering Committee is consulted until a deadline
    CLARIFICATION_REQUESTED = "clarification_requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"  # the requester took it back, with a reason


class RequestEvent(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    SEND_TO_COMMITTEE = "send_to_committee"
    ASK_CLARIFICATION = "ask_clarification"
    ANSWER_CLARIFICATION = "answer_clarification"
    ACCEPT = "accept"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


# Who may fire an event: the requesting side or programme staff.
REQUESTER_EVENTS = frozenset({RequestEvent.SUBMIT, RequestEvent.ANSWER_CLARIFICATION, RequestEvent.WITHDRAW})
EDITABLE_STATES = frozenset({RequestStatus.DRAFT, RequestStatus.CLARIFICATION_REQUESTED})
# Fired only by the Steering Committee's use cases (workflow/governance/services.py): sending needs a
# deadline, and every step out of a consultation records the committee's decision.
COMMITTEE_EVENTS = frozenset({RequestEvent.SEND_TO_COMMITTEE})
COMMITTEE_STATES = frozenset({RequestStatus.CONSULTATION})


@dataclass(frozen=True)
class RequestFacts:
    reason: str | None = None
    committee_members: int = 0  # active Steering Committee members
    committee_decision: bool = False  # the step records the committee's decision


def committee_must_decide(facts: RequestFacts) -> str | None:
    """Accepting is the committee's decision once there is a committee."""
    if facts.committee_members and not facts.committee_decision:
        return str(_l("A request is accepted only on the Steering Committee's decision: send it to the committee."))
    return None


def committee_has_members(facts: RequestFacts) -> str | None:
    if facts.committee_members < 1:
        return str(_l("Sending a request to the Steering Committee needs at least one active member."))
    return None


S, E = RequestStatus, RequestEvent

REQUEST_LIFECYCLE: StateMachine[RequestStatus, RequestEvent, RequestFacts] = StateMachine(
    name=N_("Request"),
    table={
        (S.DRAFT, E.SUBMIT): S.SUBMITTED,
        (S.SUBMITTED, E.START_REVIEW): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ASK_CLARIFICATION): S.CLARIFICATION_REQUESTED,
        (S.CLARIFICATION_REQUESTED, E.ANSWER_CLARIFICATION): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ACCEPT): S.ACCEPTED,
        (S.UNDER_REVIEW, E.DECLINE): S.DECLINED,
        (S.UNDER_REVIEW, E.SEND_TO_COMMITTEE): S.CONSULTATION,
        (S.CONSULTATION, E.ACCEPT): S.ACCEPTED,
        (S.CONSULTATION, E.DECLINE): S.DECLINED,
        (S.CONSULTATION, E.ASK_CLARIFICATION): S.CLARIFICATION_REQUESTED,
        (S.SUBMITTED, E.WITHDRAW): S.WITHDRAWN,
        (S.UNDER_REVIEW, E.WITHDRAW): S.WITHDRAWN,
        (S.CLARIFICATION_REQUESTED, E.WITHDRAW): S.WITHDRAWN,
    },
    guards={
        E.ACCEPT: committee_must_decide,
        E.SEND_TO_COMMITTEE: committee_has_members,
        E.DECLINE: needs_reason(_l("Declining a request needs a reason.")),
        E.ASK_CLARIFICATION: needs_reason(_l("Asking for clarification needs a reason.")),
        E.ANSWER_CLARIFICATION: needs_reason(_l("Answering the clarification needs a reason.")),
        E.WITHDRAW: needs_reason(_l("Withdrawing a request needs a reason.")),
    },
    labels={
        E.SUBMIT: _l("Submit"),
        E.START_REVIEW: _l("Start review"),
        E.SEND_TO_COMMITTEE: _l("Send to the Steering Committee"),
        E.ASK_CLARIFICATION: _l("Ask for clarification"),
        E.ANSWER_CLARIFICATION: _l("Answer and send back"),
        E.ACCEPT: _l("Accept and create the Action"),
        E.DECLINE: _l("Decline"),
        E.WITHDRAW: _l("Withdraw the request"),
    },
)
