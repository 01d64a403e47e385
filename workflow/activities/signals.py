"""What happens to activities, for whoever listens: services send these after `flush()`.

Sender: the activity. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: what happened, "plan" (created), "edit" (its fields), "slot" (a slot added, changed or
# removed) or an `ActivityEvent` value ("confirm", "postpone", "deliver", "report", "cancel"); the
# notifications' kinds are raised by it.
activity_changed = _signals.signal(
    "activity-changed", doc="An activity was planned, edited (its slots included) or moved through its lifecycle.")
# Keywords `event` ("postpone") and `previous`: the dates it had, (start, end). Sent after activity_changed.
activity_postponed = _signals.signal("activity-postponed", doc="An activity moved to new dates.")
