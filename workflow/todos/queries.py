"""One SQL statement per kind of to-do: the rows that wait for a person now.

Every statement reads indexed columns only (statuses, foreign keys, dates) and selects just the columns its
to-do shows, so the home page can run a handful of them with a LIMIT, and the menu count them all in one
query (`services.todo_count`). None of them loads a relationship: no query per row.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Select, and_, exists, func, literal, or_, select

from ..accounts.models import User
from ..activities.lifecycle import ActivityStatus
from ..activities.models import Activity, ExpertSlot
from ..calls.lifecycle import CallStatus
from ..calls.models import Call, CallRecipient, FocalProposal, RecipientKind
from ..deployments.lifecycle import LIVE, RELEASABLE, DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertType
from ..governance.models import Consultation, ConsultationAnswer, ConsultationStatus, SteeringMember
from ..notifications.models import EmailState, NotificationEmail
from ..reminders.models import Reminder, ReminderState
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request

HORIZON = timedelta(days=60)  # missions and unstaffed slots this far ahead
NUDGE_AFTER = timedelta(days=3)  # the invite_nudge reminder's default offset
EXPIRES_AFTER = timedelta(days=7)  # the invite_expiry reminder's default offset
REPORT_DUE_AFTER = timedelta(days=10)  # the report_due reminder's default offset, after the activity's end
REPORT_OVERDUE_AFTER = timedelta(days=15)  # the report_overdue reminder's
STAFFED = (ActivityStatus.PLANNED, ActivityStatus.CONFIRMED, ActivityStatus.POSTPONED)  # still to take place


# --- The requester -------------------------------------------------------------------------------------------

def requests_in(user: User, status: RequestStatus) -> Select:
    """Their institution's requests in `status` (clarification asked, or a draft not yet submitted)."""
    return select(Request.id, Request.title, Request.updated_at.label("since")).where(
        Request.institution_id == (user.institution_id or -1), Request.status == status)


# --- The Steering Committee member ---------------------------------------------------------------------------

def consultations_unanswered(user: User) -> Select:
    """Open consultations on which this member has not given their position yet."""
    return (select(Consultation.request_id.label("id"), Request.title, Consultation.deadline,
                   Consultation.opened_at.label("since"))
            .join(ConsultationAnswer, ConsultationAnswer.consultation_id == Consultation.id)
            .join(SteeringMember, SteeringMember.id == ConsultationAnswer.member_id)
            .join(Request, Request.id == Consultation.request_id)
            .where(Consultation.status == ConsultationStatus.OPEN, SteeringMember.user_id == user.id,
                   ConsultationAnswer.answer.is_(None)))


# --- The member-state focal point ------------------------------------------------------------------------------

def _with_activity(*columns) -> Select:
    return (select(Deployment.id, Expert.name.label("expert"), Activity.title.label("activity"),
                   Activity.start_date, Activity.end_date, *columns)
            .join(Expert, Expert.id == Deployment.expert_id)
            .join(Activity, Activity.id == Deployment.activity_id))


def releases_awaited(country_code: str | None) -> Select:
    """Deployments of the state's member-state officials that wait for the focal point's release (every state's
    when `country_code` is None: an admin)."""
    stmt = _with_activity(Deployment.created_at.label("since")).where(
        Expert.type == ExpertType.MS_OFFICIAL, Deployment.status.in_(RELEASABLE),
        Deployment.release_approved_at.is_(None), Activity.status != ActivityStatus.CANCELLED)
    if country_code is None:
        return stmt
    # The state's officials first (an index), then their live deployments: not every live deployment's expert.
    officials = select(Expert.id).where(Expert.type == ExpertType.MS_OFFICIAL, Expert.country_code == country_code)
    return stmt.where(Deployment.expert_id.in_(officials), Expert.country_code == country_code)


def nominations_awaited(user: User, now: datetime) -> Select:
    """Open calls for experts that reached this focal point and to which they have proposed nobody yet."""
    proposed = exists().where(FocalProposal.call_id == Call.id, FocalProposal.focal_point_id == user.id)
    return (select(Call.id, Activity.title.label("activity"), Call.answer_deadline.label("deadline"),
                   Call.created_at.label("since"))
            .join(CallRecipient, CallRecipient.call_id == Call.id)
            .join(Activity, Activity.id == Call.activity_id)
            .where(CallRecipient.user_id == user.id, CallRecipient.kind == RecipientKind.FOCAL_POINT,
                   Call.status == CallStatus.OPEN, Call.answer_deadline > now, ~proposed))


# --- The expert ----------------------------------------------------------------------------------------------

def _own(user: User) -> Select:
    return select(Expert.id).where(Expert.user_id == user.id).scalar_subquery()


def invitations_open(user: User) -> Select:
    return _with_activity(Deployment.invited_at.label("since")).where(
        Deployment.expert_id == _own(user), Deployment.status == DeploymentStatus.INVITED)


def missions_coming(user: User, now: datetime) -> Select:
    """Confirmed missions that have not ended and start within the horizon."""
    today = now.date()
    return _with_activity(Deployment.updated_at.label("since")).where(
        Deployment.expert_id == _own(user), Deployment.status == DeploymentStatus.CONFIRMED,
        Activity.status.in_(STAFFED), Activity.end_date >= today, Activity.start_date <= today + HORIZON)


def _report_owed(now: datetime):
    """A confirmed deployment without its report, on an activity that ended (or was marked delivered)."""
    return and_(Deployment.status == DeploymentStatus.CONFIRMED, Deployment.mission_report.is_(None),
                Activity.status != ActivityStatus.CANCELLED,
                or_(Activity.end_date < now.date(),
                    Activity.status.in_((ActivityStatus.DELIVERED, ActivityStatus.REPORTED))))


def reports_owed(user: User, now: datetime) -> Select:
    return _with_activity(Deployment.updated_at.label("since")).where(
        Deployment.expert_id == _own(user), _report_owed(now))


# --- Programme staff -----------------------------------------------------------------------------------------

def requests_to_review() -> Select:
    return select(Request.id, Request.title, func.coalesce(Request.submitted_at, Request.updated_at).label("since")) \
        .where(Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)))


def decisions_to_record(now: datetime) -> Select:
    """Open consultations whose deadline has passed, or that every member consulted has answered."""
    unanswered = exists().where(ConsultationAnswer.consultation_id == Consultation.id,
                                ConsultationAnswer.answer.is_(None))
    return (select(Consultation.request_id.label("id"), Request.title, Consultation.deadline,
                   Consultation.opened_at.label("since"))
            .join(Request, Request.id == Consultation.request_id)
            .where(Consultation.status == ConsultationStatus.OPEN,
                   or_(Consultation.deadline <= now, ~unanswered)))


def slots_unstaffed(now: datetime) -> Select:
    """Slots of activities starting within the horizon with fewer live deployments than places."""
    today = now.date()
    live = (select(func.count()).select_from(Deployment)
            .where(Deployment.slot_id == ExpertSlot.id, Deployment.status.in_(LIVE)).scalar_subquery())
    return (select(ExpertSlot.id, Activity.title.label("activity"), Activity.start_date, ExpertSlot.role,
                   ExpertSlot.language, (ExpertSlot.places - live).label("open"), Activity.created_at.label("since"))
            .join(Activity, Activity.id == ExpertSlot.activity_id)
            .where(ExpertSlot.removed_at.is_(None), Activity.status.in_(STAFFED),
                   Activity.start_date >= today, Activity.start_date <= today + HORIZON, ExpertSlot.places > live))


def invitations_unanswered(now: datetime) -> Select:
    """Invitations still unanswered once the nudge has gone (invited more than three days ago)."""
    return _with_activity(Deployment.invited_at.label("since")).where(
        Deployment.status == DeploymentStatus.INVITED, Deployment.invited_at <= now - NUDGE_AFTER)


def reports_overdue(now: datetime) -> Select:
    return _with_activity(Deployment.updated_at.label("since")).where(
        _report_owed(now), Activity.end_date <= now.date() - REPORT_OVERDUE_AFTER)


def failed_reminders() -> Select:
    """How many reminder e-mails failed (one row: staff retry them from the outbox)."""
    return (select(literal(0).label("id"), func.count().label("failed"), func.min(Reminder.due_at).label("since"))
            .where(Reminder.state == ReminderState.FAILED).having(func.count() > 0))


def failed_notification_emails() -> Select:
    return (select(literal(0).label("id"), func.count().label("failed"),
                   func.min(NotificationEmail.due_at).label("since"))
            .where(NotificationEmail.state == EmailState.FAILED).having(func.count() > 0))
