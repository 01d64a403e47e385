"""The named signals that carry news against the spine, so that no package needs to know the others.

Domain packages send them (after `flush()`); the readers above (audit, reminders, the dashboard's
figures, the governance panel…) connect their listeners in their own `listeners.py`, and
`workflow/listeners.py` connects every package's from one table when the app is built. Blinker, as
Flask and Indico use it: a listener's return value is how a page or a service collects contributions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from blinker import Namespace
from sqlalchemy.orm import Session

from .errors import StaleEdit

_signals = Namespace()

security_event = _signals.signal("security-event", doc="""Something security-relevant happened to an account.

Sender: the event's kind ("login", "password_changed", …). Keyword arguments: `session`, `now`, `user`,
`email`, `ip`, `detail` (no secrets). The audit trail records it.""")

stale_edit_seen = _signals.signal("stale-edit-seen", doc="""A save was made on an old version of an object.

Sender: the object. Keyword arguments: `session`, `version`, `message`, `field`. A listener may return a
`StaleEdit` that names what changed since (the audit trail does, from its history).""")

page_extras = _signals.signal("page-extras", doc="""A page asks what other packages add to it (a template hook).

Sender: the page's endpoint ("actions.show"). Keyword arguments: what the page shows (`action`,
`user`…). Each listener returns a dict merged into the template's context.""")

personal_data_requested = _signals.signal("personal-data-requested", doc="""An expert's data is being exported.

Sender: the expert. Keyword argument: `session`. Each listener returns a dict of the export's sections
for its own tables; a "files" list in it is added to the others'.""")

personal_data_erased = _signals.signal("personal-data-erased", doc="""An expert's personal data is being erased.

Sender: the expert. Keyword arguments: `session`, `user` (their account or None), `deployment_ids`,
`now`. Each listener erases or anonymises its own tables and returns the stored file names it no
longer needs (deleted once the transaction commits).""")

erasure_written = _signals.signal("erasure-written", doc="""An erasure has been written and flushed.

Sender: the expert. Keyword arguments: `session`, `user`, `deployment_ids`, `old_emails`. The audit
trail takes the person's data out of its own record, including the entries the erasure just made.""")


def record_security_event(session: Session, kind: str, *, now: datetime, user: Any = None, email: str | None = None,
                          ip: str | None = None, detail: dict[str, Any] | None = None) -> None:
    """Tell the listeners (the audit trail) of a security event; see `security_event`."""
    security_event.send(kind, session=session, now=now, user=user, email=email, ip=ip, detail=detail)


def stale_edit(session: Session, obj: Any, version: int | None, message: str, *, field: str | None = None) -> StaleEdit:
    """The refusal of a save made on `version` of `obj`, naming what changed since when a listener can tell."""
    for _listener, refusal in stale_edit_seen.send(obj, session=session, version=version, message=message, field=field):
        if refusal is not None:
            return refusal
    return StaleEdit(message, field=field)


def extras_for(page: str, **shown: Any) -> dict[str, Any]:
    """What the listeners of `page_extras` add to `page`, merged into one dict."""
    merged: dict[str, Any] = {}
    for _listener, extra in page_extras.send(page, **shown):
        merged.update(extra or {})
    return merged
