"""Helpers for driving the pages through the test client, CSRF tokens included; the matrix world, built once
per module (see tests/conftest.py: `module_connection`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from ..conftest import Clock, make_people
from ..dbsetup import session_on

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, page: str = "/login") -> str:
    """A CSRF token for this client's session, read from a real form page."""
    html = client.get(page).get_data(as_text=True)
    match = TOKEN.search(html)
    assert match, f"no CSRF token on {page}"
    return match.group(1)


@pytest.fixture()
def post(client: FlaskClient):
    """POST a form the way a browser does: with the CSRF token from the page."""

    def send(url: str, data: dict | None = None, *, token_page: str = "/home", **kwargs):
        payload = {"csrf_token": csrf_token(client, token_page), **(data or {})}
        return client.post(url, data=payload, **kwargs)

    return send


@pytest.fixture(scope="module")
def _world_once(app, module_connection):
    """The matrix world and the people it is built on, made once for the module, and the uploaded files it
    made (path -> bytes)."""
    from .security_world import build_world

    uploads = Path(app.config["UPLOAD_DIR"])
    before = {path for path in uploads.rglob("*") if path.is_file()}
    # In an app context: the invitation's notification is written in the reader's language (notify).
    with _building(app, module_connection) as session, app.app_context():
        people = make_people(session)
        world = build_world(session, app, people["officer"], people["requester_pe"], people["requester_bo"],
                            people["peru"])
    files = {path: path.read_bytes() for path in uploads.rglob("*") if path.is_file() and path not in before}
    return people, world, files


@pytest.fixture(scope="module")
def shared_people(_world_once) -> dict:
    """The institutions and people of tests/conftest.py (`peru`, `officer`, …) the matrix world is built on: in
    a test that uses the world, those fixtures give these."""
    return _world_once[0]


@contextmanager
def _building(app, connection) -> Iterator:
    """The session on the module's connection, with a clock, while a module-scoped fixture builds."""
    app.extensions["peerflow.clock"] = Clock()
    try:
        with session_on(connection) as session:
            yield session
    finally:
        app.extensions.pop("peerflow.clock", None)


@pytest.fixture()
def matrix_world(db, shared_people, _world_once) -> Iterator:
    """One object of each kind, owned by institution A (Peru) or expert X, and a person of each role: built once
    per module, each test working in a savepoint rolled back after it; the world's files a test removed or
    changed are put back after it."""
    _people, world, files = _world_once
    yield world
    for path, content in files.items():
        if not path.exists() or path.read_bytes() != content:
            path.write_bytes(content)


@pytest.fixture()
def route_caller(app, client, login_as, matrix_world, db):
    """Sends a route's request as a role of `matrix_world` (see tests/functional/route_calls.py)."""
    from .route_calls import Caller

    return Caller(app, client, login_as, matrix_world, db)
