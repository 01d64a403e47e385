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
