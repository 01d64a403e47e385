"""What a user may do with an Action now: a pure function of its state and the user, asked by its page
(and the pages that hang off it) instead of comparing statuses, and by the services that check the same."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lifecycle import ACTION_LIFECYCLE, FINISHED_STATES, TEMPLATE_STATES, ActionEvent, ActionStatus

if TYPE_CHECKING:
    from ..accounts.models import User
    from .models import Action


@dataclass(frozen=True)
class ActionPermissions:
    edit: bool = False  # its name, title, dates and texts
    plan: bool = False  # plan an activity on it, or copy one of its activities
    apply_template: bool = False  # add activities from a plan template
    save_template: bool = False  # keep its activities as a plan template
    add_deliverable: bool = False
    publish: bool = False  # show it in the public catalogue
    unpublish: bool = False  # take it out of the catalogue
    final_report: bool = False  # write (or rewrite) the final report
    events: tuple[ActionEvent, ...] = ()  # the steps of its lifecycle offered now


NOTHING = ActionPermissions()


def action_permissions(action: Action, user: User) -> ActionPermissions:
    """Only programme staff change an Action; what they may do depends on where it is."""
    if not user.is_staff:
        return NOTHING
    status = action.status
    running = status not in FINISHED_STATES
    return ActionPermissions(
        edit=running,
        plan=running,
        apply_template=status in TEMPLATE_STATES,
        save_template=bool(action.activities),
        add_deliverable=status is not ActionStatus.CANCELLED,
        publish=not action.published and status is not ActionStatus.CANCELLED,
        unpublish=action.published,
        final_report=status is ActionStatus.CLOSING,
        events=tuple(ACTION_LIFECYCLE.events_from(status)),
    )
