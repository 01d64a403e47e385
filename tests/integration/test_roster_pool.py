"""The warm roster pool: the same ranking as a fresh load, after every kind of change, and reloads kept small."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.deployments.candidates import deployable_experts, load_candidates, slot_of
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.models import RosterChange
from workflow.deployments.roster_pool import PoolCache
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert, ExpertLanguage, ExpertStatus, Unavailability
from workflow.matching.engine import rank

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def action(db, officer):
    ministry = make_institution(db, "PE", name="Ministry of the Interior of Peru")
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=ministry)


@pytest.fixture()
def roster(db):
    return {
        "lucia": make_expert(db, name="Lucía Herrera", country="ES", years=20, user=make_user(db, Role.EXPERT),
                             themes={"irregular_migration_thb": 3}),
        "joao": make_expert(db, name="João Pereira", country="PT", languages={"es": "C1", "pt": "C2"},
                            themes={"irregular_migration_thb": 2}),
        "anna": make_expert(db, name="Anna Novak", country="SI", languages={"en": "C2"}),  # no Spanish
    }


@pytest.fixture()
def cache():
    return PoolCache()


def accepted(db, slot, expert, officer):
    """Propose, invite and accept: a booking the hard rules count."""
    deployment = propose(db, slot, expert, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=NOW)
    db.commit()
    return deployment


def names(ranked):
    return [r.candidate.name for r in ranked]


def fresh_ranking(db, slot):
    return names(rank(slot, load_candidates(db, deployable_experts(), today=TODAY)))


def warm_ranking(db, cache, slot):
    return names(cache.pool(db, today=TODAY, now=NOW).rank(slot))


def test_the_warm_pool_ranks_as_a_fresh_load_does(db, cache, officer, action, roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    assert warm_ranking(db, cache, slot) == fresh_ranking(db, slot) == ["Lucía Herrera", "João Pereira"]
    assert warm_ranking(db, cache, slot) == ["Lucía Herrera", "João Pereira"]
    assert (cache.full_loads, cache.partial_loads) == (1, 0)  # the second page came from memory


def test_a_new_booking_reloads_only_that_expert(db, cache, officer, action, roster):
    first = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    second = make_staffed_activity(db, action, officer, start=date(2027, 3, 2))  # overlaps the first
    slot = slot_of(db, second.slots[0])
    assert warm_ranking(db, cache, slot)[0] == "Lucía Herrera"
    seen = db.scalar(select(func.max(RosterChange.id)))

    accepted(db, first.slots[0], roster["lucia"], officer)

    assert warm_ranking(db, cache, slot) == fresh_ranking(db, slot) == ["João Pereira"]
    assert (cache.full_loads, cache.partial_loads) == (1, 1)
    assert set(db.scalars(select(RosterChange.expert_id).where(RosterChange.id > seen))) == {roster["lucia"].id}


def test_languages_status_and_unavailability_changes_are_seen(db, cache, officer, action, roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    warm_ranking(db, cache, slot)

    roster["anna"].languages.append(ExpertLanguage(language="es", level="C1"))
    db.commit()
    assert "Anna Novak" in warm_ranking(db, cache, slot)

    roster["joao"].status = ExpertStatus.INACTIVE
    db.commit()
    assert "João Pereira" not in warm_ranking(db, cache, slot)

    db.add(Unavailability(expert_id=roster["lucia"].id, start_date=date(2027, 2, 25), end_date=date(2027, 3, 10),
                          reason="Leave"))
    db.commit()
    assert warm_ranking(db, cache, slot) == fresh_ranking(db, slot) == ["Anna Novak"]
    assert cache.full_loads == 1


def test_moving_an_activity_moves_the_bookings_of_its_experts(db, cache, officer, action, roster):
    booked = make_staffed_activity(db, action, officer, start=date(2027, 3, 1))
    accepted(db, booked.slots[0], roster["lucia"], officer)
    later = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 5, 10)).slots[0])
    assert warm_ranking(db, cache, later)[0] == "Lucía Herrera"

    booked.start_date, booked.end_date = date(2027, 5, 9), date(2027, 5, 12)  # now clashes with the later one
    db.commit()

    assert warm_ranking(db, cache, later) == fresh_ranking(db, later) == ["João Pereira"]
    assert cache.full_loads == 1


def test_experts_added_without_the_orm_are_picked_up(db, cache, officer, action, roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    warm_ranking(db, cache, slot)
    template = db.get(Expert, roster["lucia"].id)
    db.execute(insert(Expert).values(
        name="Bulk Loaded", email="bulk@test.peerflow.org", gender=template.gender, nationality="ES",
        country_code="ES", type=template.type, years_experience=30, status=ExpertStatus.ACTIVE,
        max_days_per_year=60, created_at=NOW, updated_at=NOW))
    bulk_id = db.scalar(select(Expert.id).where(Expert.email == "bulk@test.peerflow.org"))
    db.execute(insert(ExpertLanguage).values(expert_id=bulk_id, language="es", level="C2"))
    db.commit()

    assert warm_ranking(db, cache, slot) == fresh_ranking(db, slot)
    assert "Bulk Loaded" in warm_ranking(db, cache, slot)


def test_a_rolled_back_change_is_not_kept(db, cache, officer, action, roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    warm_ranking(db, cache, slot)
    savepoint = db.begin_nested()
    roster["lucia"].status = ExpertStatus.INACTIVE
    db.flush()
    assert warm_ranking(db, cache, slot) == ["João Pereira"]  # seen inside the transaction that made it
    savepoint.rollback()

    assert warm_ranking(db, cache, slot) == fresh_ranking(db, slot) == ["Lucía Herrera", "João Pereira"]
    assert cache.full_loads == 2  # the change it had applied is gone: rebuilt from scratch


def test_a_new_day_rebuilds_the_pool(db, cache, officer, action, roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    cache.pool(db, today=TODAY, now=NOW)
    cache.pool(db, today=TODAY + timedelta(days=1), now=NOW + timedelta(days=1))
    assert cache.full_loads == 2 and names(cache.pool(db, today=TODAY, now=NOW).rank(slot))


def test_a_new_day_is_built_beside_while_the_previous_days_pool_keeps_answering(app, db, cache, officer, action,
                                                                                roster):
    slot = slot_of(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0])
    tomorrow = TODAY + timedelta(days=1)
    with app.app_context():
        app.testing = False  # as in production: no request waits for a whole new pool
        try:
            cache.pool(db, today=TODAY, now=NOW)
            accepted(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 2)).slots[0],
                     roster["lucia"], officer)
            # Answered at once, from yesterday's pool brought up to date with the booking made since.
            assert names(cache.pool(db, today=tomorrow, now=NOW + timedelta(days=1)).rank(slot)) == ["João Pereira"]
            cache._next_day.join(60)
        finally:
            app.testing = True
    assert cache.full_loads == 2 and cache._loaded.day == tomorrow
    assert names(cache.pool(db, today=tomorrow, now=NOW + timedelta(days=1)).rank(slot)) == ["João Pereira"]
