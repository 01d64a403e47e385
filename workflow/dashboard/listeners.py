"""What the dashboard adds to other packages' pages: an Action's figures on its factsheet."""

from __future__ import annotations

from typing import Any

from ..core import signals
from ..extensions import db
from .services import action_figures


def _factsheet(_page: str, *, action: Any) -> dict[str, Any]:
    return {"facts": action_figures(db.session, action.id)}


def connect() -> None:
    """Connect the dashboard's listeners."""
    signals.page_extras.connect(_factsheet, sender="actions.factsheet")
