"""The news of an activity that moves or is called off: its experts and the requester hear of it at once.

An expert invited or booked on it is told on their deployment's page, with the new calendar file when it
moves; the requester's institution on the activity's page. A cancelled activity cancels its deployments:
this news says it once, to each person (the deployments' own cancellation news stays silent, see
deployments.py); an Action cancelled cancels its activities, each telling its own people once.
"""

from __future__ import annotations

from sqlalchemy import select

from ...accounts.models import Role, User
from ...activities.models import Activity, ActivityTransition
from ...activities.signals import activity_changed, activity_postponed
from ...core.i18n import _, _l
from ...deployments.lifecycle import NOTIFIED_ON_MOVE, DeploymentStatus
from ...deployments.models import Deployment, DeploymentTransition
from . import Context, Kind, Message, register
from .deployments import focal_points_of
from .words import dates, deployment_ics, period, place


def _requesters(session, activity: Activity) -> list[User]:
    """The requester users of the institution whose request opened the Action."""
    request = activity.action.request
    if request is None:
        return []
    return list(session.scalars(select(User).where(
        User.role == Role.REQUESTER, User.institution_id == request.institution_id, User.active.is_(True))
        .order_by(User.id)))


def _on_the_move(session, activity: Activity) -> list[Deployment]:
    """The deployments whose expert was invited or booked, as the activity moves."""
    return list(session.scalars(select(Deployment).where(
        Deployment.activity_id == activity.id, Deployment.status.in_(NOTIFIED_ON_MOVE)).order_by(Deployment.id)))


def _stood_down(session, activity: Activity, context: Context) -> list[Deployment]:
    """The deployments the activity's cancellation cancelled (this step), whose expert had been told of them."""
    return list(session.scalars(select(Deployment).join(DeploymentTransition).where(
        Deployment.activity_id == activity.id, DeploymentTransition.to_status == DeploymentStatus.CANCELLED,
        DeploymentTransition.from_status.in_(NOTIFIED_ON_MOVE), DeploymentTransition.at == context.now)
        .order_by(Deployment.id)))


def _people(session, activity: Activity, deployments: list[Deployment], *, focal_points: bool) -> list[User]:
    experts = [d.expert.user for d in deployments if d.expert.user is not None]
    focal = [u for d in deployments for u in focal_points_of(session, d.expert)] if focal_points else []
    return [*experts, *focal, *_requesters(session, activity)]


def _postponed_to(session, activity: Activity, context: Context) -> list[User]:
    return _people(session, activity, _on_the_move(session, activity), focal_points=False)


def _cancelled_to(session, activity: Activity, context: Context) -> list[User]:
    return _people(session, activity, _stood_down(session, activity, context), focal_points=True)


def _latest_reason(session, activity: Activity) -> str | None:
    return session.scalar(select(ActivityTransition.reason).where(ActivityTransition.activity_id == activity.id)
                          .order_by(ActivityTransition.id.desc()).limit(1))


def _theirs(deployments: list[Deployment], user: User) -> list[Deployment]:
    """The deployments `user` hears of as their expert, or as their member state's focal point."""
    if user.role is Role.MS_FOCAL_POINT:
        return [d for d in deployments if d.expert.country_code == user.country_code]
    return [d for d in deployments if d.expert.user_id == user.id]


def _link(activity: Activity, deployments: list[Deployment], user: User) -> str:
    mine = _theirs(deployments, user)
    return f"/deployments/{mine[0].id}" if mine else f"/activities/{activity.id}"


def _postponed(session, activity: Activity, user: User, context: Context) -> Message:
    lines = [_("“%(title)s” (%(action)s) moves to new dates: %(dates)s.", title=activity.title,
               action=activity.action.name, dates=dates(activity))]
    previous = context.extra.get("previous")
    if previous and previous[0] and previous[1]:
        lines.append(_("It was planned for %(dates)s.", dates=period(previous[0], previous[1])))
    lines.append(_("Place: %(place)s.", place=place(activity)))
    reason = _latest_reason(session, activity)
    if reason:
        lines.append(_("The reason: %(reason)s", reason=reason))
    mine = _theirs(_on_the_move(session, activity), user)
    if mine:
        lines.append(_("Your deployment stays as it was; the calendar file holds the new dates."))
    return Message(_("“%(title)s” is postponed to %(dates)s", title=activity.title, dates=dates(activity)),
                   tuple(lines), _link(activity, mine, user))


def _postponed_ics(session, activity: Activity, user: User, base_url: str):
    mine = [d for d in _on_the_move(session, activity) if d.expert.user_id == user.id]
    return [deployment_ics(mine[0], base_url)] if mine else []


def _cancelled(session, activity: Activity, user: User, context: Context) -> Message:
    lines = [_("“%(title)s” (%(action)s), planned for %(dates)s, is cancelled.", title=activity.title,
               action=activity.action.name, dates=dates(activity))]
    reason = _latest_reason(session, activity)
    if reason:
        lines.append(_("The reason: %(reason)s", reason=reason))
    mine = _theirs(_stood_down(session, activity, context), user)
    if user.role is Role.MS_FOCAL_POINT and mine:
        lines.append(_("The deployments of %(experts)s are cancelled with it.",
                       experts=", ".join(d.expert.name for d in mine)))
    elif mine:
        lines.append(_("Your deployment on it is cancelled with it."))
    return Message(_("“%(title)s” is cancelled", title=activity.title), tuple(lines), _link(activity, mine, user))


AUDIENCE = frozenset({Role.EXPERT, Role.REQUESTER})

register(Kind(
    code="activity_postponed", label=_l("An activity is postponed"), signal=activity_postponed,
    events=frozenset({"postpone"}), subject_type="activity", roles=AUDIENCE, recipients=_postponed_to,
    message=_postponed, attachments=_postponed_ics, model=Activity))
register(Kind(
    code="activity_cancelled", label=_l("An activity is cancelled"), signal=activity_changed,
    events=frozenset({"cancel"}), subject_type="activity", roles=AUDIENCE | {Role.MS_FOCAL_POINT},
    recipients=_cancelled_to, message=_cancelled, model=Activity))
