"""Who sees which Actions is written once: `visible_actions` builds its query from `visibility(user)`, the
answer the shared list cache keys on. Users with the same answer must see the same Actions."""

from __future__ import annotations

from collections import defaultdict

import pytest
from sqlalchemy.orm import Session

from workflow.accounts.models import Role, User
from workflow.actions.models import Action
from workflow.actions.queries import visibility, visible_actions
from workflow.deployments.services import propose
from workflow.reference.models import InstitutionKind

from ..factories import T0, make_action, make_expert, make_institution, make_staffed_activity, make_user


def seen(db: Session, user: User) -> frozenset[int]:
    return frozenset(db.scalars(visible_actions(user).with_only_columns(Action.id)))


@pytest.fixture()
def world(db, officer, peru, bolivia):
    """Four Actions seen from every side: by beneficiaries, by the experts on them, by the member state
    whose administration sent them, and by nobody but staff."""
    ministry = make_institution(db, "ES", name="Spanish ministry", kind=InstitutionKind.MS_ADMINISTRATION)
    for_peru = make_action(db, officer, country="PE", beneficiary=peru, name="Peru")
    for_bolivia = make_action(db, officer, country="BO", beneficiary=bolivia, name="Bolivia")
    staffed = make_action(db, officer, country="PE", beneficiary=peru, name="Peru II")
    unclaimed = make_action(db, officer, country="EC", name="Ecuador")
    staffed.expert_institutions = [ministry]
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, employer=ministry, user=expert_user)
    propose(db, make_staffed_activity(db, staffed, officer).slots[0], expert, actor=officer, now=T0)
    db.commit()
    users = [
        officer, make_user(db, Role.ADMIN), make_user(db, Role.OFFICER),
        make_user(db, Role.REQUESTER, peru), make_user(db, Role.REQUESTER, peru), make_user(db, Role.REQUESTER, bolivia),
        make_user(db, Role.REQUESTER),  # no institution: sees nothing
        make_user(db, Role.MS_FOCAL_POINT, country="ES"), make_user(db, Role.MS_FOCAL_POINT, country="ES"),
        make_user(db, Role.MS_FOCAL_POINT, country="FR"), make_user(db, Role.MS_FOCAL_POINT),
        expert_user, make_user(db, Role.EXPERT), make_user(db, Role.STEERING),
    ]
    return users, {"peru": for_peru.id, "bolivia": for_bolivia.id, "staffed": staffed.id, "unclaimed": unclaimed.id}


def test_users_with_the_same_visibility_see_the_same_actions(db, world):
    users, _actions = world
    groups: dict[tuple, set[frozenset[int]]] = defaultdict(set)
    for user in users:
        groups[visibility(user)].add(seen(db, user))
    assert all(len(sights) == 1 for sights in groups.values()), dict(groups)
    # Every kind of answer is in the world: the check above is not vacuous.
    assert {scope for scope, _key in groups} == {"staff", "institution", "member_state", "expert", "nobody"}


def test_each_scope_sees_what_its_rule_says(db, world):
    users, actions = world
    by_answer = {visibility(user): seen(db, user) for user in users}
    assert by_answer[("staff", None)] == set(actions.values())
    peru_requester = next(u for u in users if u.role is Role.REQUESTER and u.institution_id is not None)
    assert by_answer[visibility(peru_requester)] == {actions["peru"], actions["staffed"]}
    assert by_answer[("member_state", "ES")] == {actions["staffed"]}
    assert by_answer[("member_state", "FR")] == set()
    deployed = next(u for u in users if u.role is Role.EXPERT)
    assert by_answer[visibility(deployed)] == {actions["staffed"]}
    assert by_answer[("nobody", None)] == set()
