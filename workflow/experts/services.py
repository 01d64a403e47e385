"""Use cases of the roster: who sees which experts, nominating, approving, profiles, unavailability."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, exists, select
from sqlalchemy.orm import Session

from ..accounts.models import Role, User
from ..activities.models import Activity
from ..core.errors import DomainError, NotFound, PermissionDenied, StaleEdit
from ..core.i18n import N_, _, _l
from ..core.search import matches
from ..core.statemachine import StateMachine
from ..deployments.lifecycle import BOOKED
from ..deployments.models import Deployment
from ..reference.models import Institution
from .models import (
    CEFR_LEVELS,
    Expert,
    ExpertLanguage,
    ExpertStatus,
    ExpertTheme,
    ExpertType,
    Gender,
    Unavailability,
)
from .signals import expert_changed

S = ExpertStatus
# nominated -> approved -> active -> inactive (and back to active).
EXPERT_STATUS: StateMachine[ExpertStatus, ExpertStatus, None] = StateMachine(
    name=N_("Expert"),
    table={(S.NOMINATED, S.APPROVED): S.APPROVED, (S.APPROVED, S.ACTIVE): S.ACTIVE,
           (S.ACTIVE, S.INACTIVE): S.INACTIVE, (S.INACTIVE, S.ACTIVE): S.ACTIVE,
           (S.APPROVED, S.INACTIVE): S.INACTIVE},
    labels={S.APPROVED: _l("Approve"), S.ACTIVE: _l("Activate"), S.INACTIVE: _l("Deactivate")},
)
CONSENT_VERSION = "2026-01"


def roster_visibility(user: User) -> tuple[str, int | str | None]:
    """What decides which experts `user` sees, as `visible_experts` reads it (users with the same answer see
    the same roster, so a list counted for one serves the others)."""
    if user.is_staff:
        return ("staff", None)
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        return ("member_state", user.country_code)
    if user.role is Role.EXPERT:
        return ("expert", user.id)
    return ("nobody", None)


def visible_experts(user: User) -> Select[tuple[Expert]]:
    """Staff see the whole roster; a focal point their member state's experts; an expert themselves."""
    stmt = select(Expert)
    if user.is_staff:
        return stmt
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        return stmt.where(Expert.country_code == user.country_code)
    if user.role is Role.EXPERT:
        return stmt.where(Expert.user_id == user.id)
    return stmt.where(False)


def get_expert(session: Session, user: User, expert_id: int) -> Expert:
    found = session.scalar(visible_experts(user).where(Expert.id == expert_id))
    if found is None:
        raise NotFound(_("No such expert."))
    return found


def own_expert(session: Session, user: User) -> Expert | None:
    return session.scalar(select(Expert).where(Expert.user_id == user.id)) if user.role is Role.EXPERT else None


@dataclass(frozen=True)
class RosterFilters:
    theme: str | None = None       # thematic area code
    language: str | None = None    # ISO code, at working level
    country: str | None = None     # administration country
    type: ExpertType | None = None
    status: ExpertStatus | None = None
    free_from: date | None = None  # available over this whole range
    free_to: date | None = None
    q: str | None = None           # name or institution


def filtered_experts(user: User, f: RosterFilters) -> Select[tuple[Expert]]:
    from ..reference.models import ThematicArea

    stmt = visible_experts(user)
    if f.theme:
        stmt = stmt.where(exists().where(ExpertTheme.expert_id == Expert.id, ExpertTheme.thematic_area_id == select(
            ThematicArea.id).where(ThematicArea.code == f.theme).scalar_subquery()))
    if f.language:
        stmt = stmt.where(exists().where(ExpertLanguage.expert_id == Expert.id, ExpertLanguage.language == f.language,
                                         ExpertLanguage.level.in_(("B2", "C1", "C2"))))
    if f.country:
        stmt = stmt.where(Expert.country_code == f.country.upper())
    if f.type:
        stmt = stmt.where(Expert.type == f.type)
    if f.status:
        stmt = stmt.where(Expert.status == f.status)
    if f.free_from and f.free_to:
        stmt = stmt.where(
            ~exists().where(Unavailability.expert_id == Expert.id, Unavailability.start_date <= f.free_to,
                            Unavailability.end_date >= f.free_from),
            ~exists().where(Deployment.expert_id == Expert.id, Deployment.status.in_(BOOKED),
                            Deployment.activity_id == Activity.id, Activity.start_date <= f.free_to,
                            Activity.end_date >= f.free_from),
        )
    if f.q:
        stmt = stmt.outerjoin(Institution, Expert.institution_id == Institution.id).where(
            matches(f.q, Expert.search_key, Institution.search_key))
    return stmt.order_by(Expert.name, Expert.id)


@dataclass(frozen=True)
class ExpertProfile:
    name: str
    email: str
    gender: Gender
    nationality: str
    country_code: str
    type: ExpertType
    institution_id: int | None
    years_experience: int
    max_days_per_year: int
    languages: dict[str, str]   # ISO -> CEFR
    themes: dict[int, int]      # thematic area id -> level
    countries_worked: tuple[str, ...] = ()


def _merged(rows: list[Any], wanted: dict[Any, Any], key: str, make: Callable[[Any, Any], Any]) -> list[Any]:
    """Edit a keyed collection in place: rows still wanted keep their identity (their level updated), new
    keys are added, the rest removed. Never a wholesale replacement of what the user did not change."""
    kept = {getattr(row, key): row for row in rows if getattr(row, key) in wanted}
    for value, level in wanted.items():
        if value in kept:
            kept[value].level = level
        else:
            kept[value] = make(value, level)
    return [kept[value] for value in sorted(wanted)]


def _apply(session: Session, expert: Expert, profile: ExpertProfile) -> None:
    from ..reference.models import Country

    for level in profile.languages.values():
        if level not in CEFR_LEVELS:
            raise DomainError(_("%(level)s is not a CEFR level (A1 to C2).", level=level), field="languages")
    for level in profile.themes.values():
        if not 1 <= level <= 3:
            raise DomainError(_("Expertise levels go from 1 to 3."), field="themes")
    duplicate = session.scalar(select(Expert.id).where(Expert.email == profile.email.lower(), Expert.id != expert.id))
    if duplicate:
        raise DomainError(_("Another expert already uses %(email)s.", email=profile.email), field="email")
    expert.name, expert.email, expert.gender = profile.name, profile.email.lower(), profile.gender
    expert.nationality, expert.country_code, expert.type = profile.nationality, profile.country_code, profile.type
    expert.institution_id, expert.years_experience = profile.institution_id, profile.years_experience
    expert.max_days_per_year = profile.max_days_per_year
    expert.languages = _merged(expert.languages, profile.languages, "language",
                               lambda code, level: ExpertLanguage(language=code, level=level))
    expert.themes = _merged(expert.themes, profile.themes, "thematic_area_id",
                            lambda area, level: ExpertTheme(thematic_area_id=area, level=level))
    expert.countries_worked = list(session.scalars(select(Country).where(Country.code.in_(profile.countries_worked))))


def nominate_expert(session: Session, profile: ExpertProfile, *, actor: User, now: datetime) -> Expert:
    """A focal point nominates an expert of their state; staff may add anyone (also nominated first)."""
    if actor.role is Role.MS_FOCAL_POINT:
        if profile.country_code != actor.country_code:
            raise DomainError(_("A focal point nominates experts of their own member state only."),
                              field="country_code")
    elif not actor.is_staff:
        raise PermissionDenied(_("Only focal points and programme staff nominate experts."))
    expert = Expert(status=ExpertStatus.NOMINATED, nominated_by_id=actor.id, created_at=now, updated_at=now)
    _apply(session, expert, profile)
    session.add(expert)
    session.flush()
    expert_changed.send(expert, session=session, actor=actor, now=now)
    return expert


def update_expert(session: Session, expert: Expert, profile: ExpertProfile, *, version: int, actor: User,
                  now: datetime) -> Expert:
    if not (actor.is_staff or expert.user_id == actor.id or
            (actor.role is Role.MS_FOCAL_POINT and expert.country_code == actor.country_code)):
        raise PermissionDenied(_("You cannot edit this profile."))
    if version != expert.version:
        raise StaleEdit(_("Someone changed this profile after you opened it; reload it and make your edit again."))
    if actor.role is Role.MS_FOCAL_POINT and profile.country_code != actor.country_code:
        raise DomainError(_("A focal point keeps experts in their own member state."), field="country_code")
    if actor.role is Role.EXPERT:
        # What decides releases and caps is set by staff or the focal point, not by the expert.
        for field in ("type", "country_code", "institution_id", "max_days_per_year"):
            if getattr(profile, field) != getattr(expert, field):
                raise DomainError(_("Your type, administration, employer and day cap are changed by programme "
                                    "staff or your focal point."), field=field)
    _apply(session, expert, profile)
    expert.updated_at = now
    session.flush()
    expert_changed.send(expert, session=session, actor=actor, now=now)
    return expert


def change_status(session: Session, expert: Expert, target: ExpertStatus, *, actor: User, now: datetime) -> Expert:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff approve, activate or deactivate experts."))
    expert.status = EXPERT_STATUS.target(expert.status, target)
    expert.updated_at = now
    session.flush()
    expert_changed.send(expert, session=session, actor=actor, now=now)
    return expert


def add_unavailability(session: Session, expert: Expert, start: date, end: date, reason: str | None, *,
                       actor: User) -> Unavailability:
    if not (actor.is_staff or expert.user_id == actor.id):
        raise PermissionDenied(_("Only the expert or programme staff declare unavailability."))
    if end < start:
        raise DomainError(_("The end date is before the start date."), field="end_date")
    period = Unavailability(expert=expert, start_date=start, end_date=end, reason=(reason or "").strip() or None)
    session.add(period)
    session.flush()
    expert_changed.send(expert, session=session, actor=actor)
    return period


def remove_unavailability(session: Session, period: Unavailability, *, actor: User) -> Unavailability:
    """Delete the period and return it (the view reads a result as "it went through")."""
    if not (actor.is_staff or period.expert.user_id == actor.id):
        raise PermissionDenied(_("Only the expert or programme staff change unavailability."))
    session.delete(period)
    session.flush()
    expert_changed.send(period.expert, session=session, actor=actor)
    return period


def renew_calendar_token(expert_or_action: object) -> str:
    """A new secret for a calendar feed URL; the old URL stops working."""
    token = secrets.token_urlsafe(32)
    expert_or_action.calendar_token = token  # type: ignore[attr-defined]
    return token


def attach_cv(session: Session, expert: Expert, stored_name: str, file_name: str, content_type: str, *,
              actor: User, now: datetime) -> str | None:
    """Keep the new CV; return the stored name of the one it replaces (for the caller to delete after commit)."""
    if not (actor.is_staff or expert.user_id == actor.id or
            (actor.role is Role.MS_FOCAL_POINT and expert.country_code == actor.country_code)):
        raise PermissionDenied(_("You cannot change this expert's CV."))
    previous = expert.cv_stored_name
    expert.cv_stored_name, expert.cv_file_name, expert.cv_content_type = stored_name, file_name, content_type
    expert.updated_at = now
    session.flush()
    expert_changed.send(expert, session=session, actor=actor, now=now)
    return previous
