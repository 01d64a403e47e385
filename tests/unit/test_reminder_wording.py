"""Recipients by role and the admin's wording, as pure functions: who a rule picks, what a text may say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from workflow.core.errors import DomainError
from workflow.reminders import registry, rules, wording
from workflow.reminders.messages import Content
from workflow.reminders.rules import (
    ActionFacts,
    ActivityFacts,
    DeploymentReportFacts,
    InvitationFacts,
    Person,
    RequestFacts,
)

OFFSETS = registry.default_offsets()
OFFICER, EXPERT, FOCAL, ADMIN, OTHER_EXPERT = Person(7), Person(21, "Europe/Madrid"), Person(30), Person(1), Person(22)
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
START = date(2027, 3, 1)


def recipients_of(desired, rule: str) -> set[int]:
    return {d.recipient_id for d in desired if d.rule == rule}


def activity(**changes) -> ActivityFacts:
    facts = dict(id=4, running=True, start=START, end=START + timedelta(days=2), open_places=1, officers=(OFFICER,),
                 confirmed_experts=(EXPERT,), reports=(DeploymentReportFacts(9, EXPERT, False, (FOCAL,)),),
                 took_place=False, focal_points=(FOCAL,), admins=(ADMIN,))
    return ActivityFacts(**{**facts, **changes})


# --- Who each rule goes to ------------------------------------------------------------------------


def test_every_rule_offers_its_default_recipients_and_only_known_roles():
    for code, spec in registry.RECIPIENTS.items():
        assert code in registry.RULES
        assert set(spec.default) <= set(spec.allowed) <= set(registry.RECIPIENT_ROLES)
        assert spec.default, code


def test_without_a_choice_the_recipients_are_those_of_the_design():
    desired = rules.for_activity(activity(), OFFSETS, NOW)

    assert recipients_of(desired, "activity_coming") == {OFFICER.user_id, EXPERT.user_id}
    assert recipients_of(desired, "slots_open") == {OFFICER.user_id}
    desired = rules.for_activity(activity(running=False, took_place=True), OFFSETS, NOW)
    assert recipients_of(desired, "report_due") == {EXPERT.user_id}
    assert recipients_of(desired, "report_overdue") == {OFFICER.user_id, EXPERT.user_id}


def test_activity_coming_can_go_to_the_experts_focal_points_too():
    chosen = {"activity_coming": ["officer", "expert", "focal_point"]}

    desired = rules.for_activity(activity(), OFFSETS, NOW, recipients=chosen)

    assert recipients_of(desired, "activity_coming") == {OFFICER.user_id, EXPERT.user_id, FOCAL.user_id}
    focal_keys = sorted(d.key for d in desired if d.recipient_id == FOCAL.user_id)
    assert focal_keys == sorted(f"activity-coming:activity:4:{d}:user:30" for d in (30, 14, 3))


def test_a_rule_sent_only_to_the_experts_leaves_the_officer_out():
    desired = rules.for_activity(activity(), OFFSETS, NOW, recipients={"activity_coming": ["expert"]})

    assert recipients_of(desired, "activity_coming") == {EXPERT.user_id}
    assert recipients_of(desired, "slots_open") == {OFFICER.user_id}  # another rule, its own recipients


def test_report_due_can_go_to_the_officer_and_focal_point_with_one_key_each():
    chosen = {"report_due": ["officer", "focal_point"]}

    desired = rules.for_activity(activity(running=False, took_place=True), OFFSETS, NOW, recipients=chosen)

    due = sorted((d.key, d.due_at) for d in desired if d.rule == "report_due")
    assert [key for key, _ in due] == ["report-due:deployment:9:user:30", "report-due:deployment:9:user:7"]
    assert {at for _, at in due} == {datetime(2027, 3, 13, 9, tzinfo=UTC)}  # 10 days after the end, 09:00 UTC


def test_a_person_in_two_chosen_roles_gets_one_reminder():
    officer_also_admin = Person(7)
    facts = RequestFacts(5, True, NOW, officers=(officer_also_admin,), admins=(officer_also_admin, ADMIN))

    desired = rules.for_request(facts, OFFSETS, NOW, recipients={"request_review": ["officer", "admin"]})

    assert sorted(d.key for d in desired) == ["request-review:request:5:0:user:1", "request-review:request:5:0:user:7"]


def test_roles_a_rule_does_not_offer_are_ignored_even_if_stored():
    desired = rules.for_activity(activity(), OFFSETS, NOW, recipients={"slots_open": ["expert", "steering"]})

    assert recipients_of(desired, "slots_open") == set()


def test_invitation_nudges_can_go_to_the_focal_point_and_expiry_notices_to_admins():
    facts = InvitationFacts(12, True, NOW, EXPERT, (OFFICER,), focal_points=(FOCAL,), admins=(ADMIN,))
    chosen = {"invite_nudge": ["expert", "focal_point"], "invite_expiry": ["officer", "admin"]}

    desired = rules.for_invitation(facts, OFFSETS, NOW, recipients=chosen)

    assert recipients_of(desired, "invite_nudge") == {EXPERT.user_id, FOCAL.user_id}
    assert recipients_of(desired, "invite_expiry") == {OFFICER.user_id, ADMIN.user_id}


def test_once_expired_by_its_reminder_an_invitation_keeps_only_its_expiry_notices():
    facts = InvitationFacts(12, False, NOW, EXPERT, (OFFICER,), expired=True, admins=(ADMIN,))

    desired = rules.for_invitation(facts, OFFSETS, NOW, recipients={"invite_expiry": ["officer", "admin"]})

    assert {d.rule for d in desired} == {"invite_expiry"}
    assert recipients_of(desired, "invite_expiry") == {OFFICER.user_id, ADMIN.user_id}


def test_action_reminders_can_go_to_the_admins_instead_of_the_officer():
    facts = ActionFacts(3, True, date(2027, 6, 30), 2, NOW, (OFFICER,), admins=(ADMIN,))

    desired = rules.for_action(facts, OFFSETS, NOW, recipients={"action_ending": ["admin"],
                                                                "closing_stalled": ["officer", "admin"]})

    assert recipients_of(desired, "action_ending") == {ADMIN.user_id}
    assert recipients_of(desired, "closing_stalled") == {OFFICER.user_id, ADMIN.user_id}


def test_the_weekly_digest_goes_to_the_account_roles_chosen():
    assert rules.weekly_digest(ADMIN, NOW, role="admin") == []
    assert len(rules.weekly_digest(ADMIN, NOW, role="admin", recipients={"weekly_digest": ["officer", "admin"]})) == 2
    assert rules.weekly_digest(OFFICER, NOW, role="officer", recipients={"weekly_digest": ["admin"]}) == []
    assert rules.weekly_digest(EXPERT, NOW, role="expert", recipients={"weekly_digest": ["expert"]}) == []


@pytest.mark.parametrize("code, roles, enabled, problem", [
    ("activity_coming", ["officer"], True, None),
    ("activity_coming", [], True, "at least one"),
    ("activity_coming", [], False, None),  # a rule that is off may go to nobody
    ("activity_coming", ["admin"], True, "among the recipients offered"),
    ("slots_open", ["<script>"], True, "among the recipients offered"),
    ("no_such_rule", ["officer"], True, "fixed"),
])
def test_recipient_choices_that_cannot_be_saved_say_why(code, roles, enabled, problem):
    found = registry.recipient_problem(code, roles, enabled=enabled)

    assert (found is None) if problem is None else (problem in found)


# --- What a text may say ------------------------------------------------------------------------


@pytest.mark.parametrize("source", [
    "Hola {{ recipient }}: “{{ activity }}” empieza el {{ start }} en {{ place|upper }}",
    "{% if days == 1 %}Mañana{% else %}En {{ days }} días{% endif %}: {{ activity|title }}",
    "{# a note for colleagues #}{{ action }}",
])
def test_placeholders_filters_and_conditions_are_accepted(source):
    wording.check(source, "activity_coming", field="subject_es", one_line=True)


@pytest.mark.parametrize("source, says", [
    ("{{ activity", "cannot be read at line 1"),
    ("{% if days %}open", "cannot be read"),
    ("{{ reciepient }} and {{ nope }}", "Unknown placeholder {{ reciepient }}, {{ nope }}"),
    ("{{ request }}", "Unknown placeholder {{ request }}"),  # a placeholder of another rule
    ("{{ activity.__class__.__mro__ }}", "not “getattr”"),
    ("{{ activity['x'] }}", "not “getitem”"),
    ("{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}", "not “for”"),
    ("{{ 'x' * 999999999 }}", "not “mul”"),
    ("{{ lipsum() }}", "not “call”"),
    ("{% include 'base.html' %}", "not “include”"),
    ("{% set x = 1 %}", "not “assign”"),
    ("{{ activity|replace('a', 'b') }}", "Unknown filter “replace”"),
    ("{{ activity|upper('x') }}", "Unknown filter “upper”"),
    ("{{ days > 'soon' }}", "cannot be written"),
    ("line one\nline two", "single line"),
    ("Bell\x07", "control characters"),
    ("   ", "comes out empty"),
])
def test_a_subject_that_would_not_render_is_refused_with_a_reason(source, says):
    with pytest.raises(DomainError) as refused:
        wording.check(source, "activity_coming", field="subject_en", one_line=True)

    assert says in refused.value.message
    assert refused.value.field == "subject_en"


def test_every_rule_offers_the_recipient_and_the_link_and_helps_with_each_placeholder():
    for code in filter(wording.editable, registry.RULES):
        names = wording.placeholders(code)
        assert names[:2] == ("recipient", "link")
        assert all(name in wording.PLACEHOLDER_HELP for name in names)
        wording.check(" ".join(f"{{{{ {n} }}}}" for n in names), code, field="body_en")
    assert all(wording.editable(code) for code in registry.RECIPIENTS)  # the rules of the design are all worded
    assert not wording.editable("a_rule_added_later")  # until its placeholders are listed


def test_the_two_consultation_rules_are_worded_each_with_its_own_placeholders():
    assert wording.editable("consultation_due") and wording.editable("consultation_ended")
    wording.check("{% if days == 1 %}Tomorrow{% else %}In {{ days }} days{% endif %}: {{ request }} "
                  "({{ institution }}) until {{ deadline }}", "consultation_due", field="subject_en", one_line=True)
    wording.check("{{ supports }} for, {{ objections }} against, {{ unanswered }} silent on {{ request }}",
                  "consultation_ended", field="body_fr")
    with pytest.raises(DomainError, match="Unknown placeholder {{ supports }}"):
        wording.check("{{ supports }}", "consultation_due", field="body_en")
    with pytest.raises(DomainError, match="Unknown placeholder {{ days }}"):
        wording.check("{{ days }}", "consultation_ended", field="body_en")


def test_a_rendered_subject_is_one_line_whatever_the_values_and_never_cut():
    values = {"recipient": "Ana", "link": "https://x", "activity": "Taller\r\nBcc: victim@example.org"}

    assert wording.render_subject("{{ activity }}", values) == "Taller Bcc: victim@example.org"
    with pytest.raises(DomainError, match="longer than 300"):
        wording.render_subject("{{ activity }}", {**values, "activity": "x" * 301})


def test_a_text_becomes_the_lines_of_the_message_and_missing_parts_stay_built_in():
    built_in = Content("Built-in subject", ["Built-in line."], "https://x/activities/4")
    values = {"recipient": "Ana", "link": built_in.link, "activity": "Taller", "days": 3}

    own_body = wording.reworded(built_in, None, "Hola {{ recipient }}\n\n  Faltan {{ days }} días.  \n", values)
    own_subject = wording.reworded(built_in, "{{ activity }} en {{ days }} días", "", values)

    assert (own_body.subject, own_body.lines) == ("Built-in subject", ["Hola Ana", "Faltan 3 días."])
    assert (own_subject.subject, own_subject.lines) == ("Taller en 3 días", ["Built-in line."])
    assert own_body.link == built_in.link


def test_values_are_not_markup_and_the_text_is_not_escaped_twice():
    values = {"recipient": "<b>Ana</b> & co", "link": "https://x"}

    assert wording.render_body("{{ recipient }} <i>", values) == ["<b>Ana</b> & co <i>"]  # the HTML part escapes
