"""The steps the request page offers: its next step along the lifecycle, the others beside it, and what it
waits for when the reader has nothing to do."""

from __future__ import annotations

from collections.abc import Callable

from ..core.i18n import _l
from ..core.next_step import DANGER, Steps, Wording, arrange
from .lifecycle import REQUEST_LIFECYCLE, RequestEvent, RequestStatus

S, E = RequestStatus, RequestEvent

# The events that move a request on, the first offered one being the reader's next step.
FORWARD = (E.SUBMIT, E.START_REVIEW, E.ACCEPT, E.ANSWER_CLARIFICATION)

WORDING = {
    E.ASK_CLARIFICATION: Wording(
        reason=_l("Question for the requester"),
        question=_l("Ask the requester for clarification?"),
        consequence=_l("The requester is notified and can edit the request and answer; the review goes on then."),
        confirm=_l("Send the question"),
    ),
    E.ANSWER_CLARIFICATION: Wording(reason=_l("Your answer")),
    E.DECLINE: Wording(
        reason=_l("Why is the request declined?"),
        question=_l("Decline “%(title)s”?"),
        consequence=_l("The requester is notified, with your reason. This cannot be undone."),
        confirm=_l("Decline the request"),
        tone=DANGER,
    ),
    E.WITHDRAW: Wording(
        reason=_l("Why do you withdraw the request?"),
        question=_l("Withdraw “%(title)s”?"),
        consequence=_l("The programme will stop reviewing it, and this cannot be undone."),
        confirm=_l("Withdraw the request"),
        tone=DANGER,
    ),
}

# What the request waits for, said to a reader who has no step of their own to take.
WAITING = {
    S.SUBMITTED: _l("The programme team will review it; you will be notified."),
    S.UNDER_REVIEW: _l("The programme team is reviewing it; you will be notified of its decision."),
    S.CONSULTATION: _l("The Steering Committee is consulted; the decision follows its answers."),
    S.CLARIFICATION_REQUESTED: _l("Waiting for the requester's answer to the programme's question."),
}
# A reviewer with a Steering Committee seated sends the request there (the committee's section has the form).
TO_COMMITTEE = _l("Next: send it to the Steering Committee (below), or ask for clarification, or decline it.")


def request_steps(status: RequestStatus, events: tuple[RequestEvent, ...], *, title: str,
                  url: Callable[[RequestEvent], str], send_to_committee: bool = False) -> Steps:
    """The next step and the others, for a user offered `events` on a request in `status`."""
    forward = next((e for e in FORWARD if e in events), None)
    chosen, others = arrange(events, forward=forward, labels=REQUEST_LIFECYCLE.labels, wording=WORDING, url=url,
                             names={"title": title})
    waiting = None
    if send_to_committee:
        waiting = str(TO_COMMITTEE)
    elif chosen is None and status in WAITING:
        waiting = str(WAITING[status])
    return Steps(next=chosen, others=tuple(others), waiting=waiting)
