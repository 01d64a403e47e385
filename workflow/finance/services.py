"""Use cases of money: an Action's budget, an activity's cost lines, actual spending, and overruns.

Every amount is checked (not negative, not absurd, at most cents) before anything is written; a save that
takes a category of an Action past its budget is made, and leaves a `BudgetOverrun` row in the Action's
history. The audit trail records every change of every amount, with who and when (audit/tracking.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity
from ..core.errors import ConcurrentChange, DomainError, PermissionDenied, StateConflict
from ..core.i18n import _
from ..core.signals import stale_edit
from ..core.money import cents, parse_amount
from ..deployments.models import Deployment
from .checks import check_amount, check_currency, check_rate_date
from .models import ALLOWANCES, FEES, ActionBudgetLine, BudgetOverrun, CostCategory, CostLine
from .signals import budget_crossed

T = TypeVar("T")
MEASURES = ("planned", "committed", "actual")
OVERRUNS_SEEN = "finance.overruns"  # session.info: the overruns this transaction recorded
ZERO = Decimal("0.00")


def require_finance_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff see and change the money of an Action."))


def category_of(value: Any, field: str = "category") -> CostCategory:
    try:
        return CostCategory(value)
    except ValueError:
        raise DomainError(_("Choose a cost category from the list."), field=field) from None


# --- Totals and overruns ----------------------------------------------------------------------


def category_totals(session: Session, action_id: int, category: CostCategory) -> dict[str, Decimal]:
    """Planned, committed and actual of one category of an Action, summed over its activities' cost lines (a
    removed line counts in no figure)."""
    row = session.execute(select(func.coalesce(func.sum(CostLine.planned_eur), ZERO),
                                 func.coalesce(func.sum(CostLine.committed_eur), ZERO),
                                 func.coalesce(func.sum(CostLine.actual_eur), ZERO))
                          .join(Activity, Activity.id == CostLine.activity_id)
                          .where(Activity.action_id == action_id, CostLine.category == category,
                                 CostLine.removed_at.is_(None))).one()
    return {measure: Decimal(value or 0).quantize(Decimal("0.01")) for measure, value in zip(MEASURES, row, strict=True)}


def budget_of(session: Session, action_id: int, category: CostCategory) -> Decimal | None:
    return session.scalar(select(ActionBudgetLine.amount_eur).where(ActionBudgetLine.action_id == action_id,
                                                                    ActionBudgetLine.category == category))


@dataclass(frozen=True)
class Watched:
    """One category of an Action before and after a change: its totals and its budget."""

    action: Action
    category: CostCategory
    before: dict[str, Decimal]
    after: dict[str, Decimal]
    budget_before: Decimal | None
    budget_after: Decimal | None


def _record_overruns(session: Session, seen: Watched, *, activity_id: int | None, actor: User | None,
                     now: datetime) -> None:
    """An overrun for each total the change took (further) past the budget; the officer in charge is told of
    those that crossed it (were within the budget before), once per crossing."""
    if seen.budget_after is None:
        return
    crossed = []
    for measure in MEASURES:
        excess = seen.after[measure] - seen.budget_after
        if excess <= 0 or (seen.budget_before is not None and excess <= seen.before[measure] - seen.budget_before):
            continue
        crossing = seen.budget_before is None or seen.before[measure] <= seen.budget_before
        overrun = BudgetOverrun(action_id=seen.action.id, activity_id=activity_id, category=seen.category,
                                measure=measure, budget_eur=seen.budget_after, total_eur=seen.after[measure],
                                actor_id=actor.id if actor else None, at=now, crossing=crossing)
        session.add(overrun)
        session.info.setdefault(OVERRUNS_SEEN, []).append(overrun)  # the page warns whoever made it
        if crossing:
            crossed.append(overrun)
    session.flush()
    if crossed:
        budget_crossed.send(seen.action, session=session, actor=actor, now=now, event="crossed",
                            overrun_ids=[o.id for o in crossed])


def watching_budget(session: Session, activity: Activity, category: CostCategory, *, actor: User | None,
                    now: datetime, change: Callable[[], T]) -> T:
    """Make `change` and record an overrun for each total it took (further) past the category's budget."""
    before = category_totals(session, activity.action_id, category)
    result = change()
    session.flush()
    budget = budget_of(session, activity.action_id, category)
    if budget is not None:
        seen = Watched(activity.action, category, before, category_totals(session, activity.action_id, category),
                       budget, budget)
        _record_overruns(session, seen, activity_id=activity.id, actor=actor, now=now)
    return result


# --- The Action's budget ----------------------------------------------------------------------


def budget_version(session: Session, action_id: int) -> int:
    """The version of an Action's budget as a whole: the sum of its lines' versions, which every change of an
    amount raises (a line is never deleted; taken away, it stays at zero)."""
    return int(session.scalar(select(func.coalesce(func.sum(ActionBudgetLine.version), 0))
                              .where(ActionBudgetLine.action_id == action_id)) or 0)


def _check_budget_version(session: Session, action: Action, version: int | None) -> None:
    current = budget_version(session, action.id)
    if version is not None and version != current:
        message = _("Someone changed this budget after you opened it: the figures below show it as it is now.")
        raise ConcurrentChange(" ".join([message, _("Your input is kept below: check it against their changes, "
                                                    "then save again to keep your version.")]),
                               changes=[], summary=message, current_version=current)


def set_budget(session: Session, action: Action, amounts: dict[Any, Any], *, actor: User, now: datetime,
               field_prefix: str = "budget_", version: int | None = None) -> list[ActionBudgetLine]:
    """Set the budget of the categories given (an empty amount leaves a category without a budget; a budget
    line already there is kept at zero, so the history shows it went). A refused amount names its field as
    `field_prefix` + the category (the page's "budget_travel", the API's "travel"). `version` is the budget's
    (`budget_version`) when the form was opened: a stale one is refused. A budget lowered under what is already
    planned, committed or spent is recorded as an overrun, like a cost that goes past it."""
    require_finance_staff(actor)
    checked: dict[CostCategory, Decimal | None] = {}
    for key, value in amounts.items():
        category = category_of(key, f"{field_prefix}{key}")
        empty = value is None or (isinstance(value, str) and not value.strip())
        checked[category] = None if empty else check_amount(value, f"{field_prefix}{category.value}")
    _check_budget_version(session, action, version)
    lines = {line.category: line for line in session.scalars(
        select(ActionBudgetLine).where(ActionBudgetLine.action_id == action.id))}
    for category, amount in checked.items():
        line = lines.get(category)
        before = line.amount_eur if line is not None else None
        if amount is None:
            if line is not None and line.amount_eur != ZERO:  # kept, at zero: the history shows it went
                line.amount_eur, line.updated_by_id, line.updated_at = ZERO, actor.id, now
            continue
        if line is None:
            line = lines[category] = ActionBudgetLine(action_id=action.id, category=category, amount_eur=amount,
                                                      updated_by_id=actor.id, updated_at=now)
            session.add(line)
        elif line.amount_eur != amount:
            line.amount_eur, line.updated_by_id, line.updated_at = amount, actor.id, now
        if before is None or amount < before:
            totals = category_totals(session, action.id, category)
            _record_overruns(session, Watched(action, category, totals, totals, before, amount), activity_id=None,
                             actor=actor, now=now)
    session.flush()
    return sorted(lines.values(), key=lambda line: list(CostCategory).index(line.category))


# --- Cost lines ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CostDraft:
    """A cost line as typed: amounts in EUR; optionally what it is in a local currency, at which rate."""

    category: Any
    description: str
    planned_eur: Any = "0"
    committed_eur: Any = "0"
    actual_eur: Any = "0"
    currency: str | None = None
    local_amount: Any = None
    rate: Any = None
    rate_date: date | None = None


def _checked(draft: CostDraft) -> dict[str, Any]:
    category = category_of(draft.category)
    description = " ".join((draft.description or "").split())
    if not description or len(description) > 300:
        raise DomainError(_("Say what the cost is for, in at most 300 characters."), field="description")
    values: dict[str, Any] = {"category": category, "description": description}
    for name in ("planned_eur", "committed_eur", "actual_eur"):
        raw = getattr(draft, name)
        values[name] = ZERO if raw is None or (isinstance(raw, str) and not raw.strip()) else check_amount(raw, name)
    values.update(_local(draft))
    return values


def _local(draft: CostDraft) -> dict[str, Any]:
    """The local-currency part: all four of currency, amount, rate and its date, or none."""
    given = [v for v in (draft.currency, draft.local_amount, draft.rate, draft.rate_date)
             if v is not None and not (isinstance(v, str) and not v.strip())]
    if not given:
        return {"currency": None, "local_amount": None, "rate": None, "rate_date": None}
    currency = check_currency(draft.currency)
    local_amount = check_amount(draft.local_amount, "local_amount")
    rate = parse_amount(draft.rate)
    if rate is None or rate <= 0 or rate > Decimal("1000000"):
        raise DomainError(_("Give the exchange rate as units of the currency for one euro, such as 4.05."),
                          field="rate")
    if rate != rate.quantize(Decimal("0.000001")):
        raise DomainError(_("Give the exchange rate with at most six decimals."), field="rate")
    rate_date = check_rate_date(draft.rate_date, "rate_date")
    return {"currency": currency, "local_amount": local_amount, "rate": rate, "rate_date": rate_date}


def add_cost_line(session: Session, activity: Activity, draft: CostDraft, *, actor: User, now: datetime,
                  deployment: Deployment | None = None) -> CostLine:
    """A cost of an activity in one category (venue, interpretation, travel …), entered by staff."""
    require_finance_staff(actor)
    values = _checked(draft)
    line = CostLine(activity_id=activity.id, deployment_id=deployment.id if deployment else None, created_at=now,
                    updated_at=now, created_by_id=actor.id, **values)
    return watching_budget(session, activity, values["category"], actor=actor, now=now,
                           change=lambda: _added(session, line))


def _added(session: Session, line: CostLine) -> CostLine:
    session.add(line)
    return line


def _check_line_version(session: Session, line: CostLine, version: int | None) -> None:
    if line.removed_at is not None:
        raise StateConflict(_("This cost line was removed: it can no longer be changed."))
    if version is not None and version != line.version:
        raise stale_edit(session, line, version, _("Someone changed this cost line after you opened it."))


def update_cost_line(session: Session, line: CostLine, draft: CostDraft, *, actor: User, now: datetime,
                     version: int | None = None) -> CostLine:
    """Change a cost line's amounts and description; a computed line keeps its category and planned amount.
    `version` is the line's when the form was opened (the API may leave it out): a stale one is refused."""
    require_finance_staff(actor)
    values = _checked(draft)
    _check_line_version(session, line, version)
    if line.computed:
        if values["category"] is not line.category:
            raise DomainError(_("A deployment's fee or allowance line stays in its category."), field="category")
        values["planned_eur"] = line.planned_eur  # follows the rates, not the form
    category = values["category"]

    def change() -> CostLine:
        for name, value in values.items():
            setattr(line, name, value)
        line.updated_at = now
        return line

    # Leaving a category only lowers it: the category the line ends in is the one watched.
    return watching_budget(session, line.activity, category, actor=actor, now=now, change=change)


REASON_LIMIT = 2000


def remove_cost_line(session: Session, line: CostLine, *, reason: str | None, actor: User, now: datetime,
                     version: int | None = None) -> CostLine:
    """Take a cost line out of the figures, with a reason: it stays, shown as removed, and the history keeps it.
    A deployment's fee or allowance follows its deployment, and an approved claim's actual its claim: neither is
    removed by hand."""
    require_finance_staff(actor)
    _check_line_version(session, line, version)
    if line.computed:
        raise StateConflict(_("A deployment's fee and allowance follow the deployment: cancel the deployment "
                              "instead."))
    if (line.source or "").startswith("claim:"):
        raise StateConflict(_("This actual cost comes from an approved expense claim: it cannot be removed."))
    text = " ".join((reason or "").split())
    if not text or len(text) > REASON_LIMIT:
        raise DomainError(_("Say why the cost line is removed, in at most %(limit)s characters.", limit=REASON_LIMIT),
                          field="reason")
    line.removed_at, line.removed_by_id, line.removal_reason, line.updated_at = now, actor.id, text, now
    session.flush()
    return line


def record_actual(db: Session, *, activity: Activity, deployment: Deployment | None, category: Any,
                  amount_eur: Any, description: str, actor: User | None, now: datetime,
                  source: str | None = None) -> CostLine:
    """Add `amount_eur` to what was actually spent (an approved expense claim, an invoice paid).

    A deployment's fee or allowance goes onto its computed line; any other cost gets a line of its own
    (with `source`, such as "claim:12", saying where it came from). Returns the line."""
    cat = category_of(category)
    amount = check_amount(amount_eur, "amount_eur", positive=True)
    if deployment is not None and deployment.activity_id != activity.id:
        raise DomainError(_("That deployment is on another activity."), field="deployment_id")
    text = " ".join((description or "").split())[:300] or _("Actual cost")
    line = None
    if deployment is not None and cat in (FEES, ALLOWANCES):
        line = db.scalar(select(CostLine).where(CostLine.deployment_id == deployment.id, CostLine.category == cat,
                                                CostLine.computed.is_(True)))
    actor_id = actor.id if actor is not None else None

    def change() -> CostLine:
        nonlocal line
        if line is None:
            line = CostLine(activity_id=activity.id, deployment_id=deployment.id if deployment else None,
                            category=cat, description=text, planned_eur=ZERO, committed_eur=ZERO, actual_eur=ZERO,
                            source=source, created_by_id=actor_id, created_at=now, updated_at=now)
            db.add(line)
        elif source:
            line.source = source
        line.actual_eur = cents(line.actual_eur + amount)
        line.updated_at = now
        return line

    return watching_budget(db, activity, cat, actor=actor, now=now, change=change)


def overruns_recorded(session: Session) -> list[BudgetOverrun]:
    """The overruns this transaction recorded (and forget them): the page that saved warns of each."""
    return session.info.pop(OVERRUNS_SEEN, [])
