"""Factories as plain callables; they go through the services and commit (see the `db` fixture)."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from argon2 import PasswordHasher
from sqlalchemy import select
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import (
    ActionDraft,
    FinalReportDraft,
    apply_action_event,
    open_action,
    record_final_report,
)
from workflow.activities.lifecycle import ActivityEvent, ActivityKind
from workflow.activities.models import Activity
from workflow.activities.services import ActivityDraft, ActivityReport, apply_activity_event, create_activity
from workflow.reference.models import Institution, InstitutionKind, ThematicArea
from workflow.requests.lifecycle import RequestEvent, RequestStatus
from workflow.requests.models import Request
from workflow.requests.services import RequestDraft, apply_request_event, create_request

PASSWORD = "correct horse battery"
# Argon2id at its cheapest: tests create and sign in many users; the test app hashes with these too, so a sign-in
# does not rehash. The real cost is tested in tests/unit/test_passwords.py; a werkzeug hash of an older version,
# in tests/functional/test_sign_in_security.py.
CHEAP_PASSWORD_HASHING = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
_seq = itertools.count(1)
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


@lru_cache(maxsize=1)
def _password_hash() -> str:
    return PasswordHasher(**CHEAP_PASSWORD_HASHING).hash(PASSWORD)  # once per run


def theme(session: Session, code: str = "irregular_migration_thb") -> ThematicArea:  # noqa: D103
    return session.scalar(select(ThematicArea).where(ThematicArea.code == code))


def make_institution(session: Session, country: str = "PE", name: str | None = None,
                     kind: InstitutionKind = InstitutionKind.PARTNER_ADMINISTRATION, acronym: str | None = None,
                     organisation: str | None = None) -> Institution:
    institution = Institution(name=name or f"Institution {next(_seq)}", country_code=country, kind=kind, acronym=acronym,
                              organisation=organisation)
    session.add(institution)
    session.commit()
    return institution


def make_user(session: Session, role: Role = Role.OFFICER, institution: Institution | None = None,
              country: str | None = None, email: str | None = None) -> User:
    user = User(
        email=email or f"user{next(_seq)}@test.peerflow.org", name=f"{role.value.title()} {next(_seq)}",
        password_hash=_password_hash(), role=role, institution_id=institution.id if institution else None,
        country_code=country, created_at=T0,
    )
    session.add(user)
    session.commit()
    return user


def make_request(session: Session, requester: User, status: RequestStatus = RequestStatus.DRAFT,
                 officer: User | None = None, title: str = "Support to the anti-trafficking working group") -> Request:
    request = create_request(
        session,
        RequestDraft(title=title, description="We need peers on victim assistance.", thematic_area_id=theme(session).id),
        actor=requester, now=T0,
    )
    path = {
        RequestStatus.SUBMITTED: [RequestEvent.SUBMIT],
        RequestStatus.UNDER_REVIEW: [RequestEvent.SUBMIT, RequestEvent.START_REVIEW],
        RequestStatus.CLARIFICATION_REQUESTED: [RequestEvent.SUBMIT, RequestEvent.START_REVIEW,
                                                RequestEvent.ASK_CLARIFICATION],
    }.get(status, [])
    for event in path:
        actor = requester if event is RequestEvent.SUBMIT else officer
        apply_request_event(session, request, event, actor=actor, now=T0, reason="Which provinces?")
    session.commit()
    return request


def make_action(session: Session, officer: User, *, country: str = "PE", status: ActionStatus = ActionStatus.ACCEPTED,
                beneficiary: Institution | None = None, name: str | None = None,
                start: date = date(2026, 1, 1)) -> Action:
    """An Action walked through the real lifecycle up to `status`."""
    action = open_action(
        session,
        ActionDraft(title="Trafficking in human beings", thematic_area_id=theme(session).id, planned_start=start,
                    planned_end=start + timedelta(days=700), country_code=country, name=name,
                    beneficiary_ids=(beneficiary.id,) if beneficiary else ()),
        actor=officer, now=T0,
    )
    order = [ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING, ActionStatus.CLOSED]
    steps = order[: order.index(status) + 1] if status in order else []
    for target in steps:
        if target is ActionStatus.ASSESSMENT:
            apply_action_event(session, action, ActionEvent.START_ASSESSMENT, actor=officer, now=T0)
        elif target is ActionStatus.IMPLEMENTATION:
            apply_action_event(session, action, ActionEvent.START_IMPLEMENTATION, actor=officer, now=T0,
                               waiver="Needs were mapped by the requester's own study.")
        elif target is ActionStatus.CLOSING:
            apply_action_event(session, action, ActionEvent.START_CLOSING, actor=officer, now=T0)
        elif target is ActionStatus.CLOSED:
            record_final_report(session, action, FinalReportDraft(results="Handbook published.", lessons_learned="Start early."),
                                actor=officer, now=T0)
            apply_action_event(session, action, ActionEvent.CLOSE, actor=officer, now=T0)
    if status in (ActionStatus.SUSPENDED, ActionStatus.CANCELLED):
        event = ActionEvent.SUSPEND if status is ActionStatus.SUSPENDED else ActionEvent.CANCEL
        apply_action_event(session, action, event, actor=officer, now=T0, reason="Elections in the partner country.")
    session.commit()
    return action


def make_activity(session: Session, action: Action, officer: User, *, kind: ActivityKind = ActivityKind.WORKSHOP,
                  start: date = date(2026, 3, 2), days: int = 3, reported: bool = False,
                  title: str | None = None) -> Activity:
    activity = create_activity(
        session, action,
        ActivityDraft(kind=kind, title=title or f"{kind.value.replace('_', ' ').title()} {next(_seq)}", start_date=start,
                      end_date=start + timedelta(days=days - 1), city="Lima", country_code="PE", languages=("es",)),
        actor=officer, now=T0,
    )
    if reported:
        after = datetime.combine(start + timedelta(days=days), datetime.min.time(), tzinfo=UTC)
        apply_activity_event(session, activity, ActivityEvent.DELIVER, actor=officer, now=after)
        apply_activity_event(session, activity, ActivityEvent.REPORT, actor=officer, now=after,
                             report=ActivityReport(summary="Went well.", participants_female=12, participants_male=9))
    session.commit()
    return activity


def make_expert(session: Session, *, name: str = "Lucía Herrera", country: str = "ES",
                employer: Institution | None = None, languages: dict[str, str] | None = None,
                themes: dict[str, int] | None = None, status: str = "active", expert_type: str = "ms_official",
                day_cap: int = 60, user: User | None = None, gender: str = "female", years: int = 12):
    from workflow.experts.models import Expert, ExpertLanguage, ExpertStatus, ExpertTheme, ExpertType, Gender

    expert = Expert(
        name=name, email=f"expert{next(_seq)}@test.peerflow.org", gender=Gender(gender), nationality=country,
        institution_id=employer.id if employer else None, country_code=country, type=ExpertType(expert_type),
        years_experience=years, status=ExpertStatus(status), max_days_per_year=day_cap, created_at=T0, updated_at=T0,
        user_id=user.id if user else None,
    )
    expert.languages = [ExpertLanguage(language=k, level=v) for k, v in (languages or {"es": "C2", "en": "C1"}).items()]
    expert.themes = [ExpertTheme(thematic_area_id=theme(session, k).id, level=v)
                     for k, v in (themes or {"irregular_migration_thb": 3}).items()]
    session.add(expert)
    session.commit()
    return expert


def make_staffed_activity(session: Session, action: Action, officer: User, *, start: date = date(2027, 3, 1),
                          days: int = 3, remote: bool = False, languages: tuple[str, ...] = ("es",),
                          places: int = 1, title: str | None = None) -> Activity:
    """A planned activity with one expert slot (trafficking, Spanish)."""
    from workflow.activities.models import SlotRole
    from workflow.activities.slots import SlotDraft

    activity = create_activity(
        session, action,
        ActivityDraft(kind=ActivityKind.WORKSHOP, title=title or f"Workshop {next(_seq)}", start_date=start,
                      end_date=start + timedelta(days=days - 1), is_remote=remote,
                      city=None if remote else "Lima", country_code=None if remote else "PE", languages=languages,
                      slots=(SlotDraft(role=SlotRole.EXPERT, thematic_area_id=theme(session).id,
                                       language=languages[0], places=places),)),
        actor=officer, now=T0,
    )
    session.commit()
    return activity


def make_completed_deployment(session: Session, activity: Activity, expert, officer: User, *, expert_user: User,
                              releaser: User | None = None):
    """`expert` through the whole deployment lifecycle on `activity`'s first slot, to completed; the activity is
    delivered on the way (its dates must lie after T0). A member-state official's release is approved by
    `releaser` (an admin or their focal point)."""
    from workflow.deployments.lifecycle import DeploymentEvent
    from workflow.deployments.services import (
        apply_deployment_event,
        approve_release,
        needs_release,
        propose,
        record_mission_report,
    )

    deployment = propose(session, activity.slots[0], expert, actor=officer, now=T0)
    apply_deployment_event(session, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
    apply_deployment_event(session, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=T0)
    if needs_release(expert):
        approve_release(session, deployment, actor=releaser, now=T0)
    apply_deployment_event(session, deployment, DeploymentEvent.CONFIRM, actor=officer, now=T0)
    after = datetime.combine(activity.end_date + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    apply_activity_event(session, activity, ActivityEvent.DELIVER, actor=officer, now=after)
    record_mission_report(session, deployment, "Mission done.", actor=expert_user, now=after)
    apply_deployment_event(session, deployment, DeploymentEvent.COMPLETE, actor=officer, now=after)
    session.commit()
    return deployment
