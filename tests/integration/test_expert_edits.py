"""Editing an expert keeps the rows it does not change: languages and expertise are edited in place."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event

from workflow.accounts.models import Role
from workflow.experts.models import ExpertLanguage
from workflow.experts.services import ExpertProfile, update_expert

from ..factories import make_expert, make_user

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


def profile_of(expert, **changes) -> ExpertProfile:
    values = dict(
        name=expert.name, email=expert.email, gender=expert.gender, nationality=expert.nationality,
        country_code=expert.country_code, type=expert.type, institution_id=expert.institution_id,
        years_experience=expert.years_experience, max_days_per_year=expert.max_days_per_year,
        languages={row.language: row.level for row in expert.languages},
        themes={row.thematic_area_id: row.level for row in expert.themes},
        countries_worked=tuple(c.code for c in expert.countries_worked))
    return ExpertProfile(**{**values, **changes})


def test_an_edit_keeps_the_languages_and_expertise_it_does_not_change(db):
    officer = make_user(db, Role.OFFICER)
    expert = make_expert(db, languages={"es": "C2", "en": "B2"})
    spanish = next(row for row in expert.languages if row.language == "es")
    themes_before = list(expert.themes)
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        update_expert(db, expert, profile_of(expert, languages={"es": "C2", "en": "C1", "fr": "B2"}),
                      version=expert.version, actor=officer, now=NOW)
        db.flush()
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert not [s for s in statements if s.lstrip().upper().startswith("DELETE")], statements
    assert next(row for row in expert.languages if row.language == "es") is spanish
    assert expert.themes == themes_before
    assert {row.language: row.level for row in db.query(ExpertLanguage).filter_by(expert_id=expert.id)} == {
        "es": "C2", "en": "C1", "fr": "B2"}


def test_an_edit_removes_only_the_language_taken_away(db):
    officer = make_user(db, Role.OFFICER)
    expert = make_expert(db, languages={"es": "C2", "en": "B2"})
    english = next(row for row in expert.languages if row.language == "en")
    update_expert(db, expert, profile_of(expert, languages={"en": "B2"}), version=expert.version, actor=officer,
                  now=NOW)
    db.flush()
    assert expert.languages == [english]
