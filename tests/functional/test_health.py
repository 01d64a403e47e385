"""/healthz, /readyz, the request id and the per-request log line, through the test client."""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text

from config import Config
from workflow import create_app
from workflow.extensions import db as database
from workflow.ops.health import MIGRATIONS, head_revisions
from workflow.ops.logging import JsonFormatter

HEX_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture()
def make_app(upload_dir: Path) -> Iterator:
    """Another app on a database or Redis of the test's choosing (disposed afterwards)."""
    made: list[Flask] = []

    def build(database_url: str, **settings: object) -> Flask:
        app = create_app(Config(TESTING=True, DATABASE_URL=database_url, SECRET_KEY="test",
                                UPLOAD_DIR=str(upload_dir), ENV_NAME="testing", **settings))
        made.append(app)
        return app

    yield build
    for app in made:
        database.session.remove()
        database.engine_of(app).dispose()


def test_healthz_says_ok_without_touching_the_database(client, count_queries) -> None:
    with count_queries() as counted:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n" and response.mimetype == "text/plain"
    assert response.headers["Cache-Control"] == "no-store"
    assert counted.count == 0


def test_readyz_is_ready_on_the_migrated_database(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json == {"status": "ready",
                             "checks": {"database": "ok", "migrations": "ok", "redis": "not configured"}}


def test_readyz_answers_503_naming_migrations_that_are_behind(db, client) -> None:
    (head,) = head_revisions()
    previous = ScriptDirectory(str(MIGRATIONS)).get_revision(head).down_revision
    db.execute(text("UPDATE alembic_version SET version_num = :previous"), {"previous": previous})
    db.commit()  # a savepoint of the test's transaction: rolled back afterwards
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok" and body["checks"]["migrations"] == "not at head"
    assert body["problems"] == [f"migrations not at head: database at {previous}, code expects {head} "
                                "(run `flask --app workflow db upgrade`)"]


def test_readyz_answers_503_on_a_database_never_migrated(make_app, tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'empty.db'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["migrations"] == "missing"
    assert response.json["problems"][0].startswith("migrations not at head: database at none")


def test_readyz_answers_503_when_the_database_is_unreachable(make_app, tmp_path: Path) -> None:
    app = make_app(f"sqlite:///{tmp_path / 'no' / 'such' / 'dir.db'}")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"] == {"database": "unreachable", "migrations": "unknown", "redis": "not configured"}
    assert response.json["problems"][0].startswith("database unreachable: OperationalError")
    # /healthz does not care: the process is up.
    assert app.test_client().get("/healthz").status_code == 200


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def test_readyz_answers_503_when_redis_is_configured_but_down(make_app, database_url: str) -> None:
    app = make_app(database_url, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["database"] == "ok" and response.json["checks"]["redis"] == "unreachable"
    assert [p.split(":")[0] for p in response.json["problems"]] == ["redis unreachable"]


def test_readyz_checks_a_redis_that_answers(make_app, database_url: str) -> None:
    import redis

    try:
        redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"no Redis on 127.0.0.1:6379 ({error})")
    app = make_app(database_url, REDIS_URL="redis://127.0.0.1:6379/0")
    response = app.test_client().get("/readyz")
    assert response.status_code == 200 and response.json["checks"]["redis"] == "ok"


@pytest.mark.parametrize("sent", ["req-42", "0af7651916cd43dd8448eb211c80319c", "a" * 128, "b64+/=:._-x"])
def test_a_sane_incoming_request_id_is_echoed(client, sent: str) -> None:
    assert client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"] == sent


@pytest.mark.parametrize("sent", ["", "has space", "a" * 129, "-leading-dash", "semi;colon", "naïve", "<script>"])
def test_anything_else_is_replaced_by_a_fresh_id(client, sent: str) -> None:
    answered = client.get("/healthz", headers={"X-Request-ID": sent}).headers["X-Request-ID"]
    assert HEX_ID.fullmatch(answered)


def test_every_response_carries_a_request_id_errors_and_redirects_too(client) -> None:
    ids = [client.get(path).headers.get("X-Request-ID") for path in ("/actions/", "/no-such-page", "/login")]
    assert all(HEX_ID.fullmatch(value or "") for value in ids)
    assert len(set(ids)) == 3


def _request_lines(caplog: pytest.LogCaptureFixture) -> list[dict]:
    return [json.loads(JsonFormatter().format(record)) for record in caplog.records if record.name == "workflow.request"]


def test_one_json_line_per_request_with_the_user_and_the_request_id(client, login_as, officer, caplog) -> None:
    caplog.set_level(logging.INFO, logger="workflow.request")
    login_as(officer)
    response = client.get("/home?lang=fr", headers={"X-Request-ID": "home-visit-1"})
    assert response.status_code == 200
    (line,) = _request_lines(caplog)
    assert set(line) == {"ts", "level", "logger", "message", "pid", "request_id", "method", "path", "status",
                         "duration_ms", "user_id", "remote_addr", "cache"}
    assert line["cache"] in ("cold", "warm", None)  # whether the page computed what it remembers
    assert line["request_id"] == "home-visit-1" == response.headers["X-Request-ID"]
    assert (line["method"], line["path"], line["status"], line["user_id"]) == ("GET", "/home", 200, officer.id)
    assert line["level"] == "info" and line["logger"] == "workflow.request"
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"] == f"GET /home 200 {line['duration_ms']}ms"


def test_a_visitor_is_logged_without_a_user_and_a_secret_url_part_is_masked(client, caplog) -> None:
    caplog.set_level(logging.INFO, logger="workflow.request")
    secret = "s3cr3t-calendar-token-0123456789"
    client.get("/healthz")
    client.get(f"/calendar/experts/{secret}.ics")
    health, feed = _request_lines(caplog)
    assert health["user_id"] is None and health["path"] == "/healthz"
    assert feed["path"] == "/calendar/experts/***.ics" and secret not in json.dumps(feed)


def test_a_log_line_written_during_a_request_carries_its_id(app, client, caplog) -> None:
    from workflow.ops.logging import RequestIdFilter

    caplog.set_level(logging.WARNING, logger="workflow")
    tagging = RequestIdFilter()  # what configure_logging puts on the real handler
    caplog.handler.addFilter(tagging)
    try:
        with app.test_request_context("/anything", headers={"X-Request-ID": "inside-1"}):
            app.preprocess_request()
            logging.getLogger("workflow.something").warning("careful")
    finally:
        caplog.handler.removeFilter(tagging)
    (record,) = [r for r in caplog.records if r.getMessage() == "careful"]
    assert record.request_id == "inside-1"


def test_behind_a_proxy_the_forwarded_client_address_is_logged_only_when_trusted(make_app, database_url, caplog) -> None:
    caplog.set_level(logging.INFO, logger="workflow.request")
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    make_app(database_url).test_client().get("/healthz", headers=forwarded)
    make_app(database_url, PROXY_FIX=1).test_client().get("/healthz", headers=forwarded)
    direct, proxied = _request_lines(caplog)
    assert direct["remote_addr"] == "127.0.0.1"
    assert proxied["remote_addr"] == "203.0.113.9"
