"""The scheduler process (`flask --app workflow scheduler`): what runs every minute and every day.

Every minute (SCHEDULER_INTERVAL_SECONDS), a dispatch pass of due reminders (the weekly digests are reminders too), one of the
notifications' e-mails due (those sent at once, and the daily digests whose hour has come) and a
delivery pass of the calls for experts not yet e-mailed; daily at 03:30 UTC, the retention rule. The durable
state is in the rows, so APScheduler's in-memory job store will do, and a pass that fails is logged and
simply runs again a minute later.

On PostgreSQL, run one such process per machine if you like, or two for safety: each e-mail is claimed in
its row before it is sent (`FOR UPDATE SKIP LOCKED`, mail/outbox.py), so each goes out once; a claim left
by a scheduler that died is taken over after OUTBOX_STALE_CLAIM_SECONDS; the daily retention job takes an
advisory lock (ops/locks.py). tests/e2e/test_two_nodes.py runs two at once and kills one. On SQLite, one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app

from .extensions import db

if TYPE_CHECKING:
    from apscheduler.schedulers.blocking import BlockingScheduler


def _outbox_pass(what: str, dispatch) -> None:
    """One pass of an outbox (`dispatch`: its dispatch function) with the app's mail settings, saying what
    happened."""
    from .mail.mailer import mailer_from_config

    config = current_app.config
    report = dispatch(db.session, now=datetime.now(UTC), mailer=mailer_from_config(config),
                      base_url=config["PEERFLOW_BASE_URL"])
    db.session.remove()
    if report.sent or report.failed or report.retrying or report.cancelled:
        click.echo(f"{datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z {what}: {report.sent} sent, {report.retrying} to retry, "
                   f"{report.failed} failed, {report.cancelled} no longer needed.")
    for error in report.errors[:5]:
        click.echo(f"  error: {error}", err=True)


def dispatch_pass() -> None:
    """Send the reminders due now."""
    from .reminders.dispatch import dispatch_due_reminders

    _outbox_pass("reminders", dispatch_due_reminders)


def notifications_pass() -> None:
    """Send the notifications' e-mails due now (at once, or in the digests whose hour has come)."""
    from .notifications.dispatch import dispatch_notifications

    _outbox_pass("notifications", dispatch_notifications)


def every_minute(app: Flask) -> None:
    """One minute's work: the reminders due, the notifications' e-mails, then the calls' e-mails; one
    failing never stops the others."""
    with app.app_context():
        for name, one_pass in (("reminder dispatch", dispatch_pass), ("notification dispatch", notifications_pass)):
            try:
                one_pass()
            except Exception as error:  # noqa: BLE001 - one failed pass must not stop the scheduler
                app.logger.exception("%s failed: %s", name, error)
                db.session.remove()
        try:
            from .calls.delivery import deliver_from_app

            deliver_from_app(db.session, now=datetime.now(UTC))  # calls for experts not yet e-mailed
        except Exception as error:  # noqa: BLE001 - one failed pass must not stop the scheduler
            app.logger.exception("call delivery failed: %s", error)
        finally:
            db.session.remove()


def build_scheduler(app: Flask) -> BlockingScheduler:
    """The scheduler with its jobs, not yet started: the minute's passes (the first at once) and retention."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from .privacy.commands import schedule_retention

    scheduler = BlockingScheduler(timezone="UTC", job_defaults={"coalesce": True, "max_instances": 1,
                                                                "misfire_grace_time": None})
    scheduler.add_job(every_minute, "interval", args=[app], seconds=app.config["SCHEDULER_INTERVAL_SECONDS"],
                      id="dispatch", next_run_time=datetime.now(UTC))
    schedule_retention(scheduler, app)  # daily: declined nominations past RETENTION_DECLINED_DAYS
    return scheduler


def run(app: Flask) -> None:
    """Run the scheduler in this process until Ctrl-C or a stop signal."""
    scheduler = build_scheduler(app)
    seconds = app.config["SCHEDULER_INTERVAL_SECONDS"]
    every = "every minute" if seconds == 60 else f"every {seconds} s"
    click.echo(f"Peerflow scheduler: dispatching due reminders {every}, applying the retention rule daily at "
               "03:30 UTC (Ctrl-C stops it).")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
