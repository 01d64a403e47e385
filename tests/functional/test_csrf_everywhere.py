"""Every write of every page (not the token-authenticated API) refuses a POST without a CSRF token with 400
and changes nothing; the same POST with the token goes through, so the token is all that stopped it.

Each route is posted by the first role the permission matrix lets through, with the form that role
would send (tests/functional/route_calls.py), in a savepoint rolled back after each try.
"""

from __future__ import annotations

import pytest

from .route_calls import API, build_url, routes
from .test_permission_matrix import MATRIX, NOT_REFUSALS, REFUSED, ROLES
from .write_watch import in_savepoint_watching

# Who posts each form: the first of these the matrix lets through (signing in is tried signed out).
PREFERENCE = ("officer", "admin", "req_a", "focal", "expert", "req_b", "focal_b", "expert_b", "anon")
POSTED_BY = {
    "POST accounts.login": "anon",
    "POST notifications.read_all": "req_a",  # the one with an unread notification
    "POST deployments.fire": "expert",  # accepting the invitation is the expert's step
    "POST accounts.reset_password_page": "anon",  # the link from the e-mail, opened signed out
    "POST governance.answer": "steering",  # only a consulted committee member answers
    "POST notifications.preferences": "expert",  # an invitation reaches an expert: they choose its delivery
    # the expert's own steps on their mission (staff are refused them with a message)
    "POST missions.accept_letter": "expert",
    "POST missions.new_claim": "expert",
    "POST missions.remove_item": "expert",
    "POST missions.claim_event": "expert",  # submitting their draft claim
}

# Forms that write nothing even when accepted, with the form route_calls sends: a re-rendered form
# whose rule refuses the change (a request already submitted, a report before the activity took place…).
WRITE_NOTHING = {
    "POST requests.edit",           # a submitted request is no longer edited
    "POST actions.final_report",    # written while the Action is closing; it is in implementation
    "POST activities.report",       # after the activity is delivered; it is planned
    "POST deployments.report",      # after the mission; the activity is planned
    "POST deployments.invite",      # the slot's one place is taken
    "POST calls.invite",            # the same slot, the same refusal (the call's invitation uses the same rules)
    "POST deployments.staffing",    # the same: the pick is refused with a message
    "POST accounts.reauthenticate",  # the confirmed password is noted in the session, not the database
    "POST accounts.reset_password_page",  # the link was never sent: 410
    "POST privacy.withdraw",        # expert X never gave consent, so there is none to withdraw
}


def is_api(key: str) -> bool:
    return key.split()[1].startswith(("api_", "api-docs"))


def page_writes() -> list[str]:
    """Every write of the matrix but the API's (bearer tokens, which another site cannot send)."""
    return [key for key in MATRIX if not key.startswith("GET") and not is_api(key)]


def poster(key: str) -> str:
    if key in POSTED_BY:
        return POSTED_BY[key]
    allowed = dict(zip(ROLES, MATRIX[key], strict=True))
    return next(role for role in PREFERENCE if allowed[role] not in REFUSED or key in NOT_REFUSALS)


@pytest.mark.parametrize("key", page_writes())
def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(app, db, matrix_world, route_caller, key):
    rule = routes(app).get(key)
    if rule is None:
        pytest.skip(f"{key} is not a route any more")
    url = build_url(app, rule, matrix_world)
    role = poster(key)

    def without_token():
        response = route_caller.call(key, url, role, with_token=False)
        return response.status_code, response.get_data(as_text=True)

    (status, html), changed = in_savepoint_watching(db, without_token)
    assert status == 400, f"{key} as {role} without a token answered {status}"
    assert "The form expired" in html
    assert not changed, f"{key} as {role} without a token changed {changed}"

    status, changed = in_savepoint_watching(db, lambda: route_caller.call(key, url, role).status_code)
    assert status != 400, f"{key} as {role} with its token answered 400"
    if key in WRITE_NOTHING:
        assert not changed, f"{key} is listed as writing nothing but changed {changed}"
    else:
        assert changed, f"{key} as {role} with its token changed nothing: the test proves nothing for it"


def test_the_api_is_the_only_place_without_csrf_tokens(app):
    """The writes left out above are exactly those under /api/v1, where the session cookie is ignored."""
    left_out = {key for key in MATRIX if not key.startswith("GET") and is_api(key)}
    under_api = {key for key, rule in routes(app).items() if not key.startswith("GET") and rule.rule.startswith(API)}
    assert left_out == under_api
