"""`flask --app workflow privacy …`, and the scheduler's daily retention job."""

from __future__ import annotations

from typing import Any

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from ..core.web import now
from ..extensions import db
from ..ops.locks import take_job_lock
from .services import PurgeReport, purge_declined_nominations

privacy_cli = AppGroup("privacy", help="Privacy: the retention rule.")


def purge_once(*, dry_run: bool = False, days: int | None = None) -> PurgeReport:
    """One pass of the retention rule, committed unless it is a dry run."""
    report = purge_declined_nominations(db.session, now=now(), dry_run=dry_run,
                                        older_than_days=days or current_app.config["RETENTION_DECLINED_DAYS"])
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    return report


@privacy_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be deleted.")
@click.option("--days", type=click.IntRange(min=1), help="Override RETENTION_DECLINED_DAYS for this run.")
def purge(dry_run: bool, days: int | None) -> None:
    """Delete declined and expired nominations older than the retention period."""
    report = purge_once(dry_run=dry_run, days=days)
    verb = "would be deleted" if dry_run else "deleted"
    click.echo(f"{len(report.deployment_ids)} declined or expired nominations last changed before "
               f"{report.cutoff:%Y-%m-%d %H:%M}Z {verb}.")


def schedule_retention(scheduler: Any, app: Flask) -> None:
    """Add the daily retention pass to the scheduler (03:30 UTC); a missed day is caught up once. With several
    schedulers, one applies it and the others skip (an advisory lock for its transaction)."""

    def job() -> None:
        with app.app_context():
            try:
                if not take_job_lock(db.session, "retention"):  # another scheduler is applying it right now
                    db.session.rollback()
                    return
                report = purge_once()
                if report.deployment_ids:
                    app.logger.info("retention: %d declined or expired nominations deleted",
                                    len(report.deployment_ids))
            except Exception as error:  # noqa: BLE001 - one failed pass must not stop the scheduler
                app.logger.exception("retention purge failed: %s", error)
            finally:
                db.session.remove()

    scheduler.add_job(job, "cron", hour=3, minute=30, id="retention")
