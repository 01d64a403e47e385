"""Deliverables: the handbooks, reports and guidelines an Action leaves, as an uploaded file or a link."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action
from ..actions.signals import action_changed
from ..core.errors import DomainError, StateConflict
from ..core.i18n import _
from ..core.uploads import StoredFile
from .models import Activity, Deliverable, DeliverableKind
from .slots import require_staff


@dataclass(frozen=True)
class DeliverableDraft:
    kind: DeliverableKind
    title: str
    language: str
    issued_on: date | None = None
    activity_id: int | None = None
    url: str | None = None


def add_deliverable(
    session: Session,
    action: Action,
    draft: DeliverableDraft,
    *,
    actor: User,
    now: datetime,
    file: StoredFile | None = None,
    file_name: str | None = None,
) -> Deliverable:
    """Attach a deliverable (an uploaded file or a link) to the Action."""
    require_staff(actor)
    if action.status is ActionStatus.CANCELLED:
        raise StateConflict(_("This Action is cancelled; it takes no deliverables."))
    if file is None and not draft.url:
        raise DomainError(_("Upload the file or give a link to it."), field="file")
    if draft.activity_id is not None and not session.scalar(
        select(Activity.id).where(Activity.id == draft.activity_id, Activity.action_id == action.id)
    ):
        raise DomainError(_("That activity is not part of this Action."), field="activity_id")
    deliverable = Deliverable(
        action=action,
        activity_id=draft.activity_id,
        kind=draft.kind,
        title=draft.title,
        language=draft.language,
        issued_on=draft.issued_on,
        url=draft.url or None,
        uploaded_by_id=actor.id,
        created_at=now,
    )
    if file is not None:
        deliverable.stored_name = file.stored_name
        deliverable.content_type = file.content_type
        deliverable.size_bytes = file.size_bytes
        deliverable.sha256 = file.sha256
        deliverable.file_name = file_name or "deliverable"
    session.add(deliverable)
    action.updated_at = now
    session.flush()
    action_changed.send(action, session=session, actor=actor, now=now)
    return deliverable
