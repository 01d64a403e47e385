"""Use cases of an Action: open it, move it through its lifecycle, edit it, write its final report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..activities.lifecycle import ASSESSMENT_KINDS, ActivityEvent, ActivityStatus
from ..activities.lifecycle import FINISHED_STATES as ACTIVITY_FINISHED
from ..activities.models import Activity
from ..activities.services import apply_activity_event
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _
from ..core.signals import stale_edit
from ..reference.models import Country, Institution, SubTopic
from ..requests.models import Request
from .lifecycle import ACTION_LIFECYCLE, ActionEvent, ActionFacts, ActionStatus, ensure_open, next_status
from .models import Action, ActionTransition, FinalReport
from .queries import next_action_name
from .signals import action_changed, action_closed

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
    action_changed.send(action, session=session, actor=actor, now=now, event="open")
    return action


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
        reason = reason or action.assessment_waiver  # the page names it "Assessment waived", in the reader's language
    facts = action_facts(session, action, reason)
    target = next_status(action.status, event, facts, action.status_before_suspension)
    if target is ActionStatus.CANCELLED:
        _cancel_activities(session, action, reason=reason, actor=actor, now=now)
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
    action_changed.send(action, session=session, actor=actor, now=now, event=event.value)
    if target is ActionStatus.CLOSED:
        action_closed.send(action, session=session, actor=actor, now=now)
    return transition


def _cancel_activities(session: Session, action: Action, *, reason: str | None, actor: User, now: datetime) -> None:
    """A cancelled Action runs nothing: each activity still to come is cancelled through its own lifecycle
    (a history row with the Action's reason; its booked experts are stood down). Delivered work stays."""
    waiting = session.scalars(select(Activity).where(Activity.action_id == action.id,
                                                     Activity.status.not_in(ACTIVITY_FINISHED))
                              .order_by(Activity.start_date, Activity.id))
    for activity in waiting:
        apply_activity_event(session, activity, ActivityEvent.CANCEL, actor=actor, now=now,
                             reason=_("The Action was cancelled: %(reason)s", reason=reason or "—"))



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
    action_changed.send(action, session=session, actor=actor, now=now, event="edit")
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
    action_changed.send(action, session=session, actor=actor, now=now, event="final_report")
    return report
