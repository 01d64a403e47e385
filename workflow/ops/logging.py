"""Logs for operations: one line per request with a request id, as JSON (production) or text.

- Every request gets an id: a sane incoming `X-Request-ID` (from the reverse proxy or a client) is
  kept, anything else is replaced by a fresh one; the response carries it back in `X-Request-ID`.
- One line per request on the `workflow.request` logger: method, path, status, duration_ms, user_id
  (when signed in or calling the API with a token), request_id, remote_addr, pid.
- Any other line logged during a request (an exception, a warning) carries the same request_id.
- `LOG_FORMAT=json` writes each line as one JSON object (what log shippers read), `text` as a
  readable line. Tests leave the handlers alone (records still reach pytest's `caplog`).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, g, has_request_context, request
from flask.logging import default_handler

REQUEST_ID_HEADER = "X-Request-ID"
# A token, not free text: it is echoed in a header and written into every log line.
_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:+/=-]{0,127}")

ROOT_LOGGER = "workflow"  # the app's own logger (Flask names it after the package) and every module's
request_log = logging.getLogger("workflow.request")

# What a LogRecord carries by itself; anything else on a record was passed with `extra=` and is a field.
_RECORD_ATTRIBUTES = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def request_id_from(header: str | None) -> str:
    """The incoming id when it is a sane token (at most 128 letters, digits and `._:+/=-`), else a new one."""
    if header and _SANE_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def current_request_id() -> str | None:
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record logged while a request is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            request_id = current_request_id()
            if request_id is not None:
                record.request_id = request_id
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {key: value for key, value in vars(record).items() if key not in _RECORD_ATTRIBUTES}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, message, pid, then the record's own fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        line.update(_fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """A readable line: time, level, pid, logger, [request id], message."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s [%(process)d] %(name)s %(request_tag)s%(message)s")

    def format(self, record: logging.LogRecord) -> str:
        request_id = getattr(record, "request_id", None)
        record.request_tag = f"[{request_id}] " if request_id else ""
        return super().format(record)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is when a line is emitted (as logging's own last-resort
    handler does), so a replaced stderr, such as a test runner's capture, is never written after close."""

    def __init__(self) -> None:
        logging.Handler.__init__(self)

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, _value: object) -> None:
        pass


def formatter_for(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def configure_logging(app: Flask) -> None:
    """Send the app's logs (`workflow` and below) to stderr in LOG_FORMAT, at INFO and above.

    Idempotent: a second app in the same process replaces the handler rather than adding one. Left
    alone under tests (TESTING, or PEERFLOW_ENV=testing), where pytest collects the records.
    """
    if app.testing or app.config.get("ENV_NAME") == "testing":
        return
    logger = logging.getLogger(ROOT_LOGGER)
    for handler in list(logger.handlers):
        if handler is default_handler or getattr(handler, "_peerflow", False):
            logger.removeHandler(handler)
    handler = _StderrHandler()
    handler._peerflow = True  # type: ignore[attr-defined]
    handler.setFormatter(formatter_for(app.config.get("LOG_FORMAT", "text")))
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # gunicorn or a caller may have put a handler on the root logger too


def _path_for_log() -> str:
    """The path, with a secret URL part (a calendar feed's token) masked."""
    path = request.path
    token = (request.view_args or {}).get("token")
    if isinstance(token, str) and token:
        path = path.replace(token, "***")
    return path


def _user_id() -> int | None:
    """The signed-in user's id when this request already loaded it (never an extra query)."""
    user = g.get("api_user") or g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        return getattr(user, "id", None)
    return None


def install_request_logging(app: Flask) -> None:
    """The request id and the per-request line. Runs before every other `before_request` hook."""

    def start() -> None:
        g.request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        g.request_started = time.perf_counter()

    def finish(response):
        request_id = g.get("request_id") or request_id_from(None)
        response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_started")
        duration_ms = round((time.perf_counter() - started) * 1000, 1) if started is not None else None
        cache = g.get("peerflow_cache_state")  # set by workflow.core.figures.served()
        # The app's own time, and whether it computed a remembered part of the page (cold) or found them all
        # (warm): what bench/load-mixed.sh counts, and a browser's developer tools show.
        response.headers["Server-Timing"] = ", ".join(
            (f"app;dur={duration_ms}" if duration_ms is not None else "app", *([f"cache;desc={cache}"] if cache else ())))
        if request_log.isEnabledFor(logging.INFO):
            path = _path_for_log()
            request_log.info(
                "%s %s %s %sms", request.method, path, response.status_code, duration_ms,
                extra={
                    "request_id": request_id,
                    "method": request.method,
                    "path": path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "cache": cache,
                    "user_id": _user_id(),
                    "remote_addr": request.remote_addr,
                },
            )
        return response

    app.before_request_funcs.setdefault(None, []).insert(0, start)
    app.after_request(finish)


def gunicorn_logconfig(log_format: str) -> dict[str, Any] | None:
    """gunicorn's `logconfig_dict`: its own lines (start, workers, errors) in the same JSON format;
    None for text, which keeps gunicorn's default format."""
    if log_format != "json":
        return None
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "root": {"level": "WARNING", "handlers": ["stderr"]},  # libraries: warnings and errors only
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
            # The app writes one line per request itself (with the request id); no second access log.
            "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
        },
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
        "formatters": {"json": {"()": "workflow.ops.logging.JsonFormatter"}},
    }
