"""The record pages are organised around the next step: one primary button per state, the other steps
outlined (red and asking first when they destroy), a guard's reason as the button's description until the
step is tried, and one history in words."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest

from workflow.actions.lifecycle import ActionStatus
from workflow.activities.lifecycle import ActivityEvent
from workflow.activities.services import apply_activity_event, postpone_activity
from workflow.requests.lifecycle import RequestStatus

from ..factories import T0, make_action, make_activity, make_request

LATER = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # after the activities' start


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.get_data(as_text=True))


def words(html_text: str) -> str:
    """What a reader reads: the text without its tags, its spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html_text).split()).replace(" :", ":")


def header(page: str) -> str:
    start = page.index('<header class="pf-record-head')
    return page[start:page.index("</header>", start)]


def primary_buttons(page: str) -> list[str]:
    """The words of every primary button or link of the page's content (the steps' dialogs left aside)."""
    content = re.sub(r'<div id="step-[^"]+" class="pf-step-panel.*?</form>\s*</div>', "",
                     page[page.index('<main'):page.index("</main>")], flags=re.S)
    return [words(m) for m in re.findall(r'class="btn btn-primary"[^>]*>(.*?)</(?:button|a)>', content, re.S)]


def history_of(page: str) -> str:
    return words(page[page.index('id="history"'):page.index("</main>")])


# --- The next step, per state -------------------------------------------------------------------


@pytest.mark.parametrize(("status", "expected"), [
    (ActionStatus.ACCEPTED, "Start assessment"),
    (ActionStatus.ASSESSMENT, "Start implementation"),
    (ActionStatus.IMPLEMENTATION, "Start closing"),
    (ActionStatus.CLOSING, "Close the Action"),
    (ActionStatus.SUSPENDED, "Resume"),
    (ActionStatus.CLOSED, None),
    (ActionStatus.CANCELLED, None),
])
def test_the_action_page_offers_its_next_step_as_its_one_primary_button(db, client, login_as, officer, peru,
                                                                        status, expected):
    action = make_action(db, officer, status=status, beneficiary=peru)
    page = page_of(login_as(officer), f"/actions/{action.id}")
    assert primary_buttons(page) == ([expected] if expected else [])
    if expected:
        assert '<button class="btn btn-primary" type="submit"' in header(page)


@pytest.mark.parametrize("status", [ActionStatus.ACCEPTED, ActionStatus.ASSESSMENT, ActionStatus.IMPLEMENTATION,
                                    ActionStatus.CLOSING])
def test_suspending_and_cancelling_are_red_outlined_and_ask_why_in_words(db, client, login_as, officer, peru, status):
    action = make_action(db, officer, status=status, beneficiary=peru)
    page = page_of(login_as(officer), f"/actions/{action.id}")
    head = header(page)
    for step, label, question in (("suspend", "Suspend", "Why is the Action suspended?"),
                                  ("cancel", "Cancel the Action", "Why is the Action cancelled?")):
        assert f'<a class="btn btn-outline-danger" href="#step-{step}" data-step-open="step-{step}">{label}</a>' in head
        panel = head[head.index(f'id="step-{step}"'):]
        assert f'<label class="form-label" for="reason-{step}">{question}' in panel
    assert ">Reason <" not in page and ">Reason<" not in page  # no field is labelled only "Reason"


def test_a_suspended_action_offers_resume_and_cancel_only(db, client, login_as, officer, peru):
    action = make_action(db, officer, status=ActionStatus.SUSPENDED, beneficiary=peru)
    head = header(page_of(login_as(officer), f"/actions/{action.id}"))
    assert "Resume" in head and "Cancel the Action" in head and "step-suspend" not in head


def test_requesters_read_an_action_without_steps(db, client, login_as, officer, peru, requester_pe):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    page = page_of(login_as(requester_pe), f"/actions/{action.id}")
    assert primary_buttons(page) == [] and "/events/" not in page and "Not yet" not in page


@pytest.mark.parametrize(("steps", "expected"), [
    ((), "Confirm"),
    ((ActivityEvent.CONFIRM,), "Mark delivered"),
    ((ActivityEvent.POSTPONE,), "Confirm"),
    ((ActivityEvent.DELIVER,), "Record the report"),
    ((ActivityEvent.CANCEL,), None),
])
def test_the_activity_page_offers_its_next_step_as_its_one_primary_button(db, client, login_as, officer, peru,
                                                                          steps, expected):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_activity(db, action, officer, start=date(2026, 3, 2))
    for event in steps:
        if event is ActivityEvent.POSTPONE:
            postpone_activity(db, activity, start_date=date(2026, 4, 6), end_date=date(2026, 4, 8),
                              reason="The ministry moves.", actor=officer, now=T0)
        else:
            apply_activity_event(db, activity, event, actor=officer, now=LATER, reason="Elections.")
    db.commit()
    page = page_of(login_as(officer), f"/activities/{activity.id}")
    assert primary_buttons(page) == ([expected] if expected else [])
    if expected and steps != (ActivityEvent.DELIVER,):
        head = header(page)
        assert "Cancel the activity" in head and "Why is the activity cancelled?" in head
        assert 'class="btn btn-outline-secondary" href="/activities/' in head  # postponing: a page of its own


@pytest.mark.parametrize(("status", "reader", "expected"), [
    (RequestStatus.DRAFT, "requester", "Submit"),
    (RequestStatus.SUBMITTED, "officer", "Start review"),
    (RequestStatus.UNDER_REVIEW, "officer", "Accept and create the Action"),
    (RequestStatus.CLARIFICATION_REQUESTED, "requester", "Answer and send back"),
    (RequestStatus.SUBMITTED, "requester", None),
    (RequestStatus.CLARIFICATION_REQUESTED, "officer", None),
])
def test_the_request_page_offers_its_readers_next_step_as_its_one_primary_button(db, client, login_as, officer,
                                                                                  requester_pe, status, reader,
                                                                                  expected):
    request = make_request(db, requester_pe, status, officer)
    page = page_of(login_as(officer if reader == "officer" else requester_pe), f"/requests/{request.id}")
    assert primary_buttons(page) == ([expected] if expected else [])
    head = header(page)
    if status is RequestStatus.CLARIFICATION_REQUESTED and reader == "requester":
        assert '<label class="form-label fw-semibold" for="reason-answer_clarification">Your answer' in head
    if status is RequestStatus.UNDER_REVIEW:
        assert "Question for the requester" in head and "Why is the request declined?" in head
    if expected is None:  # what the request waits for, said instead
        assert ("you will be notified" if reader == "requester" else "Waiting for the requester's answer") in head


# --- Guards: a description first, an error only once tried ---------------------------------------


def test_a_guard_is_the_next_steps_description_until_the_step_is_tried(db, client, login_as, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    page = page_of(login_as(officer), f"/actions/{action.id}")
    guard = "Implementation can start only after an assessment"
    assert guard in page
    assert '<button class="btn btn-primary" type="submit" aria-describedby="next-blocked">Start implementation' in page
    blocked = page[page.index('id="next-blocked"'):]
    assert blocked.startswith('id="next-blocked" class="small text-muted')  # muted, not red
    assert words(blocked[blocked.index(">") + 1:]).startswith("Not yet: " + guard)
    assert 'role="alert"' not in page and "text-danger mt-2" not in page  # nothing was tried: no error
    # The way round it, offered beside: the waiver, asking why no mission is needed.
    assert 'data-step-open="step-waiver"' in page and "Why is no assessment mission needed?" in page

    tried = html.unescape(post(f"/actions/{action.id}/events/start_implementation",
                               {"version": str(action.version)}, follow_redirects=True).get_data(as_text=True))
    alert = tried[tried.index('role="alert"'):]
    assert words(alert[:alert.index("</div>")]).endswith(guard + ", fact-finding or mapping mission has been "
                                                          "delivered and its report recorded, or after the "
                                                          "assessment is waived with a reason.")


def test_the_waiver_starts_implementation_with_its_reason(db, client, login_as, post, officer, peru):
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    login_as(officer)
    done = html.unescape(post(f"/actions/{action.id}/events/start_implementation",
                              {"version": str(action.version), "waiver": "The partner's own study mapped the needs."},
                              follow_redirects=True).get_data(as_text=True))
    assert "implementation has started" in done
    assert "The partner's own study mapped the needs." in done


def test_closing_names_the_open_activity_as_not_yet_then_as_an_error_when_tried(db, client, login_as, post, officer,
                                                                                peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    make_activity(db, action, officer, title="Study visit to Argentina", start=date(2027, 3, 1))
    page = page_of(login_as(officer), f"/actions/{action.id}")
    assert "Not yet: Closing needs every activity delivered or cancelled; still open: “Study visit to Argentina”." \
        in words(header(page))
    assert 'role="alert"' not in page
    tried = html.unescape(post(f"/actions/{action.id}/events/start_closing", {"version": str(action.version)},
                               follow_redirects=True).get_data(as_text=True))
    assert "still open: “Study visit to Argentina”" in tried[tried.index('role="alert"'):]


def test_an_activity_not_started_says_not_yet_beside_mark_delivered(db, client, login_as, officer, peru):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_activity(db, action, officer, start=date(2027, 5, 3))
    apply_activity_event(db, activity, ActivityEvent.CONFIRM, actor=officer, now=T0)
    db.commit()
    head = header(page_of(login_as(officer), f"/activities/{activity.id}"))
    assert 'aria-describedby="next-blocked">Mark delivered' in head
    assert "Not yet: An activity can be marked delivered only once it has started (it starts on 3 May 2027)." \
        in words(head)


# --- One history, in words ---------------------------------------------------------------------


def test_the_action_history_is_told_once_in_words_with_names(db, client, login_as, post, officer, peru):
    officer.name = "Ana Officer"
    db.commit()
    action = make_action(db, officer, status=ActionStatus.ASSESSMENT, beneficiary=peru)
    login_as(officer)
    assert post(f"/actions/{action.id}/events/suspend", {"version": str(action.version),
                                                         "reason": "Elections in the partner country."}).status_code == 302
    page = page_of(client, f"/actions/{action.id}")
    told = history_of(page)
    steps = ["Ana Officer opened the Action: Accepted", "Ana Officer changed the status: Accepted → Assessment",
             "Ana Officer changed the status: Assessment → Suspended “Elections in the partner country.”"]
    assert [told.index(s) for s in steps] == sorted(told.index(s) for s in steps)
    for said in ("Accepted → Assessment", "Assessment → Suspended", "Elections in the partner country."):
        assert words(page).count(said) == 1, said  # one history: nothing repeated field by field
    assert "Change history" not in page and "Timeline" not in page
    assert f"#{officer.id}" not in told and "account #" not in told  # names, not ids


def test_a_postponement_reads_with_its_earlier_and_new_dates_and_its_reason(db, client, login_as, officer, peru,
                                                                           requester_pe):
    officer.name = "Ana Officer"
    db.commit()
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)
    activity = make_activity(db, action, officer, start=date(2026, 3, 2))
    postpone_activity(db, activity, start_date=date(2026, 4, 6), end_date=date(2026, 4, 8),
                      reason="The ministry moves its offices.", actor=officer, now=T0)
    db.commit()
    page = page_of(login_as(officer), f"/activities/{activity.id}")
    told = history_of(page)
    assert "Ana Officer planned the activity: Planned" in told
    assert "Ana Officer changed the status: Planned → Postponed “The ministry moves its offices.”" in told
    assert "Start date: 2 Mar 2026 → 6 Apr 2026" in told and "End date: 4 Mar 2026 → 8 Apr 2026" in told
    assert words(page).count("Planned → Postponed") == 1
    # The beneficiary's requester reads the lifecycle only: the earlier dates are said with it.
    told = history_of(page_of(login_as(requester_pe), f"/activities/{activity.id}")).replace("\u2009", " ")
    assert "Ana Officer changed the status: Planned → Postponed (was 2 – 4 Mar 2026)" in told
    assert "Start date" not in told


def test_the_request_history_names_who_asked_and_who_answered(db, client, login_as, officer, requester_pe):
    officer.name, requester_pe.name = "Ana Officer", "Rosa Quispe"
    db.commit()
    request = make_request(db, requester_pe, RequestStatus.CLARIFICATION_REQUESTED, officer)
    told = history_of(page_of(login_as(requester_pe), f"/requests/{request.id}"))
    steps = ["Rosa Quispe drafted the request: Draft", "Rosa Quispe changed the status: Draft → Submitted",
             "Ana Officer changed the status: Submitted → Under review",
             "Ana Officer changed the status: Under review → Clarification requested “Which provinces?”"]
    assert [told.index(s) for s in steps] == sorted(told.index(s) for s in steps)
