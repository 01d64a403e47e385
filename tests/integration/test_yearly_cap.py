"""The yearly day cap counts each day in its own calendar year, wherever the rules are asked on a real database.

An expert with 20 days booked in January 2027 and a cap of 22 cannot take a workshop from 28 December 2026 to
3 January 2027: its 3 January days take 2027 to 23 (its 4 December days count in 2026).
"""

from datetime import UTC, date, datetime

import pytest

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.core.errors import DomainError
from workflow.deployments.candidates import candidate_of, deployable_experts, load_candidates, slot_of
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.queries import booked_days_per_year
from workflow.deployments.roster_pool import PoolCache
from workflow.deployments.services import apply_deployment_event, check_hard_rules, propose
from workflow.deployments.staffing import plan_staffing
from workflow.matching.engine import rank

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = NOW.date()
NEW_YEAR = date(2026, 12, 28)  # to 3 January 2027: 4 days in 2026, 3 in 2027


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def action(db, officer):
    ministry = make_institution(db, "PE", name="Ministry of the Interior of Peru")
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=ministry)


def accepted(db, slot, expert, officer):
    """Propose, invite and accept: a booking the cap counts."""
    deployment = propose(db, slot, expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    db.commit()
    return deployment


@pytest.fixture()
def january_booked(db, officer, action):
    """Lucía: cap 22, 20 working days booked from 11 to 30 January 2027."""
    lucia = make_expert(db, name="Lucía Herrera", day_cap=22, user=make_user(db, Role.EXPERT))
    january = make_staffed_activity(db, action, officer, start=date(2027, 1, 11), days=20, title="January course")
    accepted(db, january.slots[0], lucia, officer)
    return lucia


@pytest.fixture()
def new_year(db, officer, action):
    return make_staffed_activity(db, action, officer, start=NEW_YEAR, days=7, title="New-year workshop")


def test_check_hard_rules_refuses_naming_the_next_year(db, officer, january_booked, new_year):
    with pytest.raises(DomainError) as refused:
        check_hard_rules(db, new_year.slots[0], january_booked, now=NOW)
    assert refused.value.message == ("Above the yearly day cap: cap of 22 days in 2027: 20 booked + 3 of this slot's "
                                     "7 days that fall in 2027 = 23.")
    with pytest.raises(DomainError, match="in 2027"):
        propose(db, new_year.slots[0], january_booked, actor=officer, now=NOW)


def test_an_expert_with_room_in_both_years_is_allowed(db, officer, action, new_year):
    roomy = make_expert(db, name="João Pereira", day_cap=23, user=make_user(db, Role.EXPERT))
    january = make_staffed_activity(db, action, officer, start=date(2027, 1, 11), days=20)
    accepted(db, january.slots[0], roomy, officer)
    check_hard_rules(db, new_year.slots[0], roomy, now=NOW)  # 20 + 3 = 23 in 2027, 4 in 2026


def test_the_candidate_loader_counts_each_day_in_its_own_year(db, officer, action, january_booked, new_year):
    other = make_expert(db, name="João Pereira", day_cap=60, user=make_user(db, Role.EXPERT))
    accepted(db, new_year.slots[0], other, officer)
    assert candidate_of(db, other.id, today=TODAY).days_booked == {2026: 4, 2027: 3}
    assert candidate_of(db, january_booked.id, today=TODAY).days_booked == {2027: 20}
    assert booked_days_per_year(db, other.id) == {2026: 4, 2027: 3}


def test_suggestions_from_the_loader_and_the_warm_pool_leave_the_expert_out(db, officer, action, january_booked,
                                                                           new_year):
    free = make_expert(db, name="Anna Novak", day_cap=22)
    slot = slot_of(db, new_year.slots[0])
    fresh = rank(slot, load_candidates(db, deployable_experts(), today=TODAY))
    warm = PoolCache().pool(db, today=TODAY, now=NOW).rank(slot)
    assert [r.candidate.expert_id for r in fresh] == [r.candidate.expert_id for r in warm] == [free.id]


def test_the_staffing_optimiser_respects_the_next_years_cap(db, officer, action, january_booked, new_year):
    plan, open_slots = plan_staffing(db, today=TODAY)
    assert new_year.slots[0].id in open_slots
    assert all(a.expert_id != january_booked.id for a in plan.assignments)
    assert plan.unfilled == {new_year.slots[0].id: 1}
    free = make_expert(db, name="Anna Novak", day_cap=22)
    plan, _open = plan_staffing(db, today=TODAY)
    assert [(a.slot_id, a.expert_id) for a in plan.assignments] == [(new_year.slots[0].id, free.id)]
