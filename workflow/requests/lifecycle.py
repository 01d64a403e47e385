"""The request lifecycle: draft -> submitted -> under review -> accepted | declined."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.statemachine import StateMachine, needs_reason


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    CLARIFICATION_REQUESTED = "clarification_requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RequestEvent(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    ASK_CLARIFICATION = "ask_clarification"
    ANSWER_CLARIFICATION = "answer_clarification"
    ACCEPT = "accept"
    DECLINE = "decline"


# Who may fire an event: the requesting side or programme staff.
REQUESTER_EVENTS = frozenset({RequestEvent.SUBMIT, RequestEvent.ANSWER_CLARIFICATION})
EDITABLE_STATES = frozenset({RequestStatus.DRAFT, RequestStatus.CLARIFICATION_REQUESTED})


@dataclass(frozen=True)
class RequestFacts:
    reason: str | None = None


S, E = RequestStatus, RequestEvent

REQUEST_LIFECYCLE: StateMachine[RequestStatus, RequestEvent, RequestFacts] = StateMachine(
    name="Request",
    table={
        (S.DRAFT, E.SUBMIT): S.SUBMITTED,
        (S.SUBMITTED, E.START_REVIEW): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ASK_CLARIFICATION): S.CLARIFICATION_REQUESTED,
        (S.CLARIFICATION_REQUESTED, E.ANSWER_CLARIFICATION): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ACCEPT): S.ACCEPTED,
        (S.UNDER_REVIEW, E.DECLINE): S.DECLINED,
    },
    guards={
        E.DECLINE: needs_reason("Declining a request"),
        E.ASK_CLARIFICATION: needs_reason("Asking for clarification"),
        E.ANSWER_CLARIFICATION: needs_reason("Answering the clarification"),
    },
    labels={
        E.SUBMIT: "Submit",
        E.START_REVIEW: "Start review",
        E.ASK_CLARIFICATION: "Ask for clarification",
        E.ANSWER_CLARIFICATION: "Answer and send back",
        E.ACCEPT: "Accept and create the Action",
        E.DECLINE: "Decline",
    },
)
