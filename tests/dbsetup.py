"""Test databases: chosen by DATABASE_URL (SQLite file by default), built by the migrations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from workflow.database import make_engine
from workflow.ops.migrations import alembic_config

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def test_database_url(tmp_dir: Path, name: str = "peerflow-test") -> str:
    url = os.environ.get("DATABASE_URL")
    if not url or url.startswith("sqlite"):
        return f"sqlite:///{tmp_dir / (name + '.db')}"
    parsed = make_url(url)
    if "test" not in (parsed.database or ""):
        raise pytest.UsageError(f"Refusing to run the tests against {parsed.database!r}: its name must contain 'test'.")
    return url


def reachable_or_skip(url: str) -> None:
    """A PostgreSQL that is down fails the run in CI and skips it elsewhere, saying why."""
    if url.startswith("sqlite"):
        return
    engine = make_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as error:  # noqa: BLE001 - any connection failure means the same thing here
        if IN_CI:
            raise
        pytest.skip(f"PostgreSQL at {make_url(url).render_as_string(hide_password=True)} is not reachable: {error}")
    finally:
        engine.dispose()


def build_schema(url: str, pg_schema: str = "public") -> Engine:
    """Empty the database, then run every migration up to head."""
    if url.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(url).database + suffix).unlink(missing_ok=True)
    engine = make_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{pg_schema}" CASCADE'))
            connection.execute(text(f'CREATE SCHEMA "{pg_schema}"'))
    with engine.begin() as connection:
        config = alembic_config(url)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return engine


def demo_loaded(engine: Engine, now):
    """The demo portfolio on one connection, visible to the test client's requests, rolled back at the end
    (a generator for a module-scoped fixture: `yield from demo_loaded(engine, NOW)`)."""
    from seed.demo import load_demo
    from workflow.extensions import db as database

    connection = engine.connect()
    outer = connection.begin()
    database.session.remove()
    database.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        load_demo(database.session, now=now)
        database.session.commit()
        yield database.session
    finally:
        database.session.remove()
        database.session.configure(bind=None, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()
