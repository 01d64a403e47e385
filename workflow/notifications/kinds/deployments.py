"""The news of a deployment: an invitation, its answer, the focal point's release, confirmation, cancellation."""

from __future__ import annotations

from sqlalchemy import select

from ...accounts.models import Role, User
from ...activities.lifecycle import ActivityStatus
from ...core.i18n import _, _l, ngettext
from ...core.labels import label
from ...deployments.models import Deployment, DeploymentTransition
from ...deployments.permissions import needs_release
from ...deployments.signals import deployment_changed
from . import Context, Kind, Message, register
from .words import dates, deployment_ics, place

# --- Who hears of it ----------------------------------------------------------------------------------


def officers_of(session, action) -> list[User]:
    """The Action's officer; every active officer while it has none."""
    if action.officer is not None and action.officer.active:
        return [action.officer]
    return list(session.scalars(select(User).where(User.role == Role.OFFICER, User.active.is_(True))
                                .order_by(User.id)))


def focal_points_of(session, expert) -> list[User]:
    """The focal points of a member-state official's state (nobody for another kind of expert)."""
    if not needs_release(expert) or not expert.country_code:
        return []
    return list(session.scalars(select(User).where(
        User.role == Role.MS_FOCAL_POINT, User.country_code == expert.country_code, User.active.is_(True))
        .order_by(User.id)))


def _expert_user(_session, deployment: Deployment, _context):
    return [deployment.expert.user] if deployment.expert.user is not None else []


def _officer(session, deployment: Deployment, _context):
    return officers_of(session, deployment.activity.action)


def _release_awaited(session, deployment: Deployment, _context):
    return focal_points_of(session, deployment.expert) if deployment.release_approved_at is None else []


def _expert_and_focal_points(session, deployment: Deployment, _context):
    return [*_expert_user(session, deployment, _context), *focal_points_of(session, deployment.expert)]


def _cancelled_alone(session, deployment: Deployment, context):
    """A deployment cancelled on its own, once the expert had been invited (a proposal was never theirs). When
    its activity is cancelled, that activity's news tells the same people (see activities.py)."""
    if deployment.invited_at is None or deployment.activity.status is ActivityStatus.CANCELLED:
        return []
    return _expert_and_focal_points(session, deployment, context)


def _own_ics(_session, deployment: Deployment, user: User, base_url: str):
    """The expert's copy carries the calendar file; a focal point's does not."""
    return [deployment_ics(deployment, base_url)] if deployment.expert.user_id == user.id else []


# --- What they are told -----------------------------------------------------------------------------


def _link(deployment: Deployment) -> str:
    return f"/deployments/{deployment.id}"


def _mission(deployment: Deployment) -> str:
    activity = deployment.activity
    return _("Dates: %(dates)s. Place: %(place)s.", dates=dates(activity), place=place(activity))


def _invited(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    return Message(
        _("You are invited to “%(title)s”", title=activity.title),
        (_("You are invited as %(role)s to “%(title)s” (%(action)s).", role=label(deployment.role).lower(),
           title=activity.title, action=activity.action.name),
         _mission(deployment),
         ngettext("%(num)s working day.", "%(num)s working days.", deployment.working_days),
         _("Please accept or decline the invitation in Peerflow; the calendar file holds the dates.")),
        _link(deployment))


def _accepted(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    return Message(
        _("%(expert)s accepted “%(title)s”", expert=deployment.expert.name, title=activity.title),
        (_("%(expert)s accepted the invitation as %(role)s to “%(title)s” (%(action)s).",
           expert=deployment.expert.name, role=label(deployment.role).lower(), title=activity.title,
           action=activity.action.name),
         _mission(deployment),
         _("Confirm the deployment when everything is ready.")),
        _link(deployment))


def _declined(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    lines = [_("%(expert)s declined the invitation as %(role)s to “%(title)s” (%(action)s).",
               expert=deployment.expert.name, role=label(deployment.role).lower(), title=activity.title,
               action=activity.action.name)]
    if deployment.decline_reason:
        lines.append(_("Their reason: %(reason)s", reason=deployment.decline_reason))
    lines.append(_("The slot needs another expert."))
    return Message(_("%(expert)s declined “%(title)s”", expert=deployment.expert.name, title=activity.title),
                   tuple(lines), _link(deployment))


def _release_requested(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    return Message(
        _("Release requested for %(expert)s", expert=deployment.expert.name),
        (_("%(expert)s is invited as %(role)s to “%(title)s” (%(action)s).", expert=deployment.expert.name,
           role=label(deployment.role).lower(), title=activity.title, action=activity.action.name),
         _mission(deployment),
         ngettext("%(num)s working day.", "%(num)s working days.", deployment.working_days),
         _("As their member state's focal point, please approve or refuse their release in Peerflow.")),
        _link(deployment))


def _released(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    return Message(
        _("%(expert)s is released for “%(title)s”", expert=deployment.expert.name, title=activity.title),
        (_("The focal point of %(expert)s's member state approved their release for “%(title)s” (%(action)s).",
           expert=deployment.expert.name, title=activity.title, action=activity.action.name),),
        _link(deployment))


def _step_reason(session, deployment: Deployment, context: Context) -> str | None:
    """The reason the step gave: its `reason` keyword, else the deployment's latest history row's."""
    reason = context.extra.get("reason")
    if reason:
        return str(reason)
    return session.scalar(select(DeploymentTransition.reason).where(DeploymentTransition.deployment_id == deployment.id)
                          .order_by(DeploymentTransition.id.desc()).limit(1))


def _release_refused(session, deployment: Deployment, _user, context) -> Message:
    activity = deployment.activity
    lines = [_("The focal point of %(expert)s's member state refused their release for “%(title)s” (%(action)s).",
               expert=deployment.expert.name, title=activity.title, action=activity.action.name)]
    reason = context.extra.get("reason") or deployment.release_refusal_reason
    if reason:
        lines.append(_("Their reason: %(reason)s", reason=reason))
    lines.append(_("The deployment is cancelled; the slot needs another expert."))
    return Message(_("Release refused for %(expert)s", expert=deployment.expert.name), tuple(lines),
                   _link(deployment))


def _confirmed(_session, deployment: Deployment, user, _context) -> Message:
    activity = deployment.activity
    if deployment.expert.user_id == user.id:
        return Message(
            _("Your mission to “%(title)s” is confirmed", title=activity.title),
            (_("Your deployment as %(role)s to “%(title)s” (%(action)s) is confirmed.",
               role=label(deployment.role).lower(), title=activity.title, action=activity.action.name),
             _mission(deployment),
             _("The calendar file holds the dates.")),
            _link(deployment))
    return Message(
        _("%(expert)s's mission to “%(title)s” is confirmed", expert=deployment.expert.name, title=activity.title),
        (_("The deployment of %(expert)s as %(role)s to “%(title)s” (%(action)s) is confirmed.",
           expert=deployment.expert.name, role=label(deployment.role).lower(), title=activity.title,
           action=activity.action.name),
         _mission(deployment)),
        _link(deployment))


def _cancelled(session, deployment: Deployment, user, context) -> Message:
    activity = deployment.activity
    own = deployment.expert.user_id == user.id
    lines = [_("Your deployment as %(role)s to “%(title)s” (%(action)s) is cancelled.",
               role=label(deployment.role).lower(), title=activity.title, action=activity.action.name) if own
             else _("The deployment of %(expert)s as %(role)s to “%(title)s” (%(action)s) is cancelled.",
                    expert=deployment.expert.name, role=label(deployment.role).lower(), title=activity.title,
                    action=activity.action.name),
             _mission(deployment)]
    reason = _step_reason(session, deployment, context)
    if reason:
        lines.append(_("The reason: %(reason)s", reason=reason))
    title = (_("Your mission to “%(title)s” is cancelled", title=activity.title) if own
             else _("%(expert)s's mission to “%(title)s” is cancelled", expert=deployment.expert.name,
                    title=activity.title))
    return Message(title, tuple(lines), _link(deployment))


# --- The kinds, in the workflow's order --------------------------------------------------------------

STAFF = frozenset({Role.OFFICER, Role.ADMIN})


def _kind(code: str, label_: object, events: set[str], roles: frozenset[Role], recipients, message, **more) -> None:
    register(Kind(code=code, label=label_, signal=deployment_changed, events=frozenset(events),
                  subject_type="deployment", roles=roles, recipients=recipients, message=message, model=Deployment,
                  **more))


_kind("expert_invited", _l("You are invited to an activity"), {"invite"}, frozenset({Role.EXPERT}), _expert_user,
      _invited, mandatory=True,
      attachments=lambda _session, deployment, _user, base_url: [deployment_ics(deployment, base_url)])
_kind("release_requested", _l("A release is requested from you"), {"invite"}, frozenset({Role.MS_FOCAL_POINT}),
      _release_awaited, _release_requested, mandatory=True)
_kind("invitation_accepted", _l("An expert accepted an invitation"), {"accept"}, STAFF, _officer, _accepted)
_kind("invitation_declined", _l("An expert declined an invitation"), {"decline"}, STAFF, _officer, _declined)
_kind("release_approved", _l("A focal point released an expert"), {"release_approved"}, STAFF, _officer, _released)
_kind("release_refused", _l("A focal point refused a release"), {"release_refused"}, STAFF, _officer,
      _release_refused)
_kind("deployment_confirmed", _l("A mission is confirmed"), {"confirm"}, frozenset({Role.EXPERT, Role.MS_FOCAL_POINT}),
      _expert_and_focal_points, _confirmed, attachments=_own_ics)
# A refused release cancels the deployment: the expert (and the state's other focal points) hear it as such.
_kind("deployment_cancelled", _l("A mission is cancelled"), {"cancel", "release_refused"}, frozenset({Role.EXPERT, Role.MS_FOCAL_POINT}),
      _cancelled_alone, _cancelled)
