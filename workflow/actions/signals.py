"""What happens to actions, for whoever listens: services send these after `flush()`.

Sender: the action. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: what happened, an `ActionEvent` value ("start_assessment", "close"…) or "open" (opened,
# on accepting its request or by staff), "edit", "final_report", "publish", "unpublish", "public_texts"
# (the notifications' kinds are raised by it). Deliverables (workflow/activities) send it without one.
action_changed = _signals.signal("action-changed", doc="An Action was opened, edited, moved through its lifecycle or given its final report.")
action_closed = _signals.signal("action-closed", doc="An Action was closed (sent after action_changed).")
