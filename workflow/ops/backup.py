"""Backups: the database and the uploads folder in one archive, and restoring it, checked both ways.

The archive (a .tar.gz, readable only by its owner) holds:
- `manifest.json`: format and version, when it was made, the database kind, its Alembic revision,
  the rows of every table, and every file with its size and SHA-256;
- `database.sqlite3`, a copy made with SQLite's online backup API (consistent while the app runs), or
  `database.dump`, PostgreSQL's custom format from `pg_dump`, taken in the snapshot the rows were
  counted in;
- `uploads/…`, every file under UPLOAD_DIR, copied after the database (a file the database names was
  stored before the row that names it was committed).

Restoring checks the archive against its manifest before touching anything, refuses a database that
already holds rows (unless forced), then counts the rows and hashes the files again.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Connection, func, inspect, select, table, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

FORMAT = "peerflow-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
UPLOADS = "uploads"
CHUNK = 1024 * 1024
VERSION_TABLE = "alembic_version"
# What an unreachable or unreadable database raises (a wrong URL, a server down, a file that is not SQLite).
DATABASE_ERRORS = (SQLAlchemyError, sqlite3.Error)


class BackupError(Exception):
    """A backup or restore refused or failed; the message says why and what to do."""


# --- Small pieces ----------------------------------------------------------------------------


def database_kind(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in DATABASE_FILES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {backend}.")
    return backend


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _entry(path: Path, name: str) -> dict[str, Any]:
    return {"path": name, "size": path.stat().st_size, "sha256": sha256_of(path)}


def _whoami() -> str:
    import pwd

    try:
        return pwd.getpwuid(os.geteuid()).pw_name
    except KeyError:
        return f"user {os.geteuid()}"


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up or restored.")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI for pg_dump/pg_restore, the password passed in the environment (not on the command line)."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    return parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False), env


def _run(command: list[str], env: dict[str, str]) -> None:
    binary = shutil.which(command[0])
    if binary is None:
        raise BackupError(f"{command[0]} was not found; install the PostgreSQL client (postgresql-client).")
    done = subprocess.run([binary, *command[1:]], env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


def _sqlite_facts(path: Path) -> tuple[dict[str, int], str | None]:
    """Rows per table and the Alembic revision of a SQLite file, read with the plain driver (no pragmas)."""
    connection = sqlite3.connect(path)
    try:
        names = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        counts = {name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
        revision = (connection.execute(f"SELECT version_num FROM {VERSION_TABLE}").fetchone() or (None,))[0] \
            if VERSION_TABLE in counts else None
    finally:
        connection.close()
    return counts, revision


def _sa_facts(connection: Connection) -> tuple[dict[str, int], str | None]:
    names = sorted(inspect(connection).get_table_names())
    counts = {name: connection.scalar(select(func.count()).select_from(table(name))) or 0 for name in names}
    revision = connection.scalar(text(f"SELECT version_num FROM {VERSION_TABLE}")) if VERSION_TABLE in counts else None
    return counts, revision


def _upload_files(upload_dir: Path) -> list[tuple[Path, str]]:
    """Every kept file under UPLOAD_DIR with its name in the archive; unfinished uploads are left out."""
    if not upload_dir.is_dir():
        return []
    return [(path, f"{UPLOADS}/{path.relative_to(upload_dir).as_posix()}") for path in sorted(upload_dir.rglob("*"))
            if path.is_file() and not path.name.startswith(".partial-")]


def _app_version() -> str | None:
    try:
        return importlib.metadata.version("peerflow")
    except importlib.metadata.PackageNotFoundError:
        return None


# --- Create ----------------------------------------------------------------------------------


def _dump_database(url: str, kind: str, target: Path) -> tuple[dict[str, int], str | None]:
    if kind == "sqlite":
        source_path = _sqlite_path(url)
        if not source_path.is_file():
            raise BackupError(f"The SQLite database {source_path} does not exist.")
        source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: a consistent copy while others write
        finally:
            copy.close()
            source.close()
        return _sqlite_facts(target)
    from ..database import make_engine

    dsn, env = _libpq(url)
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ")
            with connection.begin():
                # pg_dump reads the very snapshot the rows are counted in.
                snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
                _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={target}", f"--dbname={dsn}"],
                     env)
                return _sa_facts(connection)
    finally:
        engine.dispose()


def create_backup(url: str, upload_dir: str | Path, archive: str | Path, *, now: datetime) -> dict[str, Any]:
    """Write the database and the uploads to `archive`; return the manifest."""
    kind = database_kind(url)
    archive = Path(archive)
    if archive.exists():
        raise BackupError(f"{archive} already exists; choose another name (a backup never overwrites a file).")
    try:
        archive.parent.mkdir(parents=True, exist_ok=True)
        workspace = tempfile.TemporaryDirectory(prefix=".peerflow-backup-", dir=archive.parent)
    except PermissionError:
        raise BackupError(f"Cannot write in {archive.parent} as {_whoami()}: back up into a directory that user "
                          "owns (in production /var/lib/peerflow/backups, which deploy/peerflow-backup.service "
                          "creates), then copy the archive elsewhere.") from None
    with workspace as work:
        database_file = Path(work) / DATABASE_FILES[kind]
        counts, revision = _dump_database(url, kind, database_file)
        files = _upload_files(Path(upload_dir))
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION, "created_at": now.isoformat(),
            "peerflow_version": _app_version(), "alembic_revision": revision,
            "database": {"kind": kind, **_entry(database_file, DATABASE_FILES[kind])},
            "row_counts": counts,
            "files": [_entry(path, name) for path, name in files],
        }
        partial = archive.with_name(f".{archive.name}.partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)  # it holds personal data
        try:
            with os.fdopen(descriptor, "wb") as out, tarfile.open(fileobj=out, mode="w:gz") as tar:
                body = json.dumps(manifest, indent=2, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(body), int(now.timestamp()), 0o600
                tar.addfile(info, io.BytesIO(body))
                tar.add(database_file, arcname=DATABASE_FILES[kind], recursive=False)
                for path, name in files:
                    tar.add(path, arcname=name, recursive=False)
            os.replace(partial, archive)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- Restore ---------------------------------------------------------------------------------


def _allowed_member(member: tarfile.TarInfo, database_file: str) -> bool:
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts:
        return False
    if member.isdir():
        return path.parts[0] == UPLOADS
    return member.isfile() and (member.name in (MANIFEST, database_file)
                                or (path.parts[0] == UPLOADS and len(path.parts) > 1))


@contextmanager
def _unpacked(archive: Path, kind: str) -> Iterator[tuple[dict[str, Any], Path]]:
    """The archive's manifest and a directory holding its verified content."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    with tempfile.TemporaryDirectory(prefix=".peerflow-restore-") as work:
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                manifest = _read_manifest(tar)
                if manifest["database"]["kind"] != kind:
                    raise BackupError(f"This backup holds a {manifest['database']['kind']} database; the configured "
                                      f"database is {kind}. Restore it into a {manifest['database']['kind']} "
                                      f"database (DATABASE_URL).")
                members = tar.getmembers()
                strange = [m.name for m in members if not _allowed_member(m, manifest["database"]["path"])]
                if strange:
                    raise BackupError(f"The archive holds unexpected entries ({', '.join(strange[:5])}); "
                                      "it is not a Peerflow backup.")
                tar.extractall(work, members=members, filter="data")
        except (tarfile.TarError, EOFError, zlib.error, OSError, UnicodeDecodeError) as error:
            raise BackupError(f"{archive} is not a readable Peerflow backup, or it is damaged ({error}).") from None
        try:
            _verify_files(Path(work), manifest)
        except (KeyError, TypeError, AttributeError):
            raise BackupError("The backup's manifest is malformed; the archive is damaged.") from None
        yield manifest, Path(work)


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = tar.getmember(MANIFEST)
        manifest = json.load(tar.extractfile(member))  # type: ignore[arg-type]
    except (KeyError, json.JSONDecodeError, TypeError):
        raise BackupError("The archive has no readable manifest.json; it is not a Peerflow backup.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("The archive's manifest is not a Peerflow backup manifest.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"This backup is of format version {manifest.get('format_version')}; this Peerflow reads "
                          f"version {FORMAT_VERSION}.")
    for key in ("database", "row_counts", "files", "alembic_revision"):
        if key not in manifest:
            raise BackupError(f"The backup's manifest lacks {key!r}; the archive is damaged.")
    database = manifest["database"]
    if not isinstance(database, dict) or DATABASE_FILES.get(database.get("kind")) != database.get("path"):
        raise BackupError("The backup's manifest does not say which database it holds; the archive is damaged.")
    return manifest


def _verify_files(root: Path, manifest: dict[str, Any]) -> None:
    """Every file the manifest lists is there with its size and checksum, and nothing else is."""
    expected = [manifest["database"], *manifest["files"]]
    found = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()} - {MANIFEST}
    missing = [e["path"] for e in expected if e["path"] not in found]
    extra = sorted(found - {e["path"] for e in expected})
    if missing or extra:
        raise BackupError(f"The archive does not match its manifest (missing: {missing[:5]}, unlisted: {extra[:5]}); "
                          "it is damaged.")
    for entry in expected:
        path = root / entry["path"]
        if path.stat().st_size != entry["size"] or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"{entry['path']} does not match its checksum in the manifest; the archive is damaged.")


@lru_cache(maxsize=1)
def known_revisions() -> frozenset[str]:
    """The schema revisions this code's migrations know (read once per process: they do not change under it)."""
    from alembic.script import ScriptDirectory

    from .migrations import alembic_config

    return frozenset(script.revision for script in ScriptDirectory.from_config(alembic_config("sqlite://"))
                     .walk_revisions())


def _check_revision(revision: str | None) -> None:
    """The backup's schema must be one this code knows (a newer Peerflow's backup is refused)."""
    if revision is None:
        return
    if revision not in known_revisions():
        raise BackupError(f"The backup's schema revision {revision} is unknown to this Peerflow; restore it with "
                          "the version that made it.")


def _current_facts(url: str, kind: str) -> tuple[dict[str, int], str | None]:
    if kind == "sqlite":
        path = _sqlite_path(url)
        return _sqlite_facts(path) if path.exists() else ({}, None)
    from ..database import make_engine

    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return _sa_facts(connection)
    finally:
        engine.dispose()


def _load_database(url: str, kind: str, dump: Path) -> None:
    if kind == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        source, destination = sqlite3.connect(dump), sqlite3.connect(target, timeout=30)
        try:
            source.backup(destination)  # replaces every page of the target, under SQLite's own lock
        finally:
            destination.close()
            source.close()
        return
    dsn, env = _libpq(url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error",
          f"--dbname={dsn}", str(dump)], env)


def _load_uploads(root: Path, manifest: dict[str, Any], upload_dir: Path) -> None:
    """Make UPLOAD_DIR hold exactly the backup's files (each copied in whole, then renamed into place)."""
    upload_dir.mkdir(parents=True, exist_ok=True)
    wanted = {entry["path"] for entry in manifest["files"]}
    for path, name in _upload_files(upload_dir):
        if name not in wanted:
            path.unlink()
    for name in sorted(wanted):
        target = upload_dir / PurePosixPath(name).relative_to(UPLOADS)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".partial-restore-{target.name}")
        shutil.copyfile(root / name, partial)
        os.replace(partial, target)


def restore_backup(url: str, upload_dir: str | Path, archive: str | Path, *, force: bool = False) -> dict[str, Any]:
    """Restore `archive` into the configured database and UPLOAD_DIR, then check rows and files against it."""
    kind, upload_dir = database_kind(url), Path(upload_dir)
    with _unpacked(Path(archive), kind) as (manifest, root):
        _check_revision(manifest["alembic_revision"])
        counts, _revision = _current_facts(url, kind)
        rows = sum(n for name, n in counts.items() if name != VERSION_TABLE)
        files = len(_upload_files(upload_dir))
        if (rows or files) and not force:
            raise BackupError(f"The configured database holds {rows} rows and UPLOAD_DIR {files} files; restoring "
                              "would replace them. Restore into an empty database, or add --force.")
        _load_database(url, kind, root / manifest["database"]["path"])
        _load_uploads(root, manifest, upload_dir)
    return verify_restore(url, upload_dir, manifest)


def verify_restore(url: str, upload_dir: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Compare the restored rows and files with the manifest; raise on any difference."""
    counts, revision = _current_facts(url, database_kind(url))
    differing = {name: (n, counts.get(name)) for name, n in manifest["row_counts"].items() if counts.get(name) != n}
    if differing or revision != manifest["alembic_revision"]:
        raise BackupError(f"The restored database differs from the backup: rows (expected, found) {differing}, "
                          f"revision {revision} (expected {manifest['alembic_revision']}).")
    for entry in manifest["files"]:
        path = upload_dir / PurePosixPath(entry["path"]).relative_to(UPLOADS)
        if not path.is_file() or sha256_of(path) != entry["sha256"]:
            raise BackupError(f"The restored file {entry['path']} is missing or differs from the backup.")
    return {"tables": len(counts), "rows": sum(manifest["row_counts"].values()), "files": len(manifest["files"]),
            "alembic_revision": revision}
