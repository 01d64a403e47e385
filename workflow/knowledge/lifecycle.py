"""The good practice's lifecycle (draft -> published -> withdrawn -> published …) and the four impact areas."""

from __future__ import annotations

from enum import StrEnum

from ..core.i18n import _l
from ..core.statemachine import StateMachine
from ..results.models import ImpactArea  # noqa: F401 - one list of the four impact areas, shared with the indicators


class EventDocumentKind(StrEnum):
    AGENDA = "agenda"
    REPORT = "report"
    PRESENTATION = "presentation"
    OTHER = "other"  # a list of conclusions, a background note …


class PracticeStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"  # taken off the public catalogue, with a reason; kept


class PracticeEvent(StrEnum):
    PUBLISH = "publish"
    WITHDRAW = "withdraw"


PRACTICE_LIFECYCLE: StateMachine[PracticeStatus, PracticeEvent, object] = StateMachine(
    name="Good practice",
    table={
        (PracticeStatus.DRAFT, PracticeEvent.PUBLISH): PracticeStatus.PUBLISHED,
        (PracticeStatus.WITHDRAWN, PracticeEvent.PUBLISH): PracticeStatus.PUBLISHED,
        (PracticeStatus.PUBLISHED, PracticeEvent.WITHDRAW): PracticeStatus.WITHDRAWN,
    },
    labels={PracticeEvent.PUBLISH: _l("Publish"), PracticeEvent.WITHDRAW: _l("Withdraw")},
)
