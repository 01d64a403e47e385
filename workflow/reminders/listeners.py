"""What the reminders hear: each domain signal names the subjects whose reminders follow the change.

Postponing an activity moves its reminders, cancelling it cancels them, a declined invitation stops
its nudges, a closed Action drops its own; a person who changes their time zone, language, role or
whether they are active has their waiting reminders derived again (each due at 09:00 in their new zone,
written in their new language). The subjects are re-derived together just before the commit (sync.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..accounts.signals import user_changed
from ..actions.signals import action_changed
from ..activities.signals import activity_changed
from ..core import signals
from ..deployments.signals import deployment_changed
from ..extensions import db
from ..governance.signals import consultation_changed
from ..missions.signals import mission_changed
from ..requests.signals import request_changed
from .queries import upcoming_for_action, upcoming_for_activity
from .sync import re_derive_before_commit

Subjects = set[tuple[str, int]]

# What of a person their reminders depend on: when (their zone), whether (active, role, country), and the
# language they are written in (read when a reminder goes; re-deriving keeps the rows in step).
RECIPIENT_FIELDS = frozenset({"timezone", "locale", "active", "role", "country_code"})


def _user(user: Any, fields: tuple[str, ...] = (), **_: Any) -> Subjects:
    return {("recipient", user.id)} if RECIPIENT_FIELDS & set(fields) else set()


SUBJECTS_OF: dict[Any, Callable[..., Subjects]] = {
    request_changed: lambda request, **_: {("request", request.id)},
    consultation_changed: lambda consultation, **_: {("consultation", consultation.id)},
    # The Action's state also decides whether its activities' and invitations' reminders apply.
    action_changed: lambda action, **_: {("action", action.id), ("action-children", action.id),
                                         ("checkin", action.id)},
    # An activity that moves or is called off moves or drops its missions' checklist reminders too.
    activity_changed: lambda activity, **_: {("activity", activity.id), ("action", activity.action_id),
                                             ("activity-missions", activity.id)},
    deployment_changed: lambda deployment, **_: {("deployment", deployment.id), ("activity", deployment.activity_id),
                                                 ("mission", deployment.id)},
    mission_changed: lambda deployment, **_: {("mission", deployment.id)},
    user_changed: _user,
}


def _listener(subjects_of: Callable[..., Subjects]) -> Callable[..., None]:
    def listen(sender: Any, *, session: Any, **event: Any) -> None:
        re_derive_before_commit(session, subjects_of(sender, **event))

    return listen


_LISTENERS = {signal: _listener(subjects_of) for signal, subjects_of in SUBJECTS_OF.items()}


def _activity_page(_page: str, *, activity: Any, user: Any, **_: Any) -> dict[str, Any]:
    """Staff see the reminders still to come of an activity (its own and its deployments')."""
    return {"upcoming_reminders": upcoming_for_activity(db.session, activity.id)} if user.is_staff else {}


def _action_page(_page: str, *, action: Any, user: Any, **_: Any) -> dict[str, Any]:
    """Staff see the reminders still to come of an Action (its own, its activities' and their deployments')."""
    return {"upcoming_reminders": upcoming_for_action(db.session, action.id)} if user.is_staff else {}


def connect() -> None:
    """Connect the reminders' listeners: the domain signals, and the panels on the activity's and Action's pages."""
    for signal, listen in _LISTENERS.items():
        signal.connect(listen)
    signals.page_extras.connect(_activity_page, sender="activities.show")
    signals.page_extras.connect(_action_page, sender="actions.show")
