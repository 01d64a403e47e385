"""The operations pieces on their own: request ids, log formats, settings, the gunicorn configuration."""

from __future__ import annotations

import json
import logging
import multiprocessing
import runpy
import sys
from pathlib import Path

import pytest

from config import _proxies, log_format
from workflow.ops.logging import JsonFormatter, TextFormatter, gunicorn_logconfig, request_id_from

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def record(message: str = "GET /actions/ 200 3.1ms", **extra: object) -> logging.LogRecord:
    made = logging.LogRecord("workflow.request", logging.INFO, __file__, 1, message, None, None)
    made.__dict__.update(extra)
    return made


@pytest.mark.parametrize("sent", ["abc", "0af7651916cd43dd8448eb211c80319c", "Root=1-5759e988-bd862e3fe1be46a994272793",
                                  "x" * 128])
def test_a_sane_request_id_is_kept(sent: str) -> None:
    assert request_id_from(sent) == sent


@pytest.mark.parametrize("sent", [None, "", " ", "x" * 129, "a b", "a\nb", "a\r\nSet-Cookie: x=1", "_under", "é"])
def test_anything_else_gets_a_fresh_id(sent: str | None) -> None:
    fresh = request_id_from(sent)
    assert fresh != sent and len(fresh) == 32 and int(fresh, 16) >= 0
    assert request_id_from(sent) != fresh  # a new one each time


def test_a_json_line_is_one_object_with_the_fields_passed() -> None:
    line = JsonFormatter().format(record(request_id="r-1", method="GET", path="/actions/", status=200,
                                         duration_ms=3.1, user_id=7, remote_addr="10.0.0.2"))
    assert "\n" not in line
    parsed = json.loads(line)
    assert parsed["message"] == "GET /actions/ 200 3.1ms" and parsed["level"] == "info"
    assert parsed["logger"] == "workflow.request" and isinstance(parsed["pid"], int)
    assert parsed["ts"].endswith("+00:00")
    assert {k: parsed[k] for k in ("request_id", "method", "path", "status", "duration_ms", "user_id")} == {
        "request_id": "r-1", "method": "GET", "path": "/actions/", "status": 200, "duration_ms": 3.1, "user_id": 7}


def test_a_json_line_keeps_an_exception_on_the_same_line() -> None:
    try:
        raise ValueError("boom\nsecond line")
    except ValueError:
        failed = record("failed", exc_info=sys.exc_info())
    line = JsonFormatter().format(failed)
    assert line.count("\n") == 0
    assert "ValueError: boom" in json.loads(line)["exception"]


def test_a_text_line_shows_the_request_id_when_there_is_one() -> None:
    assert "[r-9] GET /actions/ 200" in TextFormatter().format(record(request_id="r-9"))
    assert "workflow.request GET /actions/" in TextFormatter().format(record())


def test_json_logs_by_default_in_production_only() -> None:
    assert log_format({"PEERFLOW_ENV": "production"}) == "json"
    assert log_format({"PEERFLOW_ENV": "development"}) == "text"
    assert log_format({}) == "text"
    assert log_format({"PEERFLOW_ENV": "production", "LOG_FORMAT": "text"}) == "text"
    assert log_format({"LOG_FORMAT": "JSON"}) == "json"
    with pytest.raises(RuntimeError, match="LOG_FORMAT"):
        log_format({"LOG_FORMAT": "xml"})


def test_proxy_fix_counts_the_proxies_in_front() -> None:
    assert [_proxies(v) for v in (None, "", "0", "off", "1", "true", "2")] == [0, 0, 0, 0, 1, 1, 2]
    with pytest.raises(RuntimeError, match="PROXY_FIX"):
        _proxies("nginx")


def _gunicorn_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "BIND", "PORT", "LOG_FORMAT", "PEERFLOW_ENV"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def test_gunicorn_workers_default_to_twice_the_cpus_plus_one(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _gunicorn_settings(monkeypatch)
    assert settings["workers"] == 2 * multiprocessing.cpu_count() + 1
    assert settings["worker_class"] == "sync" and settings["bind"] == ["127.0.0.1:8000"]
    assert settings["wsgi_app"] == "workflow:create_app()" and settings["preload_app"] is True
    assert settings["accesslog"] is None  # the app writes the request lines itself
    assert settings["logconfig_dict"] == {}  # text: gunicorn's own format


def test_gunicorn_reads_its_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_THREADS="4",
                                  BIND="unix:/run/peerflow/web.sock", PEERFLOW_ENV="production")
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (3, 4, "gthread")
    assert settings["bind"] == ["unix:/run/peerflow/web.sock"]
    assert settings["logconfig_dict"] == gunicorn_logconfig("json")
    assert settings["logconfig_dict"]["formatters"]["json"]["()"] == "workflow.ops.logging.JsonFormatter"
    assert callable(settings["post_fork"])


def test_gunicorn_listens_on_the_platforms_port_when_there_is_no_bind(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _gunicorn_settings(monkeypatch, PORT="5001")["bind"] == ["0.0.0.0:5001"]
    assert _gunicorn_settings(monkeypatch, PORT="5001", BIND="127.0.0.1:9")["bind"] == ["127.0.0.1:9"]


def test_gunicorn_logconfig_builds(monkeypatch: pytest.MonkeyPatch) -> None:
    """The dictionary is valid for logging.config (as gunicorn applies it), and its lines are JSON."""
    import logging.config

    config = gunicorn_logconfig("json")
    saved = {name: (logging.getLogger(name).handlers[:], logging.getLogger(name).level,
                    logging.getLogger(name).propagate) for name in ("", "gunicorn.error", "gunicorn.access")}
    try:
        logging.config.dictConfig(config)
        handler = logging.getLogger().handlers[-1]
        assert isinstance(handler.formatter, JsonFormatter)
    finally:
        for name, (handlers, level, propagate) in saved.items():
            logger = logging.getLogger(name)
            logger.handlers[:] = handlers
            logger.setLevel(level)
            logger.propagate = propagate
