"""Use cases of privacy: consent given and withdrawn, an expert's data exported or erased, the retention rule.

What erasure keeps, and why: the deployments (anonymised) and, on the expert's row, only what the
portfolio figures count — the member state of the administration (`country_code`), the expert type
and the gender. Gender is kept as an aggregate-only attribute: the share of women among the
officials deployed is a figure the programme reports, and it would change if erased experts lost
their gender. No page shows it for an erased expert, and alone it identifies nobody.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, select, update
from sqlalchemy.orm import Session

from ..accounts.models import ApiToken, Role, User
from ..audit.models import AuditEntry
from ..audit.services import security_event
from ..calls.models import CallAnswer, CallRecipient, FocalProposal
from ..core.errors import DomainError, NotFound
from ..core.i18n import _, ngettext
from ..deployments.lifecycle import DeploymentStatus
from ..deployments.models import Deployment, DeploymentTransition
from ..evaluations.models import DeploymentRating
from ..experts.models import Consent, ConsentPurpose, Expert, ExpertStatus
from ..experts.services import CONSENT_VERSION
from ..notifications.models import Notification
from ..reminders.models import EmailMessage, Reminder, ReminderState
from .export import expert_data
from .models import Erasure

# The version of the privacy notice (templates/privacy/notice_*.html); a consent records which one was read.
NOTICE_VERSION = CONSENT_VERSION
# Stored in place of free text an erased expert wrote or that was written about them.
ERASED_TEXT = "[erased]"
# Nominations that never went ahead; the retention rule deletes them after RETENTION_DECLINED_DAYS.
PURGED_STATES = (DeploymentStatus.DECLINED, DeploymentStatus.EXPIRED)
# A deployment in one of these states on an activity to come stops an erasure.
UNFINISHED = frozenset({DeploymentStatus.PROPOSED, DeploymentStatus.INVITED, DeploymentStatus.ACCEPTED,
                        DeploymentStatus.CONFIRMED})


def erased_name(expert_id: int) -> str:
    return f"Erased expert #{expert_id}"


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
    """Remove the expert's personal data; keep their deployments, anonymised, so the figures stay true."""
    if actor.role is not Role.ADMIN:
        raise DomainError(_("Only an administrator erases an expert's personal data."))
    if erasure_of(session, expert) is not None:
        raise DomainError(_("This expert's personal data was already erased."))
    deployments = list(session.scalars(select(Deployment).where(Deployment.expert_id == expert.id)))
    _refuse_while_deployed(expert, deployments, now)
    files = [name for name in (expert.cv_stored_name, *(d.mission_report_file for d in deployments)) if name]
    files += _erase_calls_and_ratings(session, expert, [d.id for d in deployments])
    old_emails = {expert.email}
    user = expert.user
    if user is not None:
        old_emails.add(user.email)
        _erase_account(session, user, expert.id, now)

    _anonymise_expert(expert, now)
    ids = _anonymise_deployments(session, deployments)
    consent = _open_consent(session, expert)
    if consent is not None:
        consent.withdrawn_at = max(now, consent.given_at)
    erasure = Erasure(expert_id=expert.id, erased_at=now, erased_by_id=actor.id, files_removed=len(files))
    session.add(erasure)
    session.flush()
    _scrub_audit_trail(session, expert, user, ids, old_emails)
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


def _anonymise_deployments(session: Session, deployments: list[Deployment]) -> list[int]:
    """Keep the deployments (dates, role, days, status) without what the expert or staff wrote about them."""
    for deployment in deployments:
        if deployment.decline_reason is not None:
            deployment.decline_reason = ERASED_TEXT
        if deployment.mission_report is not None:
            deployment.mission_report = ERASED_TEXT
        deployment.mission_report_file = deployment.mission_report_file_name = None
    ids = [d.id for d in deployments]
    if ids:
        session.execute(update(DeploymentTransition).where(DeploymentTransition.deployment_id.in_(ids),
                                                           DeploymentTransition.reason.is_not(None))
                        .values(reason=None).execution_options(synchronize_session="fetch"))
    return ids


def _erase_calls_and_ratings(session: Session, expert: Expert, deployment_ids: list[int]) -> list[str]:
    """What was written about or by the expert around calls and deployments: their answers to calls (notes,
    updated CVs), focal points' notes proposing them, officers' notes rating them. The answers' kinds and
    the scores stay, no longer tied to a person, so the counts and averages stay true. Returns the CV files."""
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
    if deployment_ids:
        session.execute(update(DeploymentRating).where(DeploymentRating.deployment_id.in_(deployment_ids),
                                                       DeploymentRating.note.is_not(None))
                        .values(note=ERASED_TEXT).execution_options(synchronize_session="fetch"))
    return files


def _anonymise_expert(expert: Expert, now: datetime) -> None:
    expert.name = erased_name(expert.id)
    expert.email = f"erased-expert-{expert.id}@erased.invalid"  # unique, and never deliverable
    expert.nationality = expert.country_code  # the real nationality goes; the administration's country stays
    expert.institution_id = None
    expert.years_experience = 0
    expert.status = ExpertStatus.INACTIVE  # never matched nor deployed again
    expert.cv_stored_name = expert.cv_file_name = expert.cv_content_type = None
    expert.calendar_token = None
    expert.consent_at = expert.consent_version = None
    expert.languages, expert.themes, expert.unavailable, expert.countries_worked = [], [], [], []
    expert.updated_at = now


def _erase_account(session: Session, user: User, expert_id: int, now: datetime) -> None:
    """Disable and anonymise the expert's sign-in account, and drop what was addressed to it."""
    user.name = erased_name(expert_id)
    user.email = f"erased-user-{user.id}@erased.invalid"
    user.set_password(secrets.token_urlsafe(32))  # a password nobody knows
    user.active = False
    user.locale, user.timezone, user.institution_id, user.country_code = None, "UTC", None, None
    reminders = select(Reminder.id).where(Reminder.recipient_id == user.id)
    session.execute(delete(EmailMessage).where(EmailMessage.reminder_id.in_(reminders)))
    session.execute(update(Reminder).where(Reminder.recipient_id == user.id, Reminder.state == ReminderState.PENDING)
                    .values(state=ReminderState.CANCELLED, updated_at=now))
    session.execute(delete(Notification).where(Notification.user_id == user.id))
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


# In the audit trail, the values these fields held are personal data of the erased expert.
_PERSONAL_FIELDS = frozenset({
    "name", "email", "nationality", "institution_id", "years_experience", "cv_file_name", "cv_stored_name",
    "languages", "themes", "countries_worked", "unavailable", "reason", "decline_reason", "mission_report",
    "mission_report_file", "mission_report_file_name", "locale", "timezone", "start_date", "end_date",
})


def _scrub(values: dict[str, Any], everything: bool) -> dict[str, Any]:
    return {key: ([ERASED_TEXT, ERASED_TEXT] if isinstance(value, list) and len(value) == 2 else ERASED_TEXT)
            if everything or key in _PERSONAL_FIELDS else value for key, value in values.items()}


def _scrub_audit_trail(session: Session, expert: Expert, user: User | None, deployment_ids: list[int],
                       old_emails: set[str]) -> None:
    """Take the erased person's data out of the audit trail; the entries (who did what, when) stay."""
    about = and_(AuditEntry.object_type == "expert", AuditEntry.object_id == expert.id)
    if user is not None:
        about = about | and_(AuditEntry.object_type == "user", AuditEntry.object_id == user.id)
    for entry in session.scalars(select(AuditEntry).where(about | AuditEntry.email.in_(old_emails))):
        if (entry.object_type, entry.object_id) in {("expert", expert.id), ("user", user.id if user else None)}:
            entry.object_label = erased_name(expert.id)
            entry.changes, entry.detail = _scrub(entry.changes, True), _scrub(entry.detail, False)
        if entry.email in old_emails:
            entry.email = None
    if deployment_ids:
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.object_type == "deployment",
                                                              AuditEntry.object_id.in_(deployment_ids))):
            entry.changes, entry.detail = _scrub(entry.changes, False), _scrub(entry.detail, False)
    session.flush()


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
