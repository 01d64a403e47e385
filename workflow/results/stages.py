"""Policy deliverables followed after the Action closes: the stage each reached (drafted, validated by the
beneficiary, officially adopted, implemented), with its date, evidence and what came of it; and the
check-ins 6 and 12 months after closure, when the beneficiary's requesters are asked for news."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.signals import action_changed
from ..activities.models import POLICY_DELIVERABLE_KINDS, Deliverable
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _
from ..core.uploads import StoredFile
from .models import DeliverableStage, DeliverableStageName
from .permissions import results_permissions
from .services import attach_file

CHECK_INS = (6, 12)  # months after closure
STAGE_ORDER = list(DeliverableStageName)


@dataclass(frozen=True)
class StageDraft:
    stage: DeliverableStageName
    reached_on: date | None = None
    outcome: str = ""
    url: str | None = None


def add_months(moment: datetime, months: int) -> datetime:
    """The same moment `months` later (the last day of a shorter month when the day does not exist)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def is_policy(deliverable: Deliverable) -> bool:
    return deliverable.kind in POLICY_DELIVERABLE_KINDS


def policy_deliverables(action: Action) -> list[Deliverable]:
    return [d for d in action.deliverables if is_policy(d)]


def closed_at(action: Action) -> datetime | None:
    """When the Action was (last) closed; None while it is not closed."""
    if action.status is not ActionStatus.CLOSED:
        return None
    moments = [t.at for t in action.transitions if t.to_status is ActionStatus.CLOSED]
    return max(moments) if moments else None


def check_in_moments(closed: datetime) -> dict[int, datetime]:
    return {months: add_months(closed, months) for months in CHECK_INS}


def answered(deliverable: Deliverable, months: int) -> bool:
    return any(s.check_in_months == months for s in deliverable.stages)


def due_check_in(action: Action, deliverable: Deliverable, now: datetime) -> int | None:
    """The check-in (6 or 12) that news of this deliverable answers now: the latest one due, unanswered."""
    closed = closed_at(action)
    if closed is None or not is_policy(deliverable):
        return None
    due = [m for m, moment in check_in_moments(closed).items() if moment <= now and not answered(deliverable, m)]
    return max(due) if due else None


def waiting_check_in(action: Action, now: datetime) -> int | None:
    """The latest check-in due with a policy deliverable still without news for it, or None."""
    found = [m for d in policy_deliverables(action) if (m := due_check_in(action, d, now))]
    return max(found) if found else None


def current_stage(deliverable: Deliverable) -> DeliverableStage | None:
    """The furthest stage recorded (the latest news of it when recorded twice)."""
    if not deliverable.stages:
        return None
    return max(deliverable.stages, key=lambda s: (STAGE_ORDER.index(s.stage), s.recorded_at, s.id))


def record_stage(session: Session, deliverable: Deliverable, draft: StageDraft, *, actor: User, now: datetime,
                 file: StoredFile | None = None, file_name: str | None = None) -> DeliverableStage:
    """Record news of a policy deliverable: the stage it reached, when, the evidence and what came of it.

    News recorded while a check-in is due answers it (whoever records it: the requester or staff)."""
    action = deliverable.action
    if not is_policy(deliverable):
        raise DomainError(_("Only policy deliverables (plans, protocols, strategies, curricula, law or regulation "
                            "drafts, guidelines) are followed through adoption."), field="stage")
    if not results_permissions(action, actor).record_news:
        if actor.is_staff:
            raise StateConflict(_("This Action is cancelled; its deliverables are no longer followed."))
        raise PermissionDenied(_("The beneficiary sends news of its deliverables once the Action is closed."))
    if draft.reached_on and draft.reached_on > now.date():
        raise DomainError(_("Give the date the stage was reached, not a date to come."), field="reached_on")
    if draft.stage is not DeliverableStageName.DRAFTED and not (draft.url or file or draft.outcome.strip()):
        raise DomainError(_("Give the evidence (a link or a file, such as the official gazette or a ministerial "
                            "order) or say what came of it."), field="url")
    stage = DeliverableStage(deliverable=deliverable, action_id=action.id, stage=draft.stage,
                             reached_on=draft.reached_on, outcome=draft.outcome.strip(), url=draft.url or None,
                             check_in_months=due_check_in(action, deliverable, now), recorded_by_id=actor.id,
                             recorded_at=now)
    attach_file(stage, file, file_name)
    session.add(stage)
    session.flush()
    action.updated_at = now
    action_changed.send(action, session=session, actor=actor, now=now, event="deliverable_news")
    return stage
