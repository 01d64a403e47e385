"""Expert slots, one by one: added, reshaped and removed in place, never replaced.

A slot holds deployments (an expert proposed, invited, booked …), so it is changed in place, by id. A slot
whose experts are still live is not removed, shrunk below them or given another role, theme or language:
their deployments are cancelled first, through their own lifecycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..accounts.models import User
from ..actions.lifecycle import ensure_open
from ..calls.lifecycle import CallStatus
from ..calls.models import Call
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..deployments.lifecycle import LIVE, DeploymentStatus
from ..deployments.models import Deployment
from .lifecycle import EDITABLE_STATES
from .models import Activity, ExpertSlot, SlotRole
from .signals import activity_changed


@dataclass(frozen=True)
class SlotDraft:
    """One slot as a form or the API gives it: `id` names an existing slot (None: a new one), `remove`
    asks to remove it."""

    role: SlotRole
    thematic_area_id: int
    language: str
    places: int = 1
    id: int | None = None
    remove: bool = False


def require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff plan and run activities."))


def new_slot(draft: SlotDraft) -> ExpertSlot:
    _check_slot(draft)
    return ExpertSlot(role=draft.role, thematic_area_id=draft.thematic_area_id, language=draft.language,
                      places=draft.places)


# The deployments that hold a place on a slot and can still be cancelled.
CANCELLABLE = (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED,
               DeploymentStatus.CONFIRMED)


MAX_SLOTS = 20  # as many rows as the Edit page shows


def check_slot_count(activity: Activity, leaving: int = 0) -> None:
    if len(activity.slots) - leaving > MAX_SLOTS:
        raise DomainError(_("An activity has at most %(num)s expert slots.", num=MAX_SLOTS), field="slots")


def _check_slot(draft: SlotDraft) -> None:
    if not draft.thematic_area_id:
        raise DomainError(_("Choose the slot's thematic area."), field="slots")
    if not 1 <= draft.places <= 50:
        raise DomainError(_("A slot has between 1 and 50 places."), field="slots")


def slot_on(session: Session, activity: Activity, slot_id: int) -> ExpertSlot:
    slot = session.get(ExpertSlot, slot_id)
    if slot is None or slot.activity_id != activity.id or slot.removed_at is not None:
        raise DomainError(_("That expert slot is not part of this activity."), field="slots")
    return slot


def _slot_editable(activity: Activity, actor: User) -> None:
    require_staff(actor)
    ensure_open(activity.action)
    if activity.status not in EDITABLE_STATES:
        raise StateConflict(_("This activity is %(status)s: it can no longer be edited.",
                            status=label(activity.status).lower()))


def live_on_slot(session: Session, slot: ExpertSlot) -> list[Deployment]:
    """The slot's deployments that occupy a place on it (proposed to completed), in id order."""
    return list(session.scalars(select(Deployment).where(Deployment.slot_id == slot.id, Deployment.status.in_(LIVE))
                                .options(joinedload(Deployment.expert)).order_by(Deployment.id)))


def _names(deployments: list[Deployment]) -> str:
    return ", ".join(dict.fromkeys(d.expert.name for d in deployments))


def add_slot(session: Session, activity: Activity, draft: SlotDraft, *, actor: User, now: datetime) -> ExpertSlot:
    """A new slot on the activity."""
    _slot_editable(activity, actor)
    slot = new_slot(draft)
    activity.slots.append(slot)
    check_slot_count(activity)
    activity.updated_at = now
    session.flush()
    activity_changed.send(activity, session=session, actor=actor, now=now, event="slot")
    return slot


def update_slot(session: Session, slot: ExpertSlot, draft: SlotDraft, *, actor: User, now: datetime) -> ExpertSlot:
    """Change a slot in place; refused, naming the experts, when it would leave its live deployments
    without a place or change what they were matched on (role, thematic area, language)."""
    activity = slot.activity
    _slot_editable(activity, actor)
    if slot.removed_at is not None:
        raise DomainError(_("That expert slot is not part of this activity."), field="slots")
    reshape_slot(session, slot, draft)
    if session.is_modified(slot):
        activity.updated_at = now
    session.flush()
    activity_changed.send(activity, session=session, actor=actor, now=now, event="slot")
    return slot


def reshape_slot(session: Session, slot: ExpertSlot, draft: SlotDraft) -> None:
    _check_slot(draft)
    reshaped = (draft.role, draft.thematic_area_id, draft.language) != (slot.role, slot.thematic_area_id, slot.language)
    if reshaped or draft.places < slot.places:
        live = live_on_slot(session, slot)
        if reshaped and live:
            raise StateConflict(_("The slot's role, thematic area and language stay as they are while experts are on "
                                "it (%(names)s): cancel their deployments first.", names=_names(live)),
                              field="slots")
        if draft.places < len(live):
            raise StateConflict(ngettext(
                "The slot cannot have fewer places than its %(num)s live deployment (%(names)s): cancel it first.",
                "The slot cannot have fewer places than its %(num)s live deployments (%(names)s): cancel some first.",
                len(live), names=_names(live)), field="slots")
    slot.role, slot.thematic_area_id, slot.language, slot.places = (draft.role, draft.thematic_area_id,
                                                                     draft.language, draft.places)


def remove_slot(session: Session, slot: ExpertSlot, *, actor: User, now: datetime) -> None:
    """Remove a slot no live deployment (nor open call for experts) holds. One whose past deployments
    (cancelled, declined …) or calls keep their history on it is marked removed and leaves the activity's
    list; one that never had any is deleted."""
    activity = slot.activity
    _slot_editable(activity, actor)
    if slot.removed_at is not None:
        return
    activity.updated_at = now
    drop_slot(session, slot, now)
    activity_changed.send(activity, session=session, actor=actor, now=now, event="slot")


def drop_slot(session: Session, slot: ExpertSlot, now: datetime) -> None:
    activity = slot.activity
    live = live_on_slot(session, slot)
    completed = [d for d in live if d.status is DeploymentStatus.COMPLETED]
    if completed:
        raise StateConflict(_("This slot holds completed deployments (%(names)s): it stays.", names=_names(completed)),
                          field="slots")
    if live:
        raise StateConflict(_("This slot still holds live deployments (%(names)s): cancel them first (with a reason; "
                            "each expert is told).", names=_names(live)), field="slots")
    calls = set(session.scalars(select(Call.status).where(Call.slot_id == slot.id)))
    if CallStatus.OPEN in calls:
        raise StateConflict(_("A call for experts for this slot is still open: close it or stand it down first."),
                          field="slots")
    has_history = bool(calls) or session.scalar(
        select(Deployment.id).where(Deployment.slot_id == slot.id).limit(1)) is not None
    if has_history:
        slot.removed_at = now
    else:
        session.delete(slot)
    session.flush()
    session.expire(activity, ["slots"])  # the list reads the slots in use again
