"""The demo's knowledge work tells the seeds' story (issue #20): the July 2018 Mexico City round-table with the six
countries the article names, and good practices quoted from it; what the seeds do not state is marked invented."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from workflow.knowledge.lifecycle import PracticeStatus
from workflow.knowledge.models import KnowledgeEvent, Practice

from ..dbsetup import demo_loaded
from .test_demo_honesty import seed_text, sentences

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(engine):
    yield from demo_loaded(engine, NOW)


def test_the_mexico_city_round_table_gathers_the_six_countries(demo):
    event = demo.scalar(select(KnowledgeEvent).where(KnowledgeEvent.city == "Mexico City"))
    assert event.title == "Regional Knowledge Sharing Round-table for Latin America and the Caribbean"
    assert (event.start_date.year, event.start_date.month) == (2018, 7)
    assert {"start_date", "end_date"} <= set(event.invented_fields)  # the seed gives the month, not the days
    countries = {g.country_code for g in event.participants if g.institution != "MIEUX Experts"}
    assert countries == {"AR", "CR", "DO", "MX", "PY", "PE"}
    assert all(set(g.invented_fields) == {"female", "male", "other"} for g in event.participants)
    assert {a.name for a in event.actions} == {"Costa Rica", "Costa Rica II", "Dominican Republic II", "Mexico",
                                               "IberRed"}


def test_the_practices_quote_the_seed_and_mark_what_is_ours(demo):
    corpus = seed_text()
    practices = demo.scalars(select(Practice)).all()
    assert 4 <= len(practices) <= 6 and all(p.status is PracticeStatus.PUBLISHED for p in practices)
    for practice in practices:
        for text in (practice.description, practice.conditions or ""):
            assert [s for s in sentences(text) if s not in corpus] == []
        assert {"title", "impact_areas"} <= set(practice.invented_fields)
    event = demo.scalar(select(KnowledgeEvent))
    assert [s for s in sentences(event.summary) if s not in corpus] == []


def test_the_practices_show_in_the_public_library_and_on_their_actions(app, demo):
    client = app.test_client()
    library = client.get("/catalogue/practices?q=INTEGRATION+as+a+shared").get_data(as_text=True)
    assert "Inter-institutional working groups that share the journey to adoption" in library
    assert 'class="invented-mark' in library  # the titles are our wording: marked
    costa_rica = demo.scalar(select(Practice).where(Practice.title.startswith("Inter-institutional working")))
    action = costa_rica.actions[0]
    assert costa_rica.title in client.get(f"/catalogue/actions/{action.id}").get_data(as_text=True)


def test_the_practices_give_their_actions_indicators_as_evidence_with_the_latest_value(app, demo):
    costa_rica = demo.scalar(select(Practice).where(Practice.title.startswith("Inter-institutional working")))
    assert {i.title for i in costa_rica.indicators} >= {"National Integration Plan published"}
    assert all(i.impact_area.value in costa_rica.impact_areas for i in costa_rica.indicators)
    dominican = demo.scalar(select(Practice).where(Practice.title.startswith("Flexibility")))
    assert [i.title for i in dominican.indicators] == ["Curriculum of the National Migration School developed"]
    page = app.test_client().get(f"/catalogue/practices/{dominican.id}").get_data(as_text=True)
    assert "Curriculum of the National Migration School developed" in page and "practice-indicators" in page
