"""Every kind of news the workflow's hand-offs send, defined in one place.

A kind says **when** it is raised (a domain signal and the `event` values it carries), **who** receives
it (`recipients`: users; the person who took the step is never told of their own step), **what** it
says (`message`: a title, a few lines and the path of the page where the reader acts, written in the
current locale, which `notify` sets to the reader's language), and whether an e-mail carries a file
(`attachments`, e.g. an invitation's `.ics`). A `mandatory` kind is news the work depends on (an
invitation, a release request): its reader may take it in a digest, never in the app only.

The modules below register their kinds when this package is imported; `notify.py` writes the rows,
`listeners.py` connects the signals, `dispatch.py` sends the e-mails through the shared outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from blinker import NamedSignal
from sqlalchemy.orm import Session

from ...accounts.models import Role, User

Attachment = tuple[str, str, bytes]  # (file name, MIME type, content)


@dataclass(frozen=True)
class Message:
    """What one reader is told: in their language, with the page where they act."""

    title: str
    lines: Sequence[str]
    link: str  # a path in the app ("/deployments/42"); e-mails make it absolute


@dataclass(frozen=True)
class Context:
    """What the step that raised the news knew: who took it, when, and the signal's other arguments."""

    actor: User | None
    now: Any
    event: str | None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    code: str  # stored on the rows and in preferences: never rename one
    label: Any  # a lazy string: how the preferences page names it
    signal: NamedSignal
    events: frozenset[str]  # the signal's `event` values that raise it
    subject_type: str  # request, consultation, action, activity, deployment
    roles: frozenset[Role]  # who may receive it (the preferences page shows these kinds to them)
    recipients: Callable[[Session, Any, Context], Iterable[User]]
    message: Callable[[Session, Any, User, Context], Message]
    mandatory: bool = False
    attachments: Callable[[Session, Any, User, str], Sequence[Attachment]] | None = None  # last: the base URL
    model: type | None = None  # the subject's model, to load it again when an e-mail is written


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    if kind.code in KINDS:
        raise ValueError(f"notification kind {kind.code!r} is defined twice")
    KINDS[kind.code] = kind
    return kind


def kinds_for(role: Role) -> list[Kind]:
    """The kinds a person in `role` may receive, in the order they were defined (the workflow's)."""
    return [kind for kind in KINDS.values() if role in kind.roles]


def kinds_raised_by(signal: NamedSignal, event: str | None) -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.signal is signal and event in kind.events]


def _load() -> None:
    """Import the modules that register the kinds (here, so that each may import this package)."""
    from importlib import import_module

    for module in MODULES:
        import_module(f"{__name__}.{module}")


# The modules that define kinds, in the workflow's order.
MODULES: tuple[str, ...] = ("requests", "deployments", "activities", "missions", "money", "results", "knowledge")

_load()
