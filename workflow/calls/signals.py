"""What happens to calls for experts, for whoever listens: services send these after `flush()`.

Listeners connect in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sender: the recipient row. Keyword arguments: `session`, `now`, and, for someone who answers in Peerflow,
# `user_id`, `title`, `body` and `link` (the bell shows it); `user_id` is None for an expert without an account.
call_delivered = _signals.signal("call-delivered", doc="A call for experts was e-mailed to one recipient.")
