"""A small table-driven state machine: `(state, event) -> next state`, plus guards.

Each lifecycle (requests, Actions, activities) declares its states and events as enums, its
table, and its guards as pure functions of the facts they need. Nothing here touches the
database; the services apply the answer and write the history row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from .errors import TransitionRefused
from .i18n import N_, gettext
from .labels import label

# The machines' names, for extraction: `name` is translated when a refusal is written.
_NAMES = (N_("Request"), N_("Action"), N_("Activity"), N_("Deployment"), N_("Expert"))

S = TypeVar("S", bound=StrEnum)
E = TypeVar("E", bound=StrEnum)
F = TypeVar("F")

Guard = Callable[[F], "str | None"]


@dataclass(frozen=True)
class StateMachine(Generic[S, E, F]):
    """Which event leads where, and what must hold first (a guard returns a refusal or None)."""

    name: str
    table: Mapping[tuple[S, E], S]
    guards: Mapping[E, Guard[F]] = field(default_factory=dict)
    labels: Mapping[E, Any] = field(default_factory=dict)  # lazy strings (`_l`): translated when shown

    def events_from(self, state: S) -> list[E]:
        """The events the table allows from `state`, in declaration order."""
        return [event for (source, event) in self.table if source == state]

    def target(self, state: S, event: E) -> S:
        try:
            return self.table[(state, event)]
        except KeyError:
            raise TransitionRefused(gettext(
                "%(machine)s: '%(step)s' is not possible while the status is '%(status)s'.",
                machine=gettext(self.name), step=str(self.labels.get(event, event.value)),
                status=label(state).lower(),
            )) from None

    def refusal(self, event: E, facts: F) -> str | None:
        """The guard's reason to refuse `event`, or None when it may go ahead."""
        guard = self.guards.get(event)
        return guard(facts) if guard else None

    def check(self, state: S, event: E, facts: F) -> S:
        """The next state, or TransitionRefused naming the rule that stops it."""
        target = self.target(state, event)
        reason = self.refusal(event, facts)
        if reason:
            raise TransitionRefused(reason)
        return target


def expand(sources: Iterable[S], event: E, target: S) -> dict[tuple[S, E], S]:
    """Table rows for one event allowed from many states (e.g. cancel from any open state)."""
    return {(source, event): target for source in sources}


def needs_reason(refusal: Any) -> Guard[Any]:
    """A guard that refuses unless the facts carry a non-blank `reason`.

    `refusal` is the whole sentence, marked lazily so it is translated when the guard answers:
    `needs_reason(_l("Declining a request needs a reason."))`. A bare subject without a full stop
    ("Suspending an Action") still reads "Suspending an Action needs a reason.", in English only.
    """

    def guard(facts: Any) -> str | None:
        reason = getattr(facts, "reason", None)
        if reason and reason.strip():
            return None
        text = str(refusal)
        return text if text.endswith(".") else f"{text} needs a reason."

    return guard


def offered(events: Iterable[E], party_events: frozenset[E], *, staff: bool, party: bool) -> list[E]:
    """The events one user is offered: programme staff every one but those of the record's own party (the
    requester, the expert), that party only theirs, anyone else none."""
    if staff:
        return [event for event in events if event not in party_events]
    if party:
        return [event for event in events if event in party_events]
    return []
