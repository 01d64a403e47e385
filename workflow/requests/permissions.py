"""What a user may do with a request now: a pure function of its state, the user and whether there is a
Steering Committee, asked by its page (and the committee's panel on it) instead of comparing statuses, and
by the services that check the same (the events)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..accounts.models import Role
from ..core.statemachine import offered
from .lifecycle import (
    COMMITTEE_EVENTS,
    COMMITTEE_STATES,
    EDITABLE_STATES,
    REQUEST_LIFECYCLE,
    REQUESTER_EVENTS,
    RequestEvent,
    RequestStatus,
)

if TYPE_CHECKING:
    from ..accounts.models import User
    from .models import Request


@dataclass(frozen=True)
class RequestPermissions:
    edit: bool = False  # its title, need, thematic area and desired start
    send_to_committee: bool = False  # open a consultation of the Steering Committee on it
    events: tuple[RequestEvent, ...] = ()  # the steps of its lifecycle its page offers now


def is_its_requester(request: Request, user: User) -> bool:
    return user.role is Role.REQUESTER and user.institution_id == request.institution_id


def allowed_events(request: Request, user: User, *, committee: bool = False) -> list[RequestEvent]:
    """The events `user` may fire on `request` now.

    The committee's steps (sending it, deciding after the consultation) have pages of their own and
    are fired by the governance use cases only (`committee=True`).
    """
    events = REQUEST_LIFECYCLE.events_from(request.status)
    if not committee:
        events = [] if request.status in COMMITTEE_STATES else [e for e in events if e not in COMMITTEE_EVENTS]
    return offered(events, REQUESTER_EVENTS, staff=user.is_staff, party=is_its_requester(request, user))


def request_permissions(request: Request, user: User, *, committee_members: int) -> RequestPermissions:
    """While the committee has members, accepting is its decision: the page offers to send the request there."""
    events = allowed_events(request, user)
    if committee_members:
        events = [e for e in events if e is not RequestEvent.ACCEPT]
    return RequestPermissions(
        edit=is_its_requester(request, user) and request.status in EDITABLE_STATES,
        send_to_committee=(user.is_staff and request.status is RequestStatus.UNDER_REVIEW and committee_members > 0),
        events=tuple(events),
    )
