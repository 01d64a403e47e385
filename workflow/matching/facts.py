"""What the matching engine reads and answers: plain frozen values, built by the caller (engine.py ranks them)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .names import format_period


@dataclass(frozen=True, slots=True)
class Period:
    """Inclusive dates."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __str__(self) -> str:
        return format_period(self.start, self.end)


@dataclass(frozen=True, slots=True)
class Booking:
    """Something already in the expert's calendar."""

    period: Period
    remote: bool  # remote activities need no travel day
    label: str  # names the item in refusal messages, dates included


@dataclass(frozen=True, slots=True)
class Candidate:
    expert_id: int
    name: str
    status: str  # nominated | approved | active | inactive
    gender: str  # female | male | other
    country: str  # ISO code of the administration the expert comes from
    employer_id: int | None
    themes: Mapping[str, int]  # thematic area code -> level 1..3
    languages: Mapping[str, str]  # ISO 639-1 -> CEFR level
    countries_worked: frozenset[str]
    regions_worked: frozenset[str]  # should include the regions of countries_worked
    years_experience: int
    day_cap: int  # maximum deployment days per calendar year
    days_booked: Mapping[int, int]  # year -> working days in accepted/confirmed deployments
    bookings: tuple[Booking, ...]  # accepted/confirmed deployments
    unavailable: tuple[Booking, ...]  # declared unavailable periods
    actions_served: frozenset[int]
    recent_deployments: int  # deployments in the last 12 months
    rating: float | None = None  # average rating, 1 to 5; None: not rated yet (neutral)
    rated: int = 0  # how many evaluations and deployment ratings the rating rests on


@dataclass(frozen=True, slots=True)
class Slot:
    slot_id: int
    activity_id: int
    action_id: int
    role: str  # lead_expert | expert | trainer
    theme: str
    language: str  # required language (ISO 639-1)
    activity_languages: tuple[str, ...]
    period: Period
    remote: bool
    working_days: int
    country: str | None  # None for a regional activity
    region: str | None
    beneficiary_ids: frozenset[int]
    places: int = 1
    label: str = ""
    # Readable names of `theme` and `region` for the reasons, from the reference data the caller holds
    # (the engine imports no domain); without them the codes are shown.
    theme_name: str = ""
    region_name: str = ""


@dataclass(frozen=True, slots=True)
class Violation:
    """A broken hard rule: `message` in English for logs, the API and the CLI; `data` holds the facts
    it names, so the app can say the same in the reader's language."""

    rule: str  # status | overlap | unavailable | day_cap | language | conflict_of_interest
    message: str
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part of a score: `reason` in English; `key` names the sentence and `data` its facts."""

    factor: str  # thematic | language | regional | continuity | seniority | load | rating
    points: float
    reason: str
    key: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Ranked:
    candidate: Candidate
    score: float
    parts: tuple[ScorePart, ...]
