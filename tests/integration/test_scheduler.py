"""The scheduler process (workflow/scheduler.py): its jobs, its minute's work, and `flask scheduler`."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from workflow import scheduler
from workflow.calls import delivery


def test_the_passes_run_every_minute_from_the_start_and_retention_daily(app):
    before = datetime.now(UTC)
    jobs = {job.id: job for job in scheduler.build_scheduler(app).get_jobs()}

    assert set(jobs) == {"dispatch", "retention"}
    minute = jobs["dispatch"]
    assert isinstance(minute.trigger, IntervalTrigger) and minute.trigger.interval == timedelta(minutes=1)
    assert minute.func is scheduler.every_minute and minute.args == (app,)
    assert before <= minute.next_run_time <= datetime.now(UTC)  # the first pass at once, not a minute later
    assert isinstance(jobs["retention"].trigger, CronTrigger)


def test_a_failed_reminder_pass_does_not_stop_the_calls_being_delivered(app, monkeypatch, caplog):
    done = []

    def failing() -> None:
        done.append("reminders")
        raise RuntimeError("SMTP down")

    monkeypatch.setattr(scheduler, "dispatch_pass", failing)
    monkeypatch.setattr(delivery, "deliver_from_app", lambda session, now: done.append("calls"))

    with caplog.at_level(logging.ERROR):
        scheduler.every_minute(app)

    assert done == ["reminders", "calls"]
    assert "reminder dispatch failed: SMTP down" in caplog.text


def test_a_failed_call_delivery_is_logged_and_the_minute_ends(app, monkeypatch, caplog):
    monkeypatch.setattr(scheduler, "dispatch_pass", lambda: None)

    def failing(session, now) -> None:
        raise RuntimeError("no route to host")

    monkeypatch.setattr(delivery, "deliver_from_app", failing)

    with caplog.at_level(logging.ERROR):
        scheduler.every_minute(app)  # does not raise: the next minute tries again

    assert "call delivery failed: no route to host" in caplog.text


def test_the_scheduler_command_starts_the_process_and_ctrl_c_stops_it(app, monkeypatch):
    started = []

    def start(self: BlockingScheduler) -> None:
        started.append(sorted(job.id for job in self.get_jobs()))
        raise KeyboardInterrupt

    monkeypatch.setattr(BlockingScheduler, "start", start)

    with app.app_context():  # as `flask` pushes it for every command
        result = app.test_cli_runner().invoke(args=["scheduler"])

    assert result.exit_code == 0, result.output
    assert started == [["dispatch", "retention"]]
    assert result.output.startswith("Peerflow scheduler: dispatching due reminders every minute")
