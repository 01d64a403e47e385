"""The news of a mission's expense claim: submitted (to the officer), returned or approved (to the expert)."""

from __future__ import annotations

from ...accounts.models import Role
from ...core.i18n import _, _l
from ...core.money import cents
from ...deployments.models import Deployment
from ...deployments.signals import deployment_changed
from ...missions.models import ExpenseClaim
from ...missions.signals import letter_changed
from . import Context, Kind, Message, register
from .deployments import STAFF, _expert_user, _officer


def _claim(session, context: Context) -> ExpenseClaim | None:
    claim_id = context.extra.get("claim_id")
    return session.get(ExpenseClaim, claim_id) if claim_id else None


def _link(context: Context) -> str:
    return f"/claims/{context.extra.get('claim_id')}"


def _total(session, context: Context) -> str:
    claim = _claim(session, context)
    return f"{cents(claim.total_eur)} EUR" if claim is not None else "—"


def _submitted(session, deployment: Deployment, _user, context: Context) -> Message:
    activity = deployment.activity
    return Message(
        _("%(expert)s submitted an expense claim", expert=deployment.expert.name),
        (_("%(expert)s submitted an expense claim of %(total)s for “%(title)s” (%(action)s).",
           expert=deployment.expert.name, total=_total(session, context), title=activity.title,
           action=activity.action.name),
         _("Check the receipts, then approve the claim or return it with a reason.")),
        _link(context))


def _returned(session, deployment: Deployment, _user, context: Context) -> Message:
    activity = deployment.activity
    lines = [_("Your expense claim for “%(title)s” was returned to you.", title=activity.title)]
    if context.extra.get("reason"):
        lines.append(_("The reason: %(reason)s", reason=context.extra["reason"]))
    lines.append(_("Correct the claim and submit it again."))
    return Message(_("Your expense claim was returned"), tuple(lines), _link(context))


def _approved(session, deployment: Deployment, _user, context: Context) -> Message:
    activity = deployment.activity
    return Message(
        _("Your expense claim was approved"),
        (_("Your expense claim of %(total)s for “%(title)s” was approved.", total=_total(session, context),
           title=activity.title),),
        _link(context))


def _kind(code: str, label_: object, event: str, roles: frozenset[Role], recipients, message) -> None:
    register(Kind(code=code, label=label_, signal=deployment_changed, events=frozenset({event}),
                  subject_type="deployment", roles=roles, recipients=recipients, message=message, model=Deployment))


_kind("claim_submitted", _l("An expert submitted an expense claim"), "claim_submit", STAFF, _officer, _submitted)
_kind("claim_returned", _l("Your expense claim was returned"), "claim_return", frozenset({Role.EXPERT}),
      _expert_user, _returned)
_kind("claim_approved", _l("Your expense claim was approved"), "claim_approve", frozenset({Role.EXPERT}),
      _expert_user, _approved)


def _letter_changed(session, deployment: Deployment, _user, context: Context) -> Message:
    activity = deployment.activity
    return Message(
        _("Your letter of assignment changed"),
        (_("The letter of assignment you accepted for “%(title)s” (%(action)s) has changed: its dates, place, fee, "
           "allowance or duties are not those you accepted.", title=activity.title, action=activity.action.name),
         _("Read the updated letter and accept it.")),
        f"/deployments/{deployment.id}/mission#letters")


register(Kind(code="letter_changed", label=_l("Your letter of assignment changed"), signal=letter_changed,
              events=frozenset({"changed"}), subject_type="deployment", roles=frozenset({Role.EXPERT}),
              recipients=_expert_user, message=_letter_changed, model=Deployment))
