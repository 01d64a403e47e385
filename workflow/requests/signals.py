"""What happens to requests, for whoever listens: services send these after `flush()`.

Sender: the request. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: what happened, a `RequestEvent` value ("submit", "answer_clarification", "withdraw",
# "accept"…) or "create", "edit" (the notifications' kinds are raised by it).
request_changed = _signals.signal("request-changed", doc="A request was created, edited or moved through its lifecycle (submitted, clarified, accepted…).")
