"""The checks every amount, rate date and currency code passes before anything is written: pure functions
that raise a `DomainError` naming the field, so a page shows it on the field and the API answers 422."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from babel.numbers import list_currencies

from ..core.dates import day
from ..core.errors import DomainError
from ..core.i18n import _
from ..core.money import MAXIMUM, parse_amount

# The dates a rate may take effect on: a typo of the year is refused rather than kept.
FIRST_RATE_DATE, LAST_RATE_DATE = date(2000, 1, 1), date(2100, 12, 31)
# No daily allowance or fee in EUR is above this: a larger figure is a typing mistake.
DAILY_MAXIMUM = Decimal("5000.00")


def check_amount(value: Any, field: str, *, maximum: Decimal = MAXIMUM, positive: bool = False) -> Decimal:
    """`value` as an amount in EUR with at most two decimals, not negative (or positive), not absurd."""
    amount = parse_amount(value)
    if amount is None:
        raise DomainError(_("Give an amount in figures, such as 1250.50."), field=field)
    if amount < 0 or (positive and amount == 0):
        raise DomainError(_("Give an amount above zero.") if positive else _("An amount cannot be negative."),
                          field=field)
    if amount > maximum:
        raise DomainError(_("%(amount)s is more than the %(maximum)s a field accepts: check the figure.",
                            amount=amount, maximum=maximum), field=field)
    if amount != amount.quantize(Decimal("0.01")):
        raise DomainError(_("Give at most two decimals (cents)."), field=field)
    return amount.quantize(Decimal("0.01"))


def check_rate_date(value: date | None, field: str = "effective_from") -> date:
    if value is None:
        raise DomainError(_("Give the date the rate takes effect."), field=field)
    if not FIRST_RATE_DATE <= value <= LAST_RATE_DATE:
        raise DomainError(_("Give a date between %(first)s and %(last)s.", first=day(FIRST_RATE_DATE),
                            last=day(LAST_RATE_DATE)), field=field)
    return value


def check_currency(code: str | None, field: str = "currency") -> str:
    code = (code or "").strip().upper()
    if len(code) != 3 or code not in list_currencies():
        raise DomainError(_("Give a currency's three-letter ISO 4217 code, such as PEN or USD."), field=field)
    return code
