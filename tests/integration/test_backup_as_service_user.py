"""`backup create` and `backup restore` run as the service user, in the production layout (README "Running
in production", deploy/peerflow-backup.service): the state directory, the uploads and the backups folder
belong to that user, mode 0750; `/var/backups` belongs to root (as on Debian).

The tests need root, to create a throw-away system user (`useradd`) and to hand it the files. The Python
interpreter may live where that user cannot read (pyenv under /root), so the switch is made in this process:
the effective user, group and supplementary groups become the service user's, which is what the kernel checks
every file access against (root's capabilities are dropped from the effective set meanwhile), and pg_dump /
pg_restore inherit them. Not root: skipped, saying so; in CI (CI=true) that fails instead.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from workflow.extensions import db as database
from workflow.ops.backup import known_revisions

from ..dbsetup import IN_CI, build_schema
from .test_backup import Scratch, counts, fill, make_app

SERVICE_USER = "peerflow-ci"
DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def service_user() -> tuple[int, int]:
    if os.geteuid() != 0:
        reason = "running backups as the service user needs root (to create that user and hand it the files)"
        if IN_CI:
            pytest.fail(f"CI is set, so this is an error: {reason}", pytrace=False)
        pytest.skip(reason)
    try:
        entry = pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SERVICE_USER], check=True, capture_output=True)
        entry = pwd.getpwnam(SERVICE_USER)
    return entry.pw_uid, entry.pw_gid


@contextmanager
def as_user(uid: int, gid: int) -> Iterator[None]:
    groups = os.getgroups()
    os.setgroups([gid])
    os.setegid(gid)
    os.seteuid(uid)
    try:
        yield
    finally:
        os.seteuid(0)
        os.setegid(0)
        os.setgroups(groups)


def owned(path: Path, uid: int, gid: int, mode: int) -> Path:
    """`install -d -o peerflow -g peerflow -m MODE PATH`."""
    path.mkdir(parents=True, exist_ok=True)
    os.chown(path, uid, gid)
    path.chmod(mode)
    return path


def hand_over(directory: Path, uid: int, gid: int) -> None:
    """What the service wrote belongs to it (the test wrote it as root)."""
    for path in [directory, *directory.rglob("*")]:
        os.chown(path, uid, gid)


@pytest.fixture()
def layout(database_url: str) -> Iterator[dict]:
    uid, gid = service_user()
    if make_url(database_url).get_backend_name() == "postgresql" and shutil.which("pg_dump") is None:
        if IN_CI:
            pytest.fail("pg_dump and pg_restore are needed to test PostgreSQL backups")
        pytest.skip("pg_dump/pg_restore are not installed")
    root = Path(tempfile.mkdtemp(prefix="peerflow-layout-"))
    root.chmod(0o755)  # like `/`: anyone may pass through
    state = owned(root / "var" / "lib" / "peerflow", uid, gid, 0o750)
    (root / "var" / "backups").mkdir(mode=0o755)  # Debian's: root's
    scratch = Scratch(database_url, state)
    try:
        yield {"uid": uid, "gid": gid, "root": root, "state": state, "scratch": scratch,
               "uploads": owned(state / "uploads", uid, gid, 0o750),
               "backups": owned(state / "backups", uid, gid, 0o750)}
    finally:
        scratch.drop_all()
        shutil.rmtree(root, ignore_errors=True)


def test_the_service_user_backs_up_into_its_own_folder_and_restores(layout):
    uid, gid, state = layout["uid"], layout["gid"], layout["state"]
    source_url = layout["scratch"].url("svc_src")
    build_schema(source_url).dispose()
    source_app = make_app(source_url, layout["uploads"])
    fill(source_app, layout["uploads"])
    hand_over(state, uid, gid)  # the database file (SQLite) and the uploads are the service's
    target_url = layout["scratch"].url("svc_restore")
    restored_uploads = owned(state / "uploads-restored", uid, gid, 0o750)
    target_app = make_app(target_url, restored_uploads)
    archive = layout["backups"] / "peerflow-2026-12-06.tar.gz"
    refused_archive = layout["root"] / "var" / "backups" / "peerflow-2026-12-06.tar.gz"
    # Everything the commands import lazily is loaded as root first (the service user may not read the
    # interpreter's own files): one round trip as root in a folder of its own.
    warm = Path(tempfile.mkdtemp(prefix="peerflow-warm-"))
    try:
        assert source_app.test_cli_runner().invoke(args=["backup", "create", str(warm / "a.tar.gz")]).exit_code == 0
    finally:
        shutil.rmtree(warm, ignore_errors=True)
    known_revisions()  # the migrations a restore checks the archive's schema against, read as root too

    with as_user(uid, gid):
        refused = source_app.test_cli_runner().invoke(args=["backup", "create", str(refused_archive)])
        created = source_app.test_cli_runner().invoke(args=["backup", "create", str(archive)])
        restored = target_app.test_cli_runner().invoke(args=["backup", "restore", str(archive)])
    for app in (source_app, target_app):
        database.engine_of(app).dispose()

    assert refused.exit_code != 0
    assert f"Cannot write in {refused_archive.parent} as {SERVICE_USER}" in refused.output, refused.output
    assert "/var/lib/peerflow/backups" in refused.output and not refused_archive.exists()

    assert created.exit_code == 0, created.output
    assert (archive.stat().st_uid, archive.stat().st_mode & 0o777) == (uid, 0o600)
    assert restored.exit_code == 0, restored.output
    assert "Restored and checked" in restored.output
    assert counts(target_url) == counts(source_url)
    assert sorted(p.name for p in restored_uploads.iterdir()) == sorted(p.name for p in layout["uploads"].iterdir())
    assert all(p.stat().st_uid == uid for p in restored_uploads.iterdir())


# --- The shipped units: a daily backup as the service user, into the folder the test above used ---------------


def _unit(name: str) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", ";")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_a_systemd_timer_runs_backup_create_daily_as_the_service_user():
    timer, service = _unit("peerflow-backup.timer"), _unit("peerflow-backup.service")
    assert timer["OnCalendar"] == ["*-*-* 02:30:00"] and timer["Persistent"] == ["true"]
    assert timer["WantedBy"] == ["timers.target"]
    assert service["User"] == ["peerflow"] and service["Type"] == ["oneshot"]
    assert service["EnvironmentFile"] == _unit("peerflow-web.service")["EnvironmentFile"]
    assert service["StateDirectory"] == ["peerflow/backups"] and service["StateDirectoryMode"] == ["0750"]
    (command,) = service["ExecStart"]
    target = re.search(r"backup create \"(/var/lib/peerflow/backups/)peerflow-\$\(date [^)]*\)\.tar\.gz\"", command)
    assert target is not None, command
    assert "/var/lib/" + service["StateDirectory"][0] + "/" == target.group(1)
    # systemd turns `%%` into `%`; the shell then names the archive by the UTC date and time.
    shell = command.removeprefix("/bin/sh -c '").removesuffix("'").replace("%%", "%")
    name = subprocess.run(["sh", "-c", shell.replace("exec /opt/peerflow/.venv/bin/flask --app workflow backup "
                                                     "create", "echo")], capture_output=True, text=True, check=True)
    assert re.fullmatch(r"/var/lib/peerflow/backups/peerflow-\d{4}-\d\d-\d\dT\d{6}Z\.tar\.gz\n", name.stdout)
