"""The reminder rules of design.md as pure functions: facts in, keys, recipients and due times out."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workflow.reminders import registry, rules
from workflow.reminders.rules import (
    ActionFacts,
    ActivityFacts,
    DeploymentReportFacts,
    Desired,
    InvitationFacts,
    MissionFacts,
    Person,
    RequestFacts,
)

OFFSETS = registry.default_offsets()
LIMA, MADRID = "America/Lima", "Europe/Madrid"
OFFICER = Person(7, "UTC")
OFFICER_LIMA = Person(8, LIMA)
EXPERT_MADRID = Person(21, MADRID)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def plan(desired: list[Desired]) -> list[tuple[str, int, datetime]]:
    """(key, recipient, due) in due order: what the tests compare."""
    return sorted(((d.key, d.recipient_id, d.due_at) for d in desired), key=lambda t: (t[2], t[0]))


def plan_desired(desired: list[Desired]) -> list[Desired]:
    return sorted(desired, key=lambda d: d.due_at)


def test_the_default_offsets_are_those_of_the_design():
    assert OFFSETS == {
        "request_review": [10, 7], "invite_nudge": [3], "invite_expiry": [7], "activity_coming": [30, 14, 3],
        "slots_open": [21], "report_due": [10], "report_overdue": [15], "action_ending": [30],
        "closing_stalled": [30], "final_report_due": [14], "weekly_digest": [], "consultation_due": [3, 1],
        "consultation_ended": [], "deliverable_check_in": [],  # 6 and 12 months after closure (its own due dates)
        "mission_checklist": [7],  # days before departure, while checklist items are open
    }


# --- Request waiting for review: 10 days after submission, then weekly, to the officers --------------

SUBMITTED = utc(2026, 1, 5, 14, 30)


def request(waiting: bool = True, officers=(OFFICER,)) -> RequestFacts:
    return RequestFacts(5, waiting, SUBMITTED, officers)


def test_a_request_is_chased_ten_days_after_submission_from_the_moment_it_is_submitted():
    desired = rules.for_request(request(), OFFSETS, now=SUBMITTED)

    assert plan(desired) == [("request-review:request:5:0:user:7", 7, SUBMITTED + timedelta(days=10))]
    assert {(d.rule, d.subject_type, d.subject_id) for d in desired} == {("request_review", "request", 5)}


def test_a_request_is_chased_weekly_after_the_first_reminder_keeping_only_the_latest_past_one():
    now = SUBMITTED + timedelta(days=24)  # the chasers of days 10 and 17 are past, day 24 is due now

    assert plan(rules.for_request(request(), OFFSETS, now)) == [
        ("request-review:request:5:2:user:7", 7, SUBMITTED + timedelta(days=24)),
        ("request-review:request:5:3:user:7", 7, SUBMITTED + timedelta(days=31)),
    ]


def test_every_officer_gets_their_own_request_chaser():
    desired = rules.for_request(request(officers=(OFFICER, OFFICER_LIMA)), OFFSETS, now=SUBMITTED)

    assert plan(desired) == [("request-review:request:5:0:user:7", 7, SUBMITTED + timedelta(days=10)),
                             ("request-review:request:5:0:user:8", 8, SUBMITTED + timedelta(days=10))]


def test_the_admins_offsets_set_the_first_chaser_and_the_interval():
    desired = rules.for_request(request(), {"request_review": [5, 2]}, now=SUBMITTED + timedelta(days=6))

    assert [d.due_at - SUBMITTED for d in plan_desired(desired)] == [timedelta(days=5), timedelta(days=7)]


def test_a_request_no_longer_waiting_is_not_chased():
    assert rules.for_request(request(waiting=False), OFFSETS, SUBMITTED) == []


# --- Invitation unanswered: nudge the expert after 3 days, tell the officer at expiry after 7 ----------

INVITED = utc(2026, 11, 23, 10, 15)


def invitation(invited: bool = True, expert: Person | None = EXPERT_MADRID) -> InvitationFacts:
    return InvitationFacts(42, invited, INVITED, expert, (OFFICER,))


def test_an_unanswered_invitation_nudges_the_expert_after_three_days_and_expires_to_the_officer_after_seven():
    assert plan(rules.for_invitation(invitation(), OFFSETS, INVITED)) == [
        ("invite-nudge:deployment:42:3:user:21", 21, INVITED + timedelta(days=3)),
        ("invite-expiry:deployment:42:user:7", 7, INVITED + timedelta(days=7)),
    ]


def test_an_expert_without_an_account_gets_no_nudge_but_the_officer_is_still_told():
    assert [d.rule for d in rules.for_invitation(invitation(expert=None), OFFSETS, INVITED)] == ["invite_expiry"]


def test_an_answered_invitation_has_no_reminders():
    assert rules.for_invitation(invitation(invited=False), OFFSETS, INVITED) == []


# --- Activities: coming (30/14/3 days, 09:00 local), slots open (21 days), mission reports ----------------

# 28 March 2027 is the night Spain moves to summer time: the 3-day reminder is in CEST, the others in CET.
START, END = date(2027, 4, 10), date(2027, 4, 12)
BEFORE = utc(2027, 1, 1)


def activity(*, running: bool = True, open_places: int = 0, officers=(OFFICER_LIMA,), experts=(EXPERT_MADRID,),
             reports=(), took_place: bool = False) -> ActivityFacts:
    return ActivityFacts(9, running, START, END, open_places, officers, experts, reports, took_place)


def test_activity_coming_is_due_at_nine_local_time_30_14_and_3_days_before_the_start_for_officer_and_experts():
    coming = [d for d in rules.for_activity(activity(), OFFSETS, BEFORE) if d.rule == "activity_coming"]

    assert plan(coming) == [
        ("activity-coming:activity:9:30:user:21", 21, utc(2027, 3, 11, 8)),   # Madrid, CET (UTC+1)
        ("activity-coming:activity:9:30:user:8", 8, utc(2027, 3, 11, 14)),    # Lima, UTC-5 all year
        ("activity-coming:activity:9:14:user:21", 21, utc(2027, 3, 27, 8)),   # Madrid, still CET
        ("activity-coming:activity:9:14:user:8", 8, utc(2027, 3, 27, 14)),
        ("activity-coming:activity:9:3:user:21", 21, utc(2027, 4, 7, 7)),     # Madrid, CEST (UTC+2) now
        ("activity-coming:activity:9:3:user:8", 8, utc(2027, 4, 7, 14)),
    ]
    zones = {8: ZoneInfo(LIMA), 21: ZoneInfo(MADRID)}
    assert {d.due_at.astimezone(zones[d.recipient_id]).hour for d in coming} == {9}
    assert {(d.subject_type, d.subject_id) for d in coming} == {("activity", 9)}


def test_an_unknown_time_zone_counts_as_utc():
    assert rules.local_moment(date(2027, 4, 7), 9, "Mars/Olympus_Mons") == utc(2027, 4, 7, 9)


def test_of_the_activity_coming_reminders_already_past_only_the_latest_is_kept():
    now = utc(2027, 3, 28, 12)  # the 30- and 14-day reminders are past, the 3-day one is not

    coming = [d for d in rules.for_activity(activity(), OFFSETS, now) if d.rule == "activity_coming"]

    assert sorted(d.key for d in coming) == [
        "activity-coming:activity:9:14:user:21", "activity-coming:activity:9:14:user:8",
        "activity-coming:activity:9:3:user:21", "activity-coming:activity:9:3:user:8",
    ]


def test_a_cancelled_or_finished_activity_is_not_announced():
    assert [d for d in rules.for_activity(activity(running=False), OFFSETS, BEFORE)] == []


def test_open_places_remind_the_officer_21_days_before_the_start():
    slots = [d for d in rules.for_activity(activity(open_places=2), OFFSETS, BEFORE) if d.rule == "slots_open"]

    assert plan(slots) == [("slots-open:activity:9:21:user:8", 8, utc(2027, 3, 20, 14))]


def test_a_full_activity_has_no_slots_open_reminder():
    assert not [d for d in rules.for_activity(activity(open_places=0), OFFSETS, BEFORE) if d.rule == "slots_open"]


def test_the_mission_report_is_due_from_the_expert_after_10_days_and_overdue_to_expert_and_officer_after_15():
    facts = activity(running=False, took_place=True, reports=(DeploymentReportFacts(77, EXPERT_MADRID, False),))

    assert plan(rules.for_activity(facts, OFFSETS, utc(2027, 4, 13))) == [
        ("report-due:deployment:77:user:21", 21, utc(2027, 4, 22, 7)),       # 12 April + 10 days, 09:00 CEST
        ("report-overdue:deployment:77:user:21", 21, utc(2027, 4, 27, 7)),   # 12 April + 15 days, 09:00 CEST
        ("report-overdue:deployment:77:user:8", 8, utc(2027, 4, 27, 14)),    # 12 April + 15 days, 09:00 Lima
    ]


def test_no_mission_report_reminder_once_the_report_exists():
    facts = activity(running=False, took_place=True, reports=(DeploymentReportFacts(77, EXPERT_MADRID, True),))

    assert rules.for_activity(facts, OFFSETS, utc(2027, 4, 13)) == []


# --- Actions: ending with open work, closing stalled ------------------------------------------------

PLANNED_END = date(2027, 6, 30)


def action(*, running: bool = True, open_activities: int = 2, closing_since: datetime | None = None,
           has_final_report: bool = False) -> ActionFacts:
    return ActionFacts(3, running, PLANNED_END, open_activities, closing_since, (OFFICER_LIMA,),
                       has_final_report=has_final_report)


def test_an_action_ending_with_open_work_reminds_the_officer_30_days_before_its_planned_end():
    assert plan(rules.for_action(action(has_final_report=True), OFFSETS, BEFORE)) == [
        ("action-ending:action:3:2027-06-30:user:8", 8, utc(2027, 5, 31, 14)),
    ]


@pytest.mark.parametrize("facts", [action(open_activities=0), action(running=False)],
                         ids=["no open work", "not running"])
def test_no_action_ending_reminder_without_open_work_or_once_it_is_no_longer_running(facts):
    assert [d for d in rules.for_action(facts, OFFSETS, BEFORE) if d.rule == "action_ending"] == []


def test_an_action_30_days_in_closing_reminds_the_officer_of_closing_and_14_days_in_of_the_final_report():
    since = utc(2027, 7, 2, 16, 45)

    assert plan(rules.for_action(action(running=False, closing_since=since), OFFSETS, since)) == [
        ("final-report-due:action:3:closing:2027-07-02:user:8", 8, since + timedelta(days=14)),
        ("closing-stalled:action:3:2027-07-02:user:8", 8, since + timedelta(days=30)),
    ]


def test_an_action_past_its_planned_end_without_a_final_report_reminds_the_officer_14_days_after():
    assert [(d.key, d.due_at) for d in rules.for_action(action(open_activities=0), OFFSETS, BEFORE)] == [
        ("final-report-due:action:3:end:2027-06-30:user:8", utc(2027, 7, 14, 14)),  # 30 June 09:00 Lima + 14 days
    ]


def test_an_action_with_its_final_report_is_not_chased_for_it():
    since = utc(2027, 7, 2, 16, 45)
    for facts in (action(has_final_report=True, open_activities=0),
                  action(running=False, closing_since=since, has_final_report=True)):
        assert [d for d in rules.for_action(facts, OFFSETS, since) if d.rule == "final_report_due"] == []


# --- Weekly digest: Monday 08:00 in the officer's time zone -------------------------------------------

WEDNESDAY = utc(2026, 11, 25, 12)


@pytest.mark.parametrize(("person", "this_monday", "next_monday"), [
    (Person(8, LIMA), utc(2026, 11, 23, 13), utc(2026, 11, 30, 13)),
    (Person(8, MADRID), utc(2026, 11, 23, 7), utc(2026, 11, 30, 7)),
    (Person(8, "UTC"), utc(2026, 11, 23, 8), utc(2026, 11, 30, 8)),
])
def test_the_weekly_digest_is_due_monday_at_eight_local_this_week_and_next(person, this_monday, next_monday):
    assert plan(rules.weekly_digest(person, WEDNESDAY)) == [
        ("weekly-digest:user:8:2026-W48", 8, this_monday),
        ("weekly-digest:user:8:2026-W49", 8, next_monday),
    ]


def test_the_weekly_digest_follows_the_officers_local_week_and_summer_time():
    # Monday 29 March 2027 01:00 in Madrid is still Sunday in UTC; Madrid has just moved to CEST.
    digest = rules.weekly_digest(Person(8, MADRID), utc(2027, 3, 28, 23, 30))

    assert [d.due_at for d in plan_desired(digest)] == [utc(2027, 3, 29, 6), utc(2027, 4, 5, 6)]
    assert {d.due_at.astimezone(ZoneInfo(MADRID)).strftime("%a %H:%M") for d in digest} == {"Mon 08:00"}


# --- After downtime: only the latest past occurrence ----------------------------------------------------


def test_only_the_latest_past_occurrence_is_kept_per_recipient_with_every_future_one():
    now = utc(2026, 6, 1)
    items = [Desired(f"k{day}:{who}", "r", who, utc(2026, 5, day), "x", 1) for day in (1, 10, 20) for who in (1, 2)]
    items += [Desired("k-june:1", "r", 1, utc(2026, 6, 5), "x", 1)]

    assert sorted(d.key for d in rules.latest_past_and_future(items, now)) == ["k-june:1", "k20:1", "k20:2"]


# --- Mission checklist still open: days before departure, to the expert (and the officer by choice) ---------------

DEPARTURE = date(2027, 3, 10)


def mission(open_items: int = 2, ready: bool = True, departure: date | None = DEPARTURE) -> MissionFacts:
    return MissionFacts(42, ready, departure, open_items, EXPERT_MADRID, [OFFICER])


def test_an_open_checklist_reminds_the_expert_seven_days_before_departure_at_nine_local_time():
    found = rules.for_subject(mission(), OFFSETS, utc(2027, 2, 1))
    assert plan(found) == [("mission-checklist:deployment:42:7:user:21", 21,
                            datetime(2027, 3, 3, 9, tzinfo=ZoneInfo(MADRID)).astimezone(UTC))]
    assert found[0].subject_type == "mission" and found[0].subject_id == 42


def test_the_officer_gets_it_too_when_the_admin_chooses_and_offsets_are_the_admins():
    found = rules.for_subject(mission(), {"mission_checklist": [10, 2]}, utc(2027, 2, 1),
                              recipients={"mission_checklist": ["expert", "officer"]})
    assert {(d.recipient_id, d.key.split(":")[3]) for d in found} == {(21, "10"), (21, "2"), (7, "10"), (7, "2")}


@pytest.mark.parametrize("facts", [mission(open_items=0), mission(ready=False), mission(departure=None)])
def test_no_reminder_without_open_items_or_a_mission_to_prepare(facts):
    assert rules.for_subject(facts, OFFSETS, utc(2027, 2, 1)) == []


def test_moved_dates_move_the_reminder_under_the_same_key():
    before = rules.for_subject(mission(), OFFSETS, utc(2027, 2, 1))
    after = rules.for_subject(mission(departure=date(2027, 4, 10)), OFFSETS, utc(2027, 2, 1))
    assert [d.key for d in before] == [d.key for d in after] and before[0].due_at < after[0].due_at


def test_an_item_added_late_is_reminded_at_once_but_nothing_from_the_day_of_departure():
    late = rules.for_subject(mission(), OFFSETS, utc(2027, 3, 8, 12))
    assert len(late) == 1 and late[0].due_at < utc(2027, 3, 8, 12)  # the one past is kept: it goes now
    assert rules.for_subject(mission(), OFFSETS, utc(2027, 3, 10, 1)) == []
