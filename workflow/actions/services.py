"""Use cases of an Action: open it (from an accepted request), move it through its lifecycle, close it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from ..accounts.models import Role, User
from ..activities.lifecycle import ASSESSMENT_KINDS, ActivityStatus
from ..activities.lifecycle import FINISHED_STATES as ACTIVITY_FINISHED
from ..activities.models import Activity
from ..audit.services import stale_edit
from ..core.errors import DomainError, NotFound, PermissionDenied, StaleEdit, StateConflict
from ..core.i18n import _
from ..core.labels import label
from ..core.search import matches
from ..core.web import Page, paginate
from ..reference.models import Country, Institution, InstitutionKind, Region, SubTopic, ThematicArea
from ..reference.services import country_name
from ..requests.lifecycle import RequestEvent
from ..requests.models import Request
from ..requests.services import apply_request_event
from .lifecycle import (
    ACTION_LIFECYCLE,
    FINISHED_STATES,
    ActionEvent,
    ActionFacts,
    ActionStatus,
    next_status,
)
from .models import (
    Action,
    ActionTransition,
    ActionTranslation,
    FinalReport,
    action_beneficiaries,
    action_expert_institutions,
)
from .naming import next_name, organisation_series, series_base

# --- Who sees what ------------------------------------------------------------------------------


def visibility(user: User) -> tuple[str, int | str | None]:
    """What decides which Actions `user` sees, as `visible_actions` reads it: users with the same answer see
    the same Actions, so a list rendered for one of them can be shown to the others."""
    if user.is_staff:
        return ("staff", None)
    if user.role is Role.REQUESTER:
        return ("institution", user.institution_id)
    if user.role is Role.EXPERT:
        return ("expert", user.id)
    if user.role is Role.MS_FOCAL_POINT:
        return ("member_state", user.country_code)
    return ("nobody", None)


def visible_actions(user: User) -> Select[tuple[Action]]:
    """Staff see every Action; a requester those their institution benefits from; an expert those
    they are deployed on; a member-state focal point those on which their state's administrations
    sent experts."""
    stmt = select(Action)
    if user.is_staff:
        return stmt
    if user.role is Role.REQUESTER and user.institution_id is not None:
        return stmt.where(
            exists().where(
                action_beneficiaries.c.action_id == Action.id,
                action_beneficiaries.c.institution_id == user.institution_id,
            )
        )
    if user.role is Role.EXPERT:
        from ..deployments.models import Deployment  # deployments build on Actions, not the other way round
        from ..experts.models import Expert

        return stmt.where(Action.id.in_(
            select(Activity.action_id).join(Deployment, Deployment.activity_id == Activity.id)
            .join(Expert, Deployment.expert_id == Expert.id).where(Expert.user_id == user.id)
        ))
    if user.role is Role.MS_FOCAL_POINT and user.country_code:
        return stmt.where(
            exists()
            .where(action_expert_institutions.c.action_id == Action.id)
            .where(action_expert_institutions.c.institution_id == Institution.id)
            .where(Institution.country_code == user.country_code)
        )
    return stmt.where(False)


def get_action(session: Session, user: User, action_id: int, *, for_page: bool = False) -> Action:
    """The Action if `user` may see it; NotFound otherwise. `for_page` loads what its page shows."""
    stmt = visible_actions(user).where(Action.id == action_id)
    if for_page:
        stmt = stmt.options(
            # To-one: joined into the one query, so the page's query count does not depend on the data.
            joinedload(Action.region), joinedload(Action.thematic_area), joinedload(Action.officer),
            joinedload(Action.request),
            selectinload(Action.transitions).selectinload(ActionTransition.actor),
            selectinload(Action.activities),
            selectinload(Action.deliverables),
            selectinload(Action.beneficiaries),
            selectinload(Action.expert_institutions),
            selectinload(Action.subtopics),
            selectinload(Action.final_report),
        )
    found = session.scalar(stmt)
    if found is None:
        raise NotFound(_("No such Action."))
    return found


# --- The list page ------------------------------------------------------------------------------

SORTS = {
    "name": Action.name,
    "start": Action.planned_start,
    "end": Action.planned_end,
    "status": Action.status,
    "updated": Action.updated_at,
}


@dataclass(frozen=True)
class ActionFilters:
    region: str | None = None  # region code
    country: str | None = None  # ISO code
    theme: str | None = None  # thematic area code
    status: ActionStatus | None = None
    year: int | None = None  # running at some point in that year
    q: str | None = None  # words in the name or title
    sort: str = "start"
    descending: bool = True
    year_from: int | None = None  # running at some point in these years (the dashboard's period)
    year_to: int | None = None
    counted: bool = False  # only Actions the portfolio figures count: every one not cancelled
    published: bool | None = None


def running_between(start: date | None, end: date | None):
    """Actions running at some point between `start` and `end` (either may be open), by their real span:
    from the earlier of their planned start and their first activity to the later of their planned end
    and their last activity (cancelled activities do not count; no planned end: still running). The
    dashboard, the lists and the API count by this one rule (`Action.span` shows it)."""
    other = aliased(Activity)  # an alias, so that a list of activities can use it without correlating to itself
    held = (other.action_id == Action.id, other.status != ActivityStatus.CANCELLED)
    clauses = []
    if end is not None:
        clauses.append(or_(Action.planned_start <= end, exists().where(*held, other.start_date <= end)))
    if start is not None:
        clauses.append(or_(Action.planned_end.is_(None), Action.planned_end >= start,
                           exists().where(*held, other.end_date >= start)))
    return clauses


def period_bounds(year_from: int | None, year_to: int | None) -> tuple[date | None, date | None]:
    return (date(year_from, 1, 1) if year_from else None, date(year_to, 12, 31) if year_to else None)


def filtered_actions(user: User, filters: ActionFilters) -> Select[tuple[Action]]:
    stmt = visible_actions(user)
    if filters.region:
        stmt = stmt.where(Action.region_id == select(Region.id).where(Region.code == filters.region).scalar_subquery())
    if filters.country:
        stmt = stmt.where(Action.country_code == filters.country.upper())
    if filters.theme:
        stmt = stmt.where(
            Action.thematic_area_id == select(ThematicArea.id).where(ThematicArea.code == filters.theme).scalar_subquery()
        )
    if filters.status:
        stmt = stmt.where(Action.status == filters.status)
    if filters.year:
        stmt = stmt.where(*running_between(date(filters.year, 1, 1), date(filters.year, 12, 31)))
    if filters.year_from or filters.year_to:
        stmt = stmt.where(*running_between(*period_bounds(filters.year_from, filters.year_to)))
    if filters.counted:
        stmt = stmt.where(Action.status != ActionStatus.CANCELLED)
    if filters.published is not None:
        stmt = stmt.where(Action.published.is_(filters.published))
    if filters.q:
        stmt = stmt.where(matches(filters.q, Action.search_key))
    column = SORTS.get(filters.sort, Action.planned_start)
    order = column.desc() if filters.descending else column.asc()
    return stmt.order_by(order, Action.id.desc() if filters.descending else Action.id.asc())


def list_actions(session: Session, user: User, filters: ActionFilters, page: int, per_page: int) -> Page[Action]:
    """One page of Actions with what the list shows, in a fixed number of queries."""
    stmt = filtered_actions(user, filters).options(
        selectinload(Action.region), selectinload(Action.thematic_area), selectinload(Action.beneficiaries),
        selectinload(Action.translations),
    )
    return paginate(session, stmt, page, per_page)


# --- Opening an Action -------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionDraft:
    title: str
    thematic_area_id: int
    planned_start: date
    planned_end: date | None = None
    objective: str = ""
    summary: str = ""
    country_code: str | None = None
    region_id: int | None = None
    regional_name: str | None = None  # the organisation's name for a regional Action ("SICA")
    beneficiary_ids: tuple[int, ...] = ()
    subtopic_ids: tuple[int, ...] = ()
    expert_institution_ids: tuple[int, ...] = ()
    name: str | None = None  # staff override of the generated name
    officer_id: int | None = None


def next_action_name(session: Session, *, country_code: str | None, regional_name: str | None) -> str:
    """"Costa Rica", "Costa Rica II", …; a regional Action continues its organisation's series (see naming.py)."""
    if regional_name:
        base = " ".join(regional_name.split())
    elif country_code:
        base = country_name(country_code, "en")
    else:
        raise DomainError(_("An Action needs a beneficiary country or, for a regional Action, an organisation."))
    # Every name, not a prefix filter: a series member may differ in case or spacing, and SQLite's LIKE folds
    # only ASCII case. A few thousand short strings at most, read once per new Action.
    return next_name(base, session.scalars(select(Action.name)))


def regional_series(session: Session, institution: Institution) -> str:
    """The series a regional organisation's institution continues: "SICA" for its secretariat "SG-SICA".

    The organisation recorded on the institution decides (so even its first Action starts the organisation's
    series, never the institution's acronym); without one, an existing series named in its acronym or name."""
    if institution.organisation:
        return " ".join(institution.organisation.split())
    names = session.scalars(select(Action.name).where(Action.is_regional))
    return organisation_series(institution.acronym, institution.name, {series_base(name) for name in names})


def open_action(session: Session, draft: ActionDraft, *, actor: User, now: datetime, request: Request | None = None) -> Action:
    """Create an Action in `accepted` and write the first row of its history."""
    if draft.planned_end and draft.planned_end < draft.planned_start:
        raise DomainError(_("The planned end is before the planned start."), field="planned_end")
    regional = bool(draft.regional_name)
    region_id = draft.region_id
    if draft.country_code and region_id is None:
        region_id = session.scalar(select(Country.region_id).where(Country.code == draft.country_code))
    if region_id is None:
        raise DomainError(_("An Action needs the region it belongs to."), field="region_id")
    name = (draft.name or "").strip() or next_action_name(
        session, country_code=draft.country_code, regional_name=draft.regional_name
    )
    if session.scalar(select(Action.id).where(Action.name == name)):
        raise DomainError(_("An Action named “%(name)s” already exists; names are never given twice.", name=name), field="name")
    action = Action(
        name=name,
        request=request,
        country_code=None if regional else draft.country_code,
        region_id=region_id,
        is_regional=regional,
        title=draft.title,
        thematic_area_id=draft.thematic_area_id,
        objective=draft.objective,
        summary=draft.summary,
        planned_start=draft.planned_start,
        planned_end=draft.planned_end,
        status=ActionStatus.ACCEPTED,
        officer_id=draft.officer_id,
        created_at=now,
        updated_at=now,
    )
    session.add(action)
    ids = set(draft.beneficiary_ids)
    if ids:
        action.beneficiaries = list(session.scalars(select(Institution).where(Institution.id.in_(ids))))
    if draft.subtopic_ids:
        action.subtopics = list(session.scalars(select(SubTopic).where(SubTopic.id.in_(draft.subtopic_ids))))
    if draft.expert_institution_ids:
        action.expert_institutions = list(
            session.scalars(select(Institution).where(Institution.id.in_(draft.expert_institution_ids)))
        )
    session.add(ActionTransition(action=action, actor_id=actor.id, at=now, to_status=ActionStatus.ACCEPTED))
    session.flush()
    return action


def accept_request(
    session: Session, request: Request, *, actor: User, now: datetime, name: str | None = None
) -> Action:
    """Accept the request and open its Action, named after the beneficiary country or organisation."""
    apply_request_event(session, request, RequestEvent.ACCEPT, actor=actor, now=now)
    institution = request.institution
    regional = institution.kind is InstitutionKind.REGIONAL_ORGANISATION
    return open_action(
        session,
        ActionDraft(
            title=request.title,
            thematic_area_id=request.thematic_area_id,
            planned_start=request.desired_start or now.date(),
            summary=request.description,
            country_code=institution.country_code,
            regional_name=regional_series(session, institution) if regional else None,
            beneficiary_ids=(institution.id,),
            name=name,
            officer_id=actor.id,
        ),
        actor=actor,
        now=now,
        request=request,
    )


# --- Moving an Action on -----------------------------------------------------------------------


def action_facts(session: Session, action: Action, reason: str | None = None) -> ActionFacts:
    """Gather what the guards need, in two small queries."""
    reported_missions = session.scalar(
        select(func.count())
        .select_from(Activity)
        .where(
            Activity.action_id == action.id,
            Activity.kind.in_(ASSESSMENT_KINDS),
            Activity.status == ActivityStatus.REPORTED,
        )
    )
    open_titles = session.scalars(
        select(Activity.title)
        .where(Activity.action_id == action.id, Activity.status.not_in(ACTIVITY_FINISHED))
        .order_by(Activity.start_date, Activity.id)
    ).all()
    return ActionFacts(
        reported_assessment_missions=reported_missions or 0,
        assessment_waiver=action.assessment_waiver,
        open_activities=tuple(open_titles),
        has_final_report=action.final_report is not None,
        reason=reason,
    )


def allowed_events(action: Action, user: User) -> list[ActionEvent]:
    """Events the table allows now and `user` may fire (staff only)."""
    return ACTION_LIFECYCLE.events_from(action.status) if user.is_staff else []


def event_refusals(session: Session, action: Action) -> dict[ActionEvent, str | None]:
    """For each allowed event, the guard's reason to refuse it now (reasons asked in the form are not checked)."""
    facts = action_facts(session, action, reason="(given in the form)")
    return {event: ACTION_LIFECYCLE.refusal(event, facts) for event in ACTION_LIFECYCLE.events_from(action.status)}


def apply_action_event(
    session: Session,
    action: Action,
    event: ActionEvent,
    *,
    actor: User,
    now: datetime,
    reason: str | None = None,
    waiver: str | None = None,
) -> ActionTransition:
    """The one way an Action's status changes: check the table and guards, write the history row."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff change an Action."))
    reason = reason.strip() if reason and reason.strip() else None
    if event is ActionEvent.START_IMPLEMENTATION and waiver and waiver.strip():
        action.assessment_waiver = waiver.strip()
        reason = reason or f"Assessment waived: {action.assessment_waiver}"
    facts = action_facts(session, action, reason)
    target = next_status(action.status, event, facts, action.status_before_suspension)
    transition = ActionTransition(
        action=action, actor_id=actor.id, at=now, from_status=action.status, to_status=target, reason=reason
    )
    action.status_before_suspension = action.status if target is ActionStatus.SUSPENDED else None
    if target is ActionStatus.CLOSED and action.planned_end is None:
        action.planned_end = max(now.date(), action.planned_start)  # an open-ended Action ends when it closes
    action.status = target
    action.updated_at = now
    session.add(transition)
    session.flush()
    return transition


def ensure_open(action: Action) -> None:
    if action.status in FINISHED_STATES:
        raise StateConflict(_("This Action is %(status)s; it can no longer be changed.", status=label(action.status).lower()))


@dataclass(frozen=True)
class ActionEdit:
    name: str
    title: str
    thematic_area_id: int
    objective: str
    summary: str
    planned_start: date
    planned_end: date | None


def update_action(session: Session, action: Action, edit: ActionEdit, *, version: int, actor: User, now: datetime) -> Action:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff change an Action."))
    ensure_open(action)
    if version != action.version:
        raise stale_edit(session, action, version, _("Someone changed this Action after you opened it."))
    if edit.planned_end and edit.planned_end < edit.planned_start:
        raise DomainError(_("The planned end is before the planned start."), field="planned_end")
    name = edit.name.strip()
    if name != action.name and session.scalar(select(Action.id).where(Action.name == name, Action.id != action.id)):
        raise DomainError(_("An Action named “%(name)s” already exists; names are never given twice.", name=name), field="name")
    action.name = name
    action.title = edit.title
    action.thematic_area_id = edit.thematic_area_id
    action.objective = edit.objective
    action.summary = edit.summary
    action.planned_start = edit.planned_start
    action.planned_end = edit.planned_end
    action.updated_at = now
    session.flush()
    return action


@dataclass(frozen=True)
class FinalReportDraft:
    results: str
    lessons_learned: str
    officials_trained_female: int = 0
    officials_trained_male: int = 0
    officials_trained_other: int = 0
    institutions_reached: int = 0


def record_final_report(
    session: Session, action: Action, draft: FinalReportDraft, *, actor: User, now: datetime
) -> FinalReport:
    """Write (or rewrite) the final report; allowed while the Action is in closing."""
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff write the final report."))
    if action.status is not ActionStatus.CLOSING:
        raise StateConflict(_("The final report is written once the Action is in closing."))
    report = action.final_report or FinalReport(action=action, author_id=actor.id, submitted_at=now)
    for key, value in vars(draft).items():
        setattr(report, key, value)
    report.author_id = actor.id
    report.submitted_at = now
    session.add(report)
    action.updated_at = now
    session.flush()
    return report


def action_counts_by_status(session: Session, user: User) -> dict[ActionStatus, int]:
    rows = session.execute(visible_actions(user).with_only_columns(Action.status, func.count()).group_by(Action.status))
    return {status: count for status, count in rows}


__all__ = [
    "ActionDraft",
    "ActionEdit",
    "ActionFilters",
    "FinalReportDraft",
    "accept_request",
    "action_facts",
    "allowed_events",
    "apply_action_event",
    "event_refusals",
    "get_action",
    "list_actions",
    "open_action",
    "record_final_report",
    "update_action",
    "visible_actions",
]


# --- The public catalogue ----------------------------------------------------------------------


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
    return action
