"""The reminder rules, one record each, and what reads them: defaults, recipients and derivation.

A `Rule` holds everything about one rule: its code, the kind of subject its reminders are about,
the facts its due function reads, its default offsets, who may receive it, the placeholders its
own wording may use, and the builder of its message, which writes the built-in text and gives the
placeholders' values (bound by messages.py, which reads the database). Sync, `content_for`, the
wording and the admin's pages read the records instead of switching on a rule's code.

To add a rule: register its record with its due function (`@rule(...)` in rules.py) and bind its
message builder (`@message_of(code)` in messages.py). A new kind of subject also needs its entry
in subjects.SUBJECTS.

Pure: no Flask and no database here. The package registers the built-in rules on import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ..core.i18n import N_  # marks the texts for translation; returns them unchanged

Chosen = Mapping[str, Iterable[str]]  # rule code -> the recipient roles the admin chose

# The roles a reminder can go to, as the admin chooses them (not account roles: "officer" is the
# officer in charge of the subject, "expert" the expert it concerns).
RECIPIENT_ROLES: dict[str, str] = {
    "officer": N_("officer in charge (every officer when the Action has none)"),
    "expert": N_("expert concerned"),
    "focal_point": N_("member-state focal points of the experts"),
    "admin": N_("administrators"),
    "steering": N_("Steering Committee members"),
}


@dataclass(frozen=True)
class Person:
    user_id: int
    timezone: str = "UTC"


@dataclass(frozen=True)
class Desired:
    key: str
    rule: str
    recipient_id: int
    due_at: datetime  # aware, UTC
    subject_type: str
    subject_id: int


@dataclass(frozen=True)
class Recipients:
    """Who a rule may be sent to, and who gets it until the admin chooses."""

    allowed: tuple[str, ...]
    default: tuple[str, ...]


DueFunction = Callable[[Any, "Due"], list[Desired]]
Builder = Callable[..., Any]  # (session, reminder, *, base_url, now) -> messages.Content


@dataclass(frozen=True)
class Rule:
    code: str
    subject_type: str  # what its reminders are about: "request", "deployment", "activity", "action", …
    facts: type  # the facts its due function reads; subjects.SUBJECTS loads them for each subject
    due: DueFunction  # (facts, Due) -> the reminders that should exist
    what: str  # the rules page's description (English, translated where shown)
    who: str  # who gets it, shown when the admin cannot choose
    offsets: tuple[int, ...] = ()  # default days; a rule without any is due at a moment of its subject
    timing: str | None = None  # that moment, shown on the rules page instead of offsets
    switchable: bool = True  # False: always on (the weekly digest)
    recurring: bool = False  # rolled forward by the periodic refresh, not only when its subject changes
    recipients: Recipients | None = None  # None: fixed by its due function, the admin cannot choose
    placeholders: tuple[str, ...] | None = None  # None: the admin cannot word it (one built-in text)
    # Bound by messages.py: writes the built-in text, with the values of the placeholders.
    message: Builder | None = None


RULES: dict[str, Rule] = {}  # code -> record, in the order the rules page lists them


def register(record: Rule) -> Rule:
    """Add a rule to the table (a code is registered once)."""
    if record.code in RULES:
        raise ValueError(f"reminder rule {record.code!r} is registered twice")
    if bool(record.offsets) == (record.timing is not None):
        raise ValueError(f"reminder rule {record.code!r} needs either default offsets or a timing")
    RULES[record.code] = record
    return record


def rule(code: str, subject_type: str, facts: type, **fields: Any) -> Callable[[DueFunction], DueFunction]:
    """Register the decorated function as the due function of the rule `code`."""
    def registered(due: DueFunction) -> DueFunction:
        register(Rule(code, subject_type, facts, due, **fields))
        return due
    return registered


def bind(code: str, **parts: Any) -> None:
    """Give a registered rule the parts an outer layer holds (its message builder)."""
    RULES[code] = replace(RULES[code], **parts)


def message_of(code: str) -> Callable[[Builder], Builder]:
    """Bind the decorated function to the rule `code` as the builder of its message."""
    def bound(builder: Builder) -> Builder:
        bind(code, message=builder)
        return builder
    return bound


def default_offsets() -> dict[str, list[int]]:
    return {code: list(record.offsets) for code, record in RULES.items()}


class _Recipients(Mapping[str, Recipients]):
    """Who each rule may go to, read from the records; a rule not here has fixed recipients (its due function's)."""

    def _specs(self) -> dict[str, Recipients]:
        return {code: record.recipients for code, record in RULES.items() if record.recipients is not None}

    def __getitem__(self, code: str) -> Recipients:
        return self._specs()[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs())

    def __len__(self) -> int:
        return len(self._specs())


RECIPIENTS: Mapping[str, Recipients] = _Recipients()


def chosen_roles(code: str, chosen: Chosen | None) -> frozenset[str]:
    """The roles rule `code` goes to: the admin's choice among those allowed, else the default."""
    spec = RECIPIENTS.get(code)
    if spec is None:
        return frozenset()
    picked = (chosen or {}).get(code)
    return frozenset(spec.default if picked is None else (r for r in picked if r in spec.allowed))


def recipient_problem(code: str, roles: Iterable[str], *, enabled: bool) -> str | None:
    """Why `roles` cannot be saved for rule `code` (English, translated where shown), or None."""
    spec = RECIPIENTS.get(code)
    roles = list(roles)
    if spec is None:
        return N_("The recipients of this rule are fixed.") if roles else None
    if any(r not in spec.allowed for r in roles):
        return N_("Choose among the recipients offered for this rule.")
    if enabled and not roles:
        return N_("Choose at least one recipient for a rule that is on.")
    return None


@dataclass(frozen=True)
class Due:
    """What a due function is told besides the facts: its rule, its offsets, the roles chosen, the time."""

    rule: Rule
    offsets: Sequence[int]  # the admin's (none when the rule is off), else the defaults
    roles: frozenset[str]
    now: datetime

    def pick(self, **people: Iterable[Person]) -> list[Person]:
        """The people of the chosen roles among `people` (role -> persons), each once, by user id."""
        found: dict[int, Person] = {}
        for role, persons in people.items():
            if role in self.roles:
                for person in persons:
                    found.setdefault(person.user_id, person)
        return sorted(found.values(), key=lambda p: p.user_id)

    def remind(self, key: str, person: Person, due_at: datetime, subject_id: int) -> Desired:
        return Desired(key, self.rule.code, person.user_id, due_at, self.rule.subject_type, subject_id)


def derive(facts: Iterable[object], offsets: Mapping[str, Sequence[int]], now: datetime, *,
           recipients: Chosen | None = None, enabled: Callable[[str], bool] = lambda _code: True) -> list[Desired]:
    """The reminders of one subject: each registered rule applied to the facts of the kind it reads.

    A rule with offsets is off when it has none; one without is asked `enabled` (only once it has facts).
    """
    out: list[Desired] = []
    for found in facts:
        for record in RULES.values():
            if record.facts is not type(found):
                continue
            if record.switchable and not record.offsets and not enabled(record.code):
                continue
            due = Due(record, offsets.get(record.code) or [], chosen_roles(record.code, recipients), now)
            out += record.due(found, due)
    return out
