"""Use cases of deployments: propose, invite, answer, release, confirm, report, complete, cancel.

The hard rules live in the matching engine (`violations`); every path that creates, accepts or
confirms a deployment asks it, after locking the expert's row so that two officers confirming
overlapping deployments of one expert at the same moment cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..actions.lifecycle import ensure_open
from ..activities.lifecycle import EDITABLE_STATES, ActivityStatus
from ..activities.models import ExpertSlot
from ..core.errors import DomainError, PermissionDenied, StateConflict
from ..core.i18n import _, ngettext
from ..core.labels import label
from ..experts.models import DEPLOYABLE, Expert
from ..experts.queries import consent_withdrawn
from ..matching.engine import violations
from ..reference.models import Country
from .candidates import candidate_of, slot_of, working_days
from .explain import violations_text
from .lifecycle import (
    DEPLOYMENT_LIFECYCLE,
    LIVE,
    RELEASABLE,
    DeploymentEvent,
    DeploymentFacts,
    DeploymentStatus,
)
from .models import Deployment, DeploymentTransition
from .permissions import allowed_events, is_the_expert, may_release, needs_release
from .signals import deployment_changed

# --- Who sees what --------------------------------------------------------------------------


def live_count(session: Session, slot_id: int) -> int:
    return session.scalar(
        select(func.count()).select_from(Deployment).where(Deployment.slot_id == slot_id, Deployment.status.in_(LIVE))
    ) or 0


# --- The hard rules ---------------------------------------------------------------------------


def lock_expert(session: Session, expert_id: int, now: datetime) -> None:
    """Take the expert's row lock for the rest of the transaction (a write: works on SQLite too)."""
    session.execute(update(Expert.__table__).where(Expert.__table__.c.id == expert_id).values(updated_at=now))


def check_hard_rules(session: Session, slot: ExpertSlot, expert: Expert, *, now: datetime,
                     exclude: int | None = None) -> None:
    """Refuse, naming the rule and the conflicting item, when the expert may not take the slot."""
    candidate = candidate_of(session, expert.id, today=now.date(), exclude_deployment=exclude)
    broken = violations(candidate, slot_of(session, slot))
    if broken:
        raise DomainError(violations_text(broken), field="expert_id")


# --- Use cases ------------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise PermissionDenied(_("Only programme staff propose and confirm deployments."))


def propose(session: Session, slot: ExpertSlot, expert: Expert, *, actor: User, now: datetime,
            days: int | None = None) -> Deployment:
    """Put an expert forward for a slot (checked against every hard rule)."""
    _require_staff(actor)
    activity = slot.activity
    ensure_open(activity.action)
    if slot.removed_at is not None:
        raise DomainError(_("This slot was removed from its activity; it takes no experts."))
    if activity.status not in EDITABLE_STATES:
        raise StateConflict(_("The activity is %(status)s; it takes no new experts.",
                            status=label(activity.status).lower()))
    if expert.status not in DEPLOYABLE:
        raise DomainError(_("%(name)s is %(status)s; only approved or active experts are deployed.",
                            name=expert.name, status=label(expert.status).lower()))
    if session.scalar(select(consent_withdrawn()).where(Expert.id == expert.id)):
        raise DomainError(_("%(name)s has withdrawn their consent to being on the roster; they cannot be "
                            "proposed until they give it again.", name=expert.name), field="expert_id")
    earlier = session.scalars(
        select(Deployment).where(Deployment.slot_id == slot.id, Deployment.expert_id == expert.id)
    ).all()
    if any(d.status in LIVE for d in earlier):
        raise StateConflict(_("%(name)s is already on this slot.", name=expert.name), field="expert_id")
    if live_count(session, slot.id) >= slot.places:
        raise StateConflict(ngettext("The slot is full (%(num)s place).", "The slot is full (%(num)s places).",
                                    slot.places))
    lock_expert(session, expert.id, now)
    check_hard_rules(session, slot, expert, now=now)
    deployment = Deployment(
        slot=slot, activity_id=activity.id, expert=expert, attempt=len(earlier) + 1, role=slot.role,
        working_days=days or working_days(activity), status=DeploymentStatus.PROPOSED,
        proposed_by_id=actor.id, created_at=now, updated_at=now,
    )
    session.add(deployment)
    session.add(DeploymentTransition(deployment=deployment, actor_id=actor.id, at=now,
                                     to_status=DeploymentStatus.PROPOSED))
    session.flush()
    deployment_changed.send(deployment, session=session, actor=actor, now=now, event="propose")
    return deployment


def apply_deployment_event(session: Session, deployment: Deployment, event: DeploymentEvent, *, actor: User,
                           now: datetime, reason: str | None = None) -> DeploymentTransition:
    """The one way a deployment's status changes."""
    if event not in allowed_events(deployment, actor):
        DEPLOYMENT_LIFECYCLE.target(deployment.status, event)  # says so if the state forbids it
        raise PermissionDenied(_("You cannot do that on this deployment."))
    transition = _move(session, deployment, event, actor=actor, now=now, reason=reason)
    deployment_changed.send(deployment, session=session, actor=actor, now=now, event=event.value)
    return transition


def _move(session: Session, deployment: Deployment, event: DeploymentEvent, *, actor: User, now: datetime,
          reason: str | None) -> DeploymentTransition:
    """The lifecycle's step itself, once the caller has checked that `actor` may take it."""
    facts = DeploymentFacts(
        needs_release=needs_release(deployment.expert),
        release_approved=deployment.release_approved_at is not None,
        has_mission_report=bool(deployment.mission_report),
        reason=reason,
    )
    target = DEPLOYMENT_LIFECYCLE.check(deployment.status, event, facts)
    if event in (DeploymentEvent.ACCEPT, DeploymentEvent.CONFIRM):
        # The calendar may have changed since the proposal: lock, then check again.
        lock_expert(session, deployment.expert_id, now)
        check_hard_rules(session, deployment.slot, deployment.expert, now=now, exclude=deployment.id)
    if event is DeploymentEvent.INVITE:
        deployment.invited_at = now
    elif event in (DeploymentEvent.ACCEPT, DeploymentEvent.DECLINE):
        deployment.responded_at = now
    if event is DeploymentEvent.DECLINE:
        deployment.decline_reason = reason.strip() if reason else None
    if event is DeploymentEvent.COMPLETE:
        add_to_work_history(session, deployment)
    transition = DeploymentTransition(
        deployment=deployment, actor_id=actor.id, at=now, from_status=deployment.status, to_status=target,
        reason=reason.strip() if reason and reason.strip() else None,
    )
    deployment.status = target
    deployment.updated_at = now
    session.add(transition)
    session.flush()
    return transition


def add_to_work_history(session: Session, deployment: Deployment) -> None:
    """A completed deployment is work experience: its country joins the expert's countries worked in.

    The activity's country, or for remote work the Action's beneficiary country (as matching reads a slot)."""
    activity = deployment.activity
    code = activity.country_code or activity.action.country_code
    expert = deployment.expert
    if code and code not in {country.code for country in expert.countries_worked}:
        country = session.get(Country, code)
        if country is not None:
            expert.countries_worked.append(country)


def _check_release(deployment: Deployment, actor: User) -> None:
    """The release is the expert's focal point's to give or refuse, once, while the deployment awaits it."""
    expert = deployment.expert
    if not needs_release(expert):
        raise DomainError(_("Only member-state officials need a release approval."))
    if not may_release(actor, expert):
        raise PermissionDenied(_("Only the expert's member-state focal point approves the release."))
    if deployment.status not in RELEASABLE:
        raise StateConflict(_("This deployment is %(status)s: it needs no release approval.",
                            status=label(deployment.status).lower()))
    if deployment.release_approved_at is not None:
        raise StateConflict(_("The release was already approved."))


def approve_release(session: Session, deployment: Deployment, *, actor: User, now: datetime) -> Deployment:
    """The member-state focal point releases their official for this deployment."""
    _check_release(deployment, actor)
    deployment.release_approved_at = now
    deployment.release_approved_by_id = actor.id
    deployment.updated_at = now
    session.flush()
    deployment_changed.send(deployment, session=session, actor=actor, now=now, event="release_approved")
    return deployment


def refuse_release(session: Session, deployment: Deployment, reason: str | None, *, actor: User,
                   now: datetime) -> Deployment:
    """The member-state focal point refuses to release their official: the deployment is cancelled, with why.

    The one way someone other than programme staff cancels a deployment; one signal says what happened."""
    _check_release(deployment, actor)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why you refuse the release: the officer and the expert read it."), field="reason")
    deployment.release_refused_at = now
    deployment.release_refused_by_id = actor.id
    deployment.release_refusal_reason = reason
    _move(session, deployment, DeploymentEvent.CANCEL, actor=actor, now=now,
          reason=_("Release refused by the focal point: %(reason)s", reason=reason))
    deployment_changed.send(deployment, session=session, actor=actor, now=now, event="release_refused")
    return deployment


def record_mission_report(session: Session, deployment: Deployment, report: str, *, actor: User, now: datetime,
                          stored_file: str | None = None, file_name: str | None = None) -> Deployment:
    """The expert's mission report, once the activity has taken place."""
    if not (is_the_expert(deployment, actor) or actor.is_staff):
        raise PermissionDenied(_("Only the expert (or programme staff) records the mission report."))
    if deployment.status is not DeploymentStatus.CONFIRMED:
        raise StateConflict(_("The mission report belongs to a confirmed deployment."))
    if deployment.activity.start_date > now.date():
        raise StateConflict(_("The mission report is written once the activity has started."))
    if deployment.activity.status is ActivityStatus.CANCELLED:
        raise StateConflict(_("The activity was cancelled."))
    deployment.mission_report = report.strip()
    deployment.mission_report_at = now
    if stored_file:
        deployment.mission_report_file = stored_file
        deployment.mission_report_file_name = file_name
    deployment.updated_at = now
    session.flush()
    deployment_changed.send(deployment, session=session, actor=actor, now=now)
    return deployment
