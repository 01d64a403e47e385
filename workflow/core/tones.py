"""The tone of a lifecycle state: what a status badge tells at a glance, the same way in every lifecycle.

Five tones, each a colour and an icon (static/peerflow.css, `.pf-status--TONE`), so colour is never the
only cue:

- `neutral`: nothing has started, or the record is at rest (a draft, a planned activity, a proposal);
- `waiting`: it waits on someone else's answer or decision (submitted, invited, consulted, pending);
- `progress`: the work is under way (under review, assessment, implementation, being sent);
- `done`: it ended well, or the step is settled (accepted, closed, delivered, confirmed, sent);
- `stopped`: it ended without the work, or the work is halted (declined, cancelled, suspended, failed).

The table is keyed by the enum's class name, as `labels.LABELS` is, because a code can mean different things
in two lifecycles: an accepted request is settled, an accepted deployment still waits for its confirmation.
tests/unit/test_tones.py checks that every state of every lifecycle has its tone.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

NEUTRAL, WAITING, PROGRESS, DONE, STOPPED = "neutral", "waiting", "progress", "done", "stopped"
TONE_NAMES = (NEUTRAL, WAITING, PROGRESS, DONE, STOPPED)

# enum class name -> state code -> tone
TONES: dict[str, dict[str, str]] = {
    "RequestStatus": {
        "draft": NEUTRAL, "submitted": WAITING, "under_review": PROGRESS, "consultation": WAITING,
        "clarification_requested": WAITING, "accepted": DONE, "declined": STOPPED, "withdrawn": STOPPED,
    },
    "ActionStatus": {
        "accepted": NEUTRAL, "assessment": PROGRESS, "implementation": PROGRESS, "closing": PROGRESS,
        "closed": DONE, "suspended": STOPPED, "cancelled": STOPPED,
    },
    "ActivityStatus": {
        "planned": NEUTRAL, "confirmed": PROGRESS, "postponed": WAITING, "delivered": DONE, "reported": DONE,
        "cancelled": STOPPED,
    },
    "DeploymentStatus": {
        "proposed": NEUTRAL, "invited": WAITING, "accepted": WAITING, "confirmed": DONE, "completed": DONE,
        "declined": STOPPED, "expired": STOPPED, "cancelled": STOPPED,
    },
    "ClaimStatus": {"draft": NEUTRAL, "submitted": WAITING, "returned": STOPPED, "approved": DONE},
    "VisaStatus": {"not_needed": NEUTRAL, "needed": WAITING, "requested": PROGRESS, "granted": DONE},
    "ExpertStatus": {"nominated": WAITING, "approved": DONE, "active": DONE, "inactive": NEUTRAL},
    "CallStatus": {"open": WAITING, "closed": DONE, "stood_down": STOPPED},
    "ConsultationStatus": {"open": WAITING, "closed": DONE},
    "PublicStatus": {"ongoing": PROGRESS, "completed": DONE},
    "PracticeStatus": {"draft": WAITING, "published": DONE, "withdrawn": STOPPED},
    # Messages: reminders, notification e-mails and the deliveries of a call for experts.
    "ReminderState": {"pending": WAITING, "sending": PROGRESS, "sent": DONE, "failed": STOPPED,
                      "cancelled": STOPPED},
    "EmailState": {"pending": WAITING, "sending": PROGRESS, "sent": DONE, "failed": STOPPED,
                   "cancelled": STOPPED},
    "DeliveryState": {"pending": WAITING, "sending": PROGRESS, "sent": DONE, "failed": STOPPED,
                      "cancelled": STOPPED},
}


def tone(value: Any) -> str:
    """The tone of a lifecycle state (an enum member); `neutral` for anything the table does not know."""
    if isinstance(value, Enum):
        return TONES.get(type(value).__name__, {}).get(str(value.value), NEUTRAL)
    return NEUTRAL
