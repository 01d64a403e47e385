"""`flask --app workflow backup create|restore`: the archive of workflow/ops/backup.py from the command line."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db
from .backup import DATABASE_ERRORS, BackupError, create_backup, restore_backup

backup_cli = AppGroup("backup", help="Backups of the database and the uploaded files.")


@contextmanager
def _as_command_error(database_problem: str) -> Iterator[None]:
    """A refused archive or an unusable database as the command's one-line error, not a traceback."""
    try:
        yield
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    except DATABASE_ERRORS as error:
        raise click.ClickException(f"{database_problem}: {error}") from None


@backup_cli.command("create")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup_create(path: Path) -> None:
    """Write the database and UPLOAD_DIR to the archive PATH (.tar.gz)."""
    config = current_app.config
    with _as_command_error("The database could not be read"):
        manifest = create_backup(config["DATABASE_URL"], config["UPLOAD_DIR"], path, now=datetime.now(UTC))
    click.echo(f"Backup written to {path}: {manifest['database']['kind']} at revision {manifest['alembic_revision']}, "
               f"{sum(manifest['row_counts'].values())} rows in {len(manifest['row_counts'])} tables, "
               f"{len(manifest['files'])} uploaded files.")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Replace a database or UPLOAD_DIR that already holds data.")
def backup_restore(path: Path, force: bool) -> None:
    """Restore the archive PATH into the configured database and UPLOAD_DIR, then check it."""
    config = current_app.config
    db.session.remove()
    db.engine_of(current_app).dispose()  # no pooled connection holds the old database open
    with _as_command_error("The configured database could not be used"):
        report = restore_backup(config["DATABASE_URL"], config["UPLOAD_DIR"], path, force=force)
    click.echo(f"Restored and checked: {report['rows']} rows in {report['tables']} tables, {report['files']} files, "
               f"revision {report['alembic_revision']}. Run `flask --app workflow db upgrade` if this Peerflow "
               "is newer than the backup.")
