"""The deployment lifecycle: an expert on an activity slot, from proposal to completion."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..core.i18n import N_, _, _l
from ..core.statemachine import StateMachine, expand, needs_reason


class DeploymentStatus(StrEnum):
    PROPOSED = "proposed"
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def live(self) -> bool:
        """Holding a place on its slot (see LIVE)."""
        return self in LIVE

    @property
    def awaits_confirmation(self) -> bool:
        """Put forward but not yet confirmed: when a member-state official's release is given (RELEASABLE)."""
        return self in RELEASABLE


class DeploymentEvent(StrEnum):
    INVITE = "invite"
    ACCEPT = "accept"
    DECLINE = "decline"
    EXPIRE = "expire"
    CONFIRM = "confirm"
    COMPLETE = "complete"
    CANCEL = "cancel"


# The states that hold a place in the expert's calendar (and count against the day cap).
BOOKED = frozenset({DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED})
# The states that occupy a place on the slot.
LIVE = frozenset({DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED,
                  DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED})
# Before confirmation: when the focal point releases a member-state official.
RELEASABLE = frozenset({DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED})
# The experts told when their activity moves to other dates: invited or booked on it.
NOTIFIED_ON_MOVE = frozenset({DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED})
# Fired by the expert themselves; the rest by programme staff (expire by the scheduler).
EXPERT_EVENTS = frozenset({DeploymentEvent.ACCEPT, DeploymentEvent.DECLINE})


@dataclass(frozen=True)
class DeploymentFacts:
    needs_release: bool = False  # a member-state official needs their focal point's release
    release_approved: bool = False
    has_mission_report: bool = False
    reason: str | None = None


def _released(facts: DeploymentFacts) -> str | None:
    if facts.needs_release and not facts.release_approved:
        return _("Confirmation needs the release approval of the expert's member-state focal point "
                 "(the expert is a member-state official).")
    return None


def _reported(facts: DeploymentFacts) -> str | None:
    return None if facts.has_mission_report else _("Completion needs the expert's mission report.")


S, E = DeploymentStatus, DeploymentEvent

DEPLOYMENT_LIFECYCLE: StateMachine[DeploymentStatus, DeploymentEvent, DeploymentFacts] = StateMachine(
    name=N_("Deployment"),
    table={
        (S.PROPOSED, E.INVITE): S.INVITED,
        (S.INVITED, E.ACCEPT): S.ACCEPTED,
        (S.INVITED, E.DECLINE): S.DECLINED,
        (S.INVITED, E.EXPIRE): S.EXPIRED,
        (S.ACCEPTED, E.CONFIRM): S.CONFIRMED,
        (S.CONFIRMED, E.COMPLETE): S.COMPLETED,
        **expand((S.PROPOSED, S.INVITED, S.ACCEPTED, S.CONFIRMED), E.CANCEL, S.CANCELLED),
    },
    guards={
        E.DECLINE: needs_reason(_l("Declining an invitation needs a reason.")),
        E.CANCEL: needs_reason(_l("Cancelling a deployment needs a reason.")),
        E.CONFIRM: _released,
        E.COMPLETE: _reported,
    },
    labels={
        E.INVITE: _l("Invite"),
        E.ACCEPT: _l("Accept"),
        E.DECLINE: _l("Decline"),
        E.EXPIRE: _l("Mark expired"),
        E.CONFIRM: _l("Confirm"),
        E.COMPLETE: _l("Complete"),
        E.CANCEL: _l("Cancel"),
    },
)
