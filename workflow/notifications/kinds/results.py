"""The news of an Action's results that a beneficiary sends: the officer hears when a requester records a
measurement or news of a policy deliverable (the check-ins 6 and 12 months after closure ask them for it)."""

from __future__ import annotations

from sqlalchemy import select

from ...accounts.models import Role, User
from ...actions.models import Action
from ...actions.signals import action_changed
from ...core.i18n import _, _l
from . import Context, Kind, Message, register

STAFF = frozenset({Role.OFFICER, Role.ADMIN})


def _officers(session, action: Action, context: Context) -> list[User]:
    """Its officer, or every active officer while it has none, when a beneficiary (not staff) sent the news."""
    if context.actor is None or context.actor.is_staff:
        return []
    if action.officer is not None and action.officer.active:
        return [action.officer]
    return list(session.scalars(select(User).where(User.role == Role.OFFICER, User.active).order_by(User.id)))


def _news(session, action: Action, user: User, context: Context) -> Message:
    who = context.actor.name if context.actor is not None else ""
    return Message(_("News of the deliverables of %(name)s", name=action.name),
                   (_("%(who)s recorded news of a policy deliverable of %(name)s (%(title)s).", who=who,
                      name=action.name, title=action.title),),
                   f"/actions/{action.id}/results#deliverable-news")


def _measured(session, action: Action, user: User, context: Context) -> Message:
    who = context.actor.name if context.actor is not None else ""
    return Message(_("A measurement of %(name)s's results", name=action.name),
                   (_("%(who)s recorded a measurement in the results framework of %(name)s (%(title)s).", who=who,
                      name=action.name, title=action.title),),
                   f"/actions/{action.id}/results#framework")


register(Kind(
    code="deliverable_news", label=_l("A beneficiary sends news of a deliverable"), signal=action_changed,
    events=frozenset({"deliverable_news"}), subject_type="action", roles=STAFF, recipients=_officers,
    message=_news, model=Action))
register(Kind(
    code="measurement_added", label=_l("A beneficiary records a measurement"), signal=action_changed,
    events=frozenset({"measurement"}), subject_type="action", roles=STAFF, recipients=_officers,
    message=_measured, model=Action))
