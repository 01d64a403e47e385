"""Who may do what with knowledge events and good practices: a pure function of the user (and the practice)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .lifecycle import PRACTICE_LIFECYCLE, PracticeEvent

if TYPE_CHECKING:
    from ..accounts.models import User
    from .models import Practice


@dataclass(frozen=True)
class KnowledgePermissions:
    read: bool = False  # the staff pages of events and draft practices
    edit: bool = False  # record events, their participants, and draft practices
    events: tuple[PracticeEvent, ...] = ()  # publish / withdraw a practice


def knowledge_permissions(user: User, practice: Practice | None = None) -> KnowledgePermissions:
    """Programme staff record the programme's knowledge work; the public reads published practices in the
    catalogue, and everyone else sees nothing of the drafts (participants' counts stay with staff)."""
    if not user.is_authenticated or not user.is_staff:
        return KnowledgePermissions()
    events = tuple(PRACTICE_LIFECYCLE.events_from(practice.status)) if practice is not None else ()
    return KnowledgePermissions(read=True, edit=True, events=events)
