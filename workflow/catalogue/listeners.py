"""What the public catalogue adds to other packages' pages: the experts' administrations on a factsheet."""

from __future__ import annotations

from typing import Any

from ..core import signals
from ..extensions import db
from .services import expert_administrations


def _factsheet(_page: str, *, action: Any) -> dict[str, Any]:
    return {"administrations": expert_administrations(db.session, action)}


def connect() -> None:
    """Connect the catalogue's listeners."""
    signals.page_extras.connect(_factsheet, sender="actions.factsheet")
