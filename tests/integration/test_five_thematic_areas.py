"""Five thematic areas: the reference data has them, and migration 0018 moves everything that pointed
at the former sixth area ("border and visa management, smuggling of migrants") to the first, losing nothing."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import text

from tests.dbsetup import reachable_or_skip
from workflow.database import make_engine
from workflow.ops.migrations import alembic_config
from workflow.reference.data import THEMES

FIVE = ["irregular_migration_thb", "legal_migration_mobility", "migration_development",
        "international_protection_asylum", "horizontal"]
T = datetime(2026, 12, 1, 9, tzinfo=UTC)


def test_the_reference_data_has_exactly_the_programmes_five_areas():
    assert [code for code, _name, _subs in THEMES] == FIVE
    first = dict((code, subs) for code, _name, subs in THEMES)["irregular_migration_thb"]
    assert {"thb", "border_management", "visa_policy", "som", "document_security"} <= {code for code, _ in first}


def test_the_loaded_reference_data_has_five_areas(db):
    codes = list(db.execute(text("SELECT code FROM thematic_areas ORDER BY position")).scalars())
    assert codes == FIVE


@pytest.fixture()
def old_database(tmp_path):
    """A database of its own, built up to 0017, the step before the five areas."""
    url = os.environ.get("DATABASE_URL") or ""
    if url.startswith("postgresql"):
        url = url + ("&" if "?" in url else "?") + "options=-csearch_path%3Dfive_areas"
        reachable_or_skip(url)
        admin = make_engine(os.environ["DATABASE_URL"])
        with admin.begin() as connection:
            connection.execute(text('DROP SCHEMA IF EXISTS "five_areas" CASCADE'))
            connection.execute(text('CREATE SCHEMA "five_areas"'))
        admin.dispose()
    else:
        url = f"sqlite:///{tmp_path / 'five-areas.db'}"
    engine = make_engine(url)
    config = alembic_config(url)

    def migrate(revision: str) -> None:
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, revision)

    migrate("0017")
    yield engine, migrate
    engine.dispose()
    if url.startswith("postgresql"):
        admin = make_engine(os.environ["DATABASE_URL"])
        with admin.begin() as connection:
            connection.execute(text('DROP SCHEMA IF EXISTS "five_areas" CASCADE'))
        admin.dispose()


def _insert(connection, table: str, **values) -> int | None:
    columns = ", ".join(values)
    marks = ", ".join(f":{k}" for k in values)
    returning = " RETURNING id" if "id" not in values and table not in ("expert_themes", "action_subtopics") else ""
    result = connection.execute(text(f"INSERT INTO {table} ({columns}) VALUES ({marks}){returning}"), values)
    return result.scalar() if returning else None


def test_migration_0018_moves_everything_from_the_sixth_area_to_the_first(old_database):
    engine, migrate = old_database
    with engine.begin() as c:
        areas = {}
        for position, (code, name) in enumerate([
                ("irregular_migration_thb", "Irregular migration and trafficking in human beings"),
                ("border_visa_som", "Border and visa management, smuggling of migrants"),
                ("legal_migration_mobility", "Legal migration and mobility"),
                ("migration_development", "Migration and development"),
                ("international_protection_asylum", "International protection and asylum"),
                ("horizontal", "Horizontal")]):
            areas[code] = _insert(c, "thematic_areas", code=code, name=name, position=position)
        first, sixth = areas["irregular_migration_thb"], areas["border_visa_som"]
        thb = _insert(c, "subtopics", area_id=first, code="thb", name="THB", position=0)
        border = _insert(c, "subtopics", area_id=sixth, code="border_management", name="Border management", position=0)
        som = _insert(c, "subtopics", area_id=sixth, code="som", name="SOM", position=1)
        _insert(c, "regions", code="latin_america_caribbean", name="LAC", position=0)
        region = c.execute(text("SELECT id FROM regions")).scalar()
        c.execute(text("INSERT INTO countries (code, region_id, is_eu_member) VALUES ('PE', :r, false), "
                       "('ES', NULL, true)"), {"r": region})
        officer = _insert(c, "users", email="o@example.org", name="O", password_hash="x", role="officer",
                          active=True, is_demo=False, created_at=T, password_changed_at=T, timezone="UTC")
        institution = _insert(c, "institutions", name="Ministry", country_code="PE", kind="partner_administration")
        request_id = _insert(c, "requests", institution_id=institution, title="Borders", description="d",
                             thematic_area_id=sixth, status="submitted", author_id=officer, created_at=T,
                             updated_at=T, version=1)
        common = dict(country_code="PE", region_id=region, is_regional=False, objective="", summary="",
                      planned_start=date(2026, 1, 1), status="implementation", published=False, created_at=T,
                      updated_at=T, version=1)
        bare = _insert(c, "actions", name="Bare", title="No sub-topic", thematic_area_id=sixth, **common)
        named = _insert(c, "actions", name="Named", title="SOM", thematic_area_id=sixth, **common)
        _insert(c, "action_subtopics", action_id=named, subtopic_id=som)
        other = _insert(c, "actions", name="Other", title="THB", thematic_area_id=first, **common)
        _insert(c, "action_subtopics", action_id=other, subtopic_id=thb)
        activity = _insert(c, "activities", action_id=bare, kind="workshop", title="W", is_remote=True,
                           start_date=date(2026, 3, 1), end_date=date(2026, 3, 2), languages="[]", status="planned",
                           created_at=T, updated_at=T, version=1)
        slot = _insert(c, "expert_slots", activity_id=activity, role="expert", thematic_area_id=sixth, language="es",
                       places=1)
        expert = dict(email=None, gender="female", nationality="ES", country_code="ES", type="ms_official",
                      years_experience=5, status="active", max_days_per_year=60, is_demo=False, created_at=T,
                      version=1)
        both_higher_sixth = _insert(c, "experts", name="A", **{**expert, "email": "a@example.org"})
        both_higher_first = _insert(c, "experts", name="B", **{**expert, "email": "b@example.org"})
        only_sixth = _insert(c, "experts", name="C", **{**expert, "email": "c@example.org"})
        for expert_id, area, level in [(both_higher_sixth, first, 1), (both_higher_sixth, sixth, 3),
                                       (both_higher_first, first, 3), (both_higher_first, sixth, 2),
                                       (only_sixth, sixth, 2)]:
            _insert(c, "expert_themes", expert_id=expert_id, thematic_area_id=area, level=level)
        template = _insert(c, "plan_templates", name="Borders plan", created_by_id=officer, created_at=T)
        item = _insert(c, "plan_template_items", template_id=template, position=0, kind="workshop", title="W",
                       offset_days=0, duration_days=2, is_remote=True, languages="[]")
        template_slot = _insert(c, "plan_template_slots", item_id=item, role="expert", thematic_area_id=sixth,
                                language="es", places=1)
        call = _insert(c, "calls", activity_id=activity, slot_id=slot, thematic_area_id=sixth, member_states="[]",
                       available_only=True, include_focal_points=True, message="m", answer_deadline=T,
                       status="open", created_by_id=officer, created_at=T, sent_at=T, version=1)

    migrate("head")

    with engine.connect() as c:
        def scalar(sql, **params):
            return c.execute(text(sql), params).scalar()

        assert [r[0] for r in c.execute(text("SELECT code FROM thematic_areas ORDER BY position"))] == FIVE
        assert scalar("SELECT name FROM thematic_areas WHERE code = 'horizontal'") == "Horizontal interventions"
        assert scalar("SELECT COUNT(*) FROM subtopics") == 3
        assert scalar("SELECT COUNT(*) FROM subtopics WHERE area_id = :a", a=first) == 3
        for action_id in (bare, named, other):
            assert scalar("SELECT thematic_area_id FROM actions WHERE id = :i", i=action_id) == first
        topics = lambda a: {r[0] for r in c.execute(text(  # noqa: E731
            "SELECT subtopic_id FROM action_subtopics WHERE action_id = :a"), {"a": a})}
        assert topics(bare) == {border, som}  # what it was about is kept as the first area's sub-topics
        assert topics(named) == {som} and topics(other) == {thb}
        assert scalar("SELECT thematic_area_id FROM requests WHERE id = :i", i=request_id) == first
        assert scalar("SELECT thematic_area_id FROM expert_slots WHERE id = :i", i=slot) == first
        levels = {(e, a): lvl for e, a, lvl in c.execute(text(
            "SELECT expert_id, thematic_area_id, level FROM expert_themes"))}
        assert levels == {(both_higher_sixth, first): 3, (both_higher_first, first): 3, (only_sixth, first): 2}
        assert scalar("SELECT thematic_area_id FROM plan_template_slots WHERE id = :i", i=template_slot) == first
        assert scalar("SELECT thematic_area_id FROM calls WHERE id = :i", i=call) == first

