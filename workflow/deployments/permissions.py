"""What a user may do with a deployment now: a pure function of its state and the user, asked by its page
instead of comparing statuses, and by the services (the events, the release) that check the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..accounts.models import Role
from ..activities.lifecycle import ActivityStatus
from ..core.statemachine import offered
from ..experts.models import ExpertType
from .lifecycle import DEPLOYMENT_LIFECYCLE, EXPERT_EVENTS, RELEASABLE, DeploymentEvent, DeploymentStatus

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..experts.models import Expert
    from .models import Deployment


@dataclass(frozen=True)
class DeploymentPermissions:
    events: tuple[DeploymentEvent, ...] = ()  # the steps of its lifecycle offered to this user now
    release: bool = False  # approve the release of the member-state official it puts forward
    report: bool = False  # write the mission report
    rate: bool = False  # rate the expert's work on it


def is_the_expert(deployment: Deployment, user: User) -> bool:
    return user.role is Role.EXPERT and deployment.expert.user_id == user.id


def needs_release(expert: Expert) -> bool:
    """A member-state official goes only once their focal point has released them."""
    return expert.type is ExpertType.MS_OFFICIAL


def may_release(user: User, expert: Expert) -> bool:
    """The expert's own member-state focal point, or an admin."""
    return user.role is Role.ADMIN or (user.role is Role.MS_FOCAL_POINT and user.country_code == expert.country_code)


def allowed_events(deployment: Deployment, user: User) -> list[DeploymentEvent]:
    """The expert answers the invitation; programme staff take every other step."""
    return offered(DEPLOYMENT_LIFECYCLE.events_from(deployment.status), EXPERT_EVENTS, staff=user.is_staff,
                   party=is_the_expert(deployment, user))


def deployment_permissions(deployment: Deployment, user: User, *, today: date) -> DeploymentPermissions:
    activity = deployment.activity
    return DeploymentPermissions(
        events=tuple(allowed_events(deployment, user)),
        release=(needs_release(deployment.expert) and deployment.release_approved_at is None
                 and deployment.status in RELEASABLE and may_release(user, deployment.expert)),
        report=((user.is_staff or is_the_expert(deployment, user)) and deployment.status is DeploymentStatus.CONFIRMED
                and activity.start_date <= today and activity.status is not ActivityStatus.CANCELLED),
        rate=user.is_staff and deployment.status is DeploymentStatus.COMPLETED,
    )
