"""The request list's filters: `to_filters` for the page and the API, and the page's status tabs (its form).

The page reads leniently, as it always has: a status it does not know shows every request, and the words
typed are cut at 100 characters. The API's schema refuses both with a 422 before they get here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select

from ..accounts.models import User
from ..core.i18n import _
from ..core.labels import label
from .lifecycle import RequestStatus
from .models import Request
from .services import requests_matching, visible_requests

REVIEW = "queue"  # the staff review queue, as a value of the `status` parameter
ALL = "all"
# What waits for the programme: the staff review queue.
QUEUE = (RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW, RequestStatus.CONSULTATION,
          RequestStatus.CLARIFICATION_REQUESTED)


@dataclass(frozen=True)
class RequestFilters:
    status: RequestStatus | None = None
    queue: bool = False  # the review queue: every status in QUEUE
    q: str | None = None  # words of the title, or of the institution's name or acronym


@dataclass(frozen=True)
class Tab:
    value: str  # the `status` parameter it sets
    name: str
    active: bool


def chosen_status(args: Mapping[str, Any], *, landing: str = "") -> str:
    """The `status` parameter as given; `landing` when there is none (staff land on the review queue)."""
    return args.get("status", landing)


def to_filters(args: Mapping[str, Any], *, landing: str = "") -> RequestFilters:
    """The filters the query parameters ask for."""
    chosen = chosen_status(args, landing=landing)
    status = RequestStatus(chosen) if chosen in RequestStatus.__members__.values() else None
    return RequestFilters(status=status, queue=chosen == REVIEW, q=(args.get("q") or "").strip()[:100] or None)


def filtered_requests(user: User, filters: RequestFilters) -> Select[tuple[Request]]:
    """The requests `user` may see that the filters ask for (unordered: the page and the API each sort)."""
    stmt = visible_requests(user)
    if filters.queue:
        stmt = stmt.where(Request.status.in_(QUEUE))
    elif filters.status:
        stmt = stmt.where(Request.status == filters.status)
    return requests_matching(stmt, filters.q)


def status_tabs(chosen: str, *, staff: bool) -> list[Tab]:
    """The page's tabs, the chosen one active: the review queue (staff), all, then each status."""
    tabs = [Tab(REVIEW, _("To review"), chosen == REVIEW)] if staff else []
    tabs.append(Tab(ALL, _("All"), chosen in (ALL, "")))
    return tabs + [Tab(status.value, label(status), chosen == status.value) for status in RequestStatus]
