"""What the reminder rules read: the facts of one subject, as plain values (subjects.py reads them).

Pure: no Flask and no database. Each rule declares the kind of facts its due function reads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .registry import Person


@dataclass(frozen=True)
class RequestFacts:
    id: int
    waiting: bool           # submitted or under review
    submitted_at: datetime | None
    officers: Sequence[Person]
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class InvitationFacts:
    deployment_id: int
    invited: bool           # status is "invited"
    invited_at: datetime | None
    expert: Person | None   # the expert's account, if they have one
    officer: Sequence[Person]
    # Expired (by its expiry reminder): the expiry notices still go out to whoever has not had theirs.
    expired: bool = False
    focal_points: Sequence[Person] = ()  # of the expert's member state
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class DeploymentReportFacts:
    deployment_id: int
    expert: Person | None
    has_report: bool
    focal_points: Sequence[Person] = ()  # of the expert's member state


@dataclass(frozen=True)
class ActivityFacts:
    id: int
    running: bool           # planned, confirmed or postponed, on an open Action
    start: date
    end: date
    open_places: int
    officers: Sequence[Person]
    confirmed_experts: Sequence[Person]
    reports: Sequence[DeploymentReportFacts]  # confirmed deployments, for the mission report rules
    took_place: bool        # delivered or reported
    focal_points: Sequence[Person] = ()  # of the confirmed experts' member states
    admins: Sequence[Person] = ()


@dataclass(frozen=True)
class MissionFacts:
    """A deployment's mission before departure: its checklist items still open."""

    deployment_id: int
    ready: bool             # accepted or confirmed, on an activity still to take place of an open Action
    departure: date | None  # the outbound journey's date, else the activity's first day
    open_items: int
    expert: Person | None   # the expert's account, if they have one
    officers: Sequence[Person] = ()


@dataclass(frozen=True)
class ActionFacts:
    id: int
    running: bool           # assessment or implementation
    planned_end: date | None
    open_activities: int
    closing_since: datetime | None
    officers: Sequence[Person]
    admins: Sequence[Person] = ()
    has_final_report: bool = False  # its final report is written


@dataclass(frozen=True)
class CheckInFacts:
    """A closed Action's policy deliverables, followed 6 and 12 months after closure."""

    id: int
    due: Mapping[int, datetime]  # months after closure -> the moment news is asked for, while unanswered
    requesters: Sequence[Person]  # the beneficiary institutions' requesters


@dataclass(frozen=True)
class DigestFacts:
    person: Person
    role: str               # their account role: the digest goes to the roles chosen


@dataclass(frozen=True)
class ConsultationFacts:
    id: int
    open: bool              # not decided yet
    deadline: datetime      # aware, UTC: answers are taken until then
    unanswered: Sequence[Person]  # consulted members who have not answered
    officer: Person | None  # who sent it to the committee
    admins: Sequence[Person] = ()
    moved_at: datetime | None = None  # when staff last moved the deadline (None: never moved)
