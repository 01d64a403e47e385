"""The calls' part of an expert's export and erasure: the calls that reached them, and proposals of them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from ..core.privacy import ERASED_TEXT, row
from ..experts.models import Expert
from .models import Call, CallAnswer, CallRecipient, FocalProposal


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    received = []
    for recipient in session.scalars(select(CallRecipient).where(CallRecipient.expert_id == expert.id)
                                     .order_by(CallRecipient.created_at, CallRecipient.id)
                                     .options(selectinload(CallRecipient.call).selectinload(Call.activity),
                                              selectinload(CallRecipient.answer))):
        item = {"call_id": recipient.call_id, "activity": recipient.call.activity.title,
                **row(recipient, "state", "sent_at")}
        item["answer"] = (row(recipient.answer, "answer", "note", "cv_file_name", "answered_at", "updated_at")
                          if recipient.answer is not None else None)
        received.append(item)
    proposals = [{"call_id": p.call_id, **row(p, "note", "created_at")} for p in session.scalars(
        select(FocalProposal).where(FocalProposal.expert_id == expert.id).order_by(FocalProposal.created_at))]
    files = [{"kind": "call_answer_cv", "call_id": c["call_id"], "file_name": c["answer"]["cv_file_name"]}
             for c in received if c["answer"] and c["answer"]["cv_file_name"]]
    return {"calls": received, "proposals": proposals, "files": files}


def erase(expert: Expert, *, session: Session, **_: Any) -> list[str]:
    """Their answers to calls (notes, updated CVs) and focal points' notes proposing them go; the answers'
    kinds stay, no longer tied to a person, so the counts stay true. Returns the CV files."""
    answers = session.scalars(select(CallAnswer).join(CallRecipient).where(CallRecipient.expert_id == expert.id)).all()
    files = [answer.cv_stored_name for answer in answers if answer.cv_stored_name]
    for answer in answers:
        answer.note = ERASED_TEXT if answer.note is not None else None
        answer.cv_stored_name = answer.cv_file_name = answer.cv_content_type = None
    session.execute(update(CallRecipient).where(CallRecipient.expert_id == expert.id)
                    .values(token_salt=None, token_hash=None, last_error=None)
                    .execution_options(synchronize_session="fetch"))
    session.execute(update(FocalProposal).where(FocalProposal.expert_id == expert.id, FocalProposal.note.is_not(None))
                    .values(note=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    return files
