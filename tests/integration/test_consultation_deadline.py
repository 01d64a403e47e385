"""Staff move an open consultation's deadline: the rules (open only, answers still taken, never into the past,
staff only), the history row and the audit trail, the reminders keyed on the deadline moving with it, and the
news reaching the members who have not answered, in their language and time zone, at a real SMTP server."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from workflow.accounts.models import Role, User
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, StateConflict, TransitionRefused
from workflow.governance.models import Answer, DeadlineChange, MemberKind, Outcome, SteeringMember
from workflow.governance.services import (
    DecisionDraft,
    add_member,
    answer_consultation,
    change_deadline,
    criteria,
    open_consultation,
    record_decision,
    send_to_committee,
)
from workflow.notifications.dispatch import dispatch_notifications
from workflow.notifications.kinds import KINDS
from workflow.notifications.models import Notification
from workflow.reminders.models import Reminder, ReminderState
from workflow.requests.lifecycle import RequestStatus

from ..factories import make_request, make_user

pytest_plugins = ["tests.smtp"]

DEADLINE_DAY = date(2026, 12, 3)  # the clock starts on 23 November 2026, 09:00 UTC
END_OF_DEADLINE_DAY = datetime(2026, 12, 4, tzinfo=UTC)
BASE_URL = "https://peerflow.example.org"


@pytest.fixture()
def app_ctx(app, db, clock):
    with app.app_context():
        yield


@pytest.fixture()
def committee(db, app_ctx, clock, officer):
    """Three active members (one reads French in Lima, one will answer) and a retired one."""
    admin = make_user(db, Role.ADMIN)
    lima, answering, quiet, retired = (make_user(db, Role.STEERING) for _ in range(4))
    lima.locale, lima.timezone = "fr", "America/Lima"
    for user in (lima, answering, quiet, retired):
        add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=admin, now=clock.now)
    db.commit()
    return dict(admin=admin, lima=lima, answering=answering, quiet=quiet, retired=retired)


@pytest.fixture()
def consulted(db, app_ctx, clock, officer, requester_pe, committee):
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Consular training")
    consultation = send_to_committee(db, request, DEADLINE_DAY, actor=officer, now=clock.now)
    db.scalars(select(SteeringMember).where(SteeringMember.user_id == committee["retired"].id)).one().active = False
    db.commit()
    return request, consultation


def move(db, request, day: date, officer: User, now: datetime, reason: str | None = None) -> DeadlineChange:
    change = change_deadline(db, request, day, reason, actor=officer, now=now)
    db.commit()
    return change


def test_staff_extend_then_shorten_the_deadline_and_each_move_is_kept_with_its_reason(db, clock, officer,
                                                                                       consulted):
    request, consultation = consulted
    later = move(db, request, date(2026, 12, 10), officer, clock.now, "  The EU delegation asked for a week.  ")
    assert consultation.deadline == datetime(2026, 12, 11, tzinfo=UTC)  # the end of the day, in the officer's zone
    assert (later.from_deadline, later.to_deadline) == (END_OF_DEADLINE_DAY, consultation.deadline)
    assert later.reason == "The EU delegation asked for a week." and later.changed_by_id == officer.id
    earlier = move(db, request, date(2026, 12, 1), officer, clock.now)
    assert consultation.deadline == datetime(2026, 12, 2, tzinfo=UTC) and earlier.reason is None
    assert [c.id for c in consultation.deadline_changes] == [later.id, earlier.id]
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "request",
                                                  AuditEntry.object_id == request.id,
                                                  AuditEntry.event == "updated")).all()
    moved = [e.changes["deadline"] for e in entries if e.detail.get("part") == "consultation"]
    assert [m[1][:10] for m in moved] == ["2026-12-11", "2026-12-02"]  # the pages name who (test_consultation_deadline_pages)


def test_an_officer_in_another_time_zone_moves_it_to_the_end_of_their_day(db, clock, officer, consulted):
    request, consultation = consulted
    officer.timezone = "Europe/Madrid"
    move(db, request, date(2026, 12, 10), officer, clock.now)
    assert consultation.deadline == datetime(2026, 12, 10, 23, tzinfo=UTC)


@pytest.mark.parametrize(("day", "message"), [
    (date(2026, 11, 22), "must be in the future"),
    (date(2027, 12, 31), "within a year"),
    (DEADLINE_DAY, "already the deadline"),
])
def test_a_deadline_in_the_past_too_far_or_unchanged_is_refused_naming_the_field(db, clock, officer, consulted, day,
                                                                                 message):
    request, consultation = consulted
    with pytest.raises(DomainError, match=message) as refused:
        change_deadline(db, request, day, None, actor=officer, now=clock.now)
    assert refused.value.field == "deadline"
    db.rollback()
    assert consultation.deadline == END_OF_DEADLINE_DAY and not consultation.deadline_changes


def test_the_deadline_day_itself_is_accepted_until_its_last_minute(db, clock, officer, consulted):
    request, consultation = consulted
    clock.set(datetime(2026, 12, 1, 20, tzinfo=UTC))
    move(db, request, date(2026, 12, 1), officer, clock.now)  # today: answers until 23:59 tonight
    assert consultation.deadline == datetime(2026, 12, 2, tzinfo=UTC)


def test_only_staff_move_the_deadline(db, clock, requester_pe, committee, consulted):
    request, _consultation = consulted
    for someone in (requester_pe, committee["lima"]):
        with pytest.raises(DomainError, match="Only programme staff"):
            change_deadline(db, request, date(2026, 12, 10), None, actor=someone, now=clock.now)
    change_deadline(db, request, date(2026, 12, 10), None, actor=committee["admin"], now=clock.now)  # admins are staff


def test_only_an_open_consultation_whose_deadline_has_not_passed_moves(db, clock, officer, requester_pe,
                                                                       consulted):
    request, consultation = consulted
    not_sent = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, officer, title="Not sent")
    with pytest.raises(TransitionRefused, match="no open consultation"):
        change_deadline(db, not_sent, date(2026, 12, 10), None, actor=officer, now=clock.now)
    clock.set(END_OF_DEADLINE_DAY)  # silence now counts as support: the position is complete
    with pytest.raises(StateConflict, match="deadline has passed"):
        change_deadline(db, request, date(2026, 12, 10), None, actor=officer, now=clock.now)
    ticks = {c.id: (True, "Checked.") for c in criteria(db, active_only=True)}
    record_decision(db, request, DecisionDraft(Outcome.REJECT, "Out of scope.", ticks), actor=officer, now=clock.now)
    db.commit()
    assert open_consultation(db, request) is None
    with pytest.raises(TransitionRefused, match="no open consultation"):
        change_deadline(db, request, date(2026, 12, 10), None, actor=officer, now=clock.now)


# --- The reminders keyed on the deadline ------------------------------------------------------------


def pending(db, consultation_id: int) -> dict[str, datetime]:
    db.expire_all()
    return {r.key: r.due_at for r in db.scalars(select(Reminder).where(
        Reminder.subject_type == "consultation", Reminder.subject_id == consultation_id,
        Reminder.state == ReminderState.PENDING))}


def test_the_reminders_before_the_deadline_and_at_it_move_with_it(db, clock, officer, committee, consulted):
    request, consultation = consulted
    answer_consultation(db, request, Answer.SUPPORT, None, actor=committee["answering"], now=clock.now)
    db.commit()
    before = pending(db, consultation.id)
    quiet_due = {key: due for key, due in before.items() if key.endswith(f"user:{committee['quiet'].id}")}
    assert sorted(quiet_due.values()) == [datetime(2026, 11, 30, 9, tzinfo=UTC), datetime(2026, 12, 2, 9, tzinfo=UTC)]
    assert not any(key.endswith(f"user:{committee['answering'].id}") for key in before)
    ended = f"consultation-ended:consultation:{consultation.id}:user:{officer.id}"
    assert before[ended] == END_OF_DEADLINE_DAY

    move(db, request, date(2026, 12, 10), officer, clock.now, "More time.")
    after = pending(db, consultation.id)
    # The reminders before the deadline are the new deadline's own (its moment is in their keys, so one sent
    # before the move does not silence them); the one at the deadline moves. None for the member who answered.
    stamp = f":{consultation.deadline:%Y%m%d%H%M}:"
    renamed = {key.replace(f":{consultation.id}:", f":{consultation.id}{stamp}", 1) if key.startswith(
        "consultation-due") else key: due for key, due in before.items()}
    assert set(after) == set(renamed)
    assert {key: due - renamed[key] for key, due in after.items()} == {key: timedelta(days=7) for key in renamed}
    cancelled = db.scalars(select(Reminder.key).where(Reminder.subject_id == consultation.id,
                                                      Reminder.state == ReminderState.CANCELLED)).all()
    assert {key for key in before if key.startswith("consultation-due")} <= set(cancelled)
    lima = [due for key, due in after.items() if key.endswith(f"user:{committee['lima'].id}")]
    assert sorted(lima) == [datetime(2026, 12, 7, 14, tzinfo=UTC), datetime(2026, 12, 9, 14, tzinfo=UTC)]  # 09:00 Lima

    move(db, request, date(2026, 11, 25), officer, clock.now)  # shortened: two days from now
    shortened = pending(db, consultation.id)
    assert shortened[ended] == datetime(2026, 11, 26, tzinfo=UTC)
    quiet_now = sorted(due for key, due in shortened.items() if key.endswith(f"user:{committee['quiet'].id}"))
    # Three days before would be 22 November, already past: the day-before reminder is the one left to come.
    assert quiet_now[-1] == datetime(2026, 11, 24, 9, tzinfo=UTC)


def test_a_reminder_sent_before_the_move_does_not_silence_the_new_deadlines(db, clock, officer, committee,
                                                                           consulted):
    request, consultation = consulted
    sent = f"consultation-due:consultation:{consultation.id}:3:user:{committee['quiet'].id}"
    db.execute(update(Reminder).where(Reminder.key == sent).values(state=ReminderState.SENT))
    db.commit()
    move(db, request, date(2026, 12, 10), officer, clock.now, "More time.")
    quiet = sorted(due for key, due in pending(db, consultation.id).items()
                   if key.startswith("consultation-due") and key.endswith(f"user:{committee['quiet'].id}"))
    assert quiet == [datetime(2026, 12, 7, 9, tzinfo=UTC), datetime(2026, 12, 9, 9, tzinfo=UTC)]
    assert db.scalar(select(Reminder.state).where(Reminder.key == sent)) is ReminderState.SENT  # history


# --- The news -------------------------------------------------------------------------------------


def test_the_kind_is_defined_for_the_committee():
    kind = KINDS["consultation_changed"]
    assert kind.events == frozenset({"deadline"}) and kind.roles == frozenset({Role.STEERING})
    assert not kind.mandatory


def test_the_members_who_have_not_answered_hear_of_the_new_deadline_at_the_smtp_server(
        db, clock, officer, committee, consulted, smtp_server):
    request, consultation = consulted
    answer_consultation(db, request, Answer.OBJECT, "Overlaps with another donor.", actor=committee["answering"],
                        now=clock.now)
    db.commit()
    dispatch_notifications(db, now=clock.now, mailer=smtp_server.mailer(), base_url=BASE_URL)  # the opening's news
    smtp_server.clear()
    seen = db.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1))

    move(db, request, date(2026, 12, 10), officer, clock.now, "The EU delegation asked for a week.")

    news = db.scalars(select(Notification).where(Notification.id > seen)).all()
    readers = {n.user_id for n in news}
    assert readers == {committee["lima"].id, committee["quiet"].id}  # not who answered, the retired one, the officer
    assert {(n.kind, n.link, n.subject_type, n.subject_id) for n in news} == {
        ("consultation_changed", f"/requests/{request.id}#committee", "consultation", consultation.id)}

    report = dispatch_notifications(db, now=clock.now, mailer=smtp_server.mailer(), base_url=BASE_URL)
    assert report.sent == 2
    by_reader = {m.to: m for m in smtp_server.messages}
    assert set(by_reader) == {committee["lima"].email, committee["quiet"].email}
    french = by_reader[committee["lima"].email]
    english = by_reader[committee["quiet"].email]
    assert "Consular training" in english.subject and "10 Dec 2026" in english.subject
    assert "it is now 10 Dec 2026 at 23:59 (your time)" in english.text and "It was 3 Dec 2026." in english.text
    assert "The reason: The EU delegation asked for a week." in english.text
    assert f"{BASE_URL}/requests/{request.id}#committee" in english.text
    # In Lima the day ends five hours later than in the officer's UTC: 18:59 on 10 December, in French dates.
    assert "10 déc. 2026" in french.text and "18:59" in french.text
    for message in (french, english):
        headers = email.message_from_bytes(message.raw, policy=email.policy.default)
        assert headers["List-Unsubscribe"].strip() == (
            f"<{BASE_URL}/notifications/preferences?kind=consultation_changed>")


def test_a_refused_move_tells_nobody(db, clock, officer, consulted):
    request, _consultation = consulted
    seen = db.scalar(select(Notification.id).order_by(Notification.id.desc()).limit(1))
    with pytest.raises(DomainError):
        change_deadline(db, request, date(2026, 11, 1), "Typo", actor=officer, now=clock.now)
    db.rollback()
    assert db.scalars(select(Notification).where(Notification.id > seen)).all() == []
