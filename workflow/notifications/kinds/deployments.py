"""The news of a deployment: an invitation, its answer, the focal point's release, confirmation, cancellation."""

from __future__ import annotations

from ...accounts.models import Role
from ...core.i18n import _, _l, ngettext
from ...core.labels import label
from ...deployments.models import Deployment
from ...deployments.signals import deployment_changed
from . import Kind, Message, register
from .words import dates, deployment_ics, place


def _expert_user(_session, deployment: Deployment, _context):
    return [deployment.expert.user] if deployment.expert.user is not None else []


def _invited(_session, deployment: Deployment, _user, _context) -> Message:
    activity = deployment.activity
    return Message(
        _("You are invited to “%(title)s”", title=activity.title),
        (_("You are invited as %(role)s to “%(title)s” (%(action)s).", role=label(deployment.role).lower(),
           title=activity.title, action=activity.action.name),
         _("Dates: %(dates)s. Place: %(place)s.", dates=dates(activity), place=place(activity)),
         ngettext("%(num)s working day.", "%(num)s working days.", deployment.working_days),
         _("Please accept or decline the invitation in Peerflow; the calendar file holds the dates.")),
        f"/deployments/{deployment.id}")


register(Kind(
    code="expert_invited", label=_l("You are invited to an activity"), signal=deployment_changed,
    events=frozenset({"invite"}), subject_type="deployment", roles=frozenset({Role.EXPERT}),
    recipients=_expert_user, message=_invited, mandatory=True, model=Deployment,
    attachments=lambda _session, deployment, _user, base_url: [deployment_ics(deployment, base_url)]))
