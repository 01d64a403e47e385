"""Use cases of a mission: its logistics and checklist, and the expert's expense claims.

Amounts pass the finance checks (not negative, not absurd, at most cents); an approved claim's items become
actual costs of the activity through `finance.services.record_actual`, one line per claim and category.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..accounts.models import User
from ..core.errors import DomainError, PermissionDenied
from ..core.i18n import _
from ..core.money import cents, parse_amount
from ..deployments.models import Deployment
from ..deployments.signals import deployment_changed
from ..finance.checks import check_amount, check_currency
from ..finance.models import CostCategory
from ..finance.services import record_actual
from .lifecycle import CLAIM_LIFECYCLE, ClaimEvent, ClaimFacts, ClaimStatus
from .models import ChecklistItem, ClaimItem, ClaimTransition, ExpenseClaim, MissionLogistics, VisaStatus
from .permissions import claim_events, may_edit_claim, mission_permissions
from .signals import mission_changed

# What an expert may claim back (fees and allowances follow the rates, not claims).
CLAIM_CATEGORIES = (CostCategory.TRAVEL, CostCategory.OTHER)
TEXT_LIMITS = {"outbound_route": 200, "return_route": 200, "outbound_booking": 60, "return_booking": 60,
               "accommodation": 2000, "insurance": 2000}


def _clean(value: Any, field: str) -> str | None:
    text = " ".join(str(value or "").split())
    if len(text) > TEXT_LIMITS[field]:
        raise DomainError(_("At most %(limit)s characters.", limit=TEXT_LIMITS[field]), field=field)
    return text or None


# --- Logistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogisticsDraft:
    outbound_date: date | None = None
    outbound_route: str | None = None
    outbound_booking: str | None = None
    outbound_cost_eur: Any = None
    return_date: date | None = None
    return_route: str | None = None
    return_booking: str | None = None
    return_cost_eur: Any = None
    accommodation: str | None = None
    visa_status: Any = VisaStatus.NOT_NEEDED
    visa_date: date | None = None
    insurance: str | None = None


def _checked_logistics(draft: LogisticsDraft) -> dict[str, Any]:
    values: dict[str, Any] = {name: _clean(getattr(draft, name), name) for name in TEXT_LIMITS}
    for name in ("outbound_cost_eur", "return_cost_eur"):
        raw = getattr(draft, name)
        empty = raw is None or (isinstance(raw, str) and not raw.strip())
        values[name] = None if empty else check_amount(raw, name)
    try:
        values["visa_status"] = VisaStatus(draft.visa_status or VisaStatus.NOT_NEEDED)
    except ValueError:
        raise DomainError(_("Choose the visa's state from the list."), field="visa_status") from None
    if values["visa_status"] in (VisaStatus.REQUESTED, VisaStatus.GRANTED) and draft.visa_date is None:
        raise DomainError(_("Give the date the visa was requested or granted."), field="visa_date")
    values["visa_date"] = draft.visa_date
    if draft.outbound_date and draft.return_date and draft.return_date < draft.outbound_date:
        raise DomainError(_("The return cannot be before the outbound journey."), field="return_date")
    values["outbound_date"], values["return_date"] = draft.outbound_date, draft.return_date
    return values


def logistics_of(session: Session, deployment: Deployment) -> MissionLogistics | None:
    return session.scalar(select(MissionLogistics).where(MissionLogistics.deployment_id == deployment.id))


def save_logistics(session: Session, deployment: Deployment, draft: LogisticsDraft, *, actor: User,
                   now: datetime) -> MissionLogistics:
    """Record the mission's travel, stay, visa and insurance (programme staff book them)."""
    if not mission_permissions(deployment, actor).edit_logistics:
        raise PermissionDenied(_("Only programme staff book the travel of an accepted or confirmed mission."))
    values = _checked_logistics(draft)
    logistics = logistics_of(session, deployment)
    if logistics is None:
        logistics = MissionLogistics(deployment_id=deployment.id, updated_at=now, updated_by_id=actor.id)
        session.add(logistics)
    for name, value in values.items():
        setattr(logistics, name, value)
    logistics.updated_at, logistics.updated_by_id = now, actor.id
    session.flush()
    mission_changed.send(deployment, session=session, actor=actor, now=now, event="logistics")
    return logistics


# --- Checklist ----------------------------------------------------------------------------------


def add_checklist_item(session: Session, deployment: Deployment, text: str, *, actor: User,
                       now: datetime) -> ChecklistItem:
    if not mission_permissions(deployment, actor).tick:
        raise PermissionDenied(_("Only programme staff and the expert keep the checklist of a mission."))
    clean = " ".join((text or "").split())
    if not clean or len(clean) > 300:
        raise DomainError(_("Say what is to be done, in at most 300 characters."), field="text")
    item = ChecklistItem(deployment_id=deployment.id, text=clean, created_by_id=actor.id, created_at=now)
    session.add(item)
    session.flush()
    mission_changed.send(deployment, session=session, actor=actor, now=now, event="checklist")
    return item


def set_item_done(session: Session, item: ChecklistItem, deployment: Deployment, done: bool, *, actor: User,
                  now: datetime) -> ChecklistItem:
    if item.deployment_id != deployment.id or not mission_permissions(deployment, actor).tick:
        raise PermissionDenied(_("Only programme staff and the expert keep the checklist of a mission."))
    item.done_at, item.done_by_id = (now, actor.id) if done else (None, None)
    session.flush()
    mission_changed.send(deployment, session=session, actor=actor, now=now, event="checklist")
    return item


# --- Expense claims ---------------------------------------------------------------------------------


def start_claim(session: Session, deployment: Deployment, *, actor: User, now: datetime) -> ExpenseClaim:
    """A new draft claim of the expert on their own confirmed or completed mission."""
    if not mission_permissions(deployment, actor).claim:
        raise PermissionDenied(_("Only the expert of a confirmed or completed mission claims its expenses."))
    claim = ExpenseClaim(deployment_id=deployment.id, status=ClaimStatus.DRAFT, created_by_id=actor.id,
                         created_at=now, updated_at=now)
    session.add(claim)
    session.flush()
    session.add(ClaimTransition(claim_id=claim.id, actor_id=actor.id, at=now, from_status=None,
                                to_status=ClaimStatus.DRAFT))
    session.flush()
    return claim


@dataclass(frozen=True)
class ItemDraft:
    description: str
    amount: Any
    currency: str = "EUR"
    rate: Any = None  # units of the currency for one euro; 1 for EUR
    spent_on: date | None = None
    category: Any = CostCategory.TRAVEL


def _checked_item(draft: ItemDraft) -> dict[str, Any]:
    description = " ".join((draft.description or "").split())
    if not description or len(description) > 300:
        raise DomainError(_("Say what the expense was, in at most 300 characters."), field="description")
    try:
        category = CostCategory(draft.category or CostCategory.TRAVEL)
    except ValueError:
        category = None
    if category not in CLAIM_CATEGORIES:
        raise DomainError(_("Claim travel or other costs; fees and allowances follow the rates."), field="category")
    amount = check_amount(draft.amount, "amount", positive=True)
    currency = check_currency(draft.currency)
    if currency == "EUR":
        rate = Decimal("1")
    else:
        rate = parse_amount(draft.rate)
        if rate is None or rate <= 0 or rate > Decimal("1000000") or rate != rate.quantize(Decimal("0.000001")):
            raise DomainError(_("Give the exchange rate as units of the currency for one euro, such as 4.05."),
                              field="rate")
    amount_eur = cents(amount / rate)
    if amount_eur <= 0:
        raise DomainError(_("Give an amount above zero."), field="amount")
    return {"description": description, "category": category, "amount": amount, "currency": currency,
            "rate": rate, "amount_eur": amount_eur, "spent_on": draft.spent_on}


def add_claim_item(session: Session, claim: ExpenseClaim, draft: ItemDraft, *, actor: User, now: datetime,
                   receipt: Any = None, receipt_name: str | None = None) -> ClaimItem:
    """An expense on the expert's own draft or returned claim; `receipt` is a stored upload (core.uploads)."""
    if not may_edit_claim(claim, actor):
        raise PermissionDenied(_("Only the expert changes their claim, while it is a draft or returned."))
    item = ClaimItem(created_at=now, **_checked_item(draft))
    if receipt is not None:
        item.receipt_stored_name, item.receipt_content_type = receipt.stored_name, receipt.content_type
        item.receipt_file_name = (receipt_name or "receipt")[:255]
    claim.items.append(item)  # the cascade adds it (setting claim_id too would list it twice until reloaded)
    claim.updated_at = now
    session.flush()
    return item


def remove_claim_item(session: Session, claim: ExpenseClaim, item: ClaimItem, *, actor: User,
                      now: datetime) -> str | None:
    """Take an item off a draft or returned claim; returns its receipt's stored name (to delete after commit)."""
    if item.claim_id != claim.id or not may_edit_claim(claim, actor):
        raise PermissionDenied(_("Only the expert changes their claim, while it is a draft or returned."))
    stored = item.receipt_stored_name
    claim.items.remove(item)
    session.delete(item)
    claim.updated_at = now
    session.flush()
    return stored


def apply_claim_event(session: Session, claim: ExpenseClaim, event: ClaimEvent, *, actor: User, now: datetime,
                      reason: str | None = None) -> ClaimTransition:
    """Submit (the expert), return with a reason or approve (staff); approval records the actual costs."""
    if event not in claim_events(claim, actor):
        raise PermissionDenied(_("You cannot do that on this claim."))
    target = CLAIM_LIFECYCLE.check(claim.status, event, ClaimFacts(items=len(claim.items), reason=reason))
    transition = ClaimTransition(claim_id=claim.id, actor_id=actor.id, at=now, from_status=claim.status,
                                 to_status=target, reason=(reason or "").strip() or None)
    claim.status, claim.updated_at = target, now
    if event is ClaimEvent.SUBMIT:
        claim.submitted_at, claim.return_reason = now, None
    elif event is ClaimEvent.RETURN:
        claim.return_reason, claim.decided_at, claim.decided_by_id = transition.reason, now, actor.id
    else:
        claim.decided_at, claim.decided_by_id = now, actor.id
        claim.approved_eur = claim.total_eur
        _record_actuals(session, claim, actor=actor, now=now)
    session.add(transition)
    session.flush()
    deployment_changed.send(claim.deployment, session=session, actor=actor, now=now, event=f"claim_{event.value}",
                            claim_id=claim.id, reason=transition.reason)
    return transition


def _record_actuals(session: Session, claim: ExpenseClaim, *, actor: User, now: datetime) -> None:
    totals: dict[CostCategory, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for item in claim.items:
        totals[item.category] += item.amount_eur
    deployment = claim.deployment
    for category, amount in totals.items():
        record_actual(session, activity=deployment.activity, deployment=deployment, category=category,
                      amount_eur=amount, description=_("Expense claim %(id)s, deployment %(deployment)s",
                                                       id=claim.id, deployment=deployment.id),
                      actor=actor, now=now, source=f"claim:{claim.id}")


def claims_of(session: Session, deployment: Deployment) -> list[ExpenseClaim]:
    return list(session.scalars(select(ExpenseClaim).where(ExpenseClaim.deployment_id == deployment.id)
                                .options(selectinload(ExpenseClaim.items)).order_by(ExpenseClaim.id)))


def get_claim(session: Session, deployment: Deployment, claim_id: int) -> ExpenseClaim | None:
    claim = session.get(ExpenseClaim, claim_id)
    return claim if claim is not None and claim.deployment_id == deployment.id else None


