"""Status badges: every state of every lifecycle has a tone, and the same meaning has the same tone everywhere."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

from workflow.core.tones import DONE, NEUTRAL, PROGRESS, STOPPED, TONE_NAMES, TONES, WAITING, tone

ROOT = Path(__file__).resolve().parents[2]


def lifecycle_enums() -> list[type[StrEnum]]:
    """Every enum of a state in the app: its name ends in Status or State."""
    import workflow.catalogue.services  # noqa: F401 - its PublicStatus is shown too
    import workflow.models  # noqa: F401 - every module's enums

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return sorted({cls for cls in subclasses(StrEnum) if cls.__module__.startswith("workflow.")
                   and cls.__name__.endswith(("Status", "State"))}, key=lambda cls: cls.__name__)


def test_the_lifecycles_are_found():
    names = {cls.__name__ for cls in lifecycle_enums()}
    assert {"RequestStatus", "ActionStatus", "ActivityStatus", "DeploymentStatus", "ExpertStatus", "CallStatus",
            "ConsultationStatus", "ReminderState", "EmailState", "DeliveryState", "PublicStatus"} <= names


def test_every_state_of_every_lifecycle_has_a_tone_of_its_own():
    missing = [f"{cls.__name__}.{member.name}" for cls in lifecycle_enums()
               for member in cls if member.value not in TONES.get(cls.__name__, {})]
    assert not missing, f"give these a tone in workflow/core/tones.py: {missing}"


def test_the_table_names_only_real_states_and_known_tones():
    enums = {cls.__name__: cls for cls in lifecycle_enums()}
    for name, table in TONES.items():
        assert name in enums, f"{name} is not a lifecycle enum"
        assert set(table) <= {member.value for member in enums[name]}, name
        assert set(table.values()) <= set(TONE_NAMES), name


def test_every_tone_has_its_colour_and_icon_in_the_style_sheet():
    css = (ROOT / "static" / "peerflow.css").read_text(encoding="utf-8")
    assert ".pf-status {" in css and ".pf-status::before" in css  # the neutral ring is the default
    for name in set(TONE_NAMES) - {NEUTRAL}:
        rule = re.search(r"\.pf-status--" + name + r" \{([^}]*)\}", css)
        assert rule, f"no .pf-status--{name} in static/peerflow.css"
        assert "--pf-tone-fg" in rule.group(1) and "--pf-tone-icon" in rule.group(1)


def test_the_same_meaning_has_the_same_tone_across_lifecycles():
    from workflow.actions.lifecycle import ActionStatus
    from workflow.activities.lifecycle import ActivityStatus
    from workflow.calls.lifecycle import CallStatus
    from workflow.deployments.lifecycle import DeploymentStatus
    from workflow.governance.models import ConsultationStatus
    from workflow.requests.lifecycle import RequestStatus

    # Cancelled, declined and the like stop the work, whatever the lifecycle.
    for state in (RequestStatus.DECLINED, RequestStatus.WITHDRAWN, ActionStatus.CANCELLED, ActionStatus.SUSPENDED,
                  ActivityStatus.CANCELLED, DeploymentStatus.DECLINED, DeploymentStatus.CANCELLED, CallStatus.STOOD_DOWN):
        assert tone(state) == STOPPED, state
    # Waiting on others' answers: a request before the committee, an open call, an invitation.
    for state in (RequestStatus.CONSULTATION, ConsultationStatus.OPEN, CallStatus.OPEN, DeploymentStatus.INVITED,
                  RequestStatus.CLARIFICATION_REQUESTED):
        assert tone(state) == WAITING, state
    for state in (ActionStatus.IMPLEMENTATION, RequestStatus.UNDER_REVIEW):
        assert tone(state) == PROGRESS, state
    for state in (ActionStatus.CLOSED, ActivityStatus.REPORTED, DeploymentStatus.CONFIRMED, RequestStatus.ACCEPTED):
        assert tone(state) == DONE, state


def test_one_code_may_mean_two_things_in_two_lifecycles():
    from workflow.deployments.lifecycle import DeploymentStatus
    from workflow.requests.lifecycle import RequestStatus

    assert tone(RequestStatus.ACCEPTED) == DONE  # the request is settled: an Action is open
    assert tone(DeploymentStatus.ACCEPTED) == WAITING  # the expert said yes: the officer has still to confirm


def test_anything_else_reads_neutral():
    assert tone("closed") == NEUTRAL
    assert tone(None) == NEUTRAL
