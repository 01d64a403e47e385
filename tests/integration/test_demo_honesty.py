"""The demo says what is invented (#16): it follows the programme's documents word for word where they
speak, invents only what a working demo needs, and marks what it invented on every page, export and
catalogue entry that shows it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from workflow.accounts.models import User
from workflow.accounts.sessions import session_values
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action, FinalReport
from workflow.activities.lifecycle import ActivityStatus
from workflow.activities.models import Activity, Deliverable
from workflow.experts.models import Expert
from workflow.extensions import db as database

from ..dbsetup import demo_loaded

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
MARK = 'class="invented-mark'
UNDER_WAY = ("Gran Chaco", "Colombia II", "Costa Rica IV", "El Salvador II")  # seeds/000: ongoing Actions


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def seed_text() -> str:
    """Every seed, whitespace normalised. The regional factsheet (001) is a PDF whose chart legend is
    printed in the middle of Mexico II's objective; it is cut out so the objective reads as printed."""
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = _normal(path.read_text(encoding="utf-8"))
        text = re.sub(r" MIEUX Actions in LAC according to thematic areas .*? Public Relations/Communication/Information ",
                      " ", text)
        texts.append(text)
    return "\n".join(texts)


def sentences(text: str) -> list[str]:
    return [s.rstrip(".").strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z“\"'])", _normal(text)) if s.strip()]


@pytest.fixture(scope="module")
def demo(engine):
    yield from demo_loaded(engine, NOW)


@pytest.fixture()
def officer(app: Flask, demo):
    client = app.test_client()
    user = database.session.scalar(select(User).where(User.email == "officer@demo.peerflow.org"))
    with client.session_transaction() as session:
        session.update(session_values(user, datetime.now(UTC)))
    return client


def named(db, name: str) -> Action:
    return db.scalar(select(Action).where(Action.name == name))


def test_every_sentence_of_an_objective_or_summary_is_in_a_seed_unless_marked(demo):
    corpus = seed_text()
    missing = []
    for action in demo.scalars(select(Action)):
        for field in ("objective", "summary"):
            if action.is_invented(field):
                continue
            missing += [(action.name, field, s) for s in sentences(getattr(action, field)) if s not in corpus]
    assert missing == []


def test_the_wholly_invented_actions_are_gone(demo):
    names = set(demo.scalars(select(Action.name)))
    assert not names & {"Costa Rica III", "Dominican Republic", "Mexico III"}
    assert demo.scalar(select(func.count()).select_from(Action).where(Action.invented)) == 0


def test_iberred_benefits_the_network_of_public_prosecutors(demo):
    assert [i.name for i in named(demo, "IberRed").beneficiaries] == [
        "Ibero-American Network of Public Prosecutors on Trafficking in Persons"]


def test_the_actions_under_way_are_running_and_published(demo):
    for name in UNDER_WAY:
        action = named(demo, name)
        assert (action.status, action.published) == (ActionStatus.IMPLEMENTATION, True), name


def test_paraguay_i_keeps_its_name(demo):
    assert named(demo, "Paraguay I") is not None and named(demo, "Paraguay") is None


def test_only_what_a_working_demo_needs_is_invented(demo):
    # Wholly invented activities only on running Actions (their planned work); no invented deliverables.
    invented = demo.scalars(select(Activity).where(Activity.invented)).all()
    assert invented and all(a.action.status is ActionStatus.IMPLEMENTATION for a in invented)
    assert demo.scalar(select(func.count()).select_from(Deliverable).where(Deliverable.invented)) == 0
    # Stated activities the seeds do not date carry invented dates, marked.
    peru = named(demo, "Peru")
    assert all(not a.invented and {"start_date", "end_date"} <= set(a.invented_fields) for a in peru.activities)
    sica = named(demo, "SICA").activities[0]  # "10-14 May 2010": the one date the seeds give
    assert "start_date" not in (sica.invented_fields or ())
    # Every invented person says so.
    assert demo.scalar(select(func.count()).select_from(Expert).where(~Expert.name.endswith(" (demo)"))) == 0
    assert demo.scalar(select(func.count()).select_from(Expert).where(~Expert.invented)) == 0


def test_the_officials_trained_figures_are_marked_invented(demo):
    reports = demo.scalars(select(FinalReport)).all()
    assert reports and all(r.is_invented("officials_trained_female") for r in reports)


def test_invented_records_carry_the_marker_on_the_action_page(officer, demo):
    action = named(demo, "Gran Chaco")
    html = officer.get(f"/actions/{action.id}").get_data(as_text=True)
    invented = next(a for a in action.activities if a.invented)
    row = re.search(rf'>{re.escape(invented.title)}</a>(.*?)</td>', html, re.S).group(1)
    assert MARK in row
    assert "Invented for the demo" in html and 'data-testid="invented-legend"' in html
    # Peru's stated activities show their invented dates marked, the activity itself not.
    peru = named(demo, "Peru")
    html = officer.get(f"/actions/{peru.id}").get_data(as_text=True)
    stated = peru.activities[0]
    row = re.search(rf'<tr>\s*<td class="text-nowrap small">([^<]*)<sup class="invented-mark[^>]*>†</sup></td>\s*'
                    rf'<td><a href="/activities/{stated.id}">', html)
    assert row is not None
    assert re.search(rf'>{re.escape(stated.title)}</a></td>', html)


def test_a_real_action_shows_no_marker(officer, demo):
    from workflow.actions.services import ActionDraft, open_action
    from workflow.reference.models import Region, ThematicArea

    staff = demo.scalar(select(User).where(User.email == "officer@demo.peerflow.org"))
    area = demo.scalar(select(ThematicArea).where(ThematicArea.code == "horizontal"))
    region = demo.scalar(select(Region).where(Region.code == "latin_america_caribbean"))
    action = open_action(demo, ActionDraft(title="A real one", thematic_area_id=area.id, planned_start=NOW.date(),
                                           planned_end=None, objective="Real.", summary="", country_code="PE",
                                           region_id=region.id, regional_name=None, beneficiary_ids=(),
                                           subtopic_ids=(), expert_institution_ids=(), name="Real Action",
                                           officer_id=staff.id), actor=staff, now=NOW)
    demo.commit()
    assert action.invented is False and action.invented_fields is None
    html = officer.get(f"/actions/{action.id}").get_data(as_text=True)
    assert MARK not in html and "invented-legend" not in html


def test_invented_records_carry_the_marker_in_the_catalogue(app, demo):
    action = named(demo, "Gran Chaco")
    html = app.test_client().get(f"/catalogue/actions/{action.id}").get_data(as_text=True)
    invented = next(a for a in action.activities if a.invented and a.status is not ActivityStatus.CANCELLED)
    item = re.search(rf'{re.escape(invented.title)}(.*?)</li>', html, re.S).group(1)
    assert MARK in item and 'data-testid="invented-legend"' in html


def test_invented_records_carry_the_marker_in_the_csv_exports(officer, demo):
    rows = list(csv.reader(io.StringIO(officer.get("/exports/activities.csv").get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("Invented for the demo")
    by_id = {int(r[0]): r[column] for r in rows[1:]}
    invented = demo.scalars(select(Activity).where(Activity.invented)).all()
    assert invented and all(by_id[a.id] == "whole record" for a in invented)
    peru = named(demo, "Peru").activities[0]
    assert "start_date" in by_id[peru.id].split(", ")
    rows = list(csv.reader(io.StringIO(officer.get("/exports/experts.csv?per_page=100").get_data(as_text=True)
                                       .lstrip("\ufeff"))))
    column = rows[0].index("Invented for the demo")
    assert rows[1:] and all(r[column] == "whole record" for r in rows[1:])
    rows = list(csv.reader(io.StringIO(officer.get("/exports/actions.csv").get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("Invented for the demo")
    gran_chaco = next(r for r in rows[1:] if r[1] == "Gran Chaco")
    assert "title" in gran_chaco[column].split(", ")


def test_the_dashboard_says_how_many_activities_are_invented(officer, demo):
    html = officer.get("/dashboard/").get_data(as_text=True)
    counted = [a for a in demo.scalars(select(Activity)) if a.status is not ActivityStatus.CANCELLED
               and a.action.status is not ActionStatus.CANCELLED]
    invented = sum(1 for a in counted if a.invented)
    line = re.search(r'id="invented-count">(.*?)</p>', html, re.S).group(1)
    assert f"Includes demo data: {invented} of {len(counted)} activities invented." in line
    assert invented > 0


def test_every_amount_of_money_in_the_demo_is_marked_invented(officer, demo):
    """The seeds state no budget, rate or cost: the demo's are all invented, and the pages say so."""
    from seed.money import BUDGETS, stated_money
    from workflow.finance.models import ActionBudgetLine, AllowanceRate, CostLine

    assert demo.scalar(select(func.count()).select_from(AllowanceRate)) > 0
    assert demo.scalar(select(func.count()).select_from(CostLine).where(CostLine.actual_eur > 0)) > 0
    budgeted = {name for name, in demo.execute(select(Action.name).join(
        ActionBudgetLine, ActionBudgetLine.action_id == Action.id).distinct())}
    assert budgeted == set(BUDGETS)
    assert stated_money(demo) == 0
    assert "invented" in officer.get("/rates").get_data(as_text=True)


def test_every_mission_record_in_the_demo_is_marked_invented(officer, demo):
    """The seeds state no booking, checklist or expense: the demo's missions are all invented, and say so."""
    from workflow.missions.models import ChecklistItem, ClaimItem, ExpenseClaim, MissionLogistics

    for model in (MissionLogistics, ChecklistItem, ExpenseClaim, ClaimItem):
        assert demo.scalar(select(func.count()).select_from(model)) > 0, model
        assert demo.scalar(select(func.count()).select_from(model).where(~model.invented)) == 0, model
    logistics = demo.scalars(select(MissionLogistics)).first()
    assert MARK in officer.get(f"/deployments/{logistics.deployment_id}/mission").get_data(as_text=True)
