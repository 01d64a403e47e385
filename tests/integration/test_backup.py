"""`backup create` and `backup restore` on the configured kind of database (SQLite, or PostgreSQL with
DATABASE_URL): a backup restored into an empty database holds every row and every file; a damaged
archive, a backup of the other kind of database and a non-empty target are refused with a reason."""

from __future__ import annotations

import io
import json
import shutil
import tarfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from config import Config
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.actions.lifecycle import ActionStatus
from workflow.core.uploads import store_upload
from workflow.deployments.lifecycle import DeploymentEvent
from workflow.deployments.models import Deployment
from workflow.deployments.services import apply_deployment_event, propose
from workflow.experts.models import Expert
from workflow.experts.services import attach_cv
from workflow.extensions import db as database
from workflow.ops.backup import MANIFEST
from workflow.reference.services import ensure_reference_data

from ..conftest import CHEAP_PASSWORD_HASHING
from ..dbsetup import IN_CI, build_schema
from ..factories import T0, make_action, make_expert, make_institution, make_staffed_activity, make_user

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _postgres(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


class Scratch:
    """Throw-away databases beside the test database: SQLite files, or PostgreSQL databases."""

    def __init__(self, database_url: str, directory: Path) -> None:
        self.base, self.directory, self.made = make_url(database_url), directory, []

    def url(self, suffix: str) -> str:
        if not _postgres(self.base.render_as_string(hide_password=False)):
            return f"sqlite:///{self.directory / (suffix + '.db')}"
        name = f"{self.base.database}_{suffix}"
        with self._admin() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        self.made.append(name)
        return self.base.set(database=name).render_as_string(hide_password=False)

    def _admin(self):
        engine = create_engine(self.base, isolation_level="AUTOCOMMIT")
        return _closing(engine)

    def drop_all(self) -> None:
        if self.made:
            with self._admin() as connection:
                for name in self.made:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class _closing:
    def __init__(self, engine) -> None:
        self.engine = engine

    def __enter__(self):
        self.connection = self.engine.connect()
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.close()
        self.engine.dispose()


def make_app(url: str, upload_dir: Path) -> Flask:
    return create_app(Config(TESTING=True, DATABASE_URL=url, SECRET_KEY="test", UPLOAD_DIR=str(upload_dir),
                             ENV_NAME="testing", PASSWORD_HASH_PARAMETERS=CHEAP_PASSWORD_HASHING))


def counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {name: connection.scalar(select(func.count()).select_from(table(name)))
                    for name in sorted(inspect(connection).get_table_names())}
    finally:
        engine.dispose()


@dataclass
class Source:
    url: str
    uploads: Path
    archive: Path
    app: Flask
    expert_id: int
    cv_stored_name: str
    deployment_id: int


def fill(app: Flask, uploads: Path) -> tuple[int, str, int]:
    """A little of everything: reference data, users, an Action with a staffed activity, an expert with a CV
    and a deployment (with its reminders and audit entries), two uploaded files."""
    with app.app_context():
        session = database.session
        ensure_reference_data(session)
        officer = make_user(session, Role.OFFICER, email="officer@backup.test")
        action = make_action(session, officer, status=ActionStatus.IMPLEMENTATION,
                             beneficiary=make_institution(session, "PE", name="Ministerio del Interior"))
        activity = make_staffed_activity(session, action, officer, start=date(2027, 3, 1))
        expert = make_expert(session, name="Lucía Herrera", user=make_user(session, Role.EXPERT))
        other = make_expert(session, name="Otto Backup")
        for who, content in ((expert, PDF), (other, PDF + b"%other")):
            stored = store_upload(io.BytesIO(content), str(uploads), 1024 * 1024)
            attach_cv(session, who, stored.stored_name, f"{who.name}.pdf", stored.content_type, actor=officer, now=T0)
        deployment = propose(session, activity.slots[0], expert, actor=officer, now=T0)
        apply_deployment_event(session, deployment, DeploymentEvent.INVITE, actor=officer, now=T0)
        session.commit()
        result = expert.id, expert.cv_stored_name, deployment.id
        session.remove()
    database.engine_of(app).dispose()
    return result


@pytest.fixture(scope="module")
def scratch(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scratch]:
    if _postgres(database_url) and (shutil.which("pg_dump") is None or shutil.which("pg_restore") is None):
        if IN_CI:
            pytest.fail("pg_dump and pg_restore are needed to test PostgreSQL backups")
        pytest.skip("pg_dump/pg_restore are not installed")
    made = Scratch(database_url, tmp_path_factory.mktemp("backup-db"))
    yield made
    made.drop_all()


@pytest.fixture(scope="module")
def source(scratch: Scratch, tmp_path_factory: pytest.TempPathFactory) -> Source:
    url = scratch.url("backup_src")
    build_schema(url).dispose()
    uploads = tmp_path_factory.mktemp("source-uploads")
    app = make_app(url, uploads)
    expert_id, cv, deployment_id = fill(app, uploads)
    archive = tmp_path_factory.mktemp("archives") / "peerflow-backup.tar.gz"
    result = app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
    assert result.exit_code == 0, result.output
    assert "Backup written to" in result.output
    return Source(url, uploads, archive, app, expert_id, cv, deployment_id)


def restore(url: str, uploads: Path, archive: Path, *extra: str):
    app = make_app(url, uploads)
    result = app.test_cli_runner().invoke(args=["backup", "restore", str(archive), *extra])
    database.engine_of(app).dispose()
    return result


def repack(archive: Path, target: Path, change) -> Path:
    """A copy of `archive` with `change(name, data) -> data` applied to each member."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read() if member.isfile() else None
            if data is not None:
                data = change(member.name, data)
                member.size = len(data)
            out.addfile(member, io.BytesIO(data) if data is not None else None)
    return target


# --- The round trip ----------------------------------------------------------------------------


def test_a_backup_restored_into_an_empty_database_has_every_row_and_file(source, scratch, tmp_path):
    with tarfile.open(source.archive, "r:gz") as tar:
        manifest = json.load(tar.extractfile(MANIFEST))
    assert manifest["database"]["kind"] == make_url(source.url).get_backend_name()
    assert manifest["row_counts"] == counts(source.url)
    assert manifest["row_counts"]["experts"] == 2 and manifest["row_counts"]["deployments"] == 1
    assert {f["path"] for f in manifest["files"]} == {f"uploads/{p.name}" for p in source.uploads.iterdir()}
    assert source.archive.stat().st_mode & 0o077 == 0  # personal data: readable by its owner only

    empty_url, uploads = scratch.url("backup_restore"), tmp_path / "restored-uploads"
    result = restore(empty_url, uploads, source.archive)
    assert result.exit_code == 0, result.output
    assert "Restored and checked" in result.output

    assert counts(empty_url) == counts(source.url)
    assert sum(counts(empty_url).values()) > 100  # the reference data too
    for original in source.uploads.iterdir():
        assert (uploads / original.name).read_bytes() == original.read_bytes()
    app = make_app(empty_url, uploads)
    with app.app_context():
        session = database.session
        expert = session.get(Expert, source.expert_id)
        assert (expert.name, expert.cv_stored_name, expert.cv_file_name) == (
            "Lucía Herrera", source.cv_stored_name, "Lucía Herrera.pdf")
        assert session.get(Deployment, source.deployment_id).status.value == "invited"
        assert session.scalar(select(User.email).where(User.role == Role.OFFICER)) == "officer@backup.test"
        assert expert.created_at == T0  # times come back aware and equal
        session.remove()
    database.engine_of(app).dispose()


# --- Refusals --------------------------------------------------------------------------------


def test_restore_refuses_a_database_that_holds_data_unless_forced(source, tmp_path):
    refused = restore(source.url, tmp_path / "uploads", source.archive)
    assert refused.exit_code != 0
    assert "holds" in refused.output and "add --force" in refused.output
    before = counts(source.url)

    forced = restore(source.url, tmp_path / "uploads", source.archive, "--force")
    assert forced.exit_code == 0, forced.output
    assert counts(source.url) == before


def test_restore_refuses_a_damaged_archive_and_changes_nothing(source, scratch, tmp_path):
    target_url, uploads = scratch.url("backup_damaged"), tmp_path / "uploads"

    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(source.archive.read_bytes()[: source.archive.stat().st_size // 2])
    result = restore(target_url, uploads, truncated)
    assert result.exit_code != 0 and "is not a readable Peerflow backup, or it is damaged" in result.output

    tampered = repack(source.archive, tmp_path / "tampered.tar.gz",
                      lambda name, data: data + b"%tampered" if name.startswith("uploads/") else data)
    result = restore(target_url, uploads, tampered)
    assert result.exit_code != 0 and "does not match its checksum in the manifest" in result.output

    not_ours = tmp_path / "not-ours.tar.gz"
    with tarfile.open(not_ours, "w:gz") as tar:
        info = tarfile.TarInfo("notes.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    result = restore(target_url, uploads, not_ours)
    assert result.exit_code != 0 and "no readable manifest.json" in result.output

    assert sum(counts(target_url).values()) == 0 and not any(uploads.glob("*"))


def test_restore_refuses_a_backup_of_the_other_kind_of_database(source, scratch, tmp_path):
    kind = make_url(source.url).get_backend_name()
    other, other_file = ("postgresql", "database.dump") if kind == "sqlite" else ("sqlite", "database.sqlite3")

    def relabel(name: str, data: bytes) -> bytes:
        if name != MANIFEST:
            return data
        manifest = json.loads(data)
        manifest["database"].update(kind=other, path=other_file)
        return json.dumps(manifest).encode()

    relabelled = repack(source.archive, tmp_path / "other-kind.tar.gz", relabel)
    result = restore(scratch.url("backup_kind"), tmp_path / "uploads", relabelled)
    assert result.exit_code != 0
    assert f"This backup holds a {other} database; the configured database is {kind}." in result.output


def test_create_never_overwrites_a_file(source):
    result = source.app.test_cli_runner().invoke(args=["backup", "create", str(source.archive)])
    assert result.exit_code != 0 and "already exists" in result.output
