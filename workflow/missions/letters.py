"""The mission's paperwork as PDF documents (WeasyPrint renders the HTML templates under missions/pdf/).

The letter of assignment is written in the expert's language; its version is the SHA-256 of its content, so
an acceptance names exactly what was accepted, and a letter that changes (dates, fee, duties) asks again.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from flask import render_template
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError, PermissionDenied
from ..core.i18n import _
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertType
from ..finance.planning import cost_by_rates
from .models import AssignmentLetter, LetterAcceptance
from .permissions import mission_permissions

LANGUAGES = ("es", "fr", "en")  # the app's languages; a tie of levels prefers the partner countries' own
CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")


def letter_language(expert: Expert) -> str:
    """The expert's own language: their account's, else the app language they speak best."""
    if expert.user is not None and expert.user.locale in LANGUAGES:
        return expert.user.locale
    spoken = {entry.language: CEFR.index(entry.level) for entry in expert.languages
              if entry.language in LANGUAGES and entry.level in CEFR}
    if not spoken:
        return "en"
    return max(LANGUAGES, key=lambda code: (spoken.get(code, -1), -LANGUAGES.index(code)))


def needs_invitation(expert: Expert) -> bool:
    """A partner-country peer travels to Europe on an invitation for their visa."""
    return expert.type is ExpertType.PARTNER_PEER


@dataclass(frozen=True)
class Letter:
    html: str
    language: str

    @property
    def version(self) -> str:
        return hashlib.sha256(self.html.encode()).hexdigest()


def assignment_letter(session: Session, deployment: Deployment) -> Letter:
    """The letter of assignment: terms of reference, dates, place, fee and allowance, the expert's duties."""
    language = letter_language(deployment.expert)
    cost = cost_by_rates(session, deployment)
    with force_locale(language):
        html = render_template("missions/pdf/assignment.html", deployment=deployment, activity=deployment.activity,
                               action=deployment.activity.action, expert=deployment.expert, cost=cost,
                               language=language)
    return Letter(html, language)


def invitation_letter(deployment: Deployment, *, today: date) -> Letter:
    """The visa invitation letter of an expert travelling to the mission."""
    language = letter_language(deployment.expert)
    with force_locale(language):
        html = render_template("missions/pdf/invitation.html", activity=deployment.activity,
                               action=deployment.activity.action, guest=deployment.expert.name, language=language,
                               nationality=deployment.expert.nationality, role=deployment.role, today=today)
    return Letter(html, language)


def participant_invitation(activity, *, name: str, nationality: str, language: str, today: date) -> Letter:
    """The visa invitation letter of a study-visit participant travelling to Europe."""
    with force_locale(language):
        html = render_template("missions/pdf/invitation.html", activity=activity, action=activity.action,
                               guest=name, nationality=nationality, role=None, today=today,
                               language=language)
    return Letter(html, language)


def certificate(activity, *, name: str, institution: str | None, language: str) -> Letter:
    """A certificate of attendance for an official trained at the activity."""
    with force_locale(language):
        html = render_template("missions/pdf/certificate.html", activity=activity, action=activity.action,
                               name=name, institution=institution, language=language)
    return Letter(html, language)


_FONTS: list[object] = []  # one font configuration per process: building it per letter costs the most


def pdf(letter: Letter) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - loads Pango only when a document is made
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415

    if not _FONTS:
        _FONTS.append(FontConfiguration())
    return HTML(string=letter.html).write_pdf(font_config=_FONTS[0])


def accepted_versions(session: Session, deployment: Deployment) -> list[LetterAcceptance]:
    return list(session.scalars(select(LetterAcceptance).where(LetterAcceptance.deployment_id == deployment.id)
                                .order_by(LetterAcceptance.id)))


def accept_letter(session: Session, deployment: Deployment, version: str, *, actor: User,
                  now: datetime) -> LetterAcceptance:
    """The expert accepts the letter of assignment they read (`version`: the one their page showed)."""
    if not mission_permissions(deployment, actor).accept_letter:
        raise PermissionDenied(_("Only the expert accepts their letter of assignment, once they accepted the mission."))
    letter = assignment_letter(session, deployment)
    if version != letter.version:
        raise DomainError(_("The letter changed since you opened it: read the new version and accept it."),
                          field="version")
    _keep_current(session, deployment, letter, now)
    found = session.scalar(select(LetterAcceptance).where(LetterAcceptance.deployment_id == deployment.id,
                                                          LetterAcceptance.version == version))
    if found is not None:
        return found
    acceptance = LetterAcceptance(deployment_id=deployment.id, version=version, language=letter.language,
                                  accepted_by_id=actor.id, accepted_at=now)
    session.add(acceptance)
    session.flush()
    return acceptance


def _keep_current(session: Session, deployment: Deployment, letter: Letter, now: datetime) -> None:
    """From its first acceptance on, the letter's current version is stored (versions.py keeps it in step)."""
    stored = session.scalar(select(AssignmentLetter).where(AssignmentLetter.deployment_id == deployment.id))
    if stored is None:
        session.add(AssignmentLetter(deployment_id=deployment.id, version=letter.version, language=letter.language,
                                     updated_at=now))
    elif stored.version != letter.version:
        stored.version, stored.language, stored.updated_at = letter.version, letter.language, now
