"""Use cases of plan templates: save an Action's plan, apply it (or one of its activities) to an Action."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus, ensure_open
from ..actions.models import Action
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity
from ..activities.services import ActivityDraft, create_activity
from ..activities.slots import SlotDraft
from ..core.errors import DomainError, NotFound
from ..core.i18n import _
from ..core.web import Page, paginate
from ..results.queries import framework_for_page, structure_of
from ..results.services import apply_structure
from .models import PlanTemplate, PlanTemplateItem, PlanTemplateSlot
from .schedule import Timing, dates_at, timings

NAME_MAX = 200


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise DomainError(_("Only programme staff keep and apply plan templates."))


# --- Reading ------------------------------------------------------------------------------------


def list_templates(session: Session, page: int, per_page: int) -> Page[PlanTemplate]:
    stmt = (select(PlanTemplate)
            .options(joinedload(PlanTemplate.source_action), joinedload(PlanTemplate.created_by),
                     selectinload(PlanTemplate.items))
            .order_by(PlanTemplate.created_at.desc(), PlanTemplate.id.desc()))
    return paginate(session, stmt, page, per_page)


def get_template(session: Session, template_id: int) -> PlanTemplate:
    """The template with its activities and slots; NotFound when there is none."""
    template = session.get(PlanTemplate, template_id, options=[
        joinedload(PlanTemplate.source_action), joinedload(PlanTemplate.created_by),
        selectinload(PlanTemplate.items).selectinload(PlanTemplateItem.slots)
        .joinedload(PlanTemplateSlot.thematic_area),
    ])
    if template is None:
        raise NotFound(_("No such plan template."))
    return template


def template_choices(session: Session) -> list[tuple[int, str]]:
    return [(t.id, t.name) for t in session.scalars(select(PlanTemplate).order_by(PlanTemplate.name))]


# --- Saving an Action's plan ----------------------------------------------------------------------


def plan_activities(action: Action) -> list[Activity]:
    """The activities a saved plan keeps: all but the cancelled ones, in date order."""
    kept = [a for a in action.activities if a.status is not ActivityStatus.CANCELLED]
    return sorted(kept, key=lambda a: (a.start_date, a.id))


def _check_name(session: Session, name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise DomainError(_("Give the template a name."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(_("The name is too long (at most %(max)d characters).", max=NAME_MAX), field="name")
    if session.scalar(select(PlanTemplate.id).where(func.lower(PlanTemplate.name) == name.lower())):
        raise DomainError(_("A plan template is already called “%(name)s”; choose another name.", name=name),
                          field="name")
    return name


def save_plan(session: Session, action: Action, name: str, *, actor: User, now: datetime,
              description: str | None = None) -> PlanTemplate:
    """Keep the Action's activities (but the cancelled ones) as a template: kinds, relative dates, places,
    languages and expert slots; no experts, dates, reports or deliverables."""
    _require_staff(actor)
    name = _check_name(session, name)
    activities = plan_activities(action)
    if not activities:
        raise DomainError(_("%(name)s has no activity to save as a plan (cancelled activities are left out).",
                            name=action.name))
    template = PlanTemplate(name=name, description=(description or "").strip() or None, source_action=action,
                            created_by_id=actor.id, created_at=now,
                            results_structure=structure_of(framework_for_page(session, action.id)))
    for position, (activity, timing) in enumerate(
            zip(activities, timings([(a.start_date, a.end_date) for a in activities]), strict=True)):
        template.items.append(PlanTemplateItem(
            position=position, kind=activity.kind, title=activity.title, offset_days=timing.offset_days,
            duration_days=timing.duration_days, is_remote=activity.is_remote, city=activity.city,
            country_code=activity.country_code, languages=list(activity.languages),
            slots=[PlanTemplateSlot(role=s.role, thematic_area_id=s.thematic_area_id, language=s.language,
                                    places=s.places) for s in activity.slots],
        ))
    try:
        with session.begin_nested():  # the unique name settles a race between two saves of the same name
            session.add(template)
            session.flush()
    except IntegrityError:
        raise DomainError(_("A plan template is already called “%(name)s”; choose another name.", name=name),
                          field="name") from None
    return template


def delete_template(session: Session, template: PlanTemplate, *, actor: User) -> str:
    """Remove a template (its name is returned); the activities planned from it stay as they are."""
    _require_staff(actor)
    session.delete(template)
    session.flush()
    return template.name


# --- Applying a plan -----------------------------------------------------------------------------

def ensure_takes_plan(action: Action) -> None:
    """Refuse, naming the rule, an Action outside actions.lifecycle.TEMPLATE_STATES."""
    ensure_open(action)
    if action.status is ActionStatus.SUSPENDED:
        raise DomainError(_("%(name)s is suspended: resume it before planning activities from a template.",
                            name=action.name))
    if action.status is ActionStatus.CLOSING:
        raise DomainError(_("%(name)s is closing, and closing needs every activity delivered or cancelled: it "
                            "takes no new activities from a template.", name=action.name))


@dataclass(frozen=True)
class PlannedActivity:
    """An activity of the plan as it would be planned from a given anchor date."""

    item: PlanTemplateItem
    start_date: date
    end_date: date


def _dates(anchor: date, timing: Timing) -> tuple[date, date]:
    try:
        return dates_at(anchor, timing)
    except OverflowError:
        raise DomainError(_("Starting on that date, the plan would run past the end of the calendar."),
                          field="anchor") from None


def planned_dates(template: PlanTemplate, anchor: date) -> list[PlannedActivity]:
    """Where each activity of the plan falls if the plan starts on `anchor`: the preview."""
    return [PlannedActivity(item, *_dates(anchor, item.timing)) for item in template.items]


def apply_item(session: Session, item: PlanTemplateItem, action: Action, start: date, *, actor: User,
               now: datetime) -> Activity:
    """Plan one activity of a template on `action`, starting on `start`, with its slots."""
    _require_staff(actor)
    ensure_takes_plan(action)
    start, end = _dates(start, Timing(0, item.duration_days))
    draft = ActivityDraft(
        kind=item.kind, title=item.title, start_date=start, end_date=end, is_remote=item.is_remote,
        city=item.city, country_code=item.country_code, languages=tuple(item.languages),
        slots=tuple(SlotDraft(role=s.role, thematic_area_id=s.thematic_area_id, language=s.language,
                              places=s.places) for s in item.slots),
    )
    return create_activity(session, action, draft, actor=actor, now=now)


def apply_plan(session: Session, template: PlanTemplate, action: Action, anchor_date: date, *, actor: User,
               now: datetime, item_ids: Collection[int] | None = None) -> list[Activity]:
    """Plan the template's activities (or the chosen ones) on `action`, each at `anchor_date` plus its offset."""
    _require_staff(actor)
    ensure_takes_plan(action)
    items = [i for i in template.items if item_ids is None or i.id in item_ids]
    if not items or (item_ids is not None and len(items) != len(set(item_ids))):
        raise DomainError(_("Choose at least one activity of this plan."), field="items")
    planned = [apply_item(session, planned.item, action, planned.start_date, actor=actor, now=now)
               for planned in planned_dates(template, anchor_date) if planned.item in items]
    apply_structure(session, action, template.results_structure, actor=actor, now=now)  # without values
    return planned
