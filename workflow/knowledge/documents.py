"""A knowledge event's documents (agenda, report, presentations): added as a file typed from its content (or a
link), listed and downloaded by staff, removed only with a reason. The removed row stays as the history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError, StateConflict
from ..core.i18n import _
from ..core.uploads import StoredFile
from .lifecycle import EventDocumentKind
from .models import EventDocument, KnowledgeEvent
from .services import MAX_REASON, _require_staff, _text
from .signals import knowledge_event_changed

MAX_DOCUMENTS = 100  # documents of one event, removed ones aside


@dataclass(frozen=True)
class DocumentDraft:
    kind: EventDocumentKind
    title: str
    url: str | None = None


def add_event_document(session: Session, event: KnowledgeEvent, draft: DocumentDraft, *, actor: User, now: datetime,
                       file: StoredFile | None = None, file_name: str | None = None) -> EventDocument:
    """Attach a document to the event: an uploaded file (typed and capped by core.uploads) or a link."""
    _require_staff(actor)
    if file is None and not draft.url:
        raise DomainError(_("Upload the file or give a link to it."), field="file")
    if len(event.current_documents) >= MAX_DOCUMENTS:
        raise DomainError(_("At most %(n)s documents.", n=MAX_DOCUMENTS), field="file")
    document = EventDocument(event=event, kind=EventDocumentKind(draft.kind),
                             title=_text(draft.title, "title", required=True, limit=300) or "",
                             url=_text(draft.url, "url", limit=500), uploaded_by_id=actor.id, uploaded_at=now)
    if file is not None:
        document.stored_name, document.content_type = file.stored_name, file.content_type
        document.size_bytes, document.sha256 = file.size_bytes, file.sha256
        document.file_name = (file_name or "document")[:255]
    session.add(document)
    event.updated_at = now
    session.flush()
    return document


def remove_event_document(session: Session, document: EventDocument, reason: str | None, *, actor: User,
                          now: datetime) -> str | None:
    """Take a document off the event, saying why; the row stays in its history. Returns the stored file's name,
    for the caller to delete once the removal is committed."""
    _require_staff(actor)
    if document.removed_at is not None:
        raise StateConflict(_("This document was already removed."))
    document.removal_reason = _text(reason, "reason", required=True, limit=MAX_REASON)
    document.removed_at, document.removed_by_id = now, actor.id
    stored, document.stored_name = document.stored_name, None
    document.event.updated_at = now
    session.flush()
    knowledge_event_changed.send(document.event, session=session, actor=actor, now=now, event="document_removed",
                                 document=document)
    return stored
