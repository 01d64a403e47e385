"""The activity lifecycle: planned -> confirmed -> delivered -> reported, with postponed and cancelled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ..core.dates import day
from ..core.i18n import N_, _, _l
from ..core.statemachine import StateMachine, expand, needs_reason


class ActivityKind(StrEnum):
    ASSESSMENT_MISSION = "assessment_mission"
    FACT_FINDING_MISSION = "fact_finding_mission"
    MAPPING_MISSION = "mapping_mission"
    WORKSHOP = "workshop"
    SEMINAR = "seminar"
    TRAINING = "training"
    TRAINING_OF_TRAINERS = "training_of_trainers"
    STUDY_VISIT = "study_visit"
    WORKING_GROUP_SESSION = "working_group_session"
    INFORMATION_SESSION = "information_session"
    COORDINATION_SESSION = "coordination_session"
    ROUND_TABLE = "round_table"
    LONG_DISTANCE_ASSISTANCE = "long_distance_assistance"
    DELIVERABLE_DRAFTING = "deliverable_drafting"


# The kinds that count as the Action's assessment (needed before implementation).
ASSESSMENT_KINDS = frozenset(
    {ActivityKind.ASSESSMENT_MISSION, ActivityKind.FACT_FINDING_MISSION, ActivityKind.MAPPING_MISSION}
)


class ActivityStatus(StrEnum):
    PLANNED = "planned"
    CONFIRMED = "confirmed"
    POSTPONED = "postponed"
    DELIVERED = "delivered"
    REPORTED = "reported"
    CANCELLED = "cancelled"


# Delivered or cancelled: what lets an Action go to closing.
FINISHED_STATES = frozenset({ActivityStatus.DELIVERED, ActivityStatus.REPORTED, ActivityStatus.CANCELLED})
EDITABLE_STATES = frozenset({ActivityStatus.PLANNED, ActivityStatus.CONFIRMED, ActivityStatus.POSTPONED})


class ActivityEvent(StrEnum):
    CONFIRM = "confirm"
    POSTPONE = "postpone"
    DELIVER = "deliver"
    REPORT = "report"
    CANCEL = "cancel"


@dataclass(frozen=True)
class ActivityFacts:
    today: date
    start_date: date
    reason: str | None = None
    has_report: bool = False


def _started(facts: ActivityFacts) -> str | None:
    if facts.start_date <= facts.today:
        return None
    return _("An activity can be marked delivered only once it has started (it starts on %(date)s).",
             date=day(facts.start_date))


def _reported(facts: ActivityFacts) -> str | None:
    return None if facts.has_report else _("The activity report needs a summary and the participant counts.")


S, E = ActivityStatus, ActivityEvent

ACTIVITY_LIFECYCLE: StateMachine[ActivityStatus, ActivityEvent, ActivityFacts] = StateMachine(
    name=N_("Activity"),
    table={
        **expand((S.PLANNED, S.POSTPONED), E.CONFIRM, S.CONFIRMED),
        **expand((S.PLANNED, S.CONFIRMED, S.POSTPONED), E.POSTPONE, S.POSTPONED),
        **expand((S.PLANNED, S.CONFIRMED), E.DELIVER, S.DELIVERED),
        (S.DELIVERED, E.REPORT): S.REPORTED,
        **expand((S.PLANNED, S.CONFIRMED, S.POSTPONED), E.CANCEL, S.CANCELLED),
    },
    guards={
        E.DELIVER: _started,
        E.REPORT: _reported,
        E.POSTPONE: needs_reason(_l("Postponing an activity needs a reason.")),
        E.CANCEL: needs_reason(_l("Cancelling an activity needs a reason.")),
    },
    labels={
        E.CONFIRM: _l("Confirm"),
        E.POSTPONE: _l("Postpone"),
        E.DELIVER: _l("Mark delivered"),
        E.REPORT: _l("Record the report"),
        E.CANCEL: _l("Cancel"),
    },
)
