"""The statements gunicorn's master runs before it forks (workflow.main.warmup): they run on a database as it is,
leave the compiled SQL on the engine for the workers to inherit, and no connection behind."""

from __future__ import annotations

from config import Config
from workflow import create_app
from workflow.database import Database
from workflow.main.warmup import warm_statements


def test_the_warm_up_compiles_the_statements_and_hands_back_every_connection(app, database_url, upload_dir):
    # An app of its own, as the master's: disposing its engine leaves the tests' connections alone.
    master = create_app(Config(TESTING=True, DATABASE_URL=database_url, SECRET_KEY="test", UPLOAD_DIR=str(upload_dir),
                               ENV_NAME="testing"))
    engine = Database.engine_of(master)
    try:
        warm_statements(master)
        compiled = len(engine._compiled_cache)
        # The dashboard's figures, the money figures and each present role's to-do count: some twenty statements.
        assert compiled >= 20
        assert engine.pool.checkedout() == 0
        warm_statements(master)  # again (the figures now remembered): as much compiled, give or take the token read
        assert compiled <= len(engine._compiled_cache) <= compiled + 2
        assert engine.pool.checkedout() == 0
    finally:
        engine.dispose()
