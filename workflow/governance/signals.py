"""What happens to governance, for whoever listens: services send these after `flush()`.

Sender: the consultation. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: what happened, "open" (the committee is consulted), "answer" (a member answered),
# "deadline" (staff moved the deadline, earlier or later; keyword `change`: the DeadlineChange row, with the
# deadline before and after and the reason if given) or "decide" (the decision closed it) (the notifications'
# kinds are raised by it; the reminders keyed on the deadline are derived again by any of them).
consultation_changed = _signals.signal("consultation-changed", doc="A consultation of the Steering Committee was opened, answered, given a new deadline or decided.")
