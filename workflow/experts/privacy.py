"""The roster's part of an expert's export and erasure: the profile, languages, themes, consents, CV."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..core.privacy import erased_name, row
from .models import Consent, ConsentPurpose, Expert, ExpertStatus, ExpertTheme


def _profile(expert: Expert) -> dict[str, Any]:
    profile = row(expert, "id", "name", "email", "gender", "nationality", "country_code", "type", "years_experience",
                  "status", "max_days_per_year", "consent_at", "consent_version", "call_emails_stopped_at",
                  "created_at", "updated_at")
    profile["institution"] = (row(expert.institution, "id", "name", "country_code")
                              if expert.institution is not None else None)
    profile["countries_worked"] = [c.code for c in expert.countries_worked]
    profile["calendar_feed"] = expert.calendar_token is not None
    return profile


def export(expert: Expert, *, session: Session) -> dict[str, Any]:
    themes = session.scalars(select(ExpertTheme).where(ExpertTheme.expert_id == expert.id)
                             .options(selectinload(ExpertTheme.thematic_area))).all()
    return {
        "profile": _profile(expert),
        "languages": [row(lang, "language", "level") for lang in expert.languages],
        "themes": sorted(({"code": t.thematic_area.code, "name": t.thematic_area.name, "level": t.level}
                          for t in themes), key=lambda t: t["code"]),
        "unavailability": [row(u, "start_date", "end_date", "reason") for u in expert.unavailable],
        "consents": [row(c, "purpose", "notice_version", "given_at", "withdrawn_at") for c in session.scalars(
            select(Consent).where(Consent.expert_id == expert.id).order_by(Consent.given_at, Consent.id))],
        "files": [{"kind": "cv", "file_name": expert.cv_file_name, "content_type": expert.cv_content_type}]
        if expert.cv_stored_name else [],
    }


def erase(expert: Expert, *, session: Session, now: datetime, **_: Any) -> list[str]:
    """Anonymise the roster record (it stays, so the deployments keep their expert) and close the consent."""
    files = [expert.cv_stored_name] if expert.cv_stored_name else []
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
    consent = session.scalar(select(Consent).where(Consent.expert_id == expert.id,
                                                   Consent.purpose == ConsentPurpose.ROSTER,
                                                   Consent.withdrawn_at.is_(None)))
    if consent is not None:
        consent.withdrawn_at = max(now, consent.given_at)
    return files
