"""What happens to evaluations, for whoever listens: services send these after `flush()`.

Sender: the evaluation (or, for a rating, the deployment rated). Keyword arguments: `session`, `actor`
(None for a participant's anonymous answers), `now`. Listeners connect in their own package's
`listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

evaluation_changed = _signals.signal(
    "evaluation-changed", doc="An evaluation was opened, closed or answered, or a deployment was rated.")
