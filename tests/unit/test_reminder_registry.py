"""Each reminder rule is one record: every built-in record is complete, and a new one is derived as it is added."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest

from workflow.reminders import messages, wording
from workflow.reminders.registry import RECIPIENT_ROLES, RULES, Desired, Due, Recipients, Rule, register
from workflow.reminders.rules import Person, RequestFacts, for_request
from workflow.reminders.subjects import SUBJECTS

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
OFFICER, ADMIN = Person(7), Person(1)


@pytest.mark.parametrize("code", list(RULES))
def test_every_registered_rule_is_a_complete_record(code):
    rule = RULES[code]

    assert rule.code == code
    assert rule.subject_type in SUBJECTS  # sync can read its subjects
    assert dataclasses.is_dataclass(rule.facts) and callable(rule.due)
    assert rule.message is not None and rule.message.__module__ == messages.__name__  # bound by messages.py
    assert bool(rule.offsets) != (rule.timing is not None)  # days to set, or the moment it is due at
    assert all(day >= 0 for day in rule.offsets)
    assert rule.what and rule.who
    if rule.recipients is not None:
        assert rule.recipients.default and set(rule.recipients.default) <= set(rule.recipients.allowed)
        assert set(rule.recipients.allowed) <= set(RECIPIENT_ROLES)


@pytest.mark.parametrize("code", [code for code, rule in RULES.items() if rule.placeholders is not None])
def test_every_worded_rule_explains_its_placeholders_and_a_text_using_them_all_renders(code):
    names = wording.placeholders(code)

    assert names == ("recipient", "link", *RULES[code].placeholders)
    assert all(name in wording.PLACEHOLDER_HELP for name in names)
    wording.check(" ".join(f"{{{{ {name} }}}}" for name in names), code, field="subject_en", one_line=True)
    wording.check("\n".join(f"{name}: {{{{ {name}|upper }}}}" for name in names), code, field="body_en")


def test_every_rule_may_be_worded_by_the_admin():
    # The notices of a change (a cancelled deployment, a postponed activity) are notifications now.
    assert {code for code, rule in RULES.items() if rule.placeholders is None} == set()


# --- A rule added later: one record ---------------------------------------------------------------------


def _fresh(f: RequestFacts, c: Due) -> list[Desired]:
    if not (f.waiting and f.submitted_at):
        return []
    return [c.remind(f"request-fresh:request:{f.id}:{d}:user:{p.user_id}", p, f.submitted_at + timedelta(days=d), f.id)
            for p in c.pick(officer=f.officers, admin=f.admins) for d in c.offsets[:1]]


FRESH = Rule("request_fresh", "request", RequestFacts, _fresh, "New request: days after submission", "officer",
             offsets=(2,), recipients=Recipients(("officer", "admin"), ("officer",)), placeholders=("request",))


@pytest.fixture()
def fresh():
    register(FRESH)
    try:
        yield FRESH
    finally:
        RULES.pop(FRESH.code)


def test_a_rule_added_as_one_record_is_derived_with_the_others_about_its_subject(fresh):
    facts = RequestFacts(5, True, NOW, officers=(OFFICER,), admins=(ADMIN,))

    desired = for_request(facts, {"request_review": [10, 7], "request_fresh": [2]}, NOW)

    assert {d.rule for d in desired} == {"request_review", "request_fresh"}
    [new] = [d for d in desired if d.rule == "request_fresh"]
    assert (new.key, new.recipient_id, new.due_at, new.subject_type) == (
        "request-fresh:request:5:2:user:7", 7, NOW + timedelta(days=2), "request")


def test_a_rule_added_as_one_record_follows_its_settings(fresh):
    facts = RequestFacts(5, True, NOW, officers=(OFFICER,), admins=(ADMIN,))

    assert [d.rule for d in for_request(facts, {"request_fresh": []}, NOW)] == []  # switched off: no offsets
    chosen = for_request(facts, {"request_fresh": [2]}, NOW, recipients={"request_fresh": ["officer", "admin"]})
    assert {d.recipient_id for d in chosen} == {OFFICER.user_id, ADMIN.user_id}
    assert wording.editable("request_fresh") and wording.placeholders("request_fresh")[-1] == "request"


def test_a_record_is_registered_once_and_says_when_it_is_due():
    with pytest.raises(ValueError, match="registered twice"):
        register(RULES["request_review"])
    with pytest.raises(ValueError, match="offsets or a timing"):
        register(dataclasses.replace(FRESH, code="no_time", offsets=()))
    assert "no_time" not in RULES
