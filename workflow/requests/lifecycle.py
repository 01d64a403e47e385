"""The request lifecycle: draft -> submitted -> under review -> accepted | declined."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.i18n import N_, _l
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
    name=N_("Request"),
    table={
        (S.DRAFT, E.SUBMIT): S.SUBMITTED,
        (S.SUBMITTED, E.START_REVIEW): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ASK_CLARIFICATION): S.CLARIFICATION_REQUESTED,
        (S.CLARIFICATION_REQUESTED, E.ANSWER_CLARIFICATION): S.UNDER_REVIEW,
        (S.UNDER_REVIEW, E.ACCEPT): S.ACCEPTED,
        (S.UNDER_REVIEW, E.DECLINE): S.DECLINED,
    },
    guards={
        E.DECLINE: needs_reason(_l("Declining a request needs a reason.")),
        E.ASK_CLARIFICATION: needs_reason(_l("Asking for clarification needs a reason.")),
        E.ANSWER_CLARIFICATION: needs_reason(_l("Answering the clarification needs a reason.")),
    },
    labels={
        E.SUBMIT: _l("Submit"),
        E.START_REVIEW: _l("Start review"),
        E.ASK_CLARIFICATION: _l("Ask for clarification"),
        E.ANSWER_CLARIFICATION: _l("Answer and send back"),
        E.ACCEPT: _l("Accept and create the Action"),
        E.DECLINE: _l("Decline"),
    },
)
