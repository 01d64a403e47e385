"""Settings, all from environment variables (a `.env` file is read in development)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def log_format(env: Mapping[str, str] = os.environ) -> str:
    """`json` or `text`: `LOG_FORMAT` when set, else JSON in production and text elsewhere (also read by
    deploy/gunicorn.conf.py, so gunicorn's own lines match the app's)."""
    chosen = (env.get("LOG_FORMAT") or "").strip().lower()
    if not chosen:
        return "json" if env.get("PEERFLOW_ENV", "development") == "production" else "text"
    if chosen not in {"json", "text"}:
        raise RuntimeError(f"LOG_FORMAT must be json or text, not {chosen!r}")
    return chosen


def _proxies(value: str | None) -> int:
    """PROXY_FIX: how many reverse proxies in front set X-Forwarded-*; `1`/`true` means one, unset or 0 none."""
    value = (value or "").strip().lower()
    if value in {"", "0", "false", "no", "off"}:
        return 0
    if value in {"true", "yes", "on"}:
        return 1
    if not value.isdigit():
        raise RuntimeError(f"PROXY_FIX must be a number of proxies (0, 1, 2 …), not {value!r}")
    return int(value)


class Config:
    """Read once, when the app is created; never at import time of the app package."""

    def __init__(self, **overrides: object) -> None:
        env = os.environ
        self.ENV_NAME = env.get("PEERFLOW_ENV", "development")
        self.DATABASE_URL = env.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'peerflow.db'}"
        secret = env.get("SECRET_KEY")
        if not secret and self.ENV_NAME not in {"development", "testing"}:
            raise RuntimeError(f"SECRET_KEY must be set outside development (PEERFLOW_ENV={self.ENV_NAME})")
        # A random development key means sessions end when the server restarts: acceptable for development only.
        self.SECRET_KEY = secret or secrets.token_hex(32)
        self.SMTP_HOST = env.get("SMTP_HOST") or None
        self.SMTP_PORT = int(env.get("SMTP_PORT", "25"))
        self.SMTP_USERNAME = env.get("SMTP_USERNAME") or None
        self.SMTP_PASSWORD = env.get("SMTP_PASSWORD") or None
        self.SMTP_STARTTLS = _flag("SMTP_STARTTLS")
        self.MAIL_FROM = env.get("MAIL_FROM", "peerflow@localhost")
        self.PEERFLOW_BASE_URL = env.get("PEERFLOW_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
        self.UPLOAD_DIR = env.get("UPLOAD_DIR") or str(INSTANCE_DIR / "uploads")
        # Shared counters and cache for several web processes (`redis://host:6379/0`); unset: none.
        self.REDIS_URL = env.get("REDIS_URL") or None
        self.LOG_FORMAT = log_format(env)
        # Trust X-Forwarded-For/-Proto/-Host/-Prefix from this many proxies in front (werkzeug ProxyFix).
        self.PROXY_FIX = _proxies(env.get("PROXY_FIX"))

        self.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
        # Leave room above the file limit for the other form fields, so an oversized file gets a
        # field message from the form rather than a bare 413.
        self.MAX_CONTENT_LENGTH = self.UPLOAD_MAX_BYTES + 1024 * 1024
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.PEERFLOW_BASE_URL.startswith("https://")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = "UTC"
        self.LANGUAGES = ["en", "es", "fr"]
        self.PER_PAGE = 20
        self.TESTING = False
        for key, value in overrides.items():
            setattr(self, key, value)
