"""What the README says about settings, commands and the shipped deployment files, checked (issue #16).

- `PEERFLOW_ENV` takes development, testing or production; anything else stops the app, naming them.
- `.env` is read by `create_app()` itself, as gunicorn runs it, not only by the `flask` command.
- `users create --role R` accepts every role there is (`steering` included).
- HSTS is sent once: by the app in production, never by the shipped nginx configuration.
- The shipped nginx configuration lets a load balancer on the private network reach /readyz.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from config import ENVIRONMENTS, Config
from workflow import create_app
from workflow.accounts.models import Role, User
from workflow.extensions import db as database

ROOT = Path(__file__).resolve().parents[2]
NGINX = ROOT / "deploy" / "nginx-peerflow.conf"
GOOD_KEY = "0f" * 32


# --- PEERFLOW_ENV ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["prod", "Production", "dev", "staging", "test"])
def test_an_unknown_peerflow_env_stops_the_app_naming_the_allowed_values(monkeypatch, value):
    monkeypatch.setenv("PEERFLOW_ENV", value)
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    with pytest.raises(RuntimeError) as refused:
        Config()
    message = str(refused.value)
    assert "PEERFLOW_ENV" in message and repr(value) in message
    assert all(name in message for name in ("development", "testing", "production"))


def test_an_unknown_env_name_given_in_code_is_refused_by_create_app(database_url):
    with pytest.raises(RuntimeError, match="PEERFLOW_ENV must be one of development, testing, production"):
        create_app(Config(DATABASE_URL=database_url, SECRET_KEY=GOOD_KEY, ENV_NAME="prod", TESTING=True))


@pytest.mark.parametrize("value", ENVIRONMENTS)
def test_the_three_environments_are_accepted(monkeypatch, value):
    monkeypatch.setenv("PEERFLOW_ENV", value)
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    assert Config().ENV_NAME == value
    assert set(ENVIRONMENTS) == {"development", "testing", "production"}


# --- .env -------------------------------------------------------------------------------------------------------


def test_create_app_reads_dot_env_as_gunicorn_runs_it(tmp_path, database_url):
    """gunicorn calls `workflow:create_app()` without the flask command, which used to be what read .env."""
    (tmp_path / ".env").write_text("MAIL_FROM=from-dot-env@example.org\nPEERFLOW_ENV=testing\n"
                                   f"DATABASE_URL={database_url}\n", encoding="utf-8")
    env = {name: value for name, value in os.environ.items()
           if name not in {"MAIL_FROM", "PEERFLOW_ENV", "DATABASE_URL", "FLASK_APP", "FLASK_RUN_FROM_CLI"}}
    env["PYTHONPATH"] = str(ROOT)
    script = ("from workflow import create_app; app = create_app(); "
              "print(app.config['MAIL_FROM'], app.config['ENV_NAME'])")
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["from-dot-env@example.org", "testing"]


def test_dot_env_never_overrides_what_the_environment_already_sets(tmp_path, database_url):
    (tmp_path / ".env").write_text("MAIL_FROM=from-dot-env@example.org\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MAIL_FROM": "from-systemd@example.org",
           "PEERFLOW_ENV": "testing", "DATABASE_URL": database_url}
    script = "from workflow import create_app; print(create_app().config['MAIL_FROM'])"
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "from-systemd@example.org"


# --- users create -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role for role in Role if role is not Role.REQUESTER])
def test_users_create_accepts_every_role(app, db, role):
    email = f"new-{role.value.replace('_', '-')}@test.peerflow.org"
    result = app.test_cli_runner().invoke(args=["users", "create", email, "--role", role.value,
                                                "--password", "a-long-and-unusual-passphrase"])
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.email == email))
    assert user is not None and user.role is role


def test_users_create_accepts_a_requester_with_an_institution(app, db):
    from tests.factories import make_institution

    institution = make_institution(db)
    result = app.test_cli_runner().invoke(args=["users", "create", "new-requester@test.peerflow.org", "--role",
                                                "requester", "--institution", str(institution.id),
                                                "--password", "a-long-and-unusual-passphrase"])
    assert result.exit_code == 0, result.output
    assert db.scalar(select(User.role).where(User.email == "new-requester@test.peerflow.org")) is Role.REQUESTER


# --- HSTS and nginx ------------------------------------------------------------------------------------------------


def test_the_app_sends_hsts_once_in_production(monkeypatch, database_url):
    monkeypatch.setenv("PEERFLOW_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", GOOD_KEY)
    monkeypatch.setenv("DATABASE_URL", database_url)
    for name in ("FLASK_DEBUG", "HSTS_SECONDS", "PEERFLOW_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    app = create_app(Config(TESTING=True))
    try:
        response = app.test_client().get("/healthz")
    finally:
        database.engine_of(app).dispose()
    assert response.headers.getlist("Strict-Transport-Security") == ["max-age=31536000; includeSubDomains"]


def _nginx_directives() -> str:
    return "\n".join(line.split("#", 1)[0] for line in NGINX.read_text(encoding="utf-8").splitlines())


def test_the_shipped_nginx_leaves_hsts_to_the_app():
    assert "Strict-Transport-Security" not in _nginx_directives()


def test_the_shipped_nginx_lets_a_load_balancer_reach_readyz():
    text = _nginx_directives()
    block = re.search(r"location = /readyz\s*\{(.*?)\}", text, re.S)
    assert block is not None
    allowed = re.findall(r"allow\s+([^;]+);", block.group(1))
    assert {"127.0.0.1", "::1"} <= set(allowed)
    assert {"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"} <= set(allowed), allowed
    assert "deny all;" in block.group(1)
