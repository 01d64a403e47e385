"""One SQL statement per kind of to-do: the rows that wait for a person now.

Every statement reads indexed columns only (statuses, foreign keys, dates) and selects just the columns its
to-do shows, so the home page can run a handful of them with a LIMIT, and the menu count them all in one
query (`services.todo_count`). None of them loads a relationship: no query per row.

Who is asking and when are bound parameters (`P`, their values from `values(user, now)`), never part of the
statement: each statement is built, and its SQL compiled, once per process, not on every page (building the
menu count's nested statement again on each request was most of its time).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, bindparam, exists, func, literal, or_, select, union_all

from ..accounts.models import User
from ..actions.lifecycle import ActionStatus
from ..actions.models import Action, ActionTransition, action_beneficiaries
from ..activities.lifecycle import ActivityStatus
from ..activities.models import POLICY_DELIVERABLE_KINDS, Activity, Deliverable, ExpertSlot
from ..calls.lifecycle import CallStatus
from ..calls.models import Call, CallRecipient, FocalProposal, RecipientKind
from ..database import planned_for, unindexed
from ..deployments.lifecycle import LIVE, RELEASABLE, DeploymentStatus
from ..deployments.models import Deployment
from ..experts.models import Expert, ExpertType
from ..finance.models import ActionBudgetLine, BudgetOverrun, CostLine
from ..governance.models import Consultation, ConsultationAnswer, ConsultationStatus, SteeringMember
from ..missions.lifecycle import ClaimStatus
from ..missions.models import AssignmentLetter, ChecklistItem, ExpenseClaim, LetterAcceptance
from ..notifications.models import EmailState, NotificationEmail
from ..reminders.models import Reminder, ReminderState
from ..requests.lifecycle import RequestStatus
from ..requests.models import Request
from ..results.models import DeliverableStage
from ..results.stages import add_months

HORIZON = timedelta(days=60)  # missions and unstaffed slots this far ahead
NUDGE_AFTER = timedelta(days=3)  # the invite_nudge reminder's default offset
EXPIRES_AFTER = timedelta(days=7)  # the invite_expiry reminder's default offset
REPORT_DUE_AFTER = timedelta(days=10)  # the report_due reminder's default offset, after the activity's end
REPORT_OVERDUE_AFTER = timedelta(days=15)  # the report_overdue reminder's
STAFFED = (ActivityStatus.PLANNED, ActivityStatus.CONFIRMED, ActivityStatus.POSTPONED)  # still to take place


class P:
    """The statements' parameters (each takes its type from the column it is compared with)."""

    user_id = bindparam("user_id")
    institution_id = bindparam("institution_id")  # -1 for a user without one: matches no row
    country_code = bindparam("country_code")  # "" for a user without one
    now = bindparam("now")
    today = bindparam("today")
    horizon = bindparam("horizon")  # today + HORIZON
    nudged = bindparam("nudged")  # now - NUDGE_AFTER
    overdue = bindparam("overdue")  # today - REPORT_OVERDUE_AFTER
    six_months_ago = bindparam("six_months_ago")
    twelve_months_ago = bindparam("twelve_months_ago")


WHO = ("user_id", "institution_id", "country_code")  # the parameters that depend on the person, not the time


def values(user: User, now: datetime) -> dict[str, Any]:
    """The parameters' values for `user` at `now`."""
    today = now.date()
    return {"user_id": user.id, "institution_id": user.institution_id or -1, "country_code": user.country_code or "",
            "now": now, "today": today, "horizon": today + HORIZON, "nudged": now - NUDGE_AFTER,
            "overdue": today - REPORT_OVERDUE_AFTER, "six_months_ago": add_months(now, -6),
            "twelve_months_ago": add_months(now, -12)}


# --- The requester -------------------------------------------------------------------------------------------

def requests_in(status: RequestStatus) -> Select:
    """Their institution's requests in `status` (clarification asked, or a draft not yet submitted)."""
    return select(Request.id, Request.title, Request.updated_at.label("since")).where(
        Request.institution_id == P.institution_id, Request.status == status)


def check_ins_owed() -> Select:
    """Closed Actions of their institution whose latest check-in (6 or 12 months after closure) has come while a
    policy deliverable still has no news for it."""
    # When each of their Actions closed, read per Action (by its transitions' index): a grouped subquery of every
    # closure in the portfolio was added up in full for each requester, 15 ms at scale 100.
    closed_at = (select(func.max(ActionTransition.at))
                 .where(ActionTransition.action_id == Action.id, ActionTransition.to_status == ActionStatus.CLOSED)
                 .correlate(Action).scalar_subquery())
    mine = select(action_beneficiaries.c.action_id).where(
        action_beneficiaries.c.institution_id == P.institution_id)

    def owed(months: int, since: Any, before: Any) -> Select:
        unanswered = exists().where(
            Deliverable.action_id == Action.id, Deliverable.kind.in_(POLICY_DELIVERABLE_KINDS),
            ~exists().where(DeliverableStage.deliverable_id == Deliverable.id,
                            DeliverableStage.check_in_months == months))
        window = [closed_at <= since] + ([closed_at > before] if before is not None else [])
        return (select(Action.id, Action.name.label("title"), literal(months).label("months"),
                       closed_at.label("since"))
                .where(Action.status == ActionStatus.CLOSED, Action.id.in_(mine), unanswered, *window))

    return union_all(owed(12, P.twelve_months_ago, None), owed(6, P.six_months_ago, P.twelve_months_ago)) \
        .subquery().select()


# --- The Steering Committee member ---------------------------------------------------------------------------

def consultations_unanswered() -> Select:
    """Open consultations on which this member has not given their position yet."""
    return (select(Consultation.request_id.label("id"), Request.title, Consultation.deadline,
                   Consultation.opened_at.label("since"))
            .join(ConsultationAnswer, ConsultationAnswer.consultation_id == Consultation.id)
            .join(SteeringMember, SteeringMember.id == ConsultationAnswer.member_id)
            .join(Request, Request.id == Consultation.request_id)
            .where(Consultation.status == ConsultationStatus.OPEN, SteeringMember.user_id == P.user_id,
                   ConsultationAnswer.answer.is_(None)))


# --- The member-state focal point ------------------------------------------------------------------------------

def _with_activity(*columns) -> Select:
    return (select(Deployment.id, Expert.name.label("expert"), Activity.title.label("activity"),
                   Activity.start_date, Activity.end_date, *columns)
            .join(Expert, Expert.id == Deployment.expert_id)
            .join(Activity, Activity.id == Deployment.activity_id))


def releases_awaited(every_state: bool = False) -> Select:
    """Deployments of the officials of the focal point's state (`P.country_code`) that wait for their release
    (every state's for an admin)."""
    stmt = _with_activity(Deployment.created_at.label("since")).where(
        Expert.type == ExpertType.MS_OFFICIAL, Deployment.status.in_(RELEASABLE),
        Deployment.release_approved_at.is_(None), Activity.status != ActivityStatus.CANCELLED)
    if every_state:
        return stmt
    # The state's officials first (an index), then their live deployments: not every live deployment's expert.
    officials = select(Expert.id).where(Expert.type == ExpertType.MS_OFFICIAL, Expert.country_code == P.country_code)
    return stmt.where(Deployment.expert_id.in_(officials), Expert.country_code == P.country_code)


def nominations_awaited() -> Select:
    """Open calls for experts that reached this focal point and to which they have proposed nobody yet."""
    proposed = exists().where(FocalProposal.call_id == Call.id, FocalProposal.focal_point_id == P.user_id)
    return (select(Call.id, Activity.title.label("activity"), Call.answer_deadline.label("deadline"),
                   Call.created_at.label("since"))
            .join(CallRecipient, CallRecipient.call_id == Call.id)
            .join(Activity, Activity.id == Call.activity_id)
            .where(CallRecipient.user_id == P.user_id, CallRecipient.kind == RecipientKind.FOCAL_POINT,
                   Call.status == CallStatus.OPEN, Call.answer_deadline > P.now, ~proposed))


# --- The expert ----------------------------------------------------------------------------------------------

def _own() -> Select:
    return select(Expert.id).where(Expert.user_id == P.user_id).scalar_subquery()


def invitations_open() -> Select:
    return _with_activity(Deployment.invited_at.label("since")).where(
        Deployment.expert_id == _own(), Deployment.status == DeploymentStatus.INVITED)


def missions_coming() -> Select:
    """Confirmed missions that have not ended and start within the horizon."""
    return _with_activity(Deployment.updated_at.label("since")).where(
        Deployment.expert_id == _own(), Deployment.status == DeploymentStatus.CONFIRMED,
        Activity.status.in_(STAFFED), Activity.end_date >= P.today, Activity.start_date <= P.horizon)


def _report_owed():
    """A confirmed deployment without its report, on an activity that ended (or was marked delivered)."""
    return and_(Deployment.status == planned_for(Deployment.status, DeploymentStatus.CONFIRMED),
                Deployment.mission_report.is_(None),
                Activity.status != ActivityStatus.CANCELLED,
                or_(Activity.end_date < P.today,
                    Activity.status.in_((ActivityStatus.DELIVERED, ActivityStatus.REPORTED))))


def reports_owed() -> Select:
    return _with_activity(Deployment.updated_at.label("since")).where(
        Deployment.expert_id == _own(), _report_owed())


# --- Missions (workflow/missions): the checklist before departure, the letter to accept, claims -------------

def checklist_open() -> Select:
    """Open checklist items of the expert's accepted or confirmed missions that have not started."""
    return (select(ChecklistItem.id, ChecklistItem.deployment_id, ChecklistItem.text, Activity.title.label("activity"),
                   Activity.start_date, ChecklistItem.created_at.label("since"))
            .join(Deployment, Deployment.id == ChecklistItem.deployment_id)
            .join(Activity, Activity.id == Deployment.activity_id)
            .where(Deployment.expert_id == _own(), ChecklistItem.done_at.is_(None),
                   Deployment.status.in_((DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED)),
                   Activity.status.in_(STAFFED), Activity.start_date >= P.today))


def letters_unaccepted() -> Select:
    """Confirmed missions still to come or under way whose letter of assignment the expert has never accepted
    (once a mission is over, its letter is no longer a step to take)."""
    accepted = exists().where(LetterAcceptance.deployment_id == Deployment.id)
    return _with_activity(Deployment.updated_at.label("since")).where(
        Deployment.expert_id == _own(), Deployment.status == DeploymentStatus.CONFIRMED, ~accepted,
        Activity.end_date >= P.today)


def letters_changed() -> Select:
    """Confirmed missions still to come or under way whose letter of assignment changed since the expert accepted
    it: its current version (kept from the first acceptance on) is not among those they accepted."""
    accepted = exists().where(LetterAcceptance.deployment_id == Deployment.id,
                              LetterAcceptance.version == AssignmentLetter.version)
    return (_with_activity(AssignmentLetter.updated_at.label("since"))
            .join(AssignmentLetter, AssignmentLetter.deployment_id == Deployment.id)
            .where(Deployment.expert_id == _own(), Deployment.status == DeploymentStatus.CONFIRMED, ~accepted,
                   Activity.end_date >= P.today))


def claims_in(status: ClaimStatus, own: bool = False) -> Select:
    """Claims in `status` (the expert's own when `own`): returned ones to correct, submitted to decide."""
    stmt = (select(ExpenseClaim.id, Expert.name.label("expert"), Activity.title.label("activity"),
                   ExpenseClaim.updated_at.label("since"))
            .join(Deployment, Deployment.id == ExpenseClaim.deployment_id)
            .join(Expert, Expert.id == Deployment.expert_id)
            .join(Activity, Activity.id == Deployment.activity_id)
            .where(ExpenseClaim.status == planned_for(ExpenseClaim.status, status)))
    return stmt.where(Deployment.expert_id == _own()) if own else stmt


# --- Programme staff -----------------------------------------------------------------------------------------

def requests_to_review() -> Select:
    return select(Request.id, Request.title, func.coalesce(Request.submitted_at, Request.updated_at).label("since")) \
        .where(Request.status.in_((RequestStatus.SUBMITTED, RequestStatus.UNDER_REVIEW)))


def decisions_to_record() -> Select:
    """Open consultations whose deadline has passed, or that every member consulted has answered."""
    unanswered = exists().where(ConsultationAnswer.consultation_id == Consultation.id,
                                ConsultationAnswer.answer.is_(None))
    return (select(Consultation.request_id.label("id"), Request.title, Consultation.deadline,
                   Consultation.opened_at.label("since"))
            .join(Request, Request.id == Consultation.request_id)
            .where(Consultation.status == ConsultationStatus.OPEN,
                   or_(Consultation.deadline <= P.now, ~unanswered)))


def slots_unstaffed() -> Select:
    """Slots of activities starting within the horizon with fewer live deployments than places."""
    live = (select(func.count()).select_from(Deployment)
            .where(Deployment.slot_id == ExpertSlot.id, Deployment.status.in_(LIVE)).scalar_subquery())
    return (select(ExpertSlot.id, Activity.title.label("activity"), Activity.start_date, ExpertSlot.role,
                   ExpertSlot.language, (ExpertSlot.places - live).label("open"), Activity.created_at.label("since"))
            .join(Activity, Activity.id == ExpertSlot.activity_id)
            .where(ExpertSlot.removed_at.is_(None), Activity.status.in_(STAFFED),
                   Activity.start_date >= P.today, Activity.start_date <= P.horizon, ExpertSlot.places > live))


def invitations_unanswered() -> Select:
    """Invitations still unanswered once the nudge has gone (invited more than three days ago)."""
    return _with_activity(Deployment.invited_at.label("since")).where(
        Deployment.status == DeploymentStatus.INVITED, Deployment.invited_at <= P.nudged)


def reports_overdue() -> Select:
    return _with_activity(Deployment.updated_at.label("since")).where(
        _report_owed(), Activity.end_date <= P.overdue)


def budgets_over() -> Select:
    """Budget categories of open Actions in this person's charge (or in nobody's) whose planned, committed or
    actual total is past the budget, until the budget is raised or the costs lowered. Only the cost lines of those
    Actions are added up (the whole portfolio's took 180 ms at scale 100, on every page's to-do count)."""
    charged = and_(Action.status.notin_((ActionStatus.CLOSED, ActionStatus.CANCELLED)),
                   or_(Action.officer_id == P.user_id, Action.officer_id.is_(None)))
    # From the Actions to their activities and cost lines, by their indexes. Not by the index of `removed_at`, which
    # SQLite's planner otherwise picks (nearly every line is not removed).
    kept = unindexed(CostLine.removed_at).is_(None)
    totals = (select(Activity.action_id, CostLine.category, func.sum(CostLine.planned_eur).label("planned"),
                     func.sum(CostLine.committed_eur).label("committed"), func.sum(CostLine.actual_eur).label("actual"))
              .select_from(Action).join(Activity, Activity.action_id == Action.id)
              .join(CostLine, CostLine.activity_id == Activity.id)
              .where(charged, kept)
              .group_by(Activity.action_id, CostLine.category).subquery())
    latest = (select(func.max(BudgetOverrun.at)).where(BudgetOverrun.action_id == ActionBudgetLine.action_id,
                                                       BudgetOverrun.category == ActionBudgetLine.category)
              .scalar_subquery())
    budget = ActionBudgetLine.amount_eur
    return (select(ActionBudgetLine.id, Action.id.label("action_id"), Action.name, ActionBudgetLine.category,
                   func.coalesce(latest, ActionBudgetLine.updated_at).label("since"))
            .join(Action, Action.id == ActionBudgetLine.action_id)
            .join(totals, and_(totals.c.action_id == ActionBudgetLine.action_id,
                               totals.c.category == ActionBudgetLine.category))
            .where(Action.status.notin_((ActionStatus.CLOSED, ActionStatus.CANCELLED)),
                   or_(Action.officer_id == P.user_id, Action.officer_id.is_(None)),
                   or_(totals.c.planned > budget, totals.c.committed > budget, totals.c.actual > budget)))


def failed_reminders() -> Select:
    """How many reminder e-mails failed (one row: staff retry them from the outbox)."""
    return (select(literal(0).label("id"), func.count().label("failed"), func.min(Reminder.due_at).label("since"))
            .where(Reminder.state == ReminderState.FAILED).having(func.count() > 0))


def failed_notification_emails() -> Select:
    return (select(literal(0).label("id"), func.count().label("failed"),
                   func.min(NotificationEmail.due_at).label("since"))
            .where(NotificationEmail.state == EmailState.FAILED).having(func.count() > 0))
