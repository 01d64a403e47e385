"""What each package's part of a personal-data export or erasure shares; workflow/privacy/ runs both.

An expert's export and erasure are collected from the packages that hold their data, through the
`personal_data_requested` and `personal_data_erased` signals (workflow/core/signals.py): each package
answers for its own tables in its `privacy.py`, so the privacy tools know no package's internals.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

# Stored in place of free text an erased expert wrote or that was written about them.
ERASED_TEXT = "[erased]"


def erased_name(expert_id: int) -> str:
    return f"Erased expert #{expert_id}"


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def row(obj: Any, *fields: str) -> dict[str, Any]:
    """The named fields of `obj`, JSON-ready (enums as their values, dates and times in ISO 8601)."""
    return {name: _value(getattr(obj, name)) for name in fields}
