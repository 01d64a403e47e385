"""Settings, all from environment variables (and a `.env` file: `create_app()` and deploy/gunicorn.conf.py
read it the way `flask` does, without overriding variables already set)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


ENVIRONMENTS = ("development", "testing", "production")


def env_name(env: Mapping[str, str] = os.environ) -> str:
    """`PEERFLOW_ENV`: one of ENVIRONMENTS (default development). Anything else stops the app, since a typo
    such as `prod` would otherwise quietly turn off the production checks."""
    return check_env_name((env.get("PEERFLOW_ENV") or "development").strip())


def check_env_name(name: object) -> str:
    if name not in ENVIRONMENTS:
        raise RuntimeError(f"Refusing to start: PEERFLOW_ENV must be one of {', '.join(ENVIRONMENTS)}, "
                           f"not {name!r}.")
    return str(name)


def log_format(env: Mapping[str, str] = os.environ) -> str:
    """`json` or `text`: `LOG_FORMAT` when set, else JSON in production and text elsewhere (also read by
    deploy/gunicorn.conf.py, so gunicorn's own lines match the app's)."""
    chosen = (env.get("LOG_FORMAT") or "").strip().lower()
    if not chosen:
        return "json" if env_name(env) == "production" else "text"
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


def _whole(name: str, default: int) -> int:
    value = (os.environ.get(name) or "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise RuntimeError(f"{name} must be a whole number above 0, not {value!r}")
    return int(value)


MIN_SECRET_KEY = 32  # characters: 32 hex digits are 128 bits
# Keys seen in examples, tutorials and this repository's own templates and tests: never good enough.
KNOWN_SECRET_KEYS = frozenset({
    "replace-me-with-64-hex-characters", "dev", "development", "secret", "secret-key", "secret_key",
    "changeme", "change-me", "change_me", "test", "testing", "e2e", "seed", "default", "peerflow",
    "your-secret-key", "supersecret", "super-secret",
})


def refuse_unsafe_production(settings: Mapping[str, Any], *, debug: bool) -> None:
    """Refuse an unknown PEERFLOW_ENV; in production, refuse the debugger on or a missing, known or short
    SECRET_KEY."""
    if check_env_name(settings.get("ENV_NAME")) != "production":
        return
    if debug:
        raise RuntimeError("Refusing to start: debug mode is on (FLASK_DEBUG) with PEERFLOW_ENV=production; "
                           "the debugger would let anyone run code on the server. Turn it off.")
    key = str(settings.get("SECRET_KEY") or "")
    if not key:
        raise RuntimeError("Refusing to start: SECRET_KEY is not set with PEERFLOW_ENV=production.")
    if key.strip().lower() in KNOWN_SECRET_KEYS or "replace-me" in key.lower():
        raise RuntimeError("Refusing to start: SECRET_KEY is a default or example value; generate one with "
                           "`python -c 'import secrets; print(secrets.token_hex(32))'`.")
    if len(key) < MIN_SECRET_KEY:
        raise RuntimeError(f"Refusing to start: SECRET_KEY has {len(key)} characters; it needs at least "
                           f"{MIN_SECRET_KEY} (`python -c 'import secrets; print(secrets.token_hex(32))'`).")


class Config:
    """Read once, when the app is created; never at import time of the app package."""

    def __init__(self, **overrides: object) -> None:
        env = os.environ
        self.ENV_NAME = env_name(env)
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
        # Strict-Transport-Security max-age (seconds, 0 for none); unset: a year in production, none elsewhere.
        hsts = (env.get("HSTS_SECONDS") or "").strip()
        if hsts and not hsts.isdigit():
            raise RuntimeError(f"HSTS_SECONDS must be a whole number of seconds, not {hsts!r}")
        self.HSTS_SECONDS = int(hsts) if hsts else None
        # Privacy: who the notice names as controller and contact; declined or expired nominations are
        # deleted this many days after their last change (`privacy purge`, daily in the scheduler).
        self.PRIVACY_CONTROLLER = env.get("PRIVACY_CONTROLLER") or None  # unset: "the programme management team"
        self.PRIVACY_CONTACT = env.get("PRIVACY_CONTACT") or self.MAIL_FROM
        self.RETENTION_DECLINED_DAYS = _whole("RETENTION_DECLINED_DAYS", 365)
        # IATI publication (/iati/*.xml): the publishing organisation's identifier, name and type (IATI
        # OrganisationType code), the prefix of every activity identifier, the funder, and where the files
        # are kept once built (one per data version).
        self.IATI_ORGANISATION_REF = (env.get("IATI_ORGANISATION_REF") or "XX-PEERFLOW-DEMO").strip()
        self.IATI_ORGANISATION_NAME = env.get("IATI_ORGANISATION_NAME") or "Peerflow programme management team"
        self.IATI_ORGANISATION_TYPE = (env.get("IATI_ORGANISATION_TYPE") or "40").strip()
        self.IATI_ACTIVITY_PREFIX = (env.get("IATI_ACTIVITY_PREFIX") or self.IATI_ORGANISATION_REF).strip()
        self.IATI_FUNDER_REF = (env.get("IATI_FUNDER_REF") or "XI-IATI-EC_INTPA").strip()
        self.IATI_FUNDER_NAME = env.get("IATI_FUNDER_NAME") or "European Commission - International Partnerships"
        self.IATI_CACHE_DIR = env.get("IATI_CACHE_DIR") or str(INSTANCE_DIR / "iati")
        # The scheduler's pass of due e-mails runs this often; a message claimed by a scheduler that died
        # (killed, its machine lost) goes back to the others after OUTBOX_STALE_CLAIM_SECONDS.
        self.SCHEDULER_INTERVAL_SECONDS = _whole("SCHEDULER_INTERVAL_SECONDS", 60)
        self.OUTBOX_STALE_CLAIM_SECONDS = _whole("OUTBOX_STALE_CLAIM_SECONDS", 600)

        self.UPLOAD_MAX_BYTES = 20 * 1024 * 1024
        # Leave room above the file limit for the other form fields, so an oversized file gets a
        # field message from the form rather than a bare 413.
        self.MAX_CONTENT_LENGTH = self.UPLOAD_MAX_BYTES + 1024 * 1024
        # Cookies travel over HTTPS only, except on a developer's or the tests' plain-HTTP server
        # (SESSION_COOKIE_SECURE=false says so explicitly, for a production set-up tested over loopback).
        secure = _flag("SESSION_COOKIE_SECURE", self.ENV_NAME not in {"development", "testing"}
                       or self.PEERFLOW_BASE_URL.startswith("https://"))
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = secure
        # No remember-me cookie is issued (sessions end after SESSION_ABSOLUTE_TIMEOUT); these would apply to one.
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = secure
        # Sessions: signed out after this long without a request, and this long after signing in whatever
        # happens; sensitive actions (roles, tokens, erasure) ask for the password again after RECENT_LOGIN.
        self.SESSION_IDLE_TIMEOUT = timedelta(minutes=_whole("SESSION_IDLE_MINUTES", 30))
        self.SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=_whole("SESSION_MAX_HOURS", 12))
        self.RECENT_LOGIN_WINDOW = timedelta(minutes=_whole("RECENT_LOGIN_MINUTES", 10))
        # The 11th failed password within the window, for one account or from one address, answers 429.
        self.LOGIN_THROTTLE_LIMIT = 10
        self.LOGIN_THROTTLE_WINDOW = timedelta(minutes=15)
        self.PASSWORD_RESET_LIFETIME = timedelta(hours=1)
        # Argon2id; None means workflow.accounts.passwords.STANDARD_PARAMETERS (the test app lowers them).
        self.PASSWORD_HASH_PARAMETERS: dict[str, int] | None = None
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
        self.BABEL_DEFAULT_LOCALE = "en"
        self.BABEL_DEFAULT_TIMEZONE = "UTC"
        self.LANGUAGES = ["en", "es", "fr"]
        self.PER_PAGE = 20
        self.TESTING = False
        for key, value in overrides.items():
            setattr(self, key, value)
