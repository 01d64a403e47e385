"""What happens to knowledge-sharing events, for whoever listens: services send these after `flush()`.

Sender: the event. Keyword arguments: `session`, `actor`, `now`, `event` (what happened: "document_removed"), and
for a document removed: `document` (the row, kept with its reason).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

knowledge_event_changed = _signals.signal("knowledge-event-changed",
                                          doc="A knowledge-sharing event's documents changed.")
