"""What a user may do with an Action's results framework and its deliverables' news: pure functions of the
Action's state and the user, asked by the pages and checked again by the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..accounts.models import Role
from ..actions.lifecycle import ActionStatus

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..actions.models import Action
    from .models import Indicator, ResultsFramework


@dataclass(frozen=True)
class ResultsPermissions:
    edit: bool = False  # the objective, expected results and indicators (staff)
    measure_any: bool = False  # add a measurement to any indicator (staff)
    record_news: bool = False  # record the stage a policy deliverable reached, and what came of it


NOTHING = ResultsPermissions()


def is_beneficiary_requester(action: Action, user: User) -> bool:
    """A requester whose institution the Action benefits (the only requesters who see it)."""
    return (user.role is Role.REQUESTER and user.institution_id is not None
            and any(i.id == user.institution_id for i in action.beneficiaries))


def results_permissions(action: Action, user: User) -> ResultsPermissions:
    """Staff edit the framework and measure while the Action is not cancelled; the beneficiary's requesters
    send news of the deliverables once the Action is closed (the check-ins)."""
    if user.is_staff:
        live = action.status is not ActionStatus.CANCELLED
        return ResultsPermissions(edit=live, measure_any=live, record_news=live)
    if is_beneficiary_requester(action, user):
        return ResultsPermissions(record_news=action.status is ActionStatus.CLOSED)
    return NOTHING


def may_measure(framework: ResultsFramework, indicator: Indicator, user: User) -> bool:
    """Staff measure any indicator; a beneficiary's requester those staff opened to them (one by one or all)."""
    action = framework.action
    if action.status is ActionStatus.CANCELLED:
        return False
    if user.is_staff:
        return True
    opened = framework.requester_may_measure or indicator.requester_may_measure
    return opened and is_beneficiary_requester(action, user)
