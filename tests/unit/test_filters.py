"""Each list's `to_filters`: the one reading of its query parameters that its page, its CSV export and its
API share; and the page's form, which leaves out what it cannot read."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from workflow.actions.filters import ActionFilterForm
from workflow.actions.filters import to_filters as action_filters
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.queries import ActionFilters
from workflow.activities.filters import to_filters as activity_filters
from workflow.activities.lifecycle import ActivityKind
from workflow.audit.filters import SYSTEM
from workflow.audit.filters import to_filters as audit_filters
from workflow.catalogue.filters import to_filters as catalogue_filters
from workflow.catalogue.services import PublicStatus
from workflow.core.forms import options
from workflow.dashboard.filters import to_filters as portfolio_filters
from workflow.dashboard.filters import to_involved
from workflow.deployments.filters import to_filters as deployment_filters
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.experts.filters import to_filters as roster_filters
from workflow.experts.models import ExpertStatus, Gender
from workflow.requests.filters import to_filters as request_filters
from workflow.requests.lifecycle import RequestStatus


def args(**values: str) -> MultiDict[str, str]:
    return MultiDict(values)


def test_nothing_asked_is_every_action_latest_first():
    assert action_filters(args()) == ActionFilters()


def test_the_action_list_reads_every_parameter():
    found = action_filters(args(region="andes", country="PE", theme="thb", status="closing", year="2026", q="lima",
                                sort="name", dir="asc", year_from="2024", year_to="2027", counted="1", published="0"))
    assert found == ActionFilters(region="andes", country="PE", theme="thb", status=ActionStatus.CLOSING, year=2026,
                                  q="lima", sort="name", descending=False, year_from=2024, year_to=2027, counted=True,
                                  published=False)


@pytest.mark.parametrize("query", [{"year": "abc"}, {"status": "bogus"}, {"sort": "password"}, {"dir": "sideways"},
                                   {"year": ""}, {"published": "maybe"}])
def test_an_unreadable_value_counts_as_not_given(query):
    assert action_filters(args(**query)) == ActionFilters()


def test_the_page_form_leaves_out_what_it_cannot_read_and_keeps_the_rest():
    form = ActionFilterForm.from_args(
        args(year="1850", status="bogus", region="andes", country="XX", q="lima", counted="1"),
        region=options([("andes", "Andes")], empty=""), country=options([("PE", "Peru")], empty=""),
        theme=options([], empty=""))
    assert {name for name, field in form._fields.items() if field.errors} == {"year", "status", "country"}
    assert action_filters(form.accepted()) == ActionFilters(region="andes", q="lima", counted=True)


def test_the_other_lists_read_their_parameters():
    assert activity_filters(args(kind="workshop", done="yes", sort="title")).kind is ActivityKind.WORKSHOP
    assert activity_filters(args(done="yes", counted="true")).done and activity_filters(args(counted="on")).counted
    deployments = deployment_filters(args(status="confirmed", counted="1", member_state="ES"))
    assert (deployments.status, deployments.engaged, deployments.member_state) == (DeploymentStatus.CONFIRMED, True,
                                                                                   "ES")
    roster = roster_filters(args(status="active", free_from="2027-1-5", free_to="2027-02-30"))
    assert (roster.status, roster.free_from, roster.free_to) == (ExpertStatus.ACTIVE, date(2027, 1, 5), None)
    assert catalogue_filters(args(status="completed")).status is PublicStatus.COMPLETED
    assert portfolio_filters(args(region="andes", year_from="2020")).year_from == 2020
    assert to_involved(args(officials="1", gender="female")).gender is Gender.FEMALE


def test_the_audit_log_tells_the_system_from_a_person():
    assert audit_filters(args(actor=SYSTEM), "UTC").system_only
    person = audit_filters(args(actor="12", dir="asc", date_from="2026-11-01"), "Europe/Madrid")
    assert (person.actor_id, person.system_only, person.oldest_first, person.date_from, person.timezone) == (
        12, False, True, date(2026, 11, 1), "Europe/Madrid")


@pytest.mark.parametrize("query, landing, status, queue", [
    ({}, "queue", None, True),  # staff land on the review queue
    ({}, "", None, False),
    ({"status": "all"}, "queue", None, False),
    ({"status": "submitted"}, "queue", RequestStatus.SUBMITTED, False),
    ({"status": "bogus"}, "", None, False),  # the page shows everything, as it always has
])
def test_the_request_list_reads_its_status_and_words(query, landing, status, queue):
    found = request_filters(args(**query, q="  " + "w" * 150), landing=landing)
    assert (found.status, found.queue, found.q) == (status, queue, "w" * 100)
