"""The Action lifecycle and its guards; the one place that decides where an Action may go."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from ..core.errors import StateConflict, TransitionRefused
from ..core.i18n import N_, _, _l, ngettext
from ..core.labels import label
from ..core.statemachine import StateMachine, expand, needs_reason

if TYPE_CHECKING:
    from .models import Action


class ActionStatus(StrEnum):
    ACCEPTED = "accepted"
    ASSESSMENT = "assessment"
    IMPLEMENTATION = "implementation"
    CLOSING = "closing"
    CLOSED = "closed"
    SUSPENDED = "suspended"
    CANCELLED = "cancelled"


class ActionEvent(StrEnum):
    START_ASSESSMENT = "start_assessment"
    START_IMPLEMENTATION = "start_implementation"
    START_CLOSING = "start_closing"
    CLOSE = "close"
    SUSPEND = "suspend"
    RESUME = "resume"
    CANCEL = "cancel"


S, E = ActionStatus, ActionEvent

OPEN_STATES = (S.ACCEPTED, S.ASSESSMENT, S.IMPLEMENTATION, S.CLOSING)
FINISHED_STATES = frozenset({S.CLOSED, S.CANCELLED})
# Where an Action takes activities from a plan template. Suspended: the work is paused, so a whole plan
# waits for the resumption. Closing: closing needs every activity delivered or cancelled.
TEMPLATE_STATES = frozenset({S.ACCEPTED, S.ASSESSMENT, S.IMPLEMENTATION})
# Events whose form asks for a reason, and those for which it is required.
REASON_REQUIRED = frozenset({E.SUSPEND, E.CANCEL})


@dataclass(frozen=True)
class ActionFacts:
    """What the guards look at, gathered by the service from the database."""

    reported_assessment_missions: int = 0
    assessment_waiver: str | None = None
    open_activities: tuple[str, ...] = field(default_factory=tuple)  # neither delivered nor cancelled
    has_final_report: bool = False
    reason: str | None = None


def _assessment_done(facts: ActionFacts) -> str | None:
    if facts.reported_assessment_missions or (facts.assessment_waiver and facts.assessment_waiver.strip()):
        return None
    return _(
        "Implementation can start only after an assessment, fact-finding or mapping mission has been "
        "delivered and its report recorded, or after the assessment is waived with a reason."
    )


def _activities_finished(facts: ActionFacts) -> str | None:
    if not facts.open_activities:
        return None
    shown = ", ".join(f"“{title}”" for title in facts.open_activities[:5])  # titles are data
    more = len(facts.open_activities) - 5
    if more > 0:
        return ngettext(
            "Closing needs every activity delivered or cancelled; still open: %(titles)s and %(num)d more.",
            "Closing needs every activity delivered or cancelled; still open: %(titles)s and %(num)d more.",
            more, titles=shown,
        )
    return _("Closing needs every activity delivered or cancelled; still open: %(titles)s.", titles=shown)


def _final_report(facts: ActionFacts) -> str | None:
    if facts.has_final_report:
        return None
    return _("The Action can be closed only once its final report (results and lessons learned) is recorded.")


def _closable(facts: ActionFacts) -> str | None:
    """An activity planned while the Action was closing must be delivered or cancelled before it closes:
    a closed Action's activities can no longer change."""
    return _activities_finished(facts) or _final_report(facts)


ACTION_LIFECYCLE: StateMachine[ActionStatus, ActionEvent, ActionFacts] = StateMachine(
    name=N_("Action"),
    table={
        (S.ACCEPTED, E.START_ASSESSMENT): S.ASSESSMENT,
        (S.ASSESSMENT, E.START_IMPLEMENTATION): S.IMPLEMENTATION,
        (S.IMPLEMENTATION, E.START_CLOSING): S.CLOSING,
        (S.CLOSING, E.CLOSE): S.CLOSED,
        **expand(OPEN_STATES, E.SUSPEND, S.SUSPENDED),
        # Resume goes back to where the Action was; `next_status` resolves the placeholder.
        (S.SUSPENDED, E.RESUME): S.SUSPENDED,
        **expand((*OPEN_STATES, S.SUSPENDED), E.CANCEL, S.CANCELLED),
    },
    guards={
        E.START_IMPLEMENTATION: _assessment_done,
        E.START_CLOSING: _activities_finished,
        E.CLOSE: _closable,
        E.SUSPEND: needs_reason(_l("Suspending an Action needs a reason.")),
        E.CANCEL: needs_reason(_l("Cancelling an Action needs a reason.")),
    },
    labels={
        E.START_ASSESSMENT: _l("Start assessment"),
        E.START_IMPLEMENTATION: _l("Start implementation"),
        E.START_CLOSING: _l("Start closing"),
        E.CLOSE: _l("Close the Action"),
        E.SUSPEND: _l("Suspend"),
        E.RESUME: _l("Resume"),
        E.CANCEL: _l("Cancel the Action"),
    },
)


def next_status(
    status: ActionStatus, event: ActionEvent, facts: ActionFacts, before_suspension: ActionStatus | None
) -> ActionStatus:
    """Where `event` takes an Action in `status`, or TransitionRefused with the rule that stops it."""
    target = ACTION_LIFECYCLE.check(status, event, facts)
    if event is E.RESUME:
        if before_suspension is None:
            raise TransitionRefused(_("This Action has no recorded state to resume to."))
        return before_suspension
    return target


def ensure_open(action: Action) -> None:
    """Refuse a change to anything of an Action that is closed or cancelled."""
    if action.status in FINISHED_STATES:
        raise StateConflict(_("This Action is %(status)s; it can no longer be changed.",
                               status=label(action.status).lower()))
