"""Daily-allowance rates per country and fee rates per expert type, each in force from a date on."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..core.errors import DomainError, PermissionDenied
from ..core.i18n import _
from ..experts.models import ExpertType
from ..reference.models import Country
from .checks import DAILY_MAXIMUM, check_amount, check_rate_date
from .models import AllowanceRate, FeeRate
from .planning import replan_after_rate


def require_admin(actor: User) -> None:
    if actor.role is not Role.ADMIN:
        raise PermissionDenied(_("Only administrators keep the rates."))


def add_allowance_rate(session: Session, *, country_code: str, daily_eur: Any, effective_from: date | None,
                       actor: User, now: datetime) -> AllowanceRate:
    """A new daily allowance for a country from a date on; the missions before that date keep theirs."""
    require_admin(actor)
    code = (country_code or "").strip().upper()
    if session.get(Country, code) is None:
        raise DomainError(_("%(code)s is not a known ISO country code.", code=code or "—"), field="country_code")
    amount = check_amount(daily_eur, "daily_eur", maximum=DAILY_MAXIMUM, positive=True)
    start = check_rate_date(effective_from)
    if session.scalar(select(AllowanceRate.id).where(AllowanceRate.country_code == code,
                                                     AllowanceRate.effective_from == start)):
        raise DomainError(_("This country already has a rate from that date: give another date."),
                          field="effective_from")
    rate = AllowanceRate(country_code=code, daily_eur=amount, effective_from=start, created_by_id=actor.id,
                         created_at=now)
    session.add(rate)
    session.flush()
    replan_after_rate(session, effective_from=start, country_code=code, actor=actor, now=now)
    return rate


def add_fee_rate(session: Session, *, expert_type: str | ExpertType, daily_eur: Any, effective_from: date | None,
                 actor: User, now: datetime) -> FeeRate:
    """A new daily fee for an expert type from a date on."""
    require_admin(actor)
    try:
        kind = ExpertType(expert_type)
    except ValueError:
        raise DomainError(_("Choose an expert type from the list."), field="expert_type") from None
    amount = check_amount(daily_eur, "daily_eur", maximum=DAILY_MAXIMUM)
    start = check_rate_date(effective_from)
    if session.scalar(select(FeeRate.id).where(FeeRate.expert_type == kind, FeeRate.effective_from == start)):
        raise DomainError(_("This expert type already has a rate from that date: give another date."),
                          field="effective_from")
    rate = FeeRate(expert_type=kind, daily_eur=amount, effective_from=start, created_by_id=actor.id, created_at=now)
    session.add(rate)
    session.flush()
    replan_after_rate(session, effective_from=start, expert_type=kind, actor=actor, now=now)
    return rate
