"""The admin's reminder pages: recipients by role on the rules page, wording per language with a preview."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import Role
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.services import apply_deployment_event, propose
from workflow.reminders.models import Reminder, ReminderRule, ReminderState, ReminderWording
from workflow.reminders.registry import RECIPIENTS, RULES

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

PAGE = "/admin/reminder-rules/activity_coming/wording"
START = date(2027, 3, 1)


@pytest.fixture()
def admin(db):
    return make_user(db, Role.ADMIN)


@pytest.fixture()
def as_admin(login_as, admin):
    return login_as(admin)


@pytest.fixture()
def activity(db, clock, officer):
    """A real subject: an activity with a confirmed expert, so activity-coming reminders exist."""
    expert_user = make_user(db, Role.EXPERT)
    expert = make_expert(db, expert_type="partner_peer", country="AR", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=START, title="Taller de derivación")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    for event, actor in ((DeploymentEvent.INVITE, officer), (DeploymentEvent.ACCEPT, expert_user),
                         (DeploymentEvent.CONFIRM, officer)):
        apply_deployment_event(db, deployment, event, actor=actor, now=clock.now)
    db.commit()
    return activity


def texts(**fields: str) -> dict[str, str]:
    return {f"{part}_{locale}": "" for part in ("subject", "body") for locale in ("en", "es", "fr")} | fields


def wordings(db) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(ReminderWording))


def rules_form(**changes) -> dict:
    data = {f"offsets_{code}": ", ".join(map(str, r.offsets)) for code, r in RULES.items() if r.offsets}
    data |= {f"enabled_{code}": "on" for code in RULES}
    data |= {f"recipients_{code}": list(spec.default) for code, spec in RECIPIENTS.items()}
    return data | changes


def test_the_page_lists_the_placeholders_and_previews_the_built_in_text_on_the_latest_reminder(
        db, as_admin, client, activity):
    html = client.get(PAGE).get_data(as_text=True)

    assert "{{ activity }}" in html and "{{ start }}" in html and "the activity's title" in html
    assert "{{ request }}" not in html  # another rule's placeholder
    assert "Sent to: officer in charge (every officer when the Action has none); expert concerned." in html
    assert "On the latest reminder of this rule" in html
    assert "Taller de derivación" in html and "starts in" in html  # English, built in
    assert "1–3 mar 2027" in html  # the Spanish preview formats the period in Spanish
    assert html.count("built-in text</span>") == 3


def test_preview_renders_the_unsaved_text_on_real_data_and_saves_nothing(db, as_admin, post, activity):
    response = post(PAGE, texts(subject_es="Pronto: {{ activity }} ({{ start }})",
                                body_es="Hola {{ recipient }}, faltan {{ days }} días.", preview="1"),
                    token_page=PAGE)

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pronto: Taller de derivación (1 mar 2027)" in html
    assert "faltan " in html and " días." in html
    assert "own text" in html
    assert wordings(db) == 0


def test_save_stores_the_texts_and_the_rules_page_says_which_languages_have_one(db, as_admin, client, post,
                                                                                   activity):
    response = post(PAGE, texts(subject_es="Pronto: {{ activity }}", save="1"), token_page=PAGE)

    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    row = db.scalar(select(ReminderWording))
    assert (row.rule, row.locale, row.subject, row.body) == ("activity_coming", "es", "Pronto: {{ activity }}", None)
    assert 'value="Pronto: {{ activity }}"' in client.get(PAGE).get_data(as_text=True)
    assert "Own text: es" in client.get("/admin/reminder-rules").get_data(as_text=True)


def test_save_works_with_no_reminder_yet_using_a_real_record_or_stand_in_values(db, as_admin, client, post):
    html = client.get("/admin/reminder-rules/closing_stalled/wording").get_data(as_text=True)
    assert "Nothing in the database is a subject for this reminder yet" in html

    response = post("/admin/reminder-rules/closing_stalled/wording",
                    texts(subject_en="{{ action }} still closing", save="1"), token_page=PAGE)

    assert response.status_code == 302 and wordings(db) == 1


@pytest.mark.parametrize("fields, field, says", [
    ({"subject_es": "{{ actividad }}"}, "subject_es", "Unknown placeholder {{ actividad }}"),
    ({"body_fr": "{{ activity"}, "body_fr", "cannot be read at line 1"),
    ({"body_en": "{% for x in y %}{{ x }}{% endfor %}"}, "body_en", "not “for”"),
    ({"body_en": "{{ activity.__class__ }}"}, "body_en", "not “getattr”"),
    ({"subject_en": "Two\nlines"}, "subject_en", "single line"),
    ({"subject_en": "x" * 201}, "subject_en", "longer than 200"),
    ({"body_en": "x" * 5001}, "body_en", "longer than 5000"),
    ({"subject_en": "{{link}}" * 24}, "subject_en", "longer than 300 characters"),
    ({"body_es": "\x00"}, "body_es", "control characters"),
])
def test_a_text_that_would_not_render_gets_a_message_on_its_field_and_nothing_is_saved(
        db, as_admin, post, activity, fields, field, says):
    for button in ("save", "preview"):
        response = post(PAGE, texts(**fields, **{button: "1"}), token_page=PAGE)

        html = response.get_data(as_text=True)
        assert response.status_code == 200
        feedback = html.split(f'id="{field}-errors"', 1)[1].split("</div>", 1)[0]
        assert says.replace("“", "&#8220;") in feedback or says in feedback.replace("&#34;", '"')
        assert f'aria-describedby="{field}-errors"' in html
    assert wordings(db) == 0


def test_the_html_part_of_the_preview_escapes_what_the_admin_typed(db, as_admin, post, activity):
    html = post(PAGE, texts(body_en="<script>alert(1)</script> {{ activity }}", preview="1"),
                token_page=PAGE).get_data(as_text=True)

    assert "<script>alert(1)" not in html
    assert "&amp;lt;script&amp;gt;" in html  # escaped in the e-mail, and the e-mail's source escaped on the page


def test_an_unknown_rule_is_not_found_and_only_admins_edit_wordings(db, login_as, client, post, officer, admin):
    login_as(admin)
    assert client.get("/admin/reminder-rules/no_such_rule/wording").status_code == 404
    login_as(officer)
    assert client.get(PAGE).status_code == 403
    assert post(PAGE, texts(subject_en="Hi", save="1")).status_code == 403
    assert wordings(db) == 0


def test_the_rules_page_offers_the_recipients_of_each_rule_and_saves_a_choice(db, as_admin, client, post, activity,
                                                                              officer):
    html = client.get("/admin/reminder-rules").get_data(as_text=True)
    assert 'name="recipients_activity_coming" value="focal_point"' in html
    assert 'name="recipients_slots_open" value="focal_point"' not in html

    response = post("/admin/reminder-rules", rules_form(recipients_activity_coming=["expert"]),
                    token_page="/admin/reminder-rules")

    assert response.status_code == 302
    db.expire_all()
    assert db.get(ReminderRule, "activity_coming").recipients == ["expert"]
    waiting = db.scalars(select(Reminder).where(Reminder.rule == "activity_coming",
                                                Reminder.recipient_id == officer.id)).all()
    assert waiting and {r.state for r in waiting} == {ReminderState.CANCELLED}


@pytest.mark.parametrize("choice, says", [
    ([], "Choose at least one recipient"),
    (["officer", "steering"], "Choose among the recipients offered"),
])
def test_a_recipient_choice_that_cannot_be_saved_is_refused_on_its_rule(db, as_admin, post, choice, says):
    response = post("/admin/reminder-rules", rules_form(recipients_activity_coming=choice),
                    token_page="/admin/reminder-rules")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert says in html.split('id="err_recipients_activity_coming"', 1)[1].split("</div>", 1)[0]
    assert db.scalar(select(func.count()).select_from(ReminderRule)) == 0


def test_a_rule_switched_off_may_have_no_recipients(db, as_admin, post):
    form = rules_form(recipients_slots_open=[])
    del form["enabled_slots_open"]

    assert post("/admin/reminder-rules", form, token_page="/admin/reminder-rules").status_code == 302
    db.expire_all()
    rule = db.get(ReminderRule, "slots_open")
    assert (rule.enabled, rule.recipients) == (False, [])


def test_a_rule_whose_placeholders_are_not_listed_keeps_its_built_in_text(db, as_admin, client, monkeypatch):
    from workflow.reminders.registry import Rule
    from workflow.reminders.rules import RequestFacts

    monkeypatch.setitem(RULES, "added_later", Rule("added_later", "request", RequestFacts, lambda _f, _c: [],
                                                   "Added later", "officer", offsets=(1,)))

    assert client.get("/admin/reminder-rules/added_later/wording").status_code == 404
    html = client.get("/admin/reminder-rules").get_data(as_text=True)
    assert "/admin/reminder-rules/added_later/wording" not in html and "Built-in" in html


# --- The Steering Committee's two rules -------------------------------------------------------------------


@pytest.fixture()
def consultation(db, clock, admin, officer, requester_pe):
    """A request sent to the committee, one member who has not answered."""
    from workflow.governance.models import MemberKind
    from workflow.governance.services import add_member, send_to_committee
    from workflow.requests.lifecycle import RequestStatus

    from ..factories import make_request

    member = make_user(db, Role.STEERING)
    add_member(db, member.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.commit()
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Referral desk")
    found = send_to_committee(db, request, date(2026, 12, 3), actor=officer, now=clock.now)
    db.commit()
    return found


def test_the_rules_page_offers_both_consultation_rules_with_their_recipients(db, as_admin, client, post,
                                                                             consultation, officer):
    html = client.get("/admin/reminder-rules").get_data(as_text=True)
    assert "Steering Committee consultation unanswered: days before its deadline" in html
    assert "Steering Committee consultation ended: at its deadline" in html
    assert 'name="recipients_consultation_due" value="steering" checked' in html
    assert "Steering Committee members" in html
    assert 'name="recipients_consultation_ended" value="admin"' in html
    assert 'name="offsets_consultation_ended"' not in html and "At the deadline" in html
    assert "/admin/reminder-rules/consultation_due/wording" in html
    assert "/admin/reminder-rules/consultation_ended/wording" in html

    form = rules_form(recipients_consultation_due=["steering", "officer"])
    del form["enabled_consultation_ended"]
    assert post("/admin/reminder-rules", form, token_page="/admin/reminder-rules").status_code == 302

    db.expire_all()
    assert db.get(ReminderRule, "consultation_due").recipients == ["steering", "officer"]
    ended = db.get(ReminderRule, "consultation_ended")
    assert (ended.enabled, ended.offsets) == (False, [])
    mine = {(r.rule, r.state) for r in db.scalars(select(Reminder).where(Reminder.recipient_id == officer.id,
                                                                         Reminder.subject_type == "consultation"))}
    assert mine == {("consultation_due", ReminderState.PENDING), ("consultation_ended", ReminderState.CANCELLED)}


@pytest.mark.parametrize("code, placeholder, built_in", [
    ("consultation_due", "{{ days }}", "The Steering Committee is consulted on “Referral desk”"),
    ("consultation_ended", "{{ objections }}", "Consultation ended: Referral desk"),
])
def test_each_consultation_rule_has_its_wording_page_previewed_on_the_consultation(
        db, as_admin, client, post, consultation, code, placeholder, built_in):
    page = f"/admin/reminder-rules/{code}/wording"
    html = client.get(page).get_data(as_text=True)
    assert placeholder in html and "{{ deadline }}" in html and "{{ activity }}" not in html
    assert "On the latest reminder of this rule" in html and built_in in html

    response = post(page, texts(subject_en="{{ request }}: " + placeholder, preview="1"), token_page=page)
    assert response.status_code == 200 and wordings(db) == 0
    assert post(page, texts(subject_en="{{ request }}: " + placeholder, save="1"), token_page=page).status_code == 302
    assert wordings(db) == 1
