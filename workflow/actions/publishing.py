"""The public catalogue's side of an Action: publishing it, its translated texts, a regional Action's members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from ..accounts.models import User
from ..core.errors import DomainError, PermissionDenied, StaleEdit, StateConflict
from ..core.i18n import _
from ..reference.models import Country
from .lifecycle import ActionStatus
from .models import Action, ActionTranslation
from .signals import action_changed


def set_published(action: Action, published: bool, *, version: int, actor: User, now: datetime) -> Action:
    """Show the Action in the public catalogue, or take it out. Closed Actions can be published too:
    most of the catalogue is finished work."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff publish an Action."))
    if version != action.version:
        raise StaleEdit(_("Someone changed this Action after you opened it; reload it and try again."))
    if published and action.status is ActionStatus.CANCELLED:
        raise StateConflict(_("A cancelled Action is not shown in the public catalogue."))
    if published and not action.objective.strip():
        raise DomainError(_("Write the Action's objective before publishing it: the public page shows it."))
    if action.published != published:
        action.published = published
        action.published_at = now if published else None
        action.updated_at = now
        action_changed.send(action, session=object_session(action), actor=actor, now=now,
                            event="publish" if published else "unpublish")
    return action


@dataclass(frozen=True)
class PublicTexts:
    """An Action's public texts in one language; empty fields fall back to the original."""

    title: str = ""
    objective: str = ""
    summary: str = ""


def set_public_details(
    session: Session,
    action: Action,
    *,
    translations: dict[str, PublicTexts],
    member_countries: tuple[str, ...] | None,
    version: int,
    actor: User,
    now: datetime,
) -> Action:
    """Translate the Action's title, objective and summary, and name a regional Action's member
    countries. Allowed in any state: the catalogue shows finished Actions too."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff change an Action."))
    if version != action.version:
        raise StaleEdit(_("Someone changed this Action after you opened it; reload it and make your edit again."))
    by_locale = {translation.locale: translation for translation in action.translations}
    for locale, texts in translations.items():
        existing = by_locale.get(locale)
        if not (texts.title or texts.objective or texts.summary):
            if existing is not None:
                action.translations.remove(existing)
            continue
        if existing is None:
            existing = ActionTranslation(locale=locale)
            action.translations.append(existing)
        existing.title, existing.objective, existing.summary = texts.title, texts.objective, texts.summary
    if member_countries is not None:
        if not action.is_regional:
            raise DomainError(_("Only a regional Action has member countries."), field="member_countries")
        countries = session.scalars(select(Country).where(Country.code.in_(member_countries))).all()
        if len(countries) != len(set(member_countries)):
            raise DomainError(_("Choose member countries from the list."), field="member_countries")
        action.member_countries = sorted(countries, key=lambda country: country.code)
    action.updated_at = now
    session.flush()
    action_changed.send(action, session=session, actor=actor, now=now, event="public_texts")
    return action
