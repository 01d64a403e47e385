"""The schema comes from the migrations, and the migrations match the models."""

import warnings

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from workflow.models import Base


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection, warnings.catch_warnings():
        # SQLite's reflection cannot read an index on an expression (users' lower-cased e-mail); Alembic then leaves
        # that index out of the comparison there, and PostgreSQL's run compares it.
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_the_schema_was_built_by_alembic(engine):
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() is not None
