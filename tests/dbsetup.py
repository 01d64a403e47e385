"""Test databases: chosen by DATABASE_URL (SQLite file by default), built by the migrations."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, create_engine, text
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


@contextmanager
def session_on(connection: Connection) -> Iterator:
    """The app's session bound to `connection`, each commit releasing a savepoint in its transaction, so that
    the test client's requests see what the test wrote and the caller rolls it all back."""
    from workflow.extensions import db as database

    database.session.remove()
    database.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield database.session
    finally:
        database.session.remove()
        database.session.configure(bind=None, join_transaction_mode="conditional_savepoint")


# The demo portfolio is loaded once per run, into a copy of the freshly migrated test database made at the
# start (`clone_for_demo`); each module that reads it works in a transaction of its own on that copy, rolled
# back after the module (`demo_loaded`). Test database URL -> (the copy's engine, the `now` it was loaded at).
_demo_copies: dict[str, str] = {}
_demo_engines: dict[str, tuple[Engine, object]] = {}


def _key(url: str) -> str:
    return make_url(url).render_as_string(hide_password=False)


def _maintenance_engine(url: str) -> Engine:
    """PostgreSQL's own database, where CREATE and DROP DATABASE run (outside a transaction)."""
    return create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def clone_for_demo(url: str) -> None:
    """Copy the migrated test database (schema and reference data) for the demo: SQLite's backup API, or
    CREATE DATABASE … TEMPLATE on PostgreSQL (nothing may be connected to the template then). Where a copy
    cannot be made (no right to create a database), the demo is loaded in each module as before."""
    parsed = make_url(url)
    if url.startswith("sqlite"):
        copy = Path(parsed.database).with_name(Path(parsed.database).stem + "-demo.db")
        with closing(sqlite3.connect(parsed.database)) as source, closing(sqlite3.connect(copy)) as target:
            source.backup(target)
        _demo_copies[_key(url)] = f"sqlite:///{copy}"
        return
    name = f"{parsed.database}_demo"
    maintenance = _maintenance_engine(url)
    try:
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{parsed.database}"'))
    except Exception as error:  # noqa: BLE001 - without a copy the tests still run, only slower
        print(f"No copy of the test database for the demo ({error}); each module loads the demo itself.")
        return
    finally:
        maintenance.dispose()
    _demo_copies[_key(url)] = parsed.set(database=name).render_as_string(hide_password=False)


def drop_demo_clone(url: str) -> None:
    copy = _demo_copies.pop(_key(url), None)
    loaded = _demo_engines.pop(_key(url), None)
    if loaded:
        loaded[0].dispose()
    if copy is None:
        return
    if copy.startswith("sqlite"):
        for suffix in ("", "-wal", "-shm"):
            Path(make_url(copy).database + suffix).unlink(missing_ok=True)
        return
    maintenance = _maintenance_engine(url)
    try:
        with maintenance.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{make_url(copy).database}" WITH (FORCE)'))
    finally:
        maintenance.dispose()


def _demo_engine(engine: Engine, now) -> Engine:
    """The engine of the copy with the demo loaded at `now` (loaded and committed on first use); the test
    database's own engine when there is no copy, or the copy holds the demo of another `now`."""
    from seed.demo import load_demo

    key = _key(engine.url.render_as_string(hide_password=False))
    if key in _demo_engines:
        demo, loaded_at = _demo_engines[key]
        return demo if loaded_at == now else engine
    if key not in _demo_copies:
        return engine
    demo = make_engine(_demo_copies[key])
    with demo.connect() as connection:
        with connection.begin(), session_on(connection) as session:
            load_demo(session, now=now)
            session.commit()
    _demo_engines[key] = (demo, now)
    return demo


def demo_loaded(engine: Engine, now):
    """The demo portfolio on one connection, visible to the test client's requests, rolled back at the end
    (a generator for a module-scoped fixture: `yield from demo_loaded(engine, NOW)`). The demo is loaded
    once per run (see `clone_for_demo`); `engine` is the test database's."""
    from seed.demo import load_demo

    demo = _demo_engine(engine, now)
    connection = demo.connect()
    outer = connection.begin()
    try:
        with session_on(connection) as session:
            if demo is engine:
                load_demo(session, now=now)
                session.commit()
            yield session
    finally:
        outer.rollback()
        connection.close()
