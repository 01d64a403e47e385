"""The Steering Committee's pure rules: the position of a consultation, the request lifecycle's committee
steps and guards, and the consultation reminder rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workflow.core.errors import TransitionRefused
from workflow.governance.position import Vote, position
from workflow.reminders import registry, rules
from workflow.reminders.rules import ConsultationFacts, Person
from workflow.requests.lifecycle import (
    COMMITTEE_EVENTS,
    COMMITTEE_STATES,
    REQUEST_LIFECYCLE,
    RequestEvent,
    RequestFacts,
    RequestStatus,
)

DEADLINE = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)
BEFORE, AFTER = DEADLINE - timedelta(hours=1), DEADLINE + timedelta(minutes=1)
S, E = RequestStatus, RequestEvent


# --- The position --------------------------------------------------------------------------------


def test_one_support_and_one_silence_before_the_deadline_is_incomplete():
    p = position([Vote(False, "support"), Vote(False, None)], DEADLINE, BEFORE)
    assert (p.supports, p.silent, p.silent_as_support, p.objections) == (1, 1, 0, 0)
    assert not p.complete and not p.blocked
    assert "approving must wait" in p.approval_refusal()


def test_silence_counts_as_support_once_the_deadline_has_passed():
    p = position([Vote(False, "support"), Vote(True, None)], DEADLINE, AFTER)
    assert (p.supports, p.silent_as_support) == (1, 1)
    assert p.complete and p.approval_refusal() is None


def test_the_deadline_instant_itself_has_passed():
    assert position([Vote(False, None)], DEADLINE, DEADLINE).deadline_passed


def test_every_member_answering_before_the_deadline_completes_the_consultation():
    p = position([Vote(False, "support"), Vote(True, "support")], DEADLINE, BEFORE)
    assert p.complete and p.approval_refusal() is None


def test_an_objection_from_a_veto_member_blocks_even_after_the_deadline():
    p = position([Vote(False, "support"), Vote(True, "object")], DEADLINE, AFTER)
    assert p.blocked and (p.objections, p.vetoes) == (1, 1)
    assert p.approval_refusal() == "A member with a veto objected: the request cannot be approved."


def test_an_objection_without_a_veto_is_counted_but_does_not_block():
    p = position([Vote(False, "object"), Vote(True, "support")], DEADLINE, BEFORE)
    assert (p.objections, p.vetoes) == (1, 0)
    assert not p.blocked and p.approval_refusal() is None


def test_a_committee_of_nobody_is_complete_and_unblocked():
    p = position([], DEADLINE, BEFORE)
    assert p.complete and not p.blocked


# --- The request lifecycle's committee steps ------------------------------------------------------


@pytest.mark.parametrize(("source", "event", "target"), [
    (S.UNDER_REVIEW, E.SEND_TO_COMMITTEE, S.CONSULTATION),
    (S.CONSULTATION, E.ACCEPT, S.ACCEPTED),
    (S.CONSULTATION, E.DECLINE, S.DECLINED),
    (S.CONSULTATION, E.ASK_CLARIFICATION, S.CLARIFICATION_REQUESTED),
])
def test_the_consultation_leads_to_each_decision(source, event, target):
    facts = RequestFacts(reason="Reasons.", committee_members=2, committee_decision=True)
    assert REQUEST_LIFECYCLE.check(source, event, facts) is target


def test_a_request_cannot_be_sent_twice_or_from_a_draft():
    facts = RequestFacts(committee_members=1)
    for state in (S.DRAFT, S.SUBMITTED, S.CONSULTATION, S.ACCEPTED):
        with pytest.raises(TransitionRefused):
            REQUEST_LIFECYCLE.check(state, E.SEND_TO_COMMITTEE, facts)


def test_sending_needs_an_active_member():
    with pytest.raises(TransitionRefused, match="at least one active member"):
        REQUEST_LIFECYCLE.check(S.UNDER_REVIEW, E.SEND_TO_COMMITTEE, RequestFacts(committee_members=0))


def test_accepting_on_the_officers_word_is_refused_once_there_is_a_committee():
    with pytest.raises(TransitionRefused, match="Steering Committee's decision"):
        REQUEST_LIFECYCLE.check(S.UNDER_REVIEW, E.ACCEPT, RequestFacts(committee_members=1))
    assert REQUEST_LIFECYCLE.check(S.UNDER_REVIEW, E.ACCEPT, RequestFacts(committee_members=0)) is S.ACCEPTED


def test_the_committee_steps_are_marked_for_its_own_use_cases():
    assert COMMITTEE_EVENTS == {E.SEND_TO_COMMITTEE}
    assert COMMITTEE_STATES == {S.CONSULTATION}
    assert set(REQUEST_LIFECYCLE.events_from(S.CONSULTATION)) == {E.ACCEPT, E.DECLINE, E.ASK_CLARIFICATION}


# --- The reminder rule ----------------------------------------------------------------------------

MEMBER_UTC, MEMBER_LIMA, OFFICER = Person(31, "UTC"), Person(32, "America/Lima"), Person(7, "UTC")
OFFSETS = registry.default_offsets()


def facts(**changes) -> ConsultationFacts:
    values = {"id": 5, "open": True, "deadline": DEADLINE, "unanswered": [MEMBER_UTC, MEMBER_LIMA],
              "officer": OFFICER}
    return ConsultationFacts(**{**values, **changes})


def plan(desired) -> list[tuple[str, datetime]]:
    return sorted(((d.key, d.due_at) for d in desired), key=lambda t: (t[1], t[0]))


def test_members_who_have_not_answered_are_reminded_3_and_1_days_before_the_last_day_and_the_officer_at_the_deadline():
    now = datetime(2026, 11, 20, 12, tzinfo=UTC)
    # The deadline is the end of 3 December (UTC), 3 December 19:00 in Lima: the last day is 3 December in
    # both; the reminders come at 09:00 local.
    assert plan(rules.for_consultation(facts(), OFFSETS, now)) == [
        ("consultation-due:consultation:5:3:user:31", datetime(2026, 11, 30, 9, tzinfo=UTC)),
        ("consultation-due:consultation:5:3:user:32", datetime(2026, 11, 30, 14, tzinfo=UTC)),
        ("consultation-due:consultation:5:1:user:31", datetime(2026, 12, 2, 9, tzinfo=UTC)),
        ("consultation-due:consultation:5:1:user:32", datetime(2026, 12, 2, 14, tzinfo=UTC)),
        ("consultation-ended:consultation:5:user:7", DEADLINE),
    ]
    assert {d.key.split(":")[0]: d.rule for d in rules.for_consultation(facts(), OFFSETS, now)} == {
        "consultation-due": "consultation_due", "consultation-ended": "consultation_ended"}


def test_a_member_far_east_of_the_deadline_has_an_earlier_last_day():
    tokyo = Person(33, "Asia/Tokyo")
    deadline = datetime(2026, 12, 3, 15, tzinfo=UTC)  # 4 December 00:00 in Tokyo: the last day is 3 December
    desired = rules.for_consultation(facts(deadline=deadline, unanswered=[tokyo]), {"consultation_due": [1]},
                                     datetime(2026, 11, 20, tzinfo=UTC))
    assert plan(d for d in desired if d.recipient_id == 33) == [
        ("consultation-due:consultation:5:1:user:33", datetime(2026, 12, 2, 0, tzinfo=UTC))]


def test_a_short_consultation_keeps_only_the_latest_reminder_already_due():
    now = datetime(2026, 12, 1, 12, tzinfo=UTC)  # after the "3 days before"; before the "1 day before"
    keys = [k for k, _ in plan(rules.for_consultation(facts(unanswered=[MEMBER_UTC]), OFFSETS, now))]
    assert keys == ["consultation-due:consultation:5:3:user:31", "consultation-due:consultation:5:1:user:31",
                    "consultation-ended:consultation:5:user:7"]
    later = datetime(2026, 12, 2, 12, tzinfo=UTC)
    keys = [k for k, _ in plan(rules.for_consultation(facts(unanswered=[MEMBER_UTC]), OFFSETS, later))]
    assert keys == ["consultation-due:consultation:5:1:user:31", "consultation-ended:consultation:5:user:7"]


def test_no_reminder_falls_after_the_deadline():
    desired = rules.for_consultation(facts(), {"consultation_due": [0, 3]}, datetime(2026, 11, 20, tzinfo=UTC))
    assert all(d.due_at <= DEADLINE for d in desired)


def test_a_decided_consultation_reminds_nobody_and_each_rule_is_switched_off_on_its_own():
    now = datetime(2026, 11, 20, tzinfo=UTC)
    assert rules.for_consultation(facts(open=False), OFFSETS, now) == []
    assert [d.key for d in rules.for_consultation(facts(), {**OFFSETS, "consultation_due": []}, now)] == [
        "consultation-ended:consultation:5:user:7"]
    assert {d.rule for d in rules.for_consultation(facts(), OFFSETS, now, ended=False)} == {"consultation_due"}


def test_once_everybody_answered_only_the_officer_is_told_at_the_deadline():
    desired = rules.for_consultation(facts(unanswered=[]), OFFSETS, datetime(2026, 11, 20, tzinfo=UTC))
    assert [(d.recipient_id, d.due_at) for d in desired] == [(7, DEADLINE)]


ADMIN = Person(1, "Europe/Madrid")


def test_without_a_choice_members_are_reminded_and_the_officer_told_it_ended():
    assert registry.RECIPIENTS["consultation_due"] == rules.Recipients(("steering", "officer"), ("steering",))
    assert registry.RECIPIENTS["consultation_ended"] == rules.Recipients(("officer", "admin"), ("officer",))
    desired = rules.for_consultation(facts(admins=[ADMIN]), OFFSETS, datetime(2026, 11, 20, tzinfo=UTC))
    assert {(d.rule, d.recipient_id) for d in desired} == {
        ("consultation_due", 31), ("consultation_due", 32), ("consultation_ended", 7)}


def test_the_officer_can_be_reminded_too_and_the_admins_told_it_ended():
    chosen = {"consultation_due": ["steering", "officer"], "consultation_ended": ["officer", "admin"]}
    desired = rules.for_consultation(facts(admins=[ADMIN]), OFFSETS, datetime(2026, 11, 20, tzinfo=UTC),
                                     recipients=chosen)
    assert plan(d for d in desired if d.recipient_id in (7, 1)) == [
        ("consultation-due:consultation:5:3:user:7", datetime(2026, 11, 30, 9, tzinfo=UTC)),
        ("consultation-due:consultation:5:1:user:7", datetime(2026, 12, 2, 9, tzinfo=UTC)),
        ("consultation-ended:consultation:5:user:1", DEADLINE),
        ("consultation-ended:consultation:5:user:7", DEADLINE),
    ]


def test_the_ended_notice_can_go_to_the_admins_alone_and_the_reminder_to_the_officer_alone():
    chosen = {"consultation_due": ["officer"], "consultation_ended": ["admin"]}
    desired = rules.for_consultation(facts(admins=[ADMIN]), OFFSETS, datetime(2026, 11, 20, tzinfo=UTC),
                                     recipients=chosen)
    assert {(d.rule, d.recipient_id) for d in desired} == {("consultation_due", 7), ("consultation_ended", 1)}
    # Once every member answered, nobody is reminded, the officer included.
    desired = rules.for_consultation(facts(unanswered=[], admins=[ADMIN]), OFFSETS,
                                     datetime(2026, 11, 20, tzinfo=UTC), recipients=chosen)
    assert {(d.rule, d.recipient_id) for d in desired} == {("consultation_ended", 1)}


def test_a_moved_deadline_has_reminders_of_its_own_from_the_move_on():
    """The "3 days before" of the first deadline was sent; staff move the deadline a week later on 1 December:
    the new deadline's reminders are new ones (their keys name it), none of them due before the move."""
    moved_at = datetime(2026, 12, 1, 10, tzinfo=UTC)
    later_deadline = DEADLINE + timedelta(days=7)
    desired = rules.for_consultation(facts(deadline=later_deadline, unanswered=[MEMBER_UTC], moved_at=moved_at),
                                     OFFSETS, datetime(2026, 12, 1, 10, 5, tzinfo=UTC))
    stamp = f"{later_deadline:%Y%m%d%H%M}"
    assert plan(d for d in desired if d.rule == "consultation_due") == [
        (f"consultation-due:consultation:5:{stamp}:3:user:31", datetime(2026, 12, 7, 9, tzinfo=UTC)),
        (f"consultation-due:consultation:5:{stamp}:1:user:31", datetime(2026, 12, 9, 9, tzinfo=UTC))]
    # Moved to a day whose "3 days before" has already passed at the move: only the "1 day before" comes.
    close = DEADLINE + timedelta(days=1)
    desired = rules.for_consultation(facts(deadline=close, unanswered=[MEMBER_UTC], moved_at=moved_at), OFFSETS,
                                     moved_at)
    assert [d.due_at for d in desired if d.rule == "consultation_due"] == [datetime(2026, 12, 3, 9, tzinfo=UTC)]
