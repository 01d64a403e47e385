"""Fixtures: an app on a migrated database, a transaction rolled back after every test, a settable clock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from config import Config
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.accounts.sessions import session_values
from workflow.extensions import db as database
from workflow.reference.services import ensure_reference_data

from .dbsetup import build_schema, reachable_or_skip, test_database_url
from .factories import make_institution, make_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "workflow" / "translations"
# Argon2id at its cheapest: tests create many users; the real cost is tested in tests/unit/test_passwords.py.
CHEAP_PASSWORD_HASHING = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}


def compile_catalogues(directory: Path = TRANSLATIONS) -> None:
    """Compile each language's .po into the .mo Flask-Babel reads, when it is missing or older (as
    `make translations` does), so that `pytest` alone works on a fresh clone."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for po in directory.glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as target:
            write_mo(target, catalogue)
        os.replace(partial, mo)  # atomic: a concurrent run never reads half a file


def pytest_sessionstart(session: pytest.Session) -> None:
    compile_catalogues()


class Clock:
    """The time services are told; tests move it."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def set(self, value: datetime) -> None:
        self.now = value


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = test_database_url(tmp_path_factory.mktemp("db"))
    reachable_or_skip(url)
    return url


@pytest.fixture(scope="session")
def upload_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("uploads")


@pytest.fixture(scope="session")
def app(database_url: str, upload_dir: Path) -> Iterator[Flask]:
    engine = build_schema(database_url)
    engine.dispose()
    flask_app = create_app(
        Config(TESTING=True, DATABASE_URL=database_url, SECRET_KEY="test", UPLOAD_DIR=str(upload_dir),
               ENV_NAME="testing", PASSWORD_HASH_PARAMETERS=CHEAP_PASSWORD_HASHING)
    )
    with flask_app.app_context():
        ensure_reference_data(database.session)
        database.session.commit()
        database.session.remove()
    yield flask_app
    database.engine_of(flask_app).dispose()


@pytest.fixture(scope="session")
def engine(app: Flask):
    return database.engine_of(app)


@pytest.fixture()
def clock(app: Flask) -> Iterator[Clock]:
    the_clock = Clock()
    app.extensions["peerflow.clock"] = the_clock
    yield the_clock
    app.extensions.pop("peerflow.clock", None)


@pytest.fixture()
def db(engine, clock: Clock):
    """The session, inside a transaction rolled back after the test (a commit releases a savepoint).

    No app context stays pushed: each test-client request pushes its own, as in production, so
    `g` and the session are fresh per request. Factories commit, so a request sees their rows.
    """
    connection = engine.connect()
    outer = connection.begin()
    database.session.remove()
    database.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield database.session
    finally:
        database.session.remove()
        database.session.configure(bind=None, join_transaction_mode="conditional_savepoint")
        outer.rollback()
        connection.close()


@pytest.fixture()
def client(app: Flask, db) -> FlaskClient:
    return app.test_client()


@pytest.fixture()
def login_as(client: FlaskClient, clock: Clock):
    """Sign `user` in on the test client (without the password round-trip), at the clock's time."""

    def sign_in(user: User) -> FlaskClient:
        with client.session_transaction() as session:
            session.update(session_values(user, clock.now))
        return client

    return sign_in


@pytest.fixture()
def count_queries(engine):
    """Count the SQL statements run inside a `with count_queries() as counted:` block."""

    class Counter:
        def __init__(self) -> None:
            self.statements: list[str] = []

        def __enter__(self) -> Counter:
            event.listen(engine, "before_cursor_execute", self._record)
            return self

        def __exit__(self, *exc: object) -> None:
            event.remove(engine, "before_cursor_execute", self._record)

        def _record(self, _conn, _cursor, statement, *_args) -> None:
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
                self.statements.append(statement)

        @property
        def count(self) -> int:
            return len(self.statements)

    return Counter


# --- People and institutions many tests start from --------------------------------------------


@pytest.fixture()
def peru(db):
    return make_institution(db, "PE", name="Ministry of the Interior of Peru", acronym="MININTER")


@pytest.fixture()
def bolivia(db):
    return make_institution(db, "BO", name="Ministry of Foreign Affairs of Bolivia")


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


@pytest.fixture()
def requester_pe(db, peru):
    return make_user(db, Role.REQUESTER, peru)


@pytest.fixture()
def requester_bo(db, bolivia):
    return make_user(db, Role.REQUESTER, bolivia)
