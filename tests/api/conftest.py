"""An API client that sends a bearer token, tokens for the usual people, and how a refusal reads."""

from __future__ import annotations

import pytest

from workflow.accounts.tokens import create_token

from ..factories import T0


class ApiClient:
    def __init__(self, client, token: str | None) -> None:
        self.client, self.token = client, token

    def _headers(self, extra: dict[str, str] | None) -> dict[str, str]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        return {**headers, **(extra or {})}

    def get(self, url: str, headers=None, **kw):
        return self.client.get(url, headers=self._headers(headers), **kw)

    def post(self, url: str, json=None, headers=None, **kw):
        return self.client.post(url, json=json, headers=self._headers(headers), **kw)

    def patch(self, url: str, json=None, headers=None, **kw):
        return self.client.patch(url, json=json, headers=self._headers(headers), **kw)

    def put(self, url: str, json=None, headers=None, **kw):
        return self.client.put(url, json=json, headers=self._headers(headers), **kw)


@pytest.fixture()
def token_for(db):
    def make(user) -> str:
        _token, plain = create_token(db, user, "tests", now=T0)
        db.commit()
        return plain

    return make


@pytest.fixture()
def api(client, token_for):
    """`api(user)` is a client authenticated as `user`; `api(None)` sends no token."""

    def make(user=None) -> ApiClient:
        return ApiClient(client, token_for(user) if user is not None else None)

    return make


ERROR_KEYS = {"code", "message", "fields"}


def refused(response, status: int, code: str | None = None) -> dict:
    """The API's error body of a refusal with `status` (and `code`, if given)."""
    assert response.status_code == status, response.get_json()
    error = response.get_json()["error"]
    assert set(error) == ERROR_KEYS
    if code:
        assert error["code"] == code, error
    return error
