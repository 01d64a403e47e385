"""Who sees and changes money: programme staff see every amount and keep budgets and cost lines; admins
keep the rates; an expert sees only their own fee and allowance; requesters and focal points see none."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..accounts.models import Role

if TYPE_CHECKING:
    from ..accounts.models import User
    from ..deployments.models import Deployment


def sees_money(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_staff


def keeps_rates(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role is Role.ADMIN


def sees_own_pay(user: User, deployment: Deployment) -> bool:
    """Staff, or the expert deployed: their fee and allowance only."""
    if sees_money(user):
        return True
    return user.role is Role.EXPERT and deployment.expert.user_id is not None and deployment.expert.user_id == user.id
