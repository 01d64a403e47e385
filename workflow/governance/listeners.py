"""What the Steering Committee adds to other packages' pages: its panel on a request's page."""

from __future__ import annotations

from typing import Any

from ..core import signals
from .views import request_panel


def _request_page(_page: str, *, request: Any, user: Any, can: Any) -> dict[str, Any]:
    return {"committee": request_panel(request, user, can)}


def connect() -> None:
    """Connect the committee's listeners."""
    signals.page_extras.connect(_request_page, sender="requests.show")
