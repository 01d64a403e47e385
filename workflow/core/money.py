"""Amounts of money and exchange rates: `Decimal` in Python, exact in the database, never a float.

PostgreSQL keeps them as `NUMERIC(p, s)`. SQLite has no decimal type (its NUMERIC affinity stores a
REAL, a binary float), so there the same column holds the amount scaled to a whole number (cents for
money): sums and comparisons in SQL stay exact on both, and Python only ever sees `Decimal`.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import BigInteger, Numeric
from sqlalchemy.types import TypeDecorator

CENT = Decimal("0.01")
# The largest amount a field accepts (EUR or a local currency): an activity costs thousands, an Action
# a few million; a hundred million is a typing mistake.
MAXIMUM = Decimal("100000000.00")


class ExactDecimal(TypeDecorator[Decimal]):
    """A decimal with `scale` places: NUMERIC on PostgreSQL, a scaled BIGINT on SQLite."""

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int = 14, scale: int = 2) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision, self.scale = precision, scale

    def load_dialect_impl(self, dialect: Any) -> Any:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        if value is None:
            return None
        exact = Decimal(str(value)) if not isinstance(value, Decimal) else value
        exact = exact.quantize(Decimal(1).scaleb(-self.scale), rounding=ROUND_HALF_UP)
        return int(exact.scaleb(self.scale)) if dialect.name == "sqlite" else exact

    def process_result_value(self, value: Any, dialect: Any) -> Decimal | None:
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(Decimal(1).scaleb(-self.scale))
        if isinstance(value, Decimal) and value.as_tuple().exponent == -self.scale:
            return value  # PostgreSQL's numeric(14, 2) comes with its cents already (the figures read 100,000s of them)
        return Decimal(value).quantize(Decimal(1).scaleb(-self.scale))

    @property
    def python_type(self) -> type:
        return Decimal


def Money() -> ExactDecimal:  # noqa: N802 - reads like a column type
    """An amount with cents."""
    return ExactDecimal(14, 2)


def Rate() -> ExactDecimal:  # noqa: N802
    """An exchange rate: units of a currency for one euro, six places."""
    return ExactDecimal(18, 6)


def parse_amount(text: Any) -> Decimal | None:
    """`text` as a Decimal (a comma or a point for the decimals), or None when it is no number."""
    if isinstance(text, bool):
        return None
    if isinstance(text, Decimal):
        value = text
    elif isinstance(text, int):
        value = Decimal(text)
    elif isinstance(text, float):
        value = Decimal(repr(text))
    elif isinstance(text, str):
        cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
        if cleaned.count(",") == 1 and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            value = Decimal(cleaned)
        except (InvalidOperation, ValueError):
            return None
    else:
        return None
    return value if value.is_finite() else None


def cents(value: Decimal) -> Decimal:
    """`value` rounded to the cent, half up (as invoices round)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
