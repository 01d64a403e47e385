"""Helpers for driving the pages through the test client, CSRF tokens included."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from workflow.accounts.models import Role

from ..factories import make_institution, make_user

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
