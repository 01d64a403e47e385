"""What a call's page shows the officer: each expert the call reached or a focal point proposed, with their
answer beside their matching score for a slot (and the hard rules they break there), interested first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..activities.models import ExpertSlot
from ..deployments.candidates import load_candidates, slot_of
from ..deployments.lifecycle import LIVE
from ..deployments.models import Deployment
from ..experts.models import Expert
from ..matching.engine import score, violations
from ..matching.facts import Ranked, Violation
from .models import AnswerKind, Call, CallAnswer, CallRecipient, DeliveryState, FocalProposal, RecipientKind


@dataclass(frozen=True)
class BoardRow:
    expert: Expert
    recipient: CallRecipient | None  # None: proposed by a focal point, not reached by the call
    answer: CallAnswer | None
    proposal: FocalProposal | None
    ranked: Ranked | None  # the score for the chosen slot
    broken: tuple[Violation, ...]  # the hard rules the expert breaks for that slot
    deployment: Deployment | None  # already on that slot (a live deployment)

    @property
    def invitable(self) -> bool:
        """Not said to be unavailable: the officer may invite them to the slot (the hard rules still apply)."""
        return self.answer is None or self.answer.answer is AnswerKind.INTERESTED

    @property
    def delivery_error(self) -> str | None:
        """Why the e-mail to them has not gone out yet, after a failed attempt."""
        recipient = self.recipient
        return recipient.last_error if recipient is not None and recipient.state is not DeliveryState.SENT else None

    @property
    def order(self) -> tuple:
        """Interested first, then proposed, then not yet answered, then not available; best score first."""
        if self.answer is not None and self.answer.answer is AnswerKind.INTERESTED:
            group = 0
        elif self.answer is None and self.proposal is not None:
            group = 1
        elif self.answer is None:
            group = 2
        else:
            group = 3
        return (group, -(self.ranked.score if self.ranked else -1), self.expert.name, self.expert.id)


def board(session: Session, call: Call, slot: ExpertSlot | None, *, today: date) -> list[BoardRow]:
    """Every expert of the call, each with their answer, proposal and score for `slot`."""
    recipients = session.scalars(
        select(CallRecipient).where(CallRecipient.call_id == call.id, CallRecipient.kind == RecipientKind.EXPERT)
        .options(selectinload(CallRecipient.expert), selectinload(CallRecipient.answer))).all()
    proposals = session.scalars(select(FocalProposal).where(FocalProposal.call_id == call.id)
                                .options(selectinload(FocalProposal.expert), selectinload(FocalProposal.focal_point))
                                ).all()
    by_expert: dict[int, tuple[Expert, CallRecipient | None, FocalProposal | None]] = {}
    for r in recipients:
        by_expert[r.expert_id] = (r.expert, r, None)
    for p in proposals:
        expert, recipient, _none = by_expert.get(p.expert_id, (p.expert, None, None))
        by_expert[p.expert_id] = (expert, recipient, p)
    scored: dict[int, tuple[Ranked, tuple[Violation, ...]]] = {}
    on_slot: dict[int, Deployment] = {}
    if slot is not None and by_expert:
        wanted = slot_of(session, slot)
        for candidate in load_candidates(session, select(Expert).where(Expert.id.in_(list(by_expert))), today=today):
            scored[candidate.expert_id] = (score(candidate, wanted), tuple(violations(candidate, wanted)))
        for deployment in session.scalars(select(Deployment).where(Deployment.slot_id == slot.id,
                                                                   Deployment.expert_id.in_(list(by_expert)))):
            if deployment.status in LIVE:
                on_slot[deployment.expert_id] = deployment
    rows = [BoardRow(expert, recipient, recipient.answer if recipient else None, proposal,
                     *scored.get(expert_id, (None, ())), on_slot.get(expert_id))
            for expert_id, (expert, recipient, proposal) in by_expert.items()]
    return sorted(rows, key=lambda row: row.order)


def focal_points_of(session: Session, call: Call) -> list[CallRecipient]:
    return list(session.scalars(select(CallRecipient).where(CallRecipient.call_id == call.id,
                                                            CallRecipient.kind == RecipientKind.FOCAL_POINT)
                                .options(selectinload(CallRecipient.user)).order_by(CallRecipient.id)))


def unsubscribed_of(session: Session, call: Call) -> list[Expert]:
    """The experts the call's filters chose but left out, as they asked to receive no calls by e-mail."""
    if not call.unsubscribed_expert_ids:
        return []
    return list(session.scalars(select(Expert).where(Expert.id.in_(call.unsubscribed_expert_ids))
                                .order_by(Expert.name, Expert.id)))


def calls_of_activity(session: Session, activity_id: int) -> list[Call]:
    return list(session.scalars(select(Call).where(Call.activity_id == activity_id)
                                .order_by(Call.created_at.desc(), Call.id.desc())))


def open_calls_for_expert(session: Session, expert_id: int) -> list[CallRecipient]:
    """The expert's places on calls, newest first (the portal shows and answers them)."""
    return list(session.scalars(
        select(CallRecipient).where(CallRecipient.expert_id == expert_id, CallRecipient.kind == RecipientKind.EXPERT)
        .options(selectinload(CallRecipient.call).selectinload(Call.activity), selectinload(CallRecipient.answer))
        .order_by(CallRecipient.id.desc()).limit(20)))
