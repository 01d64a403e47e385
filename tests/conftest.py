"""Fixtures: an app on a migrated database, a transaction rolled back after every test, a settable clock.

A module may build something costly once for its tests (tests/functional's matrix world): it does so on
`module_connection`, whose transaction is rolled back after the module, and each test that uses it runs in a
savepoint on that connection, rolled back after the test (see `db`), so that every test starts from the same
state as if it had built it alone."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event

from config import Config
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.accounts.sessions import session_values
from workflow.extensions import db as database
from workflow.reference.services import ensure_reference_data

from .dbsetup import (
    build_schema,
    clone_for_demo,
    drop_demo_clone,
    reachable_or_skip,
    session_on,
    test_database_url,
)
from .factories import CHEAP_PASSWORD_HASHING, make_institution, make_user

TRANSLATIONS = Path(__file__).resolve().parent.parent / "workflow" / "translations"


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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Within each module, the tests on `module_connection` run last (in their order): on SQLite that
    connection's open transaction would hold the write lock that the module's other tests need."""
    first: dict[object, int] = {}
    for index, item in enumerate(items):
        first.setdefault(getattr(item, "module", None), index)
    items.sort(key=lambda item: (first[getattr(item, "module", None)], SHARED in getattr(item, "fixturenames", ())))


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
    database.engine_of(flask_app).dispose()  # nothing connected while it is copied
    clone_for_demo(database_url)
    yield flask_app
    database.engine_of(flask_app).dispose()
    drop_demo_clone(database_url)


@pytest.fixture(scope="session")
def engine(app: Flask):
    return database.engine_of(app)


@pytest.fixture()
def clock(app: Flask) -> Iterator[Clock]:
    the_clock = Clock()
    app.extensions["peerflow.clock"] = the_clock
    yield the_clock
    app.extensions.pop("peerflow.clock", None)


SHARED = "module_connection"


@pytest.fixture(scope="module")
def module_connection(engine) -> Iterator[Connection]:
    """A connection whose transaction lasts the module and is rolled back after it (see the module's docstring)."""
    connection = engine.connect()
    outer = connection.begin()
    try:
        yield connection
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture()
def db(request: pytest.FixtureRequest, engine, clock: Clock):
    """The session, inside a transaction rolled back after the test (a commit releases a savepoint): a
    connection of the test's own, or a savepoint on `module_connection` when the test uses it.

    No app context stays pushed: each test-client request pushes its own, as in production, so
    `g` and the session are fresh per request. Factories commit, so a request sees their rows.
    """
    shared = SHARED in request.fixturenames
    connection = request.getfixturevalue(SHARED) if shared else engine.connect()
    outer = connection.begin_nested() if shared else connection.begin()
    try:
        with session_on(connection) as session:
            yield session
    finally:
        outer.rollback()
        if not shared:
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

# How each is made; `got` gives another of them (the requester's institution), the same one within a test.
PEOPLE: dict[str, Callable[..., object]] = {
    "peru": lambda db, got: make_institution(db, "PE", name="Ministry of the Interior of Peru", acronym="MININTER"),
    "bolivia": lambda db, got: make_institution(db, "BO", name="Ministry of Foreign Affairs of Bolivia"),
    "officer": lambda db, got: make_user(db, Role.OFFICER),
    "requester_pe": lambda db, got: make_user(db, Role.REQUESTER, got("peru")),
    "requester_bo": lambda db, got: make_user(db, Role.REQUESTER, got("bolivia")),
}


def make_people(db) -> dict[str, object]:
    """All of PEOPLE at once (for a module that builds its world once: `shared_people`)."""
    made: dict[str, object] = {}

    def got(name: str) -> object:
        if name not in made:
            made[name] = PEOPLE[name](db, got)
        return made[name]

    for name in PEOPLE:
        got(name)
    return made


def _person(request: pytest.FixtureRequest, name: str):
    """The module's shared one when the test uses the module's world (a fixture `shared_people` built on
    `module_connection`), so that the test and that world name the same people; else a new one."""
    if "shared_people" in request.fixturenames:
        return request.getfixturevalue("shared_people")[name]
    return PEOPLE[name](request.getfixturevalue("db"), request.getfixturevalue)


@pytest.fixture()
def peru(request, db):
    return _person(request, "peru")


@pytest.fixture()
def bolivia(request, db):
    return _person(request, "bolivia")


@pytest.fixture()
def officer(request, db):
    return _person(request, "officer")


@pytest.fixture()
def requester_pe(request, db):
    return _person(request, "requester_pe")


@pytest.fixture()
def requester_bo(request, db):
    return _person(request, "requester_bo")
