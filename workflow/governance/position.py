"""Where a consultation stands, as a pure function: the answers and the deadline in, the position out.

Silence counts as support once the deadline has passed; an objection from a member with a veto blocks
approval; an objection without a veto is shown to whoever decides but does not block. No Flask and no
database here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from ..core.i18n import _l


@dataclass(frozen=True)
class Vote:
    """One consulted member's answer: "support", "object" or None (not answered)."""

    has_veto: bool
    answer: str | None


@dataclass(frozen=True)
class Position:
    supports: int  # answered "support"
    silent: int  # did not answer
    objections: int  # answered "object", with or without a veto
    vetoes: int  # objections from members with a veto
    deadline_passed: bool

    @property
    def silent_as_support(self) -> int:
        """The silent members counted as supporting: all of them once the deadline has passed."""
        return self.silent if self.deadline_passed else 0

    @property
    def blocked(self) -> bool:
        return self.vetoes > 0

    @property
    def complete(self) -> bool:
        """Every member has had their say: all answered, or the deadline passed."""
        return self.deadline_passed or self.silent == 0

    def approval_refusal(self) -> str | None:
        """Why the request cannot be approved now, or None."""
        if self.blocked:
            return str(_l("A member with a veto objected: the request cannot be approved."))
        if not self.complete:
            return str(_l("Not every member has answered and the deadline has not passed: approving must wait "
                          "for the answers or the deadline."))
        return None


def position(votes: Iterable[Vote], deadline: datetime, now: datetime) -> Position:
    """Count the answers; the deadline is passed from the deadline's instant on."""
    votes = list(votes)
    objections = [v for v in votes if v.answer == "object"]
    return Position(
        supports=sum(1 for v in votes if v.answer == "support"),
        silent=sum(1 for v in votes if v.answer is None),
        objections=len(objections),
        vetoes=sum(1 for v in objections if v.has_veto),
        deadline_passed=now >= deadline,
    )
