"""Generated input: schemathesis drives every operation of /api/v1/openapi.json with a real token.

It checks that nothing answers 5xx, that responses conform to the published schemas, and that no
request the schema rejects is accepted. A schema-valid request may still be refused by a rule of the
programme (an unknown id answers 404, a closed Action 409, a place that is neither given nor remote
422 `domain_error`): schemathesis's own "positive data acceptance" check would call every such answer a
defect, so `only_documented_refusals` replaces it. A schema-valid request may be refused only with a
status the operation documents and a rule's code, never with `validation_error` (that would mean
the published schema lets through input the server does not take: the contract would be lying).
The number of examples is bounded so CI stays fast; set PEERFLOW_SCHEMATHESIS_EXAMPLES for a deeper run.
PEERFLOW_SCHEMATHESIS_PHASES names the phases to run (default: examples, coverage and fuzzing). The coverage
phase sends every boundary value of every parameter, some 13,000 requests; CI runs it in one of its two runs of
the suite, the SQLite one (.ci/run says why).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus

from ..factories import make_action, make_activity, make_user

EXAMPLES = int(os.environ.get("PEERFLOW_SCHEMATHESIS_EXAMPLES", "8"))
PHASES = ("examples", "coverage", "fuzzing")
CHOSEN = {p.strip() for p in os.environ.get("PEERFLOW_SCHEMATHESIS_PHASES", ",".join(PHASES)).split(",") if p.strip()}
if not CHOSEN <= set(PHASES):
    raise ValueError(f"PEERFLOW_SCHEMATHESIS_PHASES: {sorted(CHOSEN - set(PHASES))} (known: {', '.join(PHASES)})")


@pytest.fixture()
def api_schema(app, db, token_for, peru):
    officer = make_user(db, Role.OFFICER)
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    make_activity(db, action, officer)
    token = token_for(officer)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.headers = {"Authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
    for phase in PHASES:
        schema.config.phases.get_by_name(name=phase).enabled = phase in CHOSEN  # type: ignore[attr-defined]
    return schema


schema = schemathesis.pytest.from_fixture("api_schema")

# Refusals by a rule of the programme, whatever the schema says (see the module's docstring).
RULE_CODES = {"forbidden", "not_found", "conflict", "state_conflict", "transition_refused", "stale_edit",
              "domain_error", "invalid_upload", "too_large", "already_submitted", "already_answered", "gone"}


@schemathesis.check
def only_documented_refusals(ctx, response, case):
    """A schema-valid request is accepted, or refused by a documented rule (never as malformed)."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code < 400:
        return None
    documented = {str(code) for code in case.operation.definition.raw.get("responses", {})}
    assert str(response.status_code) in documented, (
        f"{response.status_code} is not documented for {case.operation.label}")
    code = response.json()["error"]["code"]
    assert code in RULE_CODES, (
        f"schema-valid request rejected as {code!r} ({response.status_code}): the published schema does not "
        f"say what the server enforces: {response.text[:300]}")
    return None


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_holds_its_contract(case, api_schema):
    token = api_schema.config.headers["Authorization"]
    case.call_and_validate(headers={"Authorization": token}, checks=[only_documented_refusals],
                           excluded_checks=[positive_data_acceptance])
