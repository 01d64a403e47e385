"""What happens to accounts, for whoever listens: services send these after `flush()`.

Sender: the user. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `fields`: the names of the fields that changed.
user_changed = _signals.signal(
    "user-changed", doc="A user's role, country, institution, language, time zone or being active changed.")
