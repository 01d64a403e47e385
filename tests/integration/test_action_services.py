"""Action use cases on a real database: naming, guards, history."""

from datetime import UTC, date, datetime

import pytest

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.queries import next_action_name
from workflow.actions.services import FinalReportDraft, apply_action_event, record_final_report
from workflow.activities.lifecycle import ActivityEvent, ActivityKind
from workflow.activities.services import apply_activity_event
from workflow.core.errors import DomainError, TransitionRefused
from workflow.reference.models import InstitutionKind
from workflow.requests.lifecycle import RequestStatus
from workflow.requests.services import accept_request

from ..factories import make_action, make_activity, make_institution, make_request, make_user

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


@pytest.fixture()
def officer(db):
    return make_user(db, Role.OFFICER)


def test_accepting_a_request_opens_an_action_named_after_the_country(db, officer):
    ministry = make_institution(db, "PE")
    requester = make_user(db, Role.REQUESTER, ministry)
    request = make_request(db, requester, RequestStatus.UNDER_REVIEW, officer)
    action = accept_request(db, request, actor=officer, now=NOW)
    assert action.name == "Peru"
    assert action.status is ActionStatus.ACCEPTED
    assert request.status is RequestStatus.ACCEPTED
    assert action.beneficiaries == [ministry]
    assert [(t.from_status, t.to_status) for t in action.transitions] == [(None, ActionStatus.ACCEPTED)]


def test_the_fifth_costa_rica_action_is_costa_rica_v(db, officer):
    for _ in range(4):
        make_action(db, officer, country="CR")
    assert next_action_name(db, country_code="CR", regional_name=None) == "Costa Rica V"


def test_names_skip_a_taken_numeral(db, officer):
    make_action(db, officer, country="PE")
    make_action(db, officer, country="PE", name="Peru III")
    assert next_action_name(db, country_code="PE", regional_name=None) == "Peru IV"


def test_a_regional_request_takes_the_organisations_name(db, officer):
    sica = make_institution(db, "SV", name="Central American Integration System", acronym="SICA",
                            kind=InstitutionKind.REGIONAL_ORGANISATION)
    requester = make_user(db, Role.REQUESTER, sica)
    request = make_request(db, requester, RequestStatus.UNDER_REVIEW, officer)
    action = accept_request(db, request, actor=officer, now=NOW)
    assert action.name == "SICA" and action.is_regional and action.country_code is None


def accept_from(db, officer, institution):
    """Accept a request from someone at `institution`: the Action it opens."""
    request = make_request(db, make_user(db, Role.REQUESTER, institution), RequestStatus.UNDER_REVIEW, officer)
    return accept_request(db, request, actor=officer, now=NOW)


def test_accepting_a_request_continues_the_series_after_its_highest_numeral(db, officer):
    make_action(db, officer, country="MX")
    make_action(db, officer, country="MX", name="Mexico V")  # II to IV never existed: they stay unused
    make_action(db, officer, country="PE", name="Mexico City")  # not in the series
    assert accept_from(db, officer, make_institution(db, "MX")).name == "Mexico VI"
    assert accept_from(db, officer, make_institution(db, "MX")).name == "Mexico VII"


def test_a_renamed_series_member_in_another_case_is_still_counted(db, officer):
    make_action(db, officer, country="PY", name="PARAGUAY  ii")
    assert accept_from(db, officer, make_institution(db, "PY")).name == "Paraguay III"


def test_a_regional_organisations_institutions_continue_its_series(db, officer):
    sica = make_institution(db, "SV", name="Central American Integration System", acronym="SICA",
                            kind=InstitutionKind.REGIONAL_ORGANISATION)
    secretariat = make_institution(db, "SV", name="General Secretariat of the Central American Integration System",
                                   acronym="SG-SICA", kind=InstitutionKind.REGIONAL_ORGANISATION)
    parliament = make_institution(db, "GT", name="Central American Parliament of SICA", acronym="PARLACEN",
                                  kind=InstitutionKind.REGIONAL_ORGANISATION)
    first = accept_from(db, officer, sica)
    second = accept_from(db, officer, secretariat)
    third = accept_from(db, officer, parliament)
    assert [first.name, second.name, third.name] == ["SICA", "SICA II", "SICA III"]
    assert all(a.is_regional and a.country_code is None for a in (first, second, third))
    assert second.beneficiaries == [secretariat]


def test_the_first_action_of_an_organisations_secretariat_starts_the_organisations_series(db, officer):
    secretariat = make_institution(db, "SV", name="General Secretariat of the Central American Integration System",
                                   acronym="SG-SICA", kind=InstitutionKind.REGIONAL_ORGANISATION, organisation="SICA")
    parliament = make_institution(db, "GT", name="Central American Parliament", acronym="PARLACEN",
                                  kind=InstitutionKind.REGIONAL_ORGANISATION, organisation="SICA")
    assert [accept_from(db, officer, secretariat).name, accept_from(db, officer, parliament).name] == ["SICA", "SICA II"]


def test_the_demo_records_the_organisation_of_sicas_secretariat_and_mercosurs_parliament():
    from seed import portfolio
    organisations = {spec.get("acronym"): spec.get("organisation") for spec in portfolio.INSTITUTIONS}
    assert organisations["SG-SICA"] == "SICA" and organisations["PARLASUR"] == "MERCOSUR"


def test_the_secretariat_continues_a_series_with_gaps(db, officer):
    mercosur = make_institution(db, "UY", name="Southern Common Market", acronym="MERCOSUR",
                                kind=InstitutionKind.REGIONAL_ORGANISATION)
    accept_from(db, officer, mercosur)
    request = make_request(db, make_user(db, Role.REQUESTER, mercosur), RequestStatus.UNDER_REVIEW, officer)
    assert accept_request(db, request, actor=officer, now=NOW, name="MERCOSUR IV").name == "MERCOSUR IV"
    parliament = make_institution(db, "UY", name="Parliament of MERCOSUR", acronym="PARLASUR",
                                  kind=InstitutionKind.REGIONAL_ORGANISATION)
    assert accept_from(db, officer, parliament).name == "MERCOSUR V"


def test_a_duplicate_name_override_is_refused(db, officer):
    make_action(db, officer, country="MX")
    with pytest.raises(DomainError, match="already exists"):
        make_action(db, officer, country="PE", name="Mexico")


def test_implementation_needs_a_reported_assessment_mission(db, officer):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT)
    mission = make_activity(db, action, officer, kind=ActivityKind.FACT_FINDING_MISSION, start=date(2026, 4, 14))
    with pytest.raises(TransitionRefused, match="assessment"):
        apply_action_event(db, action, ActionEvent.START_IMPLEMENTATION, actor=officer, now=NOW)
    apply_activity_event(db, mission, ActivityEvent.DELIVER, actor=officer, now=NOW)
    with pytest.raises(TransitionRefused, match="assessment"):  # delivered, but no report yet
        apply_action_event(db, action, ActionEvent.START_IMPLEMENTATION, actor=officer, now=NOW)
    from workflow.activities.services import ActivityReport

    apply_activity_event(db, mission, ActivityEvent.REPORT, actor=officer, now=NOW,
                         report=ActivityReport(summary="Needs identified.", participants_female=5, participants_male=4))
    apply_action_event(db, action, ActionEvent.START_IMPLEMENTATION, actor=officer, now=NOW)
    assert action.status is ActionStatus.IMPLEMENTATION


def test_a_waiver_is_recorded_on_the_action_and_in_the_history(db, officer):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT)
    apply_action_event(db, action, ActionEvent.START_IMPLEMENTATION, actor=officer, now=NOW,
                       waiver="The partner's 2025 needs assessment covers it.")
    assert action.assessment_waiver == "The partner's 2025 needs assessment covers it."
    # The history row holds the reason itself; the Action page shows it under "Assessment waived", in the reader's language.
    assert action.transitions[-1].reason == "The partner's 2025 needs assessment covers it."


def test_closing_is_refused_while_an_activity_is_planned(db, officer):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    make_activity(db, action, officer, title="Study visit to Buenos Aires")
    with pytest.raises(TransitionRefused, match="Study visit to Buenos Aires"):
        apply_action_event(db, action, ActionEvent.START_CLOSING, actor=officer, now=NOW)


def test_closing_allowed_once_every_activity_is_delivered_or_cancelled(db, officer):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    make_activity(db, action, officer, reported=True)
    cancelled = make_activity(db, action, officer)
    apply_activity_event(db, cancelled, ActivityEvent.CANCEL, actor=officer, now=NOW, reason="Elections")
    apply_action_event(db, action, ActionEvent.START_CLOSING, actor=officer, now=NOW)
    assert action.status is ActionStatus.CLOSING


def test_closed_needs_the_final_report(db, officer):
    action = make_action(db, officer, status=ActionStatus.CLOSING)
    with pytest.raises(TransitionRefused, match="final report"):
        apply_action_event(db, action, ActionEvent.CLOSE, actor=officer, now=NOW)
    record_final_report(db, action, FinalReportDraft(results="Handbook", lessons_learned="Early buy-in",
                                                     officials_trained_female=40, officials_trained_male=35),
                        actor=officer, now=NOW)
    apply_action_event(db, action, ActionEvent.CLOSE, actor=officer, now=NOW)
    assert action.status is ActionStatus.CLOSED
    assert action.final_report.officials_trained == 75


def test_suspend_and_resume_return_to_the_same_state_with_history(db, officer):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    apply_action_event(db, action, ActionEvent.SUSPEND, actor=officer, now=NOW, reason="Elections")
    assert action.status is ActionStatus.SUSPENDED and action.status_before_suspension is ActionStatus.IMPLEMENTATION
    apply_action_event(db, action, ActionEvent.RESUME, actor=officer, now=NOW)
    assert action.status is ActionStatus.IMPLEMENTATION and action.status_before_suspension is None
    last_two = [(t.from_status, t.to_status, t.reason) for t in action.transitions[-2:]]
    assert last_two == [(ActionStatus.IMPLEMENTATION, ActionStatus.SUSPENDED, "Elections"),
                        (ActionStatus.SUSPENDED, ActionStatus.IMPLEMENTATION, None)]
    assert action.transitions[-1].actor_id == officer.id


def test_a_requester_cannot_move_an_action(db, officer):
    action = make_action(db, officer)
    requester = make_user(db, Role.REQUESTER, make_institution(db))
    with pytest.raises(DomainError, match="staff"):
        apply_action_event(db, action, ActionEvent.START_ASSESSMENT, actor=requester, now=NOW)


def test_a_cancelled_action_takes_no_new_activities(db, officer):
    action = make_action(db, officer, status=ActionStatus.CANCELLED)
    with pytest.raises(DomainError, match="no longer be changed"):
        make_activity(db, action, officer)
