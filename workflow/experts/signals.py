"""What happens to experts, for whoever listens: services send these after `flush()`.

Sender: the expert. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

expert_changed = _signals.signal("expert-changed", doc="An expert's roster record changed: profile, status, languages, themes, unavailability, CV.")
