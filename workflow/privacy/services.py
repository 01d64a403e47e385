"""Use cases of privacy: consent given and withdrawn, an expert's data exported or erased, the retention rule.

What erasure keeps, and why: the deployments (anonymised) and, on the expert's row, only what the
portfolio figures count — the member state of the administration (`country_code`), the expert type
and the gender. Gender is kept as an aggregate-only attribute: the share of women among the
officials deployed is a figure the programme reports, and it would change if erased experts lost
their gender. No page shows it for an erased expert, and alone it identifies nobody.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..audit.services import security_event
from ..core import signals
from ..core.errors import DomainError, NotFound
from ..core.i18n import _, ngettext
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Consent, ConsentPurpose, Expert
from ..experts.services import CONSENT_VERSION
from ..reminders.models import Reminder
from .export import expert_data
from .models import Erasure

# The version of the privacy notice (templates/privacy/notice_*.html); a consent records which one was read.
NOTICE_VERSION = CONSENT_VERSION
# Nominations that never went ahead; the retention rule deletes them after RETENTION_DECLINED_DAYS.
PURGED_STATES = (DeploymentStatus.DECLINED, DeploymentStatus.EXPIRED)
# A deployment in one of these states on an activity to come stops an erasure.
UNFINISHED = frozenset({DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED,
                        DeploymentStatus.CONFIRMED})


# --- Consent ---------------------------------------------------------------------------------


def consent_history(session: Session, expert: Expert) -> list[Consent]:
    return list(session.scalars(select(Consent).where(Consent.expert_id == expert.id)
                                .order_by(Consent.given_at.desc(), Consent.id.desc())))


def _open_consent(session: Session, expert: Expert) -> Consent | None:
    return session.scalar(select(Consent).where(Consent.expert_id == expert.id, Consent.purpose == ConsentPurpose.ROSTER,
                                                Consent.withdrawn_at.is_(None)))


def _own(expert: Expert, actor: User) -> None:
    if actor.role is not Role.EXPERT or expert.user_id != actor.id:
        raise DomainError(_("Only the expert gives or withdraws their own consent."))


def give_consent(session: Session, expert: Expert, *, actor: User, now: datetime) -> Consent:
    """Record the expert's consent to being on the roster, against the current notice."""
    _own(expert, actor)
    if expert.consent_at is not None or _open_consent(session, expert) is not None:
        raise DomainError(_("Your consent is already recorded."))
    consent = Consent(user_id=actor.id, expert_id=expert.id, purpose=ConsentPurpose.ROSTER,
                      notice_version=NOTICE_VERSION, given_at=now)
    session.add(consent)
    # The profile keeps the current consent too: the roster pages show it without a query.
    expert.consent_at, expert.consent_version = now, NOTICE_VERSION
    session.flush()
    security_event(session, "consent_given", now=now, user=actor,
                   detail={"expert_id": expert.id, "purpose": ConsentPurpose.ROSTER.value, "version": NOTICE_VERSION})
    return consent


def withdraw_consent(session: Session, expert: Expert, *, actor: User, now: datetime) -> Consent:
    """Withdraw it: the expert is no longer suggested or planned for new deployments."""
    _own(expert, actor)
    consent = _open_consent(session, expert)
    if consent is None and expert.consent_at is None:
        raise DomainError(_("You have not given your consent, so there is nothing to withdraw."))
    if consent is None:  # given before consents had their own table: recorded on the profile only
        consent = Consent(user_id=actor.id, expert_id=expert.id, purpose=ConsentPurpose.ROSTER,
                          notice_version=expert.consent_version or NOTICE_VERSION, given_at=expert.consent_at)
        session.add(consent)
    consent.withdrawn_at = max(now, consent.given_at)
    expert.consent_at, expert.consent_version = None, None
    session.flush()
    security_event(session, "consent_withdrawn", now=now, user=actor,
                   detail={"expert_id": expert.id, "purpose": ConsentPurpose.ROSTER.value})
    return consent


# --- Export ----------------------------------------------------------------------------------


def exportable_expert(session: Session, actor: User, expert_id: int) -> Expert:
    """The expert whose data `actor` may export: their own, or any for programme staff; else not found."""
    expert = session.get(Expert, expert_id)
    if expert is None or not (actor.is_staff or (actor.role is Role.EXPERT and expert.user_id == actor.id)):
        raise NotFound(_("No such expert."))
    return expert


def export_expert_data(session: Session, expert: Expert, *, actor: User, now: datetime) -> dict[str, Any]:
    """Everything Peerflow holds about the expert, as JSON-ready data; the export is recorded."""
    if not (actor.is_staff or (actor.role is Role.EXPERT and expert.user_id == actor.id)):
        raise NotFound(_("No such expert."))
    data = expert_data(session, expert, now=now)
    security_event(session, "data_exported", now=now, user=expert.user,
                   detail={"expert_id": expert.id, "by": "expert" if expert.user_id == actor.id else "staff"})
    return data


# --- Erasure ---------------------------------------------------------------------------------


def erasure_of(session: Session, expert: Expert) -> Erasure | None:
    return session.scalar(select(Erasure).where(Erasure.expert_id == expert.id))


@dataclass(frozen=True)
class ErasureResult:
    erasure: Erasure
    files: list[str]  # stored names under UPLOAD_DIR, for the caller to delete once committed


def erase_expert(session: Session, expert: Expert, *, actor: User, now: datetime) -> ErasureResult:
    """Remove the expert's personal data; keep their deployments, anonymised, so the figures stay true.

    Each package that holds some of it erases its own part (its `privacy.py`, through the
    `personal_data_erased` signal); the audit trail then scrubs its record of the person."""
    if actor.role is not Role.ADMIN:
        raise DomainError(_("Only an administrator erases an expert's personal data."))
    if erasure_of(session, expert) is not None:
        raise DomainError(_("This expert's personal data was already erased."))
    deployments = list(session.scalars(select(Deployment).where(Deployment.expert_id == expert.id)))
    _refuse_while_deployed(expert, deployments, now)
    user = expert.user
    old_emails = {expert.email} | ({user.email} if user is not None else set())
    ids = [d.id for d in deployments]
    files = [name for _listener, names in signals.personal_data_erased.send(
        expert, session=session, user=user, deployment_ids=ids, now=now) for name in names]
    erasure = Erasure(expert_id=expert.id, erased_at=now, erased_by_id=actor.id, files_removed=len(files))
    session.add(erasure)
    session.flush()
    signals.erasure_written.send(expert, session=session, user=user, deployment_ids=ids, old_emails=old_emails)
    security_event(session, "expert_erased", now=now,
                   detail={"expert_id": expert.id, "user_id": user.id if user else None, "files_removed": len(files),
                           "deployments_kept": len(ids)})
    return ErasureResult(erasure, files)


def _refuse_while_deployed(expert: Expert, deployments: list[Deployment], now: datetime) -> None:
    """Cancelling them here would change the figures and surprise the activity's officer: staff decide first."""
    upcoming = [d for d in deployments if d.status in UNFINISHED and d.activity.end_date >= now.date()]
    if upcoming:
        raise DomainError(ngettext(
            "%(name)s still holds %(num)s deployment on an activity to come (%(activities)s); cancel it first.",
            "%(name)s still holds %(num)s deployments on activities to come (%(activities)s); cancel them first.",
            len(upcoming), name=expert.name, activities="; ".join(d.activity.title for d in upcoming)))


# --- Retention -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgeReport:
    cutoff: datetime
    deployment_ids: list[int]
    dry_run: bool


def purge_declined_nominations(session: Session, *, now: datetime, older_than_days: int,
                               dry_run: bool = False) -> PurgeReport:
    """Delete the declined and expired nominations whose last change is older than the retention period.

    They never count in the portfolio figures (only accepted, confirmed and completed deployments do),
    so the figures do not move. Safe to run twice: the second run finds nothing.
    """
    if older_than_days < 1:
        raise DomainError(_("The retention period is at least one day."))
    cutoff = now - timedelta(days=older_than_days)
    ids = list(session.scalars(select(Deployment.id).where(Deployment.status.in_(PURGED_STATES),
                                                           Deployment.updated_at < cutoff).order_by(Deployment.id)))
    if dry_run or not ids:
        return PurgeReport(cutoff, ids, dry_run)
    pairs: set[tuple[int, int]] = set()
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        # Their invitation reminders and the e-mails sent for them go too (the e-mails by cascade).
        session.execute(delete(Reminder).where(Reminder.subject_type == "deployment", Reminder.subject_id.in_(chunk)))
        for deployment in session.scalars(select(Deployment).where(Deployment.id.in_(chunk))):
            pairs.add((deployment.slot_id, deployment.expert_id))
            session.delete(deployment)
        session.flush()
    _renumber_attempts(session, pairs)
    return PurgeReport(cutoff, ids, dry_run)


def _renumber_attempts(session: Session, pairs: set[tuple[int, int]]) -> None:
    """Close the gaps the purge left in each expert's attempts on a slot (the next one is count + 1)."""
    for slot_id, expert_id in sorted(pairs):
        rows = session.scalars(select(Deployment).where(Deployment.slot_id == slot_id, Deployment.expert_id == expert_id)
                               .order_by(Deployment.attempt)).all()
        for number, deployment in enumerate(rows, start=1):
            if deployment.attempt != number:  # ascending: the number taken is never held by a later row
                deployment.attempt = number
                session.flush()
