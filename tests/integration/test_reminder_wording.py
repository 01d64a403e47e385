"""Recipients chosen by role and wording per language, end to end: saved, re-derived, dispatched to a real SMTP server."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from workflow.accounts.models import Role, User
from workflow.activities.models import Activity
from workflow.core.errors import DomainError
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, approve_release, propose
from workflow.notifications.models import Notification
from workflow.reminders.dispatch import dispatch_due_reminders, message_id
from workflow.reminders.models import Reminder, ReminderRule, ReminderState, ReminderWording
from workflow.reminders.registry import default_offsets
from workflow.reminders.services import RuleSettings, WordingRefused, save_rule_settings, save_wording
from workflow.reminders.sync import refresh_recurring

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, make_user

pytest_plugins = ["tests.smtp"]

BASE_URL = "https://peerflow.example.org"
START = date(2027, 3, 1)  # activity-coming reminders: 30 Jan, 15 Feb and 26 Feb 2027, 09:00 UTC
THIRTY_DAYS_BEFORE = datetime(2027, 1, 30, 9, tzinfo=UTC)
SPANISH = {"es": ("Recordatorio: {{ activity }} empieza el {{ start }}",
                  "Hola {{ recipient }}:\n\n{% if days == 1 %}Mañana{% else %}Dentro de {{ days }} días{% endif %} "
                  "empieza «{{ activity }}» ({{ action }}) en {{ place }}.\nDetalles: {{ link }}")}


@dataclass
class Scene:
    admin: User
    officer: User
    expert_user: User
    focal_point: User
    activity: Activity
    deployment: Deployment


@pytest.fixture()
def app_ctx(app, db, clock):
    """Dispatch runs in an app context with no request, as in the scheduler process."""
    with app.app_context():
        yield


@pytest.fixture()
def scene(db, clock, app_ctx) -> Scene:
    """An activity on 1 March 2027: an English-reading officer, a Spanish-reading member-state official
    (confirmed, released by Spain's focal point) and an admin."""
    admin = make_user(db, Role.ADMIN)
    officer = make_user(db, Role.OFFICER)
    expert_user = make_user(db, Role.EXPERT)
    expert_user.locale = "es"
    focal_point = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    db.commit()
    expert = make_expert(db, country="ES", user=expert_user)
    action = make_action(db, officer, beneficiary=make_institution(db, "PE"))
    activity = make_staffed_activity(db, action, officer, start=START, title="Taller <de> derivación & víctimas")
    deployment = propose(db, activity.slots[0], expert, actor=officer, now=clock.now)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=clock.now)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert_user, now=clock.now)
    approve_release(db, deployment, actor=focal_point, now=clock.now)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=clock.now)
    db.commit()
    return Scene(admin, officer, expert_user, focal_point, activity, deployment)


def dispatch(db, now: datetime, mailer):
    return dispatch_due_reminders(db, now=now, mailer=mailer, base_url=BASE_URL)


def coming(db, scene: Scene, user: User, days: int = 30) -> Reminder | None:
    db.expire_all()
    return db.scalar(select(Reminder).where(
        Reminder.key == f"activity-coming:activity:{scene.activity.id}:{days}:user:{user.id}"))


def choose(db, scene: Scene, code: str, roles: list[str], now: datetime) -> set[str]:
    changed = save_rule_settings(db, {code: RuleSettings(default_offsets()[code], True, roles)}, actor=scene.admin,
                                 now=now)
    db.commit()
    return changed


def test_a_spanish_reader_receives_the_spanish_wording_and_an_english_reader_the_built_in_text(
        db, clock, scene, smtp_server):
    save_wording(db, "activity_coming", SPANISH, actor=scene.admin, base_url=BASE_URL, now=clock.now)
    db.commit()
    clock.set(THIRTY_DAYS_BEFORE)

    report = dispatch(db, clock.now, smtp_server.mailer())

    assert report.errors == [] and smtp_server.duplicates() == {}
    arrived = {m.to: m for m in smtp_server.messages}
    to_expert, to_officer = arrived[scene.expert_user.email], arrived[scene.officer.email]
    assert to_expert.subject == "Recordatorio: Taller <de> derivación & víctimas empieza el 1 mar 2027"
    assert "Dentro de 30 días empieza «Taller <de> derivación & víctimas»" in to_expert.text
    assert f"Detalles: {BASE_URL}/activities/{scene.activity.id}" in to_expert.text
    assert f"Hola {scene.expert_user.name}:" in to_expert.text
    # The HTML part escapes the values and the text: no markup comes from the data or from the admin.
    assert "«Taller &lt;de&gt; derivación &amp; víctimas»" in to_expert.html and "<de>" not in to_expert.html
    assert '<html lang="es">' in to_expert.html
    assert [a.filename for a in to_expert.attachments] == ["activity.ics"]  # the message keeps its calendar file
    # No English text saved: the officer reads the built-in one.
    assert "starts in 30 days" in to_officer.subject and "Recordatorio" not in to_officer.text
    bell = db.scalar(select(Notification).where(Notification.user_id == scene.expert_user.id,
                                                Notification.reminder_id.is_not(None)))
    assert bell.title == to_expert.subject and bell.body.startswith("Hola")


def test_a_language_without_its_own_text_falls_back_to_the_built_in_one_not_to_another_language(
        db, clock, scene, smtp_server):
    english = {"en": ("Coming up: {{ activity }}", "")}
    save_wording(db, "activity_coming", english, actor=scene.admin, base_url=BASE_URL, now=clock.now)
    db.commit()
    clock.set(THIRTY_DAYS_BEFORE)

    dispatch(db, clock.now, smtp_server.mailer())

    arrived = {m.to: m for m in smtp_server.messages}
    assert arrived[scene.officer.email].subject == "Coming up: Taller <de> derivación & víctimas"
    assert arrived[scene.officer.email].text.count("runs") == 1  # the built-in text under the admin's subject
    assert "Coming up" not in arrived[scene.expert_user.email].subject


def test_a_saved_text_that_no_longer_renders_falls_back_to_the_built_in_text(db, clock, scene, smtp_server):
    db.add(ReminderWording(rule="activity_coming", locale="en", subject="{{ placeholder_dropped_since }}",
                           updated_at=clock.now))
    db.commit()
    clock.set(THIRTY_DAYS_BEFORE)

    report = dispatch(db, clock.now, smtp_server.mailer())

    assert report.errors == []
    assert "starts in 30 days" in {m.to: m for m in smtp_server.messages}[scene.officer.email].subject


def test_a_text_that_does_not_render_is_not_saved(db, clock, scene):
    with pytest.raises(WordingRefused) as refused:
        save_wording(db, "activity_coming", {"es": ("{{ actividad }}", "{% for x in y %}")}, actor=scene.admin,
                     base_url=BASE_URL, now=clock.now)

    assert set(refused.value.errors) == {"subject_es", "body_es"}
    assert "{{ actividad }}" in refused.value.errors["subject_es"]
    db.rollback()
    assert db.scalar(select(ReminderWording)) is None


def test_clearing_a_language_returns_it_to_the_built_in_text(db, clock, scene):
    save_wording(db, "activity_coming", {**SPANISH, "fr": ("Bientôt : {{ activity }}", "")}, actor=scene.admin,
                 base_url=BASE_URL, now=clock.now)
    db.commit()

    save_wording(db, "activity_coming", {"fr": ("Bientôt : {{ activity }}", "")}, actor=scene.admin,
                 base_url=BASE_URL, now=clock.now)
    db.commit()

    rows = db.scalars(select(ReminderWording)).all()
    assert [(w.locale, w.subject, w.body) for w in rows] == [("fr", "Bientôt : {{ activity }}", None)]


def test_changing_recipients_re_derives_the_waiting_reminders_and_never_sends_one_twice(
        db, clock, scene, smtp_server):
    clock.set(THIRTY_DAYS_BEFORE)
    dispatch(db, clock.now, smtp_server.mailer())
    sent_first = {m.message_id for m in smtp_server.messages}
    assert coming(db, scene, scene.officer).state is ReminderState.SENT
    assert coming(db, scene, scene.focal_point) is None

    changed = choose(db, scene, "activity_coming", ["expert", "focal_point"], clock.now)

    assert changed == {"activity_coming"}
    assert coming(db, scene, scene.officer).state is ReminderState.SENT  # history stays
    assert coming(db, scene, scene.officer, 14).state is ReminderState.CANCELLED
    assert coming(db, scene, scene.expert_user, 14).state is ReminderState.PENDING
    assert coming(db, scene, scene.focal_point).state is ReminderState.PENDING  # the latest past one: due now
    assert coming(db, scene, scene.focal_point, 14).state is ReminderState.PENDING

    dispatch(db, clock.now + timedelta(hours=1), smtp_server.mailer())

    new = [m for m in smtp_server.messages if m.message_id not in sent_first]
    assert [m.to for m in new] == [scene.focal_point.email]
    assert smtp_server.duplicates() == {}

    choose(db, scene, "activity_coming", ["officer", "expert"], clock.now)  # back to the defaults
    dispatch(db, clock.now + timedelta(hours=2), smtp_server.mailer())

    assert coming(db, scene, scene.officer, 14).state is ReminderState.PENDING
    assert coming(db, scene, scene.focal_point, 14).state is ReminderState.CANCELLED
    assert smtp_server.duplicates() == {} and len(smtp_server.messages) == len(sent_first) + 1
    assert db.get(ReminderRule, "activity_coming").recipients == ["officer", "expert"]


def test_an_enabled_rule_needs_a_recipient_and_nothing_changes_without_one(db, clock, scene):
    with pytest.raises(DomainError, match="at least one recipient") as refused:
        choose(db, scene, "activity_coming", [], clock.now)

    assert refused.value.field == "recipients_activity_coming"
    db.rollback()
    assert db.get(ReminderRule, "activity_coming") is None
    assert coming(db, scene, scene.officer, 14).state is ReminderState.PENDING


def test_saving_the_default_recipients_keeps_following_the_defaults(db, clock, scene):
    changed = choose(db, scene, "slots_open", ["officer"], clock.now)

    assert changed == set()
    assert db.get(ReminderRule, "slots_open").recipients is None


def test_an_expiry_notice_reaches_every_recipient_chosen_though_the_first_one_expires_the_invitation(
        db, clock, scene, smtp_server):
    choose(db, scene, "invite_expiry", ["officer", "admin"], clock.now)
    expert = make_expert(db, name="Ana Souza", expert_type="partner_peer", country="AR",
                         user=make_user(db, Role.EXPERT))
    second = make_staffed_activity(db, scene.activity.action, scene.officer, start=START + timedelta(days=30))
    deployment = propose(db, second.slots[0], expert, actor=scene.officer, now=clock.now)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=scene.officer, now=clock.now)
    db.commit()

    dispatch(db, clock.now + timedelta(days=7), smtp_server.mailer())

    db.expire_all()
    assert db.get(Deployment, deployment.id).status is DeploymentStatus.EXPIRED
    told = db.scalars(select(Reminder).where(Reminder.rule == "invite_expiry",
                                             Reminder.subject_id == deployment.id)).all()
    assert {(r.recipient_id, r.state) for r in told} == {(scene.officer.id, ReminderState.SENT),
                                                         (scene.admin.id, ReminderState.SENT)}
    expired = [m for m in smtp_server.messages if m.subject.startswith("Invitation expired")]
    assert sorted(m.to for m in expired) == sorted([scene.officer.email, scene.admin.email])
    assert {message_id(r, BASE_URL) for r in told} == {m.message_id for m in expired}


def test_the_weekly_digest_can_go_to_the_admins(db, clock, scene):
    choose(db, scene, "weekly_digest", ["admin"], clock.now)
    refresh_recurring(db, clock.now)
    db.commit()

    digests = db.scalars(select(Reminder).where(Reminder.rule == "weekly_digest",
                                                Reminder.state == ReminderState.PENDING)).all()
    assert {r.recipient_id for r in digests} == {scene.admin.id}


def test_a_report_due_notice_to_the_officer_speaks_of_the_expert_not_to_them(db, clock, scene, smtp_server):
    choose(db, scene, "report_due", ["expert", "officer"], clock.now)
    from workflow.activities.lifecycle import ActivityEvent
    from workflow.activities.services import apply_activity_event

    after = datetime(2027, 3, 4, 9, tzinfo=UTC)
    apply_activity_event(db, db.get(Activity, scene.activity.id), ActivityEvent.DELIVER, actor=scene.officer,
                         now=after)
    db.commit()

    dispatch(db, datetime(2027, 3, 13, 9, tzinfo=UTC), smtp_server.mailer())

    due = {m.to: m for m in smtp_server.messages if "mission report" in m.subject.lower()
           or "informe" in m.subject.lower()}
    assert due[scene.officer.email].subject.startswith("Mission report due: Lucía Herrera")
    assert "Your" not in due[scene.officer.email].subject
    assert scene.expert_user.email in due  # and the expert still gets theirs


# --- The Steering Committee's two rules: reminded before the deadline, told when it ended -------------------

DEADLINE_DAY = date(2026, 12, 3)  # answers until the end of 3 December (UTC): the deadline is 4 December 00:00


@pytest.fixture()
def consulted(db, clock, scene, requester_pe):
    """A request sent to the committee: a Spanish-reading member who has not answered, another who supported."""
    from workflow.governance.models import Answer, MemberKind
    from workflow.governance.services import add_member, answer_consultation, send_to_committee
    from workflow.requests.lifecycle import RequestStatus

    from ..factories import make_request

    silent, supporter = make_user(db, Role.STEERING), make_user(db, Role.STEERING)
    silent.locale = "es"
    for user in (silent, supporter):
        add_member(db, user.id, MemberKind.COMMITTEE_MEMBER, False, actor=scene.admin, now=clock.now)
    db.commit()
    request = make_request(db, requester_pe, RequestStatus.UNDER_REVIEW, scene.officer, title="Referral <desk>")
    consultation = send_to_committee(db, request, DEADLINE_DAY, actor=scene.officer, now=clock.now)
    db.commit()
    answer_consultation(db, request, Answer.SUPPORT, None, actor=supporter, now=clock.now)
    db.commit()
    return consultation, silent


CONSULTATION_TEXTS = {
    "consultation_due": {"es": ("Faltan {{ days }} días: {{ request }}",
                                "Hola {{ recipient }}: la consulta sobre «{{ request }}» ({{ institution }}) cierra el "
                                "{{ deadline }}.\n{{ link }}")},
    "consultation_ended": {"en": ("Ended: {{ request }} ({{ supports }} for, {{ objections }} against, "
                                  "{{ unanswered }} silent)", "Deadline {{ deadline }}. Record it: {{ link }}")},
}


def test_each_consultation_rule_has_its_own_wording_previewed_on_the_consultation(db, clock, scene, consulted):
    from workflow.reminders.services import preview_wording

    consultation, _silent = consulted
    for code, texts in CONSULTATION_TEXTS.items():
        example, rendered, errors = preview_wording(db, code, texts, viewer=scene.admin, base_url=BASE_URL,
                                                    now=clock.now)
        assert errors == {} and example is not None and example.real_reminder
        assert example.reminder.rule == code and example.reminder.subject_id == consultation.id
        by_locale = {r.locale: r for r in rendered}
        if code == "consultation_due":
            assert by_locale["es"].subject == "Faltan 10 días: Referral <desk>"
            assert "«Referral <desk>»" in by_locale["es"].text and "&lt;desk&gt;" in by_locale["es"].html
            assert by_locale["en"].subject.startswith("The Steering Committee is consulted on")  # built in
        else:
            assert by_locale["en"].subject == "Ended: Referral <desk> (1 for, 0 against, 1 silent)"
            assert by_locale["fr"].subject.startswith("Consultation")  # built in, in French
    refused = CONSULTATION_TEXTS["consultation_due"] | {"en": ("{{ supports }}", "")}
    with pytest.raises(WordingRefused) as error:
        save_wording(db, "consultation_due", refused, actor=scene.admin, base_url=BASE_URL, now=clock.now)
    assert "Unknown placeholder {{ supports }}" in error.value.errors["subject_en"]


def test_the_dispatcher_sends_each_consultation_rule_in_its_own_wording(db, clock, scene, consulted, smtp_server):
    consultation, silent = consulted
    for code, texts in CONSULTATION_TEXTS.items():
        save_wording(db, code, texts, actor=scene.admin, base_url=BASE_URL, now=clock.now)
    db.commit()

    dispatch(db, datetime(2026, 12, 2, 10, tzinfo=UTC), smtp_server.mailer())  # the "1 day before" reminder
    dispatch(db, datetime(2026, 12, 4, 0, 1, tzinfo=UTC), smtp_server.mailer())  # the deadline has passed

    assert smtp_server.duplicates() == {}
    to_member = [m for m in smtp_server.messages if m.to == silent.email]
    assert [m.subject for m in to_member] == ["Faltan 1 días: Referral <desk>"]
    assert f"{BASE_URL}/requests/{consultation.request_id}#committee" in to_member[0].text
    ended = [m for m in smtp_server.messages if m.to == scene.officer.email and m.subject.startswith("Ended")]
    assert [m.subject for m in ended] == ["Ended: Referral <desk> (1 for, 0 against, 1 silent)"]
