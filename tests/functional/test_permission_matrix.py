"""Every route of `app.url_map` × every role, with the answer each role gets; a route without a line fails.

The world (tests/functional/security_world.py) holds one object of each kind, owned by institution A
(Peru) or expert X; each route is tried by each role on those objects, in a savepoint rolled back
after each try, so every answer is the one that role gets on the same world. Pages are driven with the
session (CSRF token included), the API with the role's bearer token. Every answer must carry the
security headers, and a refused write (sign-in, 401, 403, 404, 405, 409, 422) must change nothing.

Adding a route: one line in MATRIX, `"<METHOD> <endpoint>": (anon, req_a, req_b, focal, focal_b, expert,
expert_b, officer, admin, steering)`; plus, in tests/functional/route_calls.py, the value of any new URL variable
(`url_values`, ENDPOINT_VALUES) and, for a write, the form (FORMS) or JSON body (BODIES) a permitted
role would send.
"""

from __future__ import annotations

from typing import Any

import pytest

from .route_calls import L, R, build_url, in_savepoint, outcome, routes
from .security_world import ROLES
from .test_headers import security_header_problems
from .write_watch import in_savepoint_watching

OK, CREATED, DELETED = 200, 201, 204
U, F, N, X, C, GONE, V = 401, 403, 404, 405, 409, 410, 422
REFUSED = {L, U, F, N, X, C, GONE, V}
# Answered with the sign-in page without being refused: signing out (which ends the user's sessions), and
# asking for a reset link (the same answer whether the account exists or not).
NOT_REFUSALS = {"POST accounts.logout", "POST accounts.forgot_password"}

# fmt: off
MATRIX: dict[str, tuple[Any, ...]] = {
    # "<METHOD> <endpoint>":                      anon req_a req_b focal focal_b expert expert_b officer admin steering
    # --- public, sign-in, own account
    "GET main.index":                             (OK, R,  R,  R,  R,  R,  R,  R,  R, R),
    "GET main.home":                              (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET main.health":                            (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET ops.healthz":                            (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET ops.readyz":                             (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET accounts.login":                         (OK, R,  R,  R,  R,  R,  R,  R,  R, R),
    "POST accounts.login":                        (R,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "POST accounts.logout":                       (L,  L,  L,  L,  L,  L,  L,  L,  L, L),
    "GET accounts.account":                       (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST accounts.account":                      (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "POST accounts.create_api_token":             (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "POST accounts.revoke_api_token":             (L,  R,  N,  N,  N,  N,  N,  N,  N, N),
    "GET accounts.reauthenticate":                (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST accounts.reauthenticate":               (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "POST accounts.change_own_password":          (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "GET accounts.forgot_password":               (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST accounts.forgot_password":              (L,  L,  L,  L,  L,  L,  L,  L,  L, L),
    "GET accounts.reset_password_page":           (GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "POST accounts.reset_password_page":          (GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE, GONE),
    "GET notifications.index":                    (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST notifications.read":                    (L,  R,  N,  N,  N,  N,  N,  N,  N, N),
    "POST notifications.read_all":                (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    "GET notifications.preferences":              (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST notifications.preferences":             (L,  R,  R,  R,  R,  R,  R,  R,  R, R),
    # --- public catalogue and calendar feeds (the secret in the address is the key)
    "GET catalogue.index":                        (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET catalogue.show":                         (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET catalogue.map":                          (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET catalogue.map_data":                     (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # --- IATI publication (public files; the same as JSON through the API)
    "GET iati.activities":                        (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET iati.organisation":                      (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_iati.IatiActivities":                (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_iati.OneIatiActivity":               (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET calendar.action_feed":                   (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET calendar.expert_feed":                   (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # --- requests
    "GET requests.index":                         (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET requests.new":                           (L,  OK, OK, F,  F,  F,  F,  F,  F, F),
    "POST requests.new":                          (L,  R,  R,  F,  F,  F,  F,  F,  F, F),
    "GET requests.show":                          (L,  OK, N,  N,  N,  N,  N,  OK, OK, N),
    "GET requests.edit":                          (L,  OK, N,  F,  F,  F,  F,  F,  F, F),
    "POST requests.edit":                         (L,  OK, N,  F,  F,  F,  F,  F,  F, F),
    "POST requests.fire":                         (L,  R,  N,  N,  N,  N,  N,  R,  R, N),
    # --- the Steering Committee: staff consult it and decide, its members answer, admins keep it
    "POST governance.send":                       (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST governance.deadline":                   (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST governance.answer":                     (L,  F,  F,  F,  F,  F,  F,  F,  F, R),
    "GET governance.decide":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST governance.decide":                     (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET governance.consultations":               (L,  F,  F,  F,  F,  F,  F,  OK, OK, OK),
    "GET governance.committee":                   (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST governance.committee":                  (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "POST governance.edit_member":                (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "GET governance.criteria_list":               (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST governance.criteria_list":              (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "POST governance.edit_criterion":             (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    # --- Actions
    "GET actions.index":                          (L,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET actions.show":                           (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET actions.factsheet":                      (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET actions.edit":                           (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST actions.edit":                          (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST actions.fire":                          (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET actions.final_report":                   (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST actions.final_report":                  (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET actions.public_details":                 (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST actions.public_details":                (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST actions.publish":                       (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST actions.calendar_token":                (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    # --- activities and deliverables
    "GET activities.index":                       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET activities.new":                         (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST activities.new":                        (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET activities.show":                        (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET activities.edit":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST activities.edit":                       (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST activities.fire":                       (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET activities.postpone":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST activities.postpone":                   (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET activities.report":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST activities.report":                     (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET activities.new_deliverable":             (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST activities.new_deliverable":            (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET activities.download":                    (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    # --- plan templates (staff only) and copying an activity
    "GET plans.index":                            (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET plans.show":                             (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST plans.delete":                          (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET plans.save":                             (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST plans.save":                            (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET plans.apply":                            (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST plans.apply":                           (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET plans.copy_activity":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST plans.copy_activity":                   (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    # --- experts, deployments, staffing
    "GET experts.index":                          (L,  F,  F,  OK, OK, F,  F,  OK, OK, F),
    "GET experts.new":                            (L,  F,  F,  OK, OK, F,  F,  OK, OK, F),
    "POST experts.new":                           (L,  F,  F,  R,  OK, F,  F,  R,  R, F),
    "GET experts.show":                           (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "GET experts.edit":                           (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST experts.edit":                          (L,  N,  N,  R,  N,  R,  N,  R,  R, N),
    "POST experts.set_status":                    (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST experts.add_unavailable":               (L,  N,  N,  R,  N,  R,  N,  R,  R, N),
    "POST experts.remove_unavailable":            (L,  N,  N,  R,  N,  R,  N,  R,  R, N),
    "POST experts.upload_cv":                     (L,  N,  N,  R,  N,  R,  N,  R,  R, N),
    "GET experts.download_cv":                    (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST experts.calendar_token":                (L,  N,  N,  F,  N,  R,  N,  R,  R, N),
    "GET deployments.assignments":                (L,  F,  F,  F,  F,  OK, OK, F,  F, F),
    "GET deployments.index":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET deployments.show":                       (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST deployments.fire":                      (L,  N,  N,  R,  N,  R,  N,  R,  R, N),
    "POST deployments.release":                   (L,  F,  F,  R,  N,  F,  F,  F,  R, F),
    "GET deployments.releases":                   (L,  F,  F,  OK, OK, F,  F,  F,  OK, F),
    "POST deployments.refuse":                    (L,  F,  F,  R,  N,  F,  F,  F,  R, F),
    "POST deployments.report":                    (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "GET deployments.suggestions":                (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST deployments.invite":                    (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET deployments.staffing":                   (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST deployments.staffing":                  (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    # --- calls for experts (the answer link's secret is its key, as a calendar feed's)
    "GET calls.new":                              (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST calls.new":                             (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET calls.show":                             (L,  F,  F,  OK, N,  F,  F,  OK, OK, F),
    "POST calls.propose":                         (L,  F,  F,  R,  N,  F,  F,  F,  F,  F),
    "POST calls.invite":                          (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST calls.fire":                            (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET calls.answer_cv":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST calls.answer":                          (L,  F,  F,  F,  F,  R,  N,  F,  F,  F),
    "GET calls.answer_by_link":                   (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST calls.answer_by_link":                  (R,  R,  R,  R,  R,  R,  R,  R,  R,  R),
    "GET calls.unsubscribe":                      (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST calls.unsubscribe":                     (R,  R,  R,  R,  R,  R,  R,  R,  R,  R),
    # --- knowledge: events across Actions and good practices (staff); the public practices library
    "GET knowledge.events":                       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET knowledge.new_event":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST knowledge.new_event":                   (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET knowledge.event":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET knowledge.edit_event":                   (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST knowledge.edit_event":                  (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST knowledge.staffing":                    (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST knowledge.add_document":                (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET knowledge.document_file":                (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST knowledge.remove_document":             (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET knowledge.practices":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET knowledge.new_practice":                 (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST knowledge.new_practice":                (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET knowledge.practice":                     (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET knowledge.edit_practice":                (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST knowledge.edit_practice":               (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST knowledge.publish":                     (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST knowledge.withdraw":                    (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET catalogue.practices":                    (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET catalogue.practice":                     (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # --- participants' evaluations (the questionnaire's link is its key: 410 once closed, tested apart) and ratings
    "GET evaluations.new":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST evaluations.new":                       (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST evaluations.close":                     (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET evaluations.answer":                     (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST evaluations.answer":                    (R,  R,  R,  R,  R,  R,  R,  R,  R,  R),
    "GET evaluations.rate":                       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    # --- results frameworks: whoever sees the Action reads it, staff write it; the beneficiary measures where
    # staff opened the indicator (the world's is open) and sends news of policy deliverables once it is closed
    "GET results.show":                           (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET results.edit":                           (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST results.edit":                          (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET results.new_result":                     (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST results.new_result":                    (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET results.edit_result_page":               (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST results.edit_result_page":              (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST results.remove_result_page":            (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET results.new_indicator":                  (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST results.new_indicator":                 (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET results.edit_indicator_page":            (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST results.edit_indicator_page":           (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "POST results.remove_indicator_page":         (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET results.new_measurement":                (L,  OK, N,  F,  N,  F,  N,  OK, OK, N),
    "POST results.new_measurement":               (L,  R,  N,  F,  N,  F,  N,  R,  R,  N),
    "GET results.withdraw":                       (L,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "POST results.withdraw":                      (L,  F,  N,  F,  N,  F,  N,  R,  R,  N),
    "GET results.news":                           (L,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "POST results.news":                          (L,  F,  N,  F,  N,  F,  N,  R,  R,  N),
    "GET results.measurement_file":               (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET results.stage_file":                     (L,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "POST evaluations.rate":                      (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    # --- staff pages: dashboard, exports, outbox, reminder rules
    "GET dashboard.index":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET dashboard.experts":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.actions":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.activities":                     (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.deployments":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.experts":                        (L,  F,  F,  OK, OK, F,  F,  OK, OK, F),
    "GET exports.involved_experts":               (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    # --- money (workflow/finance): staff see and change amounts, admins keep the rates
    "GET exports.money":                          (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET finance.figures":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET finance.budget":                         (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST finance.budget":                        (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET finance.new_cost":                       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST finance.new_cost":                      (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET finance.edit_cost":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST finance.edit_cost":                     (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET finance.remove_cost":                    (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST finance.remove_cost":                   (L,  F,  F,  F,  F,  F,  F,  R,  R,  F),
    "GET finance.rates":                          (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET finance.new_allowance_rate":             (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST finance.new_allowance_rate":            (L,  F,  F,  F,  F,  F,  F,  F,  R,  F),
    "GET finance.new_fee_rate":                   (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST finance.new_fee_rate":                  (L,  F,  F,  F,  F,  F,  F,  F,  R,  F),
    "GET api_finance.ActionBudget":               (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "PUT api_finance.ActionBudget":               (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "GET api_finance.ActivityCosts":              (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "POST api_finance.ActivityCosts":             (U,  F,  N,  F,  N,  F,  N,  CREATED, CREATED, N),
    "GET api_finance.OneCostLine":                (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "PATCH api_finance.OneCostLine":              (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "POST api_finance.CostLineRemoval":           (U,  F,  N,  F,  N,  F,  N,  OK, OK, N),
    "GET api_finance.Rates":                      (U,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST api_finance.AllowanceRates":            (U,  F,  F,  F,  F,  F,  F,  F,  CREATED, F),
    "POST api_finance.FeeRates":                  (U,  F,  F,  F,  F,  F,  F,  F,  CREATED, F),
    "GET api_finance.Money":                      (U,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET api_finance.DeploymentPay":              (U,  N,  N,  F,  N,  OK, N,  OK, OK, N),
    # --- missions (workflow/missions): X's completed mission; staff and X see it all, Spain's focal point its
    # travel without amounts, letters or claims; everyone else nothing
    "GET missions.show":                          (L,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST missions.logistics":                    (L,  N,  N,  V,  N,  V,  N,  R,  R,  N),
    "POST missions.checklist":                    (L,  N,  N,  V,  N,  R,  N,  R,  R,  N),
    "POST missions.tick":                         (L,  N,  N,  R,  N,  R,  N,  R,  R,  N),
    "GET missions.letter":                        (L,  N,  N,  N,  N,  OK, N,  OK, OK, N),
    "POST missions.accept_letter":                (L,  N,  N,  R,  N,  R,  N,  R,  R,  N),
    "POST missions.new_claim":                    (L,  N,  N,  R,  N,  R,  N,  R,  R,  N),
    "GET missions.claim":                         (L,  N,  N,  N,  N,  OK, N,  OK, OK, N),
    "POST missions.add_item":                     (L,  N,  N,  N,  N,  R,  N,  V,  V,  N),
    "POST missions.remove_item":                  (L,  N,  N,  N,  N,  R,  N,  R,  R,  N),
    "POST missions.claim_event":                  (L,  N,  N,  N,  N,  R,  N,  R,  R,  N),
    "GET missions.receipt":                       (L,  N,  N,  N,  N,  OK, N,  OK, OK, N),
    "GET missions.papers":                        (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET api_missions.Logistics":                 (U,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "PUT api_missions.Logistics":                 (U,  N,  N,  F,  N,  F,  N,  OK, OK, N),
    "GET api_missions.Checklist":                 (U,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_missions.Checklist":                (U,  N,  N,  F,  N,  CREATED, N, CREATED, CREATED, N),
    "PATCH api_missions.ChecklistEntry":          (U,  N,  N,  F,  N,  OK, N,  OK, OK, N),
    "GET api_missions.Letter":                    (U,  N,  N,  F,  N,  OK, N,  OK, OK, N),
    "POST api_missions.LetterAcceptance":         (U,  N,  N,  F,  N,  OK, N,  F,  F,  N),
    "GET api_missions.Claims":                    (U,  N,  N,  F,  N,  OK, N,  OK, OK, N),
    "POST api_missions.Claims":                   (U,  N,  N,  F,  N,  CREATED, N, F, F, N),
    "GET api_missions.OneClaim":                  (U,  N,  N,  F,  N,  OK, N,  OK, OK, N),
    "POST api_missions.ClaimItems":               (U,  N,  N,  F,  N,  CREATED, N, F, F, N),
    "DELETE api_missions.OneClaimItem":           (U,  N,  N,  F,  N,  DELETED, N, F, F, N),
    "POST api_missions.ClaimEvents":              (U,  N,  N,  F,  N,  OK, N,  F,  F,  N),
    "GET exports.indicators":                     (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.deliverable_news":               (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.deliverables_adopted_csv":       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.knowledge_events":               (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET exports.practices":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET reminders.outbox":                       (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET reminders.message":                      (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "POST reminders.retry_reminder":              (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "POST reminders.retry_email":                 (L,  F,  F,  F,  F,  F,  F,  R,  R, F),
    "GET reminders.rule_settings":                (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST reminders.rule_settings":               (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "GET reminders.wording":                      (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST reminders.wording":                     (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    # --- administration: users and roles, the audit trail, erasure
    "GET accounts.users":                         (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "GET accounts.user_page":                     (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST accounts.change_user_role":             (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "POST accounts.set_user_active":              (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    "GET audit.index":                            (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "GET audit.record":                           (L,  F,  F,  F,  F,  F,  F,  OK, OK, F),
    "GET privacy.erase":                          (L,  F,  F,  F,  F,  F,  F,  F,  OK, F),
    "POST privacy.erase":                         (L,  F,  F,  F,  F,  F,  F,  F,  R, F),
    # --- privacy: the notice, the expert's consent and data
    "GET privacy.notice":                         (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET privacy.consent":                        (L,  F,  F,  F,  F,  OK, OK, F,  F, F),
    "POST privacy.give":                          (L,  F,  F,  F,  F,  R,  R,  F,  F, F),
    "POST privacy.withdraw":                      (L,  F,  F,  F,  F,  R,  R,  F,  F, F),
    "GET privacy.export":                         (L,  N,  N,  N,  N,  OK, N,  OK, OK, N),
    # --- the JSON API: a bearer token per role, 401 without one
    "GET api-docs.openapi_json":                  (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api-docs.openapi_swagger_ui":            (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_people.Me":                          (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_people.MyNotifications":             (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "PATCH api_account.MyPreferences":            (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST api_account.ReadNotification":          (U,  OK, N,  N,  N,  N,  N,  N,  N, N),
    "POST api_account.ReadAllNotifications":      (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_account.MyNotificationPreferences":  (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "PUT api_account.MyNotificationPreferences":  (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_people.MyReminders":                 (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_people.Portfolio":                   (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_requests.Requests":                  (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST api_requests.Requests":                 (U, CREATED, CREATED, F, F, F, F, F, F, F),
    "GET api_requests.OneRequest":                (U,  OK, N,  N,  N,  N,  N,  OK, OK, N),
    "PATCH api_requests.OneRequest":              (U, C, N, N, N, N, N, C, C, N),
    "POST api_requests.RequestEvents":            (U, F, N, N, N, N, N, OK, OK, N),
    "GET api_actions.Actions":                    (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_actions.OneAction":                  (U,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "GET api_actions.ActionTransitions":          (U,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_actions.ActionEvents":              (U, F, N, F, N, F, N, OK, OK, N),
    "PUT api_actions.FinalReport":                (U, F, F, F, F, F, F, C, C, F),
    "PATCH api_actions.OneAction":                (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_actions.Published":                  (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_actions.PublicDetails":              (U, F, F, F, F, F, F, OK, OK, F),
    "GET api_activities.ActionActivities":        (U,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_activities.ActionActivities":       (U, F, N, F, N, F, N, CREATED, CREATED, N),
    "GET api_activities.Deliverables":            (U,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_activities.Deliverables":           (U, F, N, F, N, F, N, CREATED, CREATED, N),
    "GET api_activities.OneActivity":             (U,  OK, N,  OK, N,  OK, N,  OK, OK, N),
    "PATCH api_activities.OneActivity":           (U, F, N, F, N, F, N, OK, OK, N),
    "POST api_activities.ActivityEvents":         (U, F, N, F, N, F, N, OK, OK, N),
    "POST api_activities.PostponeActivity":       (U, F, N, F, N, F, N, OK, OK, N),
    "GET api_people.Experts":                     (U,  OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "GET api_people.OneExpert":                   (U,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_roster.NewExpert":                  (U, F, F, CREATED, V, F, F, CREATED, CREATED, F),
    "PATCH api_roster.EditExpert":                (U, N, N, OK, N, OK, N, OK, OK, N),
    "POST api_roster.ExpertStatusChange":         (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_roster.ExpertUnavailability":       (U, N, N, F, N, CREATED, N, CREATED, CREATED, N),
    "DELETE api_roster.OneUnavailability":        (U, N, N, F, N, DELETED, N, DELETED, DELETED, N),
    "GET api_people.Suggestions":                 (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_people.SlotDeployments":            (U, F, N, F, N, F, N, C, C, N),
    "GET api_people.OneDeployment":               (U,  N,  N,  OK, N,  OK, N,  OK, OK, N),
    "POST api_people.DeploymentEvents":           (U, N, N, F, N, OK, N, F, F, N),
    "POST api_people.Release":                    (U, N, N, OK, N, F, N, F, OK, N),
    "POST api_people.ReleaseRefusal":             (U, N, N, OK, N, F, N, F, OK, N),
    "PUT api_people.MissionReport":               (U, N, N, F, N, C, N, C, C, N),
    # the Steering Committee through the API: staff open and decide, members answer, the requester reads decisions
    "GET api_governance.Consultations":           (U, F, F, F, F, F, F, OK, OK, OK),
    "GET api_governance.OneConsultation":         (U, F, F, F, F, F, F, OK, OK, OK),
    "GET api_governance.RequestConsultations":    (U, F, F, F, F, F, F, OK, OK, N),
    "POST api_governance.RequestConsultations":   (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "POST api_governance.ConsultationDeadline":   (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_governance.MemberAnswer":            (U, F, F, F, F, F, F, F, F, OK),
    "POST api_governance.ConsultationDecision":   (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_governance.RequestDecisions":        (U, OK, N, N, N, N, N, OK, OK, OK),
    "GET api_governance.Criteria":                (U, F, F, F, F, F, F, OK, OK, F),
    # calls for experts through the API: staff send and end them, those reached answer or propose
    "GET api_calls.ActivityCalls":                (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_calls.ActivityCalls":               (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "POST api_calls.CallPreview":                 (U, F, F, F, F, F, F, OK, OK, F),
    "GET api_calls.OneCall":                      (U, F, F, OK, N, OK, N, OK, OK, F),
    "GET api_calls.Board":                        (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_calls.CallEvents":                  (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_calls.Answer":                       (U, F, F, F, F, OK, N, F, F, F),
    "GET api_calls.Proposals":                    (U, F, F, OK, N, F, F, OK, OK, F),
    "POST api_calls.Proposals":                   (U, F, F, CREATED, N, F, F, F, F, F),
    "POST api_calls.Invitations":                 (U, F, F, F, F, F, F, C, C, F),
    "GET api_calls.MyCalls":                      (U, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    # knowledge events and good practices through the API (staff)
    "GET api_knowledge.Events":                   (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_knowledge.Events":                  (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_knowledge.OneEvent":                 (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_knowledge.OneEvent":                 (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_knowledge.EventStaffing":           (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "POST api_knowledge.EventDocuments":          (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "POST api_knowledge.RemoveEventDocument":     (U, F, F, F, F, F, F, OK, OK, F),
    "GET api_knowledge.Practices":                (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_knowledge.Practices":               (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_knowledge.OnePractice":              (U, F, F, F, F, F, F, OK, OK, F),
    "PUT api_knowledge.OnePractice":              (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_knowledge.PublishPractice":         (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_knowledge.WithdrawPractice":        (U, F, F, F, F, F, F, OK, OK, F),
    # evaluations through the API (the questionnaire's link is its key: no token) and ratings
    "GET api_evaluations.ActivityEvaluations":    (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_evaluations.ActivityEvaluations":   (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_evaluations.OneEvaluation":          (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_evaluations.CloseEvaluation":       (U, F, F, F, F, F, F, OK, OK, F),
    "GET api_evaluations.ActivityResults":        (U, OK, N, OK, N, OK, N, OK, OK, N),
    "GET api_evaluations.ActionResults":          (U, OK, N, OK, N, OK, N, OK, OK, N),
    "GET api_evaluations.ExpertResults":          (U, N, N, OK, N, OK, N, OK, OK, N),
    "GET api_evaluations.Rating":                 (U, F, F, F, F, F, F, N, N, F),
    "PUT api_evaluations.Rating":                 (U, F, F, F, F, F, F, OK, OK, F),
    # results frameworks through the API (the same rules as the pages)
    "GET api_results.Framework":                  (U, OK, N, OK, N, OK, N, OK, OK, N),
    "PUT api_results.Framework":                  (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_results.Results":                   (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "PUT api_results.OneResult":                  (U, F, F, F, F, F, F, OK, OK, F),
    "DELETE api_results.OneResult":               (U, F, F, F, F, F, F, C, C, F),  # its indicator was measured
    "POST api_results.Indicators":                (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_results.OneIndicator":               (U, OK, N, OK, N, OK, N, OK, OK, N),
    "PUT api_results.OneIndicator":               (U, F, F, F, F, F, F, OK, OK, F),
    "DELETE api_results.OneIndicator":            (U, F, F, F, F, F, F, C, C, F),  # measured: it stays
    "GET api_results.Measurements":               (U, OK, N, OK, N, OK, N, OK, OK, N),
    "POST api_results.Measurements":              (U, CREATED, N, F, N, F, N, CREATED, CREATED, N),
    "POST api_results.Withdraw":                  (U, F, N, F, N, F, N, OK, OK, N),
    "GET api_results.Stages":                     (U, OK, N, OK, N, OK, N, OK, OK, N),
    "POST api_results.Stages":                    (U, F, N, F, N, F, N, CREATED, CREATED, N),
    "GET api_evaluations.Questionnaire":          (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    "POST api_evaluations.QuestionnaireAnswers":  (CREATED, CREATED, CREATED, CREATED, CREATED, CREATED, CREATED,
                                                   CREATED, CREATED, CREATED),
    # plan templates through the API (staff only)
    "GET api_plans.Templates":                    (U, F, F, F, F, F, F, OK, OK, F),
    "GET api_plans.OneTemplate":                  (U, F, F, F, F, F, F, OK, OK, F),
    "DELETE api_plans.OneTemplate":               (U, F, F, F, F, F, F, DELETED, DELETED, F),
    "POST api_plans.SavePlan":                    (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "GET api_plans.PlanPreview":                  (U, F, F, F, F, F, F, OK, OK, F),
    "POST api_plans.ApplyPlan":                   (U, F, F, F, F, F, F, CREATED, CREATED, F),
    "POST api_plans.CopyActivity":                (U, F, F, F, F, F, F, CREATED, CREATED, F),
}
# fmt: on


# --- The tests ---------------------------------------------------------------------------------------

def test_every_route_has_a_line_in_the_matrix(app):
    present = routes(app)
    missing = sorted(set(present) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(present))
    blank = "(" + ", ".join("?" for _role in ROLES) + "),"
    lines = "\n".join("    " + f'"{key}":'.ljust(46) + f"{blank}  # {present[key].rule}" for key in missing)
    assert not missing, (f"{len(missing)} route(s) have no line in MATRIX of {__name__}; add these lines with the "
                         f"answer each role ({', '.join(ROLES)}) should get:\n{lines}")
    assert not stale, f"MATRIX lists routes that no longer exist: {stale}"


@pytest.mark.parametrize("key", list(MATRIX))
def test_each_role_gets_the_answer_the_matrix_gives(app, db, matrix_world, route_caller, key):
    rule = routes(app).get(key)
    if rule is None:
        pytest.skip(f"{key} is not a route any more (test_every_route_has_a_line_in_the_matrix says so)")
    url = build_url(app, rule, matrix_world)
    problems = []
    for role, expected in zip(ROLES, MATRIX[key], strict=True):

        def attempt(role=role, expected=expected):
            response = route_caller.call(key, url, role)
            found = outcome(response)
            notes = []
            if found != expected:
                notes.append(f"answered {found}, the matrix says {expected}")
            return notes + security_header_problems(response)

        if not key.startswith("GET") and expected in REFUSED and key not in NOT_REFUSALS:
            notes, changed = in_savepoint_watching(db, attempt)
            notes += [f"changed {c}" for c in changed]
        else:
            notes = in_savepoint(db, attempt)
        problems += [f"{role}: {note}" for note in notes]
    assert not problems, f"{key} {url}:\n  " + "\n  ".join(problems)
