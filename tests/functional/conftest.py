"""Helpers for driving the pages through the test client, CSRF tokens included."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

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


@pytest.fixture()
def matrix_world(app, db, officer, requester_pe, requester_bo, peru):
    """One object of each kind, owned by institution A (Peru) or expert X, and a person of each role."""
    from .security_world import build_world

    with app.app_context():  # the invitation's notification is written in the reader's language (notify)
        return build_world(db, app, officer, requester_pe, requester_bo, peru)


@pytest.fixture()
def route_caller(app, client, login_as, matrix_world, db):
    """Sends a route's request as a role of `matrix_world` (see tests/functional/route_calls.py)."""
    from .route_calls import Caller

    return Caller(app, client, login_as, matrix_world, db)
