"""Several schedulers at once (issue #22): the daily retention job runs on one of them, and the outbox's
stale-claim age and the scheduler's interval come from the settings."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session

from workflow import scheduler
from workflow.mail.outbox import STALE_CLAIM, stale_claim
from workflow.ops.locks import lock_key, take_job_lock
from workflow.privacy import commands


def test_only_one_transaction_holds_a_job_lock_until_it_ends(engine):
    with Session(engine) as first, Session(engine) as second:
        assert take_job_lock(first, "retention")
        if engine.dialect.name != "postgresql":
            assert take_job_lock(second, "retention")  # SQLite: one machine, its write lock is the lock
            return
        assert not take_job_lock(second, "retention")  # held by the first transaction
        assert take_job_lock(second, "another job")  # each job has its own lock
        second.rollback()
        first.commit()  # the lock ends with the transaction that took it
        assert take_job_lock(second, "retention")
        second.rollback()


def test_a_lock_number_is_the_same_in_every_process():
    assert lock_key("retention") == 763301516  # crc32: not Python's hash(), which differs per process


def test_the_retention_job_skips_when_another_scheduler_holds_the_lock(app, engine, monkeypatch):
    if engine.dialect.name != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite runs one scheduler")
    ran = []
    monkeypatch.setattr(commands, "purge_once", lambda: ran.append(True) or commands.PurgeReport(None, [], False))
    jobs = {job.id: job for job in scheduler.build_scheduler(app).get_jobs()}
    with Session(engine) as other:
        assert take_job_lock(other, "retention")  # another scheduler is applying the rule right now
        jobs["retention"].func()
        assert ran == []
        other.rollback()
    jobs["retention"].func()
    assert ran == [True]


def test_the_interval_and_the_stale_claim_age_come_from_the_settings(app, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_INTERVAL_SECONDS", 5)
    monkeypatch.setitem(app.config, "OUTBOX_STALE_CLAIM_SECONDS", 30)
    jobs = {job.id: job for job in scheduler.build_scheduler(app).get_jobs()}
    assert jobs["dispatch"].trigger.interval == timedelta(seconds=5)
    assert stale_claim() == STALE_CLAIM  # no app: the built-in ten minutes
    with app.app_context():
        assert stale_claim() == timedelta(seconds=30)
