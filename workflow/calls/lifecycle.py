"""The lifecycle of a call for experts: open until the officer stands it down or closes it."""

from __future__ import annotations

from enum import StrEnum

from ..core.i18n import N_, _l
from ..core.statemachine import StateMachine


class CallStatus(StrEnum):
    OPEN = "open"
    STOOD_DOWN = "stood_down"  # no longer needed (the activity moved, the places were filled otherwise)
    CLOSED = "closed"  # the officer has what they need


class CallEvent(StrEnum):
    STAND_DOWN = "stand_down"
    CLOSE = "close"


S, E = CallStatus, CallEvent

CALL_LIFECYCLE: StateMachine[CallStatus, CallEvent, None] = StateMachine(
    name=N_("Call for experts"),
    table={(S.OPEN, E.STAND_DOWN): S.STOOD_DOWN, (S.OPEN, E.CLOSE): S.CLOSED},
    labels={E.STAND_DOWN: _l("Stand down"), E.CLOSE: _l("Close")},
)
