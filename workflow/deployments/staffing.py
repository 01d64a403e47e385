"""Staffing many open slots at once: gather them, ask the optimiser, turn the accepted part into proposals."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import User
from ..actions.lifecycle import FINISHED_STATES, ActionStatus
from ..actions.models import Action
from ..activities.lifecycle import EDITABLE_STATES
from ..activities.models import Activity, ExpertSlot
from ..core.errors import DomainError
from ..core.i18n import _
from ..experts.models import Expert
from ..matching.optimiser import StaffingPlan, staff
from .candidates import deployable_experts, load_candidates, slot_of
from .lifecycle import LIVE
from .models import Deployment
from .services import propose


@dataclass(frozen=True)
class OpenSlot:
    slot: ExpertSlot
    places_left: int


def open_slots(session: Session, *, start: date, end: date) -> list[OpenSlot]:
    """Slots of planned or confirmed activities on running Actions, starting in [start, end], not yet full."""
    taken = (select(Deployment.slot_id, func.count().label("n")).where(Deployment.status.in_(LIVE))
             .group_by(Deployment.slot_id).subquery())
    rows = session.execute(
        select(ExpertSlot, func.coalesce(taken.c.n, 0))
        .join(Activity, ExpertSlot.activity_id == Activity.id)
        .join(Action, Activity.action_id == Action.id)
        .outerjoin(taken, taken.c.slot_id == ExpertSlot.id)
        .where(Activity.start_date.between(start, end), Activity.status.in_(EDITABLE_STATES),
               ExpertSlot.removed_at.is_(None),
               Action.status.not_in((*FINISHED_STATES, ActionStatus.SUSPENDED)),
               func.coalesce(taken.c.n, 0) < ExpertSlot.places)
        .options(selectinload(ExpertSlot.activity).selectinload(Activity.action).selectinload(Action.beneficiaries),
                 selectinload(ExpertSlot.activity).selectinload(Activity.action).selectinload(Action.region),
                 selectinload(ExpertSlot.thematic_area))
        .order_by(Activity.start_date, ExpertSlot.id)
    ).all()
    return [OpenSlot(slot, slot.places - taken_n) for slot, taken_n in rows]


def plan_staffing(session: Session, *, today: date, days: int = 90) -> tuple[StaffingPlan, dict[int, OpenSlot]]:
    """The optimiser's proposal for every open slot starting in the next `days` days."""
    slots = open_slots(session, start=today, end=today + timedelta(days=days))
    by_id = {s.slot.id: s for s in slots}
    engine_slots = [replace(slot_of(session, s.slot), places=s.places_left) for s in slots]
    languages = {lang for s in engine_slots for lang in s.activity_languages}
    candidates = load_candidates(session, deployable_experts(languages), today=today) if engine_slots else []
    return staff(engine_slots, candidates), by_id


@dataclass(frozen=True)
class Applied:
    created: list[Deployment]
    refused: list[str]


def apply_staffing(session: Session, picks: list[tuple[int, int]], *, actor: User, now: datetime) -> Applied:
    """Propose each chosen (slot, expert); a pick the rules now refuse is reported, the others kept."""
    created, refused = [], []
    for slot_id, expert_id in picks:
        slot, expert = session.get(ExpertSlot, slot_id), session.get(Expert, expert_id)
        if slot is None or expert is None:
            refused.append(_("Slot %(slot)s or expert %(expert)s no longer exists.", slot=slot_id, expert=expert_id))
            continue
        try:
            with session.begin_nested():
                created.append(propose(session, slot, expert, actor=actor, now=now))
        except DomainError as error:
            refused.append(_("%(name)s on “%(activity)s”: %(reason)s", name=expert.name, activity=slot.activity.title,
                             reason=error.message))
    return Applied(created, refused)
