"""What happens to missions, for whoever listens: services send these after `flush()`.

Sender: the deployment. Keyword arguments: `session`, `actor`, `now`, `event`.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# `event`: "checklist" (an item added or ticked) or "logistics" (the travel saved). The reminders of the mission's
# checklist follow (workflow/reminders: the "mission_checklist" rule, due before the outbound journey).
mission_changed = _signals.signal("mission-changed", doc="A mission's checklist or logistics changed.")

# `event`: "changed". The letter of assignment the expert accepted changed (dates, fee, allowance, duties, place…):
# they are told, and asked to accept the updated letter (workflow/missions/versions.py).
letter_changed = _signals.signal("letter-changed", doc="An accepted letter of assignment changed.")
