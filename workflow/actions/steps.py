"""The steps the Action page offers: its next step along the lifecycle, the others beside it."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..core.i18n import _l
from ..core.next_step import DANGER, Step, Steps, Wording, arrange
from .lifecycle import ACTION_LIFECYCLE, ActionEvent, ActionStatus

S, E = ActionStatus, ActionEvent

# The event that moves an Action on from each state (suspended: back to where it was).
FORWARD = {
    S.ACCEPTED: E.START_ASSESSMENT,
    S.ASSESSMENT: E.START_IMPLEMENTATION,
    S.IMPLEMENTATION: E.START_CLOSING,
    S.CLOSING: E.CLOSE,
    S.SUSPENDED: E.RESUME,
}

WORDING = {
    E.SUSPEND: Wording(
        reason=_l("Why is the Action suspended?"),
        question=_l("Suspend %(name)s?"),
        consequence=_l("Its work is paused until someone resumes it; it then goes on where it stopped."),
        confirm=_l("Suspend the Action"),
        tone=DANGER,
    ),
    E.CANCEL: Wording(
        reason=_l("Why is the Action cancelled?"),
        question=_l("Cancel %(name)s?"),
        consequence=_l("Its activities still to come are cancelled with it, and this cannot be undone."),
        confirm=_l("Cancel the Action"),
        tone=DANGER,
    ),
}

# Implementation without an assessment mission: the waiver, offered while the mission is missing.
WAIVER = Wording(
    label=_l("Waive the assessment"),
    reason=_l("Why is no assessment mission needed?"),
    question=_l("Start implementation without an assessment mission?"),
    consequence=_l("Your reason is kept on the Action as its assessment waiver, and implementation starts."),
    confirm=_l("Waive it and start implementation"),
)


def action_steps(
    status: ActionStatus,
    events: tuple[ActionEvent, ...],
    refusals: Mapping[ActionEvent, str | None],
    *,
    name: str,
    url: Callable[[ActionEvent], str],
    final_report: tuple[str, bool] | None = None,
) -> Steps:
    """The next step and the others, for a user offered `events` on an Action in `status`; `final_report` is
    the final report's page and whether it is written, while the Action is closing."""
    if not events:
        return Steps()
    # Reasons asked in the dialog are given there: only the guards that no form can satisfy count.
    blocking = {e: refusals.get(e) for e in events if e not in WORDING}
    chosen, others = arrange(events, forward=FORWARD.get(status), labels=ACTION_LIFECYCLE.labels, wording=WORDING,
                             url=url, refusals=blocking, names={"name": name})
    if chosen is not None and chosen.name == E.START_IMPLEMENTATION and chosen.blocked:
        others.insert(0, Step(name="waiver", label=str(WAIVER.label), url=chosen.url, reason=str(WAIVER.reason),
                              reason_name="waiver", question=str(WAIVER.question),
                              consequence=str(WAIVER.consequence), confirm=str(WAIVER.confirm)))
    if final_report is not None:
        page, written = final_report
        label = _l("Edit the final report") if written else _l("Write the final report")
        others.insert(0, Step(name="final_report", label=str(label), url=page, link=True))
    return Steps(next=chosen, others=tuple(others))
