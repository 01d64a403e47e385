"""The news of knowledge-sharing events: whoever added a document hears when someone else removes it, and why."""

from __future__ import annotations

from ...accounts.models import Role, User
from ...core.i18n import _, _l
from ...knowledge.models import KnowledgeEvent
from ...knowledge.signals import knowledge_event_changed
from . import Context, Kind, Message, register

STAFF = frozenset({Role.OFFICER, Role.ADMIN})


def _uploader(_session, _event: KnowledgeEvent, context: Context) -> list[User]:
    document = context.extra.get("document")
    uploader = document.uploaded_by if document is not None else None
    if uploader is None or not uploader.active or not uploader.is_staff:
        return []
    return [uploader]


def _removed(_session, event: KnowledgeEvent, _user: User, context: Context) -> Message:
    document = context.extra.get("document")
    who = context.actor.name if context.actor is not None else ""
    title = document.title if document is not None else ""
    reason = document.removal_reason if document is not None else ""
    return Message(_("A document of “%(event)s” was removed", event=event.title),
                   (_("%(who)s removed the document “%(title)s” you added to the event “%(event)s”.", who=who,
                      title=title, event=event.title), _("Why: %(reason)s", reason=reason)),
                   f"/knowledge/events/{event.id}#documents")


register(Kind(
    code="event_document_removed", label=_l("A document you added to a knowledge event is removed"),
    signal=knowledge_event_changed, events=frozenset({"document_removed"}), subject_type="knowledge_event",
    roles=STAFF, recipients=_uploader, message=_removed, model=KnowledgeEvent))
