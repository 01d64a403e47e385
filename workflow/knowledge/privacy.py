"""The knowledge work's part of an expert's export and erasure: the event documents their account added or removed,
and the events and good practices it recorded (an expert with an account may have been staff before)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from ..core.privacy import row
from ..experts.models import Expert
from .models import EventDocument, KnowledgeEvent, Practice


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    """What their account did in the knowledge work, each with the event or practice it belongs to."""
    if expert.user_id is None:
        return {"event_documents": [], "knowledge_events_recorded": [], "practices_drafted": []}
    user_id = expert.user_id
    documents = session.scalars(select(EventDocument).where(
        or_(EventDocument.uploaded_by_id == user_id, EventDocument.removed_by_id == user_id))
        .order_by(EventDocument.uploaded_at, EventDocument.id))
    events = session.scalars(select(KnowledgeEvent).where(KnowledgeEvent.created_by_id == user_id)
                             .order_by(KnowledgeEvent.created_at, KnowledgeEvent.id))
    practices = session.scalars(select(Practice).where(Practice.created_by_id == user_id)
                                .order_by(Practice.created_at, Practice.id))
    return {
        "event_documents": [row(d, "event_id", "kind", "title", "file_name", "url", "uploaded_at", "removed_at",
                                "removal_reason") | {"added_by_them": d.uploaded_by_id == user_id,
                                                     "removed_by_them": d.removed_by_id == user_id}
                            for d in documents],
        "knowledge_events_recorded": [row(e, "id", "title", "start_date", "created_at") for e in events],
        "practices_drafted": [row(p, "id", "title", "status", "created_at") for p in practices],
    }


def erase(_expert: Expert, *, session: Session, user: Any = None, **_: Any) -> list[str]:
    """The documents stay (they are the events', not the person's); who added or removed them goes. The events and
    practices they recorded keep pointing at the account, which the accounts' part anonymises."""
    if user is not None:
        for column in (EventDocument.uploaded_by_id, EventDocument.removed_by_id):
            session.execute(update(EventDocument).where(column == user.id).values({column.key: None})
                            .execution_options(synchronize_session="fetch"))
    return []
