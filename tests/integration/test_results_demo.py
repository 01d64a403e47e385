"""The demo's results (#20, point 6): what the seeds report is loaded as frameworks, measurements and news of the
policy deliverables, word for word where the seeds speak and marked where the demo had to invent."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workflow.actions.models import Action
from workflow.results.models import DeliverableStageName, ExpectedResult, Measurement, ResultsFramework
from workflow.results.queries import framework_for_page
from workflow.results.stages import current_stage, policy_deliverables

from ..dbsetup import demo_loaded
from .test_demo_honesty import NOW, _normal, seed_text


@pytest.fixture(scope="module")
def demo(engine):
    yield from demo_loaded(engine, NOW)


def named(db, name: str) -> Action:
    return db.scalar(select(Action).where(Action.name == name))


def test_mexico_ii_reports_755_officials_trained(demo):
    framework = framework_for_page(demo, named(demo, "Mexico II").id)
    indicator = framework.indicators[0]
    assert (indicator.target_value, indicator.latest.value) == (755, 755)
    assert indicator.latest.is_invented("measured_on") and not indicator.latest.is_invented("value")
    assert "Provide training for 755 government officials" in framework.results[0].statement


def test_costa_rica_s_plans_are_adopted_and_the_second_spawned_a_campaign(demo):
    first = policy_deliverables(named(demo, "Costa Rica"))
    assert current_stage(next(d for d in first if "2013-2017" in d.title)).stage is DeliverableStageName.ADOPTED
    second = next(d for d in policy_deliverables(named(demo, "Costa Rica II")) if "2018-2022" in d.title)
    stage = current_stage(second)
    assert stage.stage is DeliverableStageName.IMPLEMENTED and "“Aquí todos somos migrantes”" in stage.outcome
    assert stage.check_in_months is None  # heard by staff, not an answer to a check-in


def test_the_dominican_curriculum_is_measured(demo):
    framework = framework_for_page(demo, named(demo, "Dominican Republic II").id)
    assert "develop its curriculum" in framework.results[0].statement
    assert framework.indicators[0].latest.value == 1


def test_what_the_results_state_is_in_a_seed_unless_marked(demo):
    corpus = seed_text()
    stated = []
    for framework in demo.scalars(select(ResultsFramework)):
        if framework.specific_objective and not framework.is_invented("specific_objective"):
            stated.append(framework.specific_objective)
    stated += [r.statement for r in demo.scalars(select(ExpectedResult)) if not r.is_invented("statement")]
    for action in demo.scalars(select(Action)):
        stated += [s.outcome for d in policy_deliverables(action) for s in d.stages
                   if s.outcome and not s.is_invented("outcome")]
    assert stated
    assert [text for text in stated if _normal(text).rstrip(".") not in corpus] == []


def test_every_measurement_date_the_seeds_do_not_give_is_marked(demo):
    measurements = demo.scalars(select(Measurement)).all()
    assert measurements and all(m.is_invented("measured_on") for m in measurements)


def test_loading_the_demo_twice_adds_no_second_framework(demo):
    from seed.results import load_results

    officer = named(demo, "Mexico II").officer
    before = demo.scalars(select(ResultsFramework.id)).all()
    load_results(demo, officer, NOW)
    assert demo.scalars(select(ResultsFramework.id)).all() == before
