"""The steps a record's page offers: the next one as its one main button, the others beside it.

Each lifecycle names its forward path (`forward`: the event that moves a record in a given state on); the
page shows that event as its primary button, with the guard's reason as the button's description when it
cannot go yet ("Not yet: …"), and the other events as outlined buttons. A step that needs a reason, or
cannot be undone, asks first in a dialog whose field says what the reason is for.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

NEXT, OTHER, DANGER = "next", "other", "danger"


@dataclass(frozen=True)
class Step:
    """One step a page offers: a lifecycle event, or a page to fill (`link`)."""

    name: str  # the event's value, or the name of the page step ("report", "postpone", "waiver")
    label: str  # the button's words
    url: str  # where its form posts, or the page a link step opens
    tone: str = OTHER  # NEXT (the primary button), OTHER (outlined) or DANGER (red outline, asks first)
    link: bool = False  # a page of its own (a report to write, new dates to give)
    blocked: str | None = None  # why it cannot go yet (a guard's reason), shown as "Not yet: …"
    reason: str | None = None  # the label of the reason field, when the step asks for one
    reason_name: str = "reason"  # the form field the reason goes in
    question: str | None = None  # the dialog's title ("Suspend Peru V?")
    consequence: str | None = None  # what follows, said in the dialog
    confirm: str | None = None  # the words of the dialog's button

    @property
    def asks(self) -> bool:
        """The step opens a dialog (a reason to give, or a consequence to accept) before it is sent."""
        return not self.link and self.tone != NEXT and bool(self.reason or self.question)

    @property
    def inline_reason(self) -> bool:
        """The next step itself needs words (the requester's answer): its field sits beside its button."""
        return self.tone == NEXT and not self.link and bool(self.reason)


@dataclass(frozen=True)
class Steps:
    """What a page offers now: its next step (or None), the others, and what the record waits for."""

    next: Step | None = None
    others: tuple[Step, ...] = ()
    waiting: str | None = None  # said when this reader has no next step ("The programme team reviews it.")

    def __bool__(self) -> bool:
        return self.next is not None or bool(self.others)


@dataclass(frozen=True)
class Wording:
    """How one event reads on the page; empty parts fall back to the lifecycle's label."""

    label: Any = None  # lazy strings are translated when the page is drawn
    reason: Any = None
    question: Any = None
    consequence: Any = None
    confirm: Any = None
    tone: str | None = None  # DANGER for a step that destroys or cannot be undone


def _text(value: Any, names: Mapping[str, Any]) -> str | None:
    if value is None:
        return None
    return str(value) % names if names else str(value)


def arrange(
    events: Iterable[StrEnum],
    *,
    forward: StrEnum | None,
    labels: Mapping[StrEnum, Any],
    wording: Mapping[StrEnum, Wording],
    url: Callable[[StrEnum], str],
    refusals: Mapping[StrEnum, str | None] | None = None,
    names: Mapping[str, Any] | None = None,
) -> tuple[Step | None, list[Step]]:
    """The offered events as steps: `forward` (when offered) the next one, the others in table order.

    `names` fill the wording's placeholders ("Suspend %(name)s?"); `refusals` are the guards' reasons.
    """
    names, refusals = names or {}, refusals or {}
    chosen, others = None, []
    for event in events:
        words = wording.get(event, Wording())
        step = Step(
            name=event.value,
            label=_text(words.label, names) or str(labels.get(event, event.value)),
            url=url(event),
            tone=words.tone or OTHER,
            blocked=refusals.get(event),
            reason=_text(words.reason, names),
            question=_text(words.question, names),
            consequence=_text(words.consequence, names),
            confirm=_text(words.confirm, names),
        )
        if event == forward:
            chosen = replace(step, tone=NEXT)
        else:
            others.append(step)
    return chosen, others
