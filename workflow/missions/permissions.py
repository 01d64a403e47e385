"""Who sees and does what on a mission: staff everything; the expert deployed their own logistics, letters
and claims; a member-state focal point the travel and visa of their state's officials without any amount;
nobody else anything."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..accounts.models import Role
from ..core.statemachine import offered
from ..deployments.lifecycle import BOOKED, DeploymentStatus
from .lifecycle import CLAIM_LIFECYCLE, EDITABLE, EXPERT_EVENTS, ClaimEvent

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..deployments.models import Deployment
    from .models import ExpenseClaim

# A mission is prepared once the expert has accepted; a claim is made once it has been confirmed.
PREPARED = BOOKED
CLAIMABLE = frozenset({DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED})


def is_the_expert(deployment: Deployment, user: User) -> bool:
    return (getattr(user, "is_authenticated", False) and user.role is Role.EXPERT
            and deployment.expert.user_id is not None and deployment.expert.user_id == user.id)


def is_staff(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_staff


@dataclass(frozen=True)
class MissionPermissions:
    see: bool = False  # the mission page at all (travel dates, visa)
    amounts: bool = False  # costs, fee, allowance, claims' amounts
    edit_logistics: bool = False
    tick: bool = False  # tick checklist items off
    letters: bool = False  # read the letter of assignment and the invitation letter
    accept_letter: bool = False
    claims: bool = False  # see the claims
    claim: bool = False  # start a claim


def mission_permissions(deployment: Deployment, user: User) -> MissionPermissions:
    staff, expert = is_staff(user), is_the_expert(deployment, user)
    focal = (getattr(user, "is_authenticated", False) and user.role is Role.MS_FOCAL_POINT
             and user.country_code is not None and user.country_code == deployment.expert.country_code)
    prepared = deployment.status in PREPARED
    return MissionPermissions(
        see=staff or expert or focal,
        amounts=staff or expert,
        edit_logistics=staff and prepared,
        tick=(staff or expert) and prepared,
        letters=staff or expert,
        accept_letter=expert and prepared,
        claims=staff or expert,
        claim=expert and deployment.status in CLAIMABLE,
    )


def claim_events(claim: ExpenseClaim, user: User) -> list[ClaimEvent]:
    """The expert submits their own claim; staff return or approve it."""
    return offered(CLAIM_LIFECYCLE.events_from(claim.status), EXPERT_EVENTS, staff=is_staff(user),
                   party=is_the_expert(claim.deployment, user))


def may_edit_claim(claim: ExpenseClaim, user: User) -> bool:
    return claim.status in EDITABLE and is_the_expert(claim.deployment, user)
