"""Privacy on a real database: consent, the data export, erasure that keeps the figures, the retention rule."""

from __future__ import annotations

import io
import json
from dataclasses import asdict
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from workflow.accounts.models import ApiToken, Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.audit.models import AuditEntry
from workflow.core.errors import DomainError, NotFound
from workflow.core.uploads import store_upload
from workflow.dashboard.services import PortfolioFilters, portfolio
from workflow.deployments.candidates import deployable_experts
from workflow.deployments.lifecycle import DeploymentEvent, DeploymentStatus
from workflow.deployments.models import Deployment, DeploymentTransition
from workflow.deployments.services import (
    apply_deployment_event,
    approve_release,
    propose,
    record_mission_report,
)
from workflow.experts.models import Consent, Expert, ExpertStatus, Unavailability
from workflow.experts.services import attach_cv
from workflow.notifications.models import Notification
from workflow.privacy.commands import privacy_cli
from workflow.privacy.models import Erasure
from workflow.privacy.services import (
    NOTICE_VERSION,
    erase_expert,
    export_expert_data,
    exportable_expert,
    give_consent,
    purge_declined_nominations,
    withdraw_consent,
)
from workflow.reminders.models import EmailMessage, Reminder, ReminderState

from ..factories import (
    make_action,
    make_activity,
    make_expert,
    make_institution,
    make_staffed_activity,
    make_user,
)

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)
BEFORE = datetime(2026, 2, 2, 9, tzinfo=UTC)  # before the activities of 2026 took place
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture()
def ctx(app, db, clock):
    """An app context for the whole test: the sync hook and the audit trail read the test clock."""
    with app.app_context():
        yield


@pytest.fixture()
def action(db, officer):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION,
                       beneficiary=make_institution(db, "PE", name="Ministry of the Interior of Peru"))


def expert_with_account(db, name="Lucía Herrera", **kwargs) -> Expert:
    return make_expert(db, name=name, user=make_user(db, Role.EXPERT), **kwargs)


def invited(db, slot, expert, officer, now=NOW) -> Deployment:
    deployment = propose(db, slot, expert, actor=officer, now=now)
    apply_deployment_event(db, deployment, DeploymentEvent.INVITE, actor=officer, now=now)
    return deployment


def confirmed(db, slot, expert, officer, now=NOW) -> Deployment:
    deployment = invited(db, slot, expert, officer, now)
    apply_deployment_event(db, deployment, DeploymentEvent.ACCEPT, actor=expert.user, now=now)
    approve_release(db, deployment, actor=make_user(db, Role.ADMIN), now=now)
    apply_deployment_event(db, deployment, DeploymentEvent.CONFIRM, actor=officer, now=now)
    return deployment


def declined(db, slot, expert, officer, now=NOW, reason="On leave that month.") -> Deployment:
    deployment = invited(db, slot, expert, officer, now)
    apply_deployment_event(db, deployment, DeploymentEvent.DECLINE, actor=expert.user, now=now, reason=reason)
    return deployment


def figures(db) -> dict:
    """Every portfolio figure the dashboard shows, as plain data."""
    result = portfolio(db, PortfolioFilters())
    return {"overall": asdict(result.overall), "regions": [(r.code, asdict(f)) for r, f in result.regions],
            "member_states": [asdict(m) for m in result.member_states], "years": [asdict(y) for y in result.years]}


# --- Consent ---------------------------------------------------------------------------------


def test_consent_is_recorded_with_the_notice_version_and_can_be_withdrawn_and_given_again(db, ctx):
    expert = expert_with_account(db)
    first = give_consent(db, expert, actor=expert.user, now=NOW)
    assert (first.purpose.value, first.notice_version, first.given_at, first.withdrawn_at) == (
        "roster", NOTICE_VERSION, NOW, None)
    assert (expert.consent_at, expert.consent_version) == (NOW, NOTICE_VERSION)

    later = NOW + timedelta(days=30)
    withdrawn = withdraw_consent(db, expert, actor=expert.user, now=later)
    assert withdrawn.id == first.id and withdrawn.withdrawn_at == later
    assert expert.consent_at is None

    again = give_consent(db, expert, actor=expert.user, now=later + timedelta(days=1))
    assert again.id != first.id
    rows = db.scalars(select(Consent).where(Consent.expert_id == expert.id).order_by(Consent.id)).all()
    assert [(c.given_at, c.withdrawn_at) for c in rows] == [(NOW, later), (later + timedelta(days=1), None)]
    events = db.scalars(select(AuditEntry.event).where(AuditEntry.event.like("consent_%"))
                        .order_by(AuditEntry.id)).all()
    assert events == ["consent_given", "consent_withdrawn", "consent_given"]


def test_only_the_expert_gives_their_consent_and_not_twice(db, ctx, officer):
    expert = expert_with_account(db)
    with pytest.raises(DomainError, match="their own consent"):
        give_consent(db, expert, actor=officer, now=NOW)
    with pytest.raises(DomainError, match="nothing to withdraw"):
        withdraw_consent(db, expert, actor=expert.user, now=NOW)
    give_consent(db, expert, actor=expert.user, now=NOW)
    with pytest.raises(DomainError, match="already recorded"):
        give_consent(db, expert, actor=expert.user, now=NOW)


def test_a_consent_given_before_the_consents_table_is_withdrawn_with_its_history(db, ctx):
    expert = expert_with_account(db)
    expert.consent_at, expert.consent_version = NOW - timedelta(days=200), "2025-01"
    db.flush()
    consent = withdraw_consent(db, expert, actor=expert.user, now=NOW)
    assert (consent.notice_version, consent.given_at, consent.withdrawn_at) == ("2025-01", NOW - timedelta(days=200),
                                                                               NOW)


def test_an_expert_who_withdrew_consent_is_not_suggested_for_new_deployments(db, ctx):
    withdrawing = expert_with_account(db, name="Withdrawing Expert")
    never_asked = make_expert(db, name="Never Asked")  # no consent recorded either way: still on the roster
    give_consent(db, withdrawing, actor=withdrawing.user, now=NOW)
    suggested = lambda: set(db.scalars(deployable_experts(["es"]).with_only_columns(Expert.id)))  # noqa: E731
    assert {withdrawing.id, never_asked.id} <= suggested()
    withdraw_consent(db, withdrawing, actor=withdrawing.user, now=NOW)
    assert withdrawing.id not in suggested() and never_asked.id in suggested()
    give_consent(db, withdrawing, actor=withdrawing.user, now=NOW + timedelta(hours=1))
    assert withdrawing.id in suggested()


def test_an_expert_who_withdrew_consent_cannot_be_proposed_by_hand(db, ctx, officer, action):
    expert = expert_with_account(db, name="Withdrawing Expert")
    give_consent(db, expert, actor=expert.user, now=NOW)
    withdraw_consent(db, expert, actor=expert.user, now=NOW)
    slot = make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0]
    with pytest.raises(DomainError, match="withdrawn their consent"):
        propose(db, slot, expert, actor=officer, now=NOW)
    give_consent(db, expert, actor=expert.user, now=NOW + timedelta(hours=1))
    assert propose(db, slot, expert, actor=officer, now=NOW + timedelta(hours=1)).expert_id == expert.id


# --- Export ----------------------------------------------------------------------------------


def test_the_export_holds_everything_about_the_expert_and_no_secret(db, ctx, officer, action, upload_dir):
    expert = expert_with_account(db)
    expert.calendar_token = "calendar-secret-abc"
    db.add(Unavailability(expert=expert, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8), reason="Surgery"))
    stored = store_upload(io.BytesIO(PDF), str(upload_dir), 1024 * 1024)
    attach_cv(db, expert, stored.stored_name, "herrera-cv.pdf", stored.content_type, actor=officer, now=NOW)
    give_consent(db, expert, actor=expert.user, now=NOW)
    activity = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop on victim care")
    deployment = invited(db, activity.slots[0], expert, officer)
    reminder = Reminder(key="test:export", rule="invite-nudge", subject_type="deployment", subject_id=deployment.id,
                        recipient_id=expert.user_id, due_at=NOW, state=ReminderState.SENT, created_at=NOW,
                        updated_at=NOW)
    db.add(reminder)
    db.flush()
    db.add(EmailMessage(reminder_id=reminder.id, message_id="<export-test@peerflow>", to_address=expert.email,
                        subject="Please answer the invitation", body_text="Dear Lucía", body_html="<p>Dear Lucía</p>",
                        transport="outbox", sent_at=NOW))
    db.add(Notification(user_id=expert.user_id, title="You are invited", body="Workshop on victim care",
                        created_at=NOW))
    db.flush()

    data = export_expert_data(db, expert, actor=expert.user, now=NOW)
    text = json.dumps(data)  # it is JSON as it stands

    assert data["profile"]["name"] == "Lucía Herrera" and data["profile"]["email"] == expert.email
    assert data["account"]["email"] == expert.user.email
    assert {lang["language"] for lang in data["languages"]} == {"es", "en"}
    assert data["themes"][0]["code"] == "irregular_migration_thb"
    assert data["unavailability"] == [{"start_date": "2027-01-04", "end_date": "2027-01-08", "reason": "Surgery"}]
    [exported] = data["deployments"]
    assert exported["status"] == "invited"
    assert exported["activity"]["title"] == "Workshop on victim care" and exported["action"]["name"] == action.name
    assert [h["to_status"] for h in exported["history"]] == ["proposed", "invited"]
    assert [c["notice_version"] for c in data["consents"]] == [NOTICE_VERSION]
    assert "You are invited" in {n["title"] for n in data["notifications"]}  # beside the invitation's own news
    assert data["emails"][0]["subject"] == "Please answer the invitation"
    assert data["files"] == [{"kind": "cv", "file_name": "herrera-cv.pdf", "content_type": "application/pdf"}]
    for secret in ("calendar-secret-abc", stored.stored_name, expert.user.password_hash):
        assert secret not in text
    entry = db.scalar(select(AuditEntry).where(AuditEntry.event == "data_exported"))
    assert entry.detail == {"expert_id": expert.id, "by": "expert"}


def test_only_the_expert_and_staff_may_export_an_experts_data(db, ctx, officer, requester_pe):
    expert, other = expert_with_account(db), expert_with_account(db, name="Other Expert")
    assert exportable_expert(db, expert.user, expert.id) is expert
    assert exportable_expert(db, officer, expert.id) is expert
    for outsider in (other.user, requester_pe, make_user(db, Role.MS_FOCAL_POINT, country="ES")):
        with pytest.raises(NotFound):
            exportable_expert(db, outsider, expert.id)


# --- Erasure ---------------------------------------------------------------------------------


def test_erasure_keeps_every_portfolio_figure(db, ctx, officer, action):
    woman = expert_with_account(db, name="Carmen Official", gender="female", country="ES", expert_type="ms_official")
    man = expert_with_account(db, name="Pierre Official", gender="male", country="FR", expert_type="ms_official")
    first = make_staffed_activity(db, action, officer, start=date(2026, 3, 2))
    second = make_staffed_activity(db, action, officer, start=date(2026, 5, 4))
    confirmed(db, first.slots[0], woman, officer, now=BEFORE)
    confirmed(db, second.slots[0], man, officer, now=BEFORE)
    declined(db, make_staffed_activity(db, action, officer, start=date(2027, 7, 5)).slots[0], woman, officer)
    make_activity(db, action, officer, reported=True)
    db.flush()
    before = figures(db)
    assert before["overall"]["experts"] == 2 and before["overall"]["women_officials"] == 1
    assert before["overall"]["member_states"] == 2

    erase_expert(db, woman, actor=make_user(db, Role.ADMIN), now=NOW)
    db.flush()
    db.expire_all()

    assert figures(db) == before
    assert db.scalar(select(func.count()).select_from(Deployment).where(Deployment.expert_id == woman.id)) == 2


def test_erasure_removes_the_personal_data_and_names_the_files_to_delete(db, ctx, officer, action, upload_dir):
    expert = expert_with_account(db, name="Lucía Herrera")
    old_email, old_user_email = expert.email, expert.user.email
    user = expert.user
    db.add(Unavailability(expert=expert, start_date=date(2027, 1, 4), end_date=date(2027, 1, 8), reason="Surgery"))
    cv = store_upload(io.BytesIO(PDF), str(upload_dir), 1024 * 1024)
    attach_cv(db, expert, cv.stored_name, "herrera-cv.pdf", cv.content_type, actor=officer, now=NOW)
    give_consent(db, expert, actor=user, now=NOW)
    expert.calendar_token = "calendar-secret"
    activity = make_staffed_activity(db, action, officer, start=date(2026, 11, 2))
    done = confirmed(db, activity.slots[0], expert, officer, now=datetime(2026, 10, 1, tzinfo=UTC))
    report = store_upload(io.BytesIO(PDF + b"%report"), str(upload_dir), 1024 * 1024)
    record_mission_report(db, done, "Lucía met the border police.", actor=user, now=NOW, stored_file=report.stored_name,
                          file_name="report.pdf")
    no = declined(db, make_staffed_activity(db, action, officer, start=date(2027, 4, 5)).slots[0], expert, officer,
                  reason="My daughter is born that week.")
    db.add(Notification(user_id=user.id, title="Invited", body="…", created_at=NOW))
    db.add(ApiToken(user_id=user.id, name="laptop", token_hash="f" * 64, prefix="pf_abc", created_at=NOW))
    db.flush()

    result = erase_expert(db, expert, actor=make_user(db, Role.ADMIN), now=NOW)
    db.flush()
    db.expire_all()

    assert sorted(result.files) == sorted([cv.stored_name, report.stored_name])
    expert = db.get(Expert, expert.id)
    assert expert.name == f"Erased expert #{expert.id}"
    assert expert.email == f"erased-expert-{expert.id}@erased.invalid"
    assert expert.status is ExpertStatus.INACTIVE and expert.nationality == expert.country_code
    assert (expert.cv_stored_name, expert.cv_file_name, expert.calendar_token, expert.institution_id) == (None,) * 4
    assert (expert.languages, expert.themes, expert.unavailable, expert.countries_worked) == ([], [], [], [])
    assert expert.consent_at is None
    assert db.scalar(select(Consent.withdrawn_at).where(Consent.expert_id == expert.id)) == NOW
    assert (expert.gender.value, expert.type.value) == ("female", "ms_official")  # aggregate-only, for the figures
    user = db.get(User, user.id)
    assert not user.active and user.name == expert.name and user.email.endswith("@erased.invalid")
    assert not user.check_password("correct horse battery")
    assert db.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == user.id)) == 0
    assert db.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.user_id == user.id)) == 0
    done, no = db.get(Deployment, done.id), db.get(Deployment, no.id)
    assert (done.status, done.mission_report, done.mission_report_file) == (DeploymentStatus.CONFIRMED, "[erased]", None)
    assert (no.status, no.decline_reason) == (DeploymentStatus.DECLINED, "[erased]")
    assert db.scalars(select(DeploymentTransition.reason).where(
        DeploymentTransition.deployment_id.in_([done.id, no.id]), DeploymentTransition.reason.is_not(None))).all() == []
    assert db.scalar(select(Erasure).where(Erasure.expert_id == expert.id)).files_removed == 2

    # The audit trail keeps who did what, but no longer the erased person's data.
    about = select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "expert",
                                                                 AuditEntry.object_id == expert.id)
    assert db.scalar(about) >= 3  # created, CV attached, consent mirrored, unavailability, erased…
    trail = json.dumps([[e.object_label, e.email, e.changes, e.detail] for e in db.scalars(select(AuditEntry))],
                       ensure_ascii=False)
    for personal in ("Lucía", "Herrera", old_email, old_user_email, "Surgery", "daughter", "herrera-cv.pdf"):
        assert personal not in trail
    erased = db.scalar(select(AuditEntry).where(AuditEntry.event == "expert_erased"))
    assert erased.detail == {"expert_id": expert.id, "user_id": user.id, "files_removed": 2, "deployments_kept": 2}


def test_erasure_waits_until_the_experts_upcoming_deployments_are_cancelled(db, ctx, officer, action):
    expert = expert_with_account(db)
    workshop = make_staffed_activity(db, action, officer, start=date(2027, 3, 1), title="Workshop in Lima")
    deployment = confirmed(db, workshop.slots[0], expert, officer)
    admin = make_user(db, Role.ADMIN)
    with pytest.raises(DomainError, match="1 deployment on an activity to come \\(Workshop in Lima\\)"):
        erase_expert(db, expert, actor=admin, now=NOW)
    apply_deployment_event(db, deployment, DeploymentEvent.CANCEL, actor=officer, now=NOW, reason="Erasure asked.")
    erase_expert(db, expert, actor=admin, now=NOW)
    assert expert.name.startswith("Erased expert")


def test_only_an_admin_erases_and_only_once(db, ctx, officer):
    expert = expert_with_account(db)
    with pytest.raises(DomainError, match="administrator"):
        erase_expert(db, expert, actor=officer, now=NOW)
    admin = make_user(db, Role.ADMIN)
    erase_expert(db, expert, actor=admin, now=NOW)
    with pytest.raises(DomainError, match="already erased"):
        erase_expert(db, expert, actor=admin, now=NOW)


def test_an_expert_without_an_account_is_erased_too(db, ctx):
    expert = make_expert(db, name="No Account")
    result = erase_expert(db, expert, actor=make_user(db, Role.ADMIN), now=NOW)
    assert result.files == [] and expert.name == f"Erased expert #{expert.id}"


# --- Retention -------------------------------------------------------------------------------

LONG_AGO = NOW - timedelta(days=400)


def test_the_purge_deletes_old_declined_and_expired_nominations_only_and_the_figures_stay(db, ctx, officer, action):
    expert = expert_with_account(db, name="Often Invited")
    slots = [make_staffed_activity(db, action, officer, start=date(2027, 3, 1) + timedelta(weeks=3 * i)).slots[0]
             for i in range(5)]
    old_declined = invited(db, slots[0], expert, officer, now=LONG_AGO)
    db.commit()  # the invitation's reminders are derived on commit
    apply_deployment_event(db, old_declined, DeploymentEvent.DECLINE, actor=expert.user, now=LONG_AGO, reason="No.")
    old_expired = invited(db, slots[1], expert, officer, now=LONG_AGO)
    apply_deployment_event(db, old_expired, DeploymentEvent.EXPIRE, actor=officer, now=LONG_AGO)
    recent_declined = declined(db, slots[2], expert, officer, now=NOW - timedelta(days=30))
    old_confirmed = confirmed(db, slots[3], expert, officer, now=LONG_AGO)
    old_cancelled = invited(db, slots[4], expert, officer, now=LONG_AGO)
    apply_deployment_event(db, old_cancelled, DeploymentEvent.CANCEL, actor=officer, now=LONG_AGO, reason="Budget.")
    db.commit()
    purged_ids = [old_declined.id, old_expired.id]
    assert db.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.subject_type == "deployment", Reminder.subject_id.in_(purged_ids))) > 0
    before = figures(db)

    dry = purge_declined_nominations(db, now=NOW, older_than_days=365, dry_run=True)
    assert dry.deployment_ids == purged_ids
    assert db.scalar(select(func.count()).select_from(Deployment).where(Deployment.id.in_(purged_ids))) == 2

    report = purge_declined_nominations(db, now=NOW, older_than_days=365)
    db.commit()

    assert report.deployment_ids == purged_ids and report.cutoff == NOW - timedelta(days=365)
    remaining = set(db.scalars(select(Deployment.id).where(Deployment.expert_id == expert.id)))
    assert remaining == {recent_declined.id, old_confirmed.id, old_cancelled.id}
    assert db.scalar(select(func.count()).select_from(DeploymentTransition).where(
        DeploymentTransition.deployment_id.in_(purged_ids))) == 0
    assert db.scalar(select(func.count()).select_from(Reminder).where(
        Reminder.subject_type == "deployment", Reminder.subject_id.in_(purged_ids))) == 0
    assert figures(db) == before
    assert purge_declined_nominations(db, now=NOW, older_than_days=365).deployment_ids == []  # twice is harmless


def test_after_a_purge_the_expert_can_be_proposed_again_for_the_same_slot(db, ctx, officer, action):
    expert = expert_with_account(db, name="Asked Thrice")
    slot = make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0]
    first = declined(db, slot, expert, officer, now=LONG_AGO)
    second = declined(db, slot, expert, officer, now=NOW - timedelta(days=10))
    assert (first.attempt, second.attempt) == (1, 2)

    purge_declined_nominations(db, now=NOW, older_than_days=365)
    db.flush()
    assert db.get(Deployment, second.id).attempt == 1  # the gap is closed

    third = propose(db, slot, expert, actor=officer, now=NOW)
    assert third.attempt == 2


def test_the_retention_period_must_be_positive(db, ctx):
    with pytest.raises(DomainError):
        purge_declined_nominations(db, now=NOW, older_than_days=0)


def test_the_purge_command_says_what_it_deletes_and_dry_run_keeps_it(app, db, clock, officer, action):
    with app.app_context():
        expert = expert_with_account(db, name="Declined Long Ago")
        slot = make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0]
        old = declined(db, slot, expert, officer, now=LONG_AGO)
        db.commit()
    runner = app.test_cli_runner()

    dry = runner.invoke(privacy_cli, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "1 declined or expired nominations last changed before 2025-11-23 09:00Z would be deleted." in dry.output
    with app.app_context():
        assert db.get(Deployment, old.id) is not None

    done = runner.invoke(privacy_cli, ["purge", "--days", "500"])
    assert "0 declined or expired nominations" in done.output  # 400 days old: kept under a 500-day rule
    done = runner.invoke(privacy_cli, ["purge"])
    assert done.exit_code == 0 and "1 declined or expired nominations" in done.output and "deleted." in done.output
    with app.app_context():
        db.expire_all()
        assert db.get(Deployment, old.id) is None


def test_the_scheduler_applies_the_retention_rule_every_day(app, db, clock, officer, action):
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    from workflow.privacy.commands import schedule_retention

    with app.app_context():
        expert = expert_with_account(db, name="Declined Long Ago")
        old = declined(db, make_staffed_activity(db, action, officer, start=date(2027, 3, 1)).slots[0], expert,
                       officer, now=LONG_AGO)
        db.commit()
    scheduler = BlockingScheduler(timezone="UTC")
    schedule_retention(scheduler, app)
    job = scheduler.get_job("retention")
    assert isinstance(job.trigger, CronTrigger) and str(job.trigger) == "cron[hour='3', minute='30']"

    job.func()  # what the scheduler runs at 03:30

    with app.app_context():
        assert db.get(Deployment, old.id) is None


def test_calls_proposals_and_ratings_are_exported_then_erased_with_the_expert(db, ctx, officer, action, upload_dir):
    """What was written by or about the expert around calls for experts and deployment ratings is theirs to
    see, and goes with the erasure; the answer kinds and the scores stay, tied to no one."""
    from workflow.calls.models import (
        AnswerKind,
        Call,
        CallAnswer,
        CallRecipient,
        FocalProposal,
        RecipientKind,
    )
    from workflow.evaluations.models import DeploymentRating

    expert = expert_with_account(db, name="Lucía Herrera")
    focal = make_user(db, Role.MS_FOCAL_POINT, country="ES")
    activity = make_staffed_activity(db, action, officer, start=date(2026, 11, 2))
    done = confirmed(db, activity.slots[0], expert, officer, now=datetime(2026, 10, 1, tzinfo=UTC))
    call = Call(activity_id=activity.id, message="Trainers on victim identification wanted.", answer_deadline=NOW,
                created_by_id=officer.id, created_at=BEFORE, sent_at=BEFORE)
    recipient = CallRecipient(call=call, kind=RecipientKind.EXPERT, expert_id=expert.id, created_at=BEFORE,
                              token_salt="s" * 16, token_hash="h" * 64)
    cv = store_upload(io.BytesIO(PDF), str(upload_dir), 1024 * 1024)
    db.add_all([call, recipient, CallAnswer(
        recipient=recipient, answer=AnswerKind.INTERESTED, note="Free after my surgery in March.",
        cv_stored_name=cv.stored_name, cv_file_name="herrera-cv-2026.pdf", cv_content_type=cv.content_type,
        answered_at=BEFORE, updated_at=BEFORE)])
    db.flush()
    db.add_all([FocalProposal(call_id=call.id, focal_point_id=focal.id, expert_id=expert.id,
                              note="Lucía led our THB unit for six years.", created_at=BEFORE),
                DeploymentRating(deployment_id=done.id, score=4, note="Lucía prepared the training well.",
                                 rated_by_id=officer.id, rated_at=NOW)])
    db.flush()

    data = export_expert_data(db, expert, actor=expert.user, now=NOW)
    assert data["calls"][0]["answer"]["note"] == "Free after my surgery in March."
    assert data["proposals"] == [{"call_id": call.id, "note": "Lucía led our THB unit for six years.",
                                  "created_at": BEFORE.isoformat()}]
    assert [(r["score"], r["note"]) for r in data["ratings"]] == [(4, "Lucía prepared the training well.")]
    assert {"kind": "call_answer_cv", "call_id": call.id, "file_name": "herrera-cv-2026.pdf"} in data["files"]
    assert cv.stored_name not in json.dumps(data)  # the file's stored (random) name is never exported

    result = erase_expert(db, expert, actor=make_user(db, Role.ADMIN), now=NOW)
    db.flush()
    db.expire_all()
    assert cv.stored_name in result.files
    answer = db.scalar(select(CallAnswer))
    assert (answer.answer, answer.note, answer.cv_stored_name, answer.cv_file_name) == (
        AnswerKind.INTERESTED, "[erased]", None, None)
    assert db.scalar(select(FocalProposal.note)) == "[erased]"
    assert db.get(CallRecipient, recipient.id).token_hash is None  # the e-mailed answer link is dead
    rating = db.scalar(select(DeploymentRating))
    assert (rating.score, rating.note) == (4, "[erased]")
