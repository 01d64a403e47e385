"""What money hears from the activities and deployments: their cost follows their lifecycle and dates."""

from __future__ import annotations

from typing import Any

from ..activities.signals import activity_changed, activity_postponed
from ..core import signals
from ..deployments.signals import deployment_changed
from .panels import action_panel, activity_panel, deployment_panel
from .planning import activity_cancelled, plan_activity, plan_deployment


def _deployment_moved(deployment: Any, *, session: Any, actor: Any, now: Any, **_: Any) -> None:
    plan_deployment(session, deployment, actor=actor, now=now)


def _activity_changed(activity: Any, *, session: Any, actor: Any, now: Any, event: str, **_: Any) -> None:
    if event == "cancel":
        activity_cancelled(session, activity, now=now)
    elif event == "edit":  # it may have become remote, or moved country: the allowance follows
        plan_activity(session, activity, actor=actor, now=now)


def _activity_postponed(activity: Any, *, session: Any, actor: Any, now: Any, **_: Any) -> None:
    plan_activity(session, activity, actor=actor, now=now)


def connect() -> None:
    """Connect money's listeners (idempotent: blinker keeps one connection per function)."""
    deployment_changed.connect(_deployment_moved)
    activity_changed.connect(_activity_changed)
    activity_postponed.connect(_activity_postponed)
    signals.page_extras.connect(action_panel, sender="actions.show")
    signals.page_extras.connect(activity_panel, sender="activities.show")
    signals.page_extras.connect(deployment_panel, sender="deployments.show")
