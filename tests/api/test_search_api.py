"""The API's `q` parameters find what people type, whatever the case, the accents or the script (issue #15)."""

from __future__ import annotations

import pytest

from workflow.accounts.models import Role

from ..factories import make_action, make_expert, make_institution, make_request, make_user
from ..search_cases import CODES, LABELS, QUERIES, QUERY_IDS, found, found_codes

pytestmark = pytest.mark.parametrize(("q", "expected"), QUERIES, ids=QUERY_IDS)


def _values(api_client, url: str, q: str, field: str) -> list[str]:
    response = api_client.get(url, query_string={"q": q, "per_page": 100})
    assert response.status_code == 200, response.get_json()
    return [item[field] for item in response.get_json()["items"]]


def test_the_actions_q_finds_names_as_typed(db, api, officer, q, expected):
    for label in LABELS.values():
        make_action(db, officer, name=label)
    assert found(_values(api(officer), "/api/v1/actions", q, "name")) == {expected}


def test_the_experts_q_finds_names_and_institutions_as_typed(db, api, officer, q, expected):
    for key, label in LABELS.items():
        make_expert(db, name=label)
        make_expert(db, name=f"Employee {CODES[key]}", employer=make_institution(db, country="ES", name=f"Institute {label}"))
    names = _values(api(officer), "/api/v1/experts", q, "name")
    assert found(names) == {expected}
    assert found_codes(names, "Employee ") == {expected}


def test_the_requests_q_finds_titles_and_institutions_as_typed(db, api, officer, q, expected):
    for key, label in LABELS.items():
        requester = make_user(db, Role.REQUESTER, make_institution(db, name=f"Ministry {label}"))
        make_request(db, requester, title=label)
        make_request(db, requester, title=f"Need {CODES[key]}")
    titles = _values(api(officer), "/api/v1/requests", q, "title")
    assert found(titles) == {expected}
    assert found_codes(titles, "Need ") == {expected}
