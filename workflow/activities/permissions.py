"""What a user may do with an activity now: a pure function of its state, its Action's and the user, asked
by its pages instead of comparing statuses, and by the services that check the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..actions.lifecycle import FINISHED_STATES as ACTION_FINISHED
from .lifecycle import ACTIVITY_LIFECYCLE, EDITABLE_STATES, ActivityEvent

if TYPE_CHECKING:
    from ..accounts.models import User
    from .models import Activity


@dataclass(frozen=True)
class ActivityPermissions:
    edit: bool = False  # its fields and slots
    postpone: bool = False  # move it to other dates
    find_experts: bool = False  # suggest and propose experts for its slots, send calls for experts
    copy: bool = False  # plan another activity like it on its Action
    events: tuple[ActivityEvent, ...] = ()  # the steps of its lifecycle offered now


NOTHING = ActivityPermissions()


def activity_permissions(activity: Activity, user: User) -> ActivityPermissions:
    """Programme staff run activities: while it is still to come (planned, confirmed, postponed) and its
    Action is neither closed nor cancelled, it can be changed and staffed."""
    if not user.is_staff:
        return NOTHING
    action_running = activity.action.status not in ACTION_FINISHED
    to_come = action_running and activity.status in EDITABLE_STATES
    events = tuple(ACTIVITY_LIFECYCLE.events_from(activity.status))
    return ActivityPermissions(edit=to_come, postpone=ActivityEvent.POSTPONE in events, find_experts=to_come,
                               copy=action_running, events=events)
