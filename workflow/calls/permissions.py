"""What a user may do with a call for experts now: a pure function of its state, the time and the user,
asked by its page instead of comparing statuses, and by the services that check the same."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from .lifecycle import CALL_LIFECYCLE, CallEvent, CallStatus

if TYPE_CHECKING:
    from ..accounts.models import User
    from .models import Call


@dataclass(frozen=True)
class CallPermissions:
    events: tuple[CallEvent, ...] = ()  # stand it down or close it (staff)
    answer: bool = False  # experts answer it now: open, and its deadline not passed
    overdue: bool = False  # still open, but its deadline has passed (the page says so by the date)


def answers_open(call: Call, now: datetime) -> bool:
    return call.status is CallStatus.OPEN and now <= call.answer_deadline


def allowed_call_events(call: Call, user: User) -> list[CallEvent]:
    return CALL_LIFECYCLE.events_from(call.status) if user.is_staff else []


def call_permissions(call: Call, user: User, *, now: datetime) -> CallPermissions:
    taking = answers_open(call, now)
    return CallPermissions(events=tuple(allowed_call_events(call, user)), answer=taking,
                           overdue=call.status is CallStatus.OPEN and not taking)
