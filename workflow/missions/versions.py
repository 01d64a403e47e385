"""The current version of every accepted letter of assignment, kept in step with the data the letter shows.

A letter's version is the SHA-256 of its content (letters.py). Once the expert has accepted a letter, its current
version is stored (`AssignmentLetter`); a session hook notes every write to what a letter shows (the deployment,
its activity and Action, the expert and their account, the fee and allowance lines, the rates) and, just before
the transaction commits, renders again the accepted letters it may have changed. A letter whose version moved to
one the expert has not accepted asks again: they are told (`letter_changed`), and their home page lists "accept
the updated letter" until they do (a to-do reads the stored version in SQL). Whatever page, command or job made
the change, it is seen.
"""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Any

from flask import has_app_context
from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.models import Action
from ..activities.models import Activity
from ..core.clock import clock_now
from ..database import AppSession
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertLanguage
from ..finance.models import AllowanceRate, CostLine, FeeRate
from .letters import assignment_letter
from .models import AssignmentLetter, LetterAcceptance
from .signals import letter_changed

PENDING = "missions.letters"  # session.info: what the transaction wrote that a letter may show
ASKED = (DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED)  # a letter is accepted only on these


def _noted(obj: Any) -> tuple[str, int] | None:
    """What a written row may change in letters: ("deployment" | "activity" | "action" | "expert" | "user", id),
    or ("all", 0) for a rate."""
    if isinstance(obj, (AllowanceRate, FeeRate)):
        return ("all", 0)
    if isinstance(obj, CostLine):
        return ("deployment", obj.deployment_id) if obj.deployment_id else None
    if isinstance(obj, ExpertLanguage):
        return ("expert", obj.expert_id)
    kind = {Deployment: "deployment", Activity: "activity", Action: "action", Expert: "expert", User: "user"}.get(type(obj))
    return (kind, obj.id) if kind and obj.id is not None else None


def _changed(session: Session, obj: Any) -> bool:
    """Whether this flush wrote something of `obj` a letter may show (of an account, only its language)."""
    if isinstance(obj, User):  # accounts are written often (sign-ins): only a new language changes a letter
        return obj not in session.new and inspect(obj).attrs.locale.history.has_changes()
    return obj in session.new or session.is_modified(obj)


def _after_flush(session: Session, _context: Any) -> None:
    found = {noted for obj in chain(session.new, session.dirty)
             if (noted := _noted(obj)) and _changed(session, obj)}
    if found:
        session.info.setdefault(PENDING, set()).update(found)


def _letters(session: Session, noted: set[tuple[str, int]], today: Any) -> list[AssignmentLetter]:
    """The stored letters of accepted or confirmed missions not over yet that the noted writes may change."""
    ids: dict[str, set[int]] = {}
    for kind, i in noted:
        ids.setdefault(kind, set()).add(i)
    stmt = (select(AssignmentLetter).join(Deployment, Deployment.id == AssignmentLetter.deployment_id)
            .join(Activity, Activity.id == Deployment.activity_id)
            .where(Deployment.status.in_(ASKED), Activity.end_date >= today).order_by(AssignmentLetter.id))
    if "all" not in ids:
        experts = ids.get("expert", set()) | set(session.scalars(
            select(Expert.id).where(Expert.user_id.in_(ids["user"])))) if "user" in ids else ids.get("expert", set())
        stmt = stmt.where(or_(Deployment.id.in_(ids.get("deployment", set())),
                              Deployment.activity_id.in_(ids.get("activity", set())),
                              Activity.action_id.in_(ids.get("action", set())),
                              Deployment.expert_id.in_(experts)))
    return list(session.scalars(stmt))


def refresh_letters(session: Session, noted: set[tuple[str, int]], now: datetime) -> None:
    """Render again the accepted letters the noted writes may change; tell the expert of each that moved to a
    version they have not accepted."""
    for stored in _letters(session, noted, now.date()):
        deployment = session.get(Deployment, stored.deployment_id)
        letter = assignment_letter(session, deployment)
        if letter.version == stored.version:
            continue
        stored.version, stored.language, stored.updated_at = letter.version, letter.language, now
        session.flush()
        accepted = session.scalar(select(LetterAcceptance.id).where(
            LetterAcceptance.deployment_id == deployment.id, LetterAcceptance.version == letter.version))
        if accepted is None:
            letter_changed.send(deployment, session=session, actor=None, now=now, event="changed")


def _before_commit(session: Session) -> None:
    noted = session.info.pop(PENDING, None)
    if not noted or not has_app_context() or session.info.get("missions.refreshing"):
        return
    session.info["missions.refreshing"] = True
    try:
        session.flush()  # what is still pending may note more
        noted |= session.info.pop(PENDING, set())
        refresh_letters(session, noted, clock_now(session))
    finally:
        session.info.pop("missions.refreshing", None)
        session.info.pop(PENDING, None)


def _forget(session: Session, *_args: Any) -> None:
    session.info.pop(PENDING, None)


def install() -> None:
    """Keep the accepted letters' current versions in step in every app session (idempotent)."""
    for name, hook in (("after_flush", _after_flush), ("before_commit", _before_commit),
                       ("after_rollback", _forget)):
        if not event.contains(AppSession, name, hook):
            event.listen(AppSession, name, hook)
