"""The steps the activity page offers: its next step along the lifecycle, the others beside it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from ..core.i18n import _l
from ..core.next_step import DANGER, Steps, Wording, arrange
from .lifecycle import ACTIVITY_LIFECYCLE, ActivityEvent, ActivityStatus

S, E = ActivityStatus, ActivityEvent

# The event that moves an activity on from each state.
FORWARD = {S.PLANNED: E.CONFIRM, S.POSTPONED: E.CONFIRM, S.CONFIRMED: E.DELIVER, S.DELIVERED: E.REPORT}
# Events that have a page of their own (new dates; the report and its figures).
PAGES = frozenset({E.POSTPONE, E.REPORT})

WORDING = {
    E.CANCEL: Wording(
        label=_l("Cancel the activity"),
        reason=_l("Why is the activity cancelled?"),
        question=_l("Cancel this activity?"),
        consequence=_l("The experts' deployments on it are cancelled too, and this cannot be undone."),
        confirm=_l("Cancel the activity"),
        tone=DANGER,
    ),
}


def activity_steps(
    status: ActivityStatus,
    events: tuple[ActivityEvent, ...],
    refusals: Mapping[ActivityEvent, str | None],
    *,
    url: Callable[[ActivityEvent], str],
) -> Steps:
    """The next step and the others, for a user offered `events` on an activity in `status`."""
    if not events:
        return Steps()
    blocking = {e: refusals.get(e) for e in events if e not in WORDING and e not in PAGES}
    chosen, others = arrange(events, forward=FORWARD.get(status), labels=ACTIVITY_LIFECYCLE.labels, wording=WORDING,
                             url=url, refusals=blocking)
    if chosen is not None and ActivityEvent(chosen.name) in PAGES:
        chosen = replace(chosen, link=True)
    others = [replace(o, link=True) if ActivityEvent(o.name) in PAGES else o for o in others]
    return Steps(next=chosen, others=tuple(others))
