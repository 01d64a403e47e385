"""The demo portfolio: built from the programme's documents, loaded through the services, idempotent."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from seed.demo import DEMO_ACCOUNTS, load_demo, portfolio_counts
from workflow.accounts.models import User
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.actions.queries import visible_actions
from workflow.activities.lifecycle import ActivityKind
from workflow.activities.models import DeliverableKind
from workflow.requests.models import Request
from workflow.requests.services import visible_requests

from ..dbsetup import demo_loaded

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(engine):
    """The demo (loaded once per run), in a transaction rolled back after the module."""
    yield from demo_loaded(engine, NOW)


def action_named(db, name: str) -> Action:
    return db.scalar(select(Action).where(Action.name == name))


def test_loading_twice_changes_nothing(demo):
    first = portfolio_counts(demo)
    load_demo(demo, now=NOW)
    demo.commit()
    assert portfolio_counts(demo) == first


def test_the_portfolio_has_the_actions_the_documents_name(demo):
    names = set(demo.scalars(select(Action.name)))
    assert len(names) >= 25
    for name in ["Argentina/Brazil", "Bolivia", "Colombia", "Colombia II", "Costa Rica", "Costa Rica V",
                 "Dominican Republic II", "Mexico", "Mexico IV", "Panama", "Paraguay I", "Paraguay II", "Peru", "Peru III",
                 "SICA", "MERCOSUR", "IberRed", "MIRPS", "Brazil III", "El Salvador II", "Gran Chaco"]:
        assert name in names, name
    assert "Peru II" not in names


def test_peru_is_as_the_documents_describe_it(demo):
    peru = action_named(demo, "Peru")
    assert peru.thematic_area.code == "irregular_migration_thb"
    assert (peru.planned_start.year, peru.planned_start.month) == (2013, 4)
    missions = [a for a in peru.activities if a.kind is ActivityKind.FACT_FINDING_MISSION]
    assert any((a.start_date.year, a.start_date.month) == (2013, 4) for a in missions)
    visits = [a for a in peru.activities if a.kind is ActivityKind.STUDY_VISIT]
    assert any((a.start_date.year, a.start_date.month, a.country_code) == (2015, 3, "AR") for a in visits)


def test_costa_rica_published_its_national_integration_plan_in_march_2013(demo):
    costa_rica = action_named(demo, "Costa Rica")
    plans = [d for d in costa_rica.deliverables if d.kind is DeliverableKind.NATIONAL_PLAN]
    assert plans and plans[0].issued_on and (plans[0].issued_on.year, plans[0].issued_on.month) == (2013, 3)
    assert "Integration" in plans[0].title


def test_closed_actions_went_through_the_lifecycle_with_history(demo):
    closed = demo.scalars(select(Action).where(Action.status == ActionStatus.CLOSED)).all()
    assert closed
    for action in closed:
        assert action.final_report is not None, action.name
        steps = [t.to_status for t in action.transitions]
        assert steps[0] is ActionStatus.ACCEPTED and steps[-1] is ActionStatus.CLOSED, action.name
        assert ActionStatus.IMPLEMENTATION in steps and ActionStatus.CLOSING in steps


def test_some_actions_are_open(demo):
    statuses = set(demo.scalars(select(Action.status)))
    assert {ActionStatus.IMPLEMENTATION, ActionStatus.CLOSED} <= statuses


def test_the_demo_accounts_exist_with_the_demo_password(demo):
    for email, *_ in DEMO_ACCOUNTS:
        user = demo.scalar(select(User).where(User.email == email))
        assert user is not None and user.is_demo, email
    officer = demo.scalar(select(User).where(User.email == "officer@demo.peerflow.org"))
    assert officer.check_password("peerflow-demo")


def test_the_bolivian_requester_sees_nothing_peruvian(demo):
    bo = demo.scalar(select(User).where(User.email == "requester.bo@demo.peerflow.org"))
    pe = demo.scalar(select(User).where(User.email == "requester.pe@demo.peerflow.org"))
    bo_actions = set(demo.scalars(visible_actions(bo).with_only_columns(Action.name)))
    pe_actions = set(demo.scalars(visible_actions(pe).with_only_columns(Action.name)))
    assert {"Peru", "Peru III"} <= pe_actions
    assert "Bolivia" in bo_actions and not ({"Peru", "Peru III"} & bo_actions)
    bo_requests = demo.scalars(visible_requests(bo)).all()
    assert bo_requests and all(r.institution_id == bo.institution_id for r in bo_requests)
    assert demo.scalars(visible_requests(pe)).all()


def test_the_focal_point_sees_actions_with_spanish_experts(demo):
    focal = demo.scalar(select(User).where(User.email == "focal.es@demo.peerflow.org"))
    names = set(demo.scalars(visible_actions(focal).with_only_columns(Action.name)))
    assert "Peru" in names and "Bolivia" in names


def test_open_requests_wait_in_the_queue(demo):
    statuses = {r.status.value for r in demo.scalars(select(Request))}
    assert {"draft", "submitted", "under_review", "clarification_requested", "declined"} <= statuses


def test_planned_activities_are_in_the_future(demo):
    from workflow.activities.models import Activity

    for activity in demo.scalars(select(Activity).where(Activity.status == "planned")):
        assert activity.start_date > date(2026, 11, 23)


def test_the_roster_has_150_experts_across_the_named_states(demo):
    from collections import Counter

    from workflow.experts.models import Expert, ExpertType

    experts = demo.scalars(select(Expert)).all()
    assert len(experts) >= 150
    countries = Counter(e.country_code for e in experts)
    for state in ("ES", "PT", "NL", "BE", "AT", "SE"):
        assert countries[state] >= 3, state
    peers = Counter(e.country_code for e in experts if e.type is ExpertType.PARTNER_PEER)
    for partner in ("MX", "AR", "BR"):
        assert peers[partner] >= 3, partner


def test_past_deployments_follow_the_seeds_administrations(demo):
    from workflow.deployments.models import Deployment

    peru = action_named(demo, "Peru")
    deployed = demo.scalars(select(Deployment).where(Deployment.activity_id.in_([a.id for a in peru.activities]))).all()
    assert deployed and all(d.status.value == "completed" for d in deployed)
    named = {i.id for i in peru.expert_institutions}
    assert all(d.expert.institution_id in named for d in deployed)


def test_the_demo_expert_has_an_open_invitation(demo):
    from workflow.deployments.models import Deployment
    from workflow.experts.models import Expert

    expert = demo.scalar(select(Expert).where(Expert.email == "expert@demo.peerflow.org"))
    statuses = {d.status.value for d in demo.scalars(select(Deployment).where(Deployment.expert_id == expert.id))}
    assert "invited" in statuses


def test_the_demo_expert_has_a_mission_to_come_whose_open_checklist_is_reminded_before_departure(demo):
    from workflow.core.clock import local_moment
    from workflow.deployments.lifecycle import DeploymentStatus
    from workflow.deployments.models import Deployment
    from workflow.deployments.services import check_hard_rules
    from workflow.experts.models import Expert
    from workflow.missions.models import ChecklistItem, MissionLogistics
    from workflow.reminders.models import Reminder, ReminderState
    from workflow.reminders.sync import derive, offsets

    expert = demo.scalar(select(Expert).where(Expert.email == "expert@demo.peerflow.org"))
    mine = demo.scalars(select(Deployment).where(Deployment.expert_id == expert.id)).all()
    (mission,) = [d for d in mine if d.status is DeploymentStatus.CONFIRMED]
    activity = mission.activity
    assert activity.action.name == "Costa Rica IV" and activity.status.value == "confirmed" and activity.invented
    assert not activity.is_remote and activity.city == "San José" and activity.start_date.weekday() == 0
    assert [t.to_status.value for t in mission.transitions] == ["proposed", "invited", "accepted", "confirmed"]
    assert mission.release_approved_at is not None
    travel = demo.scalar(select(MissionLogistics).where(MissionLogistics.deployment_id == mission.id))
    departure = travel.outbound_date
    assert travel.invented and departure == activity.start_date - timedelta(days=1)
    assert 21 <= (departure - NOW.date()).days <= 35  # three to five weeks after the load
    assert travel.outbound_booking and travel.return_date == activity.end_date + timedelta(days=1)
    assert travel.return_booking is None  # still to book
    items = demo.scalars(select(ChecklistItem).where(ChecklistItem.deployment_id == mission.id)).all()
    assert all(i.invented for i in items) and {i.done_at is None for i in items} == {True, False}

    reminders = demo.scalars(select(Reminder).where(Reminder.subject_type == "mission",
                                                    Reminder.subject_id == mission.id)).all()
    assert [(r.rule, r.state, r.recipient_id) for r in reminders] == [
        ("mission_checklist", ReminderState.PENDING, expert.user_id)]
    due = reminders[0].due_at.replace(tzinfo=reminders[0].due_at.tzinfo or UTC)
    assert due == local_moment(departure - timedelta(days=7), 9, expert.user.timezone) > NOW
    # What the rules derive as of the load's day, and nothing else.
    assert {d.key: d.due_at for d in derive(demo, "mission", mission.id, NOW, offsets(demo))} == {
        reminders[0].key: due}

    # Her open invitation is still there, and she can accept it: it does not clash with the mission.
    (invited,) = [d for d in mine if d.status is DeploymentStatus.INVITED]
    check_hard_rules(demo, invited.slot, expert, now=NOW, exclude=invited.id)


@pytest.mark.parametrize("offset", range(7))
def test_the_mission_to_come_starts_on_a_monday_four_to_five_weeks_ahead(offset):
    from seed.missions import upcoming_activity

    today = date(2026, 11, 23) + timedelta(days=offset)
    spec = upcoming_activity(today)
    start, end = date.fromisoformat(spec["start"]), date.fromisoformat(spec["end"])
    assert start.weekday() == 0 and (end - start).days == 2 and 28 <= (start - today).days <= 34
