"""The expense claim lifecycle: drafted by the expert, submitted, then approved or returned by an officer."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.i18n import N_, _, _l
from ..core.statemachine import StateMachine, needs_reason


class ClaimStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class ClaimEvent(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    APPROVE = "approve"


@dataclass(frozen=True)
class ClaimFacts:
    items: int = 0  # how many expense items the claim has
    reason: str | None = None


def _has_items(facts: ClaimFacts) -> str | None:
    return None if facts.items else _("A claim needs at least one expense item before it is submitted.")


# The expert submits (again, after a return); the officer decides.
EXPERT_EVENTS = frozenset({ClaimEvent.SUBMIT})
# The states in which the expert may still change the items.
EDITABLE = frozenset({ClaimStatus.DRAFT, ClaimStatus.RETURNED})

S, E = ClaimStatus, ClaimEvent

CLAIM_LIFECYCLE: StateMachine[ClaimStatus, ClaimEvent, ClaimFacts] = StateMachine(
    name=N_("Expense claim"),
    table={
        (S.DRAFT, E.SUBMIT): S.SUBMITTED,
        (S.RETURNED, E.SUBMIT): S.SUBMITTED,
        (S.SUBMITTED, E.RETURN): S.RETURNED,
        (S.SUBMITTED, E.APPROVE): S.APPROVED,
    },
    guards={
        E.SUBMIT: _has_items,
        E.RETURN: needs_reason(_l("Returning a claim needs a reason.")),
    },
    labels={E.SUBMIT: _l("Submit the claim"), E.RETURN: _l("Return to the expert"), E.APPROVE: _l("Approve")},
)
