"""What happens to deployments, for whoever listens: services send these after `flush()`.

Sender: the deployment. Keyword arguments: `session`, `actor`, `now` (and those named below). Listeners connect
in their own package's `listeners.py` (see workflow/listeners.py for who listens to what).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: what happened, a `DeploymentEvent` value ("invite", "accept"…) or "propose",
# "release_approved", "release_refused", "report" (the notifications' kinds are raised by it).
deployment_changed = _signals.signal("deployment-changed", doc="A deployment was proposed, moved through its lifecycle, released or given its mission report.")
