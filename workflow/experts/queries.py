"""Reading the roster: which experts may be put forward."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, exists

from .models import Consent, ConsentPurpose, Expert


def consent_withdrawn() -> ColumnElement[bool]:
    """SQL: the expert withdrew their roster consent and has not given it again (for the matching)."""
    return and_(Expert.consent_at.is_(None), exists().where(
        Consent.expert_id == Expert.id, Consent.purpose == ConsentPurpose.ROSTER, Consent.withdrawn_at.is_not(None)))
