"""The synthetic portfolio (seed/synthetic.py) at scale 1: its size, its reproducibility, its consistency."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from seed.demo import load_demo
from seed.synthetic import NOW, build_rows, digest, load_synthetic, read_context
from seed.synthetic_command import synthetic_command
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action, ActionTransition, FinalReport
from workflow.activities.lifecycle import EDITABLE_STATES, ActivityStatus
from workflow.activities.models import Activity, ActivityTransition
from workflow.deployments.lifecycle import BOOKED, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.queries import booked_days_per_year
from workflow.experts.models import Expert
from workflow.reference.models import Institution, InstitutionKind
from workflow.reminders.models import Reminder, ReminderState
from workflow.reminders.sync import refresh_recurring, sync_subjects
from workflow.requests.models import Request

ROOT = Path(__file__).resolve().parents[2]


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_scale_1_is_about_the_size_of_the_demo(db):
    counts = load_synthetic(db, scale=1, seed=1, now=NOW)
    assert counts["actions"] == 35
    assert counts["experts"] == 110
    assert 100 <= counts["activities"] <= 200
    assert 250 <= counts["deployments"] <= 600
    assert 500 <= counts["reminders"] <= 2500
    assert counts["final_reports"] > 10 and counts["deployment_transitions"] > counts["deployments"] * 3
    # Core inserts: nothing went through the unit of work, so the reminder hook has nothing to re-derive.
    assert not db.new and not db.dirty
    db.commit()
    for model in (Action, Activity, Expert, Deployment, Reminder):
        assert count(db, model) == counts[model.__tablename__]


def test_the_same_seed_gives_the_same_portfolio_in_any_process(db, tmp_path):
    ctx = read_context(db)
    rows = build_rows(ctx, scale=1, seed=7, now=NOW)
    assert digest(rows) == digest(build_rows(ctx, scale=1, seed=7, now=NOW))
    assert digest(rows) != digest(build_rows(ctx, scale=1, seed=8, now=NOW))
    # Another interpreter, with another string-hash seed: no set order or clock leaks into the data.
    (tmp_path / "ctx.pickle").write_bytes(pickle.dumps(ctx))
    script = ("import pickle, sys; from seed.synthetic import NOW, build_rows, digest; "
              "ctx = pickle.load(open(sys.argv[1], 'rb')); print(digest(build_rows(ctx, scale=1, seed=7, now=NOW)))")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "ctx.pickle")], cwd=ROOT, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": "4242"})
    assert out.stdout.strip() == digest(rows)
    # And what lands in the database is what was built: Action names and activity dates.
    load_synthetic(db, scale=1, seed=7, now=NOW)
    first = ctx.next_id
    stored = {(name, start) for name, start in db.execute(
        select(Action.name, Activity.start_date).join(Activity, Activity.action_id == Action.id)
        .where(Action.id >= first["actions"]))}
    names = {r["id"]: r["name"] for r in rows["actions"]}
    assert stored == {(names[r["action_id"]], r["start_date"]) for r in rows["activities"]}


def test_statuses_follow_the_lifecycles(db):
    first = read_context(db).next_id
    load_synthetic(db, scale=1, seed=3, now=NOW)
    today = NOW.date()
    actions = db.scalars(select(Action).where(Action.id >= first["actions"])).all()
    activities: dict[int, list[Activity]] = defaultdict(list)
    for activity in db.scalars(select(Activity).where(Activity.id >= first["activities"])):
        activities[activity.action_id].append(activity)
    reports = set(db.scalars(select(FinalReport.action_id)))
    statuses = Counter(a.status for a in actions)
    assert statuses[ActionStatus.CLOSED] > 15 and statuses[ActionStatus.IMPLEMENTATION] >= 1
    for action in actions:
        mine = activities[action.id]
        assert mine, action.name
        if action.status is ActionStatus.CLOSED:
            assert action.id in reports, action.name
            assert all(a.status in (ActivityStatus.REPORTED, ActivityStatus.CANCELLED) for a in mine), action.name
        if action.status in (ActionStatus.IMPLEMENTATION, ActionStatus.CLOSING, ActionStatus.CLOSED):
            assert action.assessment_waiver or any(a.status is ActivityStatus.REPORTED for a in mine), action.name
        if action.published:
            assert action.status not in (ActionStatus.CANCELLED, ActionStatus.ACCEPTED) and action.objective
        for activity in mine:
            if activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED):
                assert activity.end_date < today
            if activity.status is ActivityStatus.REPORTED:
                assert activity.report and activity.participants is not None
            if activity.status in EDITABLE_STATES and action.status is not ActionStatus.SUSPENDED:
                assert activity.end_date >= today, (action.name, activity.title)
    # Every history starts with its creation and ends in the current status, in time order.
    for parent, history, key in ((Action, ActionTransition, "action_id"), (Activity, ActivityTransition, "activity_id"),
                                 (Deployment, DeploymentTransition, "deployment_id")):
        current = dict(db.execute(select(parent.id, parent.status).where(parent.id >= first[parent.__tablename__])).all())
        steps = defaultdict(list)
        for row in db.execute(select(getattr(history, key), history.from_status, history.to_status, history.at)
                              .where(getattr(history, key) >= first[parent.__tablename__]).order_by(history.id)):
            steps[row[0]].append(row[1:])
        for item_id, status in current.items():
            path = steps[item_id]
            assert path[0][0] is None and path[-1][1] == status, (parent.__name__, item_id, path)
            assert all(b[0] == a[1] and b[2] >= a[2] for a, b in zip(path, path[1:], strict=False)), (parent.__name__, path)
            assert path[-1][2] <= NOW
    # Deployments: completed ones on activities that took place, with a mission report; no double booking.
    rows = db.execute(select(Deployment, Activity).join(Activity, Deployment.activity_id == Activity.id)
                      .where(Deployment.id >= first["deployments"])).all()
    assert Counter(d.status for d, _a in rows)[DeploymentStatus.COMPLETED] > 100
    booked = defaultdict(list)
    for deployment, activity in rows:
        if deployment.status is DeploymentStatus.COMPLETED:
            assert deployment.mission_report and activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)
        if activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED):
            assert deployment.status not in (DeploymentStatus.PROPOSED, DeploymentStatus.INVITED,
                                             DeploymentStatus.ACCEPTED)
        if deployment.status is DeploymentStatus.DECLINED:
            assert deployment.decline_reason
        if deployment.status in BOOKED:
            booked[deployment.expert_id].append((activity.start_date, activity.end_date))
    for periods in booked.values():
        periods.sort()
        assert all(b[0] > a[1] for a, b in zip(periods, periods[1:], strict=False)), periods
    # Nor above anyone's yearly day cap, each day counted in its own calendar year.
    caps = dict(db.execute(select(Expert.id, Expert.max_days_per_year)).all())
    for expert_id in booked:
        assert max(booked_days_per_year(db, expert_id).values()) <= caps[expert_id], expert_id


def test_the_reminders_are_those_the_rules_derive(db):
    """Re-deriving every reminder from the data, as `flask reminders sync` does, changes nothing."""
    load_synthetic(db, scale=1, seed=5, now=NOW)
    before = {r.key: (r.state, r.due_at) for r in db.scalars(select(Reminder))}
    assert Counter(state for state, _due in before.values())[ReminderState.PENDING] > 10
    subjects = ({("request", i) for i in db.scalars(select(Request.id))}
                | {("activity", i) for i in db.scalars(select(Activity.id))}
                | {("action", i) for i in db.scalars(select(Action.id))}
                | {("deployment", i) for i in db.scalars(select(Deployment.id))})
    sync_subjects(db, subjects, NOW)
    refresh_recurring(db, NOW)
    after = {r.key: (r.state, r.due_at) for r in db.scalars(select(Reminder))}
    assert after == before


def test_it_loads_on_top_of_the_demo_and_the_app_keeps_adding_rows(db):
    load_demo(db, now=NOW)
    db.flush()
    demo_actions = set(db.scalars(select(Action.name)))
    counts = load_synthetic(db, scale=1, seed=1, now=NOW)
    names = list(db.scalars(select(Action.name)))
    assert len(names) == len(set(names)) == len(demo_actions) + counts["actions"]
    # The ORM still gets fresh ids (on PostgreSQL the sequences were moved past the inserted ones).
    db.add(Institution(name="After the synthetic load", country_code="PE", kind=InstitutionKind.NGO))
    db.flush()
    again = load_synthetic(db, scale=1, seed=1, now=NOW)  # a second run: new names, reused institutions
    assert again["actions"] == 35 and again["institutions"] == 0


def test_the_command_prints_counts_and_time(app, db):
    runner = CliRunner()
    with app.app_context():
        result = runner.invoke(synthetic_command, ["--scale", "1", "--seed", "2"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "actions" in result.output and "Committed" in result.output
    assert runner.invoke(synthetic_command, ["--scale", "0"]).exit_code != 0
    assert runner.invoke(synthetic_command, ["--scale", "1", "--now", "soon"]).exit_code != 0


def test_the_bulk_inserts_fill_every_search_key(db):
    from workflow.accounts.models import User
    from workflow.core.search import Searchable

    load_synthetic(db, scale=1, seed=1, now=NOW)
    db.commit()
    for model in (Action, Activity, Expert, Institution, Request, User):
        assert issubclass(model, Searchable)
        rows = db.scalars(select(model)).all()
        assert rows and all(row.search_key == row.compute_search_key() != "" for row in rows), model.__name__


def test_the_expert_figures_equal_a_count_of_the_deployments_in_python(db):
    """The dashboard rolls the involved experts up in SQL (per region, overall and per member state in one
    statement); over a portfolio of many regions, where experts work in more than one, it must give what counting
    the deployments one by one gives: each expert once per region, once overall."""
    from workflow.dashboard.involvements import ENGAGED, OFFICIALS
    from workflow.dashboard.services import PortfolioFilters, portfolio
    from workflow.experts.models import Gender
    from workflow.reference.models import Country

    load_synthetic(db, scale=1, seed=3, now=NOW)
    db.commit()
    members = set(db.scalars(select(Country.code).where(Country.is_eu_member)))
    per_region: dict[int, set[int]] = defaultdict(set)
    deployments_per_state: Counter[str] = Counter()
    experts: dict[int, Expert] = {}
    for deployment in db.scalars(select(Deployment).where(Deployment.status.in_(ENGAGED))):
        activity, action = deployment.activity, deployment.activity.action
        if activity.status is ActivityStatus.CANCELLED or action.status is ActionStatus.CANCELLED:
            continue
        per_region[action.region_id].add(deployment.expert_id)
        experts[deployment.expert_id] = deployment.expert
        if deployment.expert.country_code in members:
            deployments_per_state[deployment.expert.country_code] += 1
    assert len(per_region) > 1 and len(set.union(*per_region.values())) < sum(map(len, per_region.values()))

    def expected(ids: set[int]) -> tuple[int, int, int, int]:
        people = [experts[i] for i in ids]
        officials = [e for e in people if e.type in OFFICIALS]
        return (len(people), len({e.country_code for e in people if e.country_code in members}), len(officials),
                sum(1 for e in officials if e.gender is Gender.FEMALE))

    def shown(figures) -> tuple[int, int, int, int]:
        return figures.experts, figures.member_states, figures.officials, figures.women_officials

    found = portfolio(db, PortfolioFilters())
    assert shown(found.overall) == expected(set(experts))
    for region, figures in found.regions:
        assert shown(figures) == expected(per_region.get(region.id, set())), region.code
    by_state = {row.country_code: (row.experts, row.deployments) for row in found.member_states}
    assert by_state == {code: (sum(1 for e in experts.values() if e.country_code == code), n)
                        for code, n in deployments_per_state.items()}
