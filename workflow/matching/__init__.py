"""Matching: rank experts for a slot, and staff many slots at once (pure Python, no Flask, no database)."""

from .engine import clashes, rank, score, violations
from .facts import Booking, Candidate, Period, Ranked, ScorePart, Slot, Violation
from .names import format_period

# NumPy and SciPy load only when the pool or the optimiser is first used: ranking one slot needs neither.
_LAZY = {"CandidatePool": "pool", "Assignment": "optimiser", "StaffingPlan": "optimiser", "staff": "optimiser"}


def __getattr__(name: str):
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "Assignment",
    "Booking",
    "Candidate",
    "CandidatePool",
    "Period",
    "Ranked",
    "ScorePart",
    "Slot",
    "StaffingPlan",
    "Violation",
    "clashes",
    "format_period",
    "rank",
    "score",
    "staff",
    "violations",
]
