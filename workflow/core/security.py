"""Security headers on every response: a strict Content-Security-Policy and the browser protections.

No page carries inline script or inline style (tests/functional/test_headers.py scans the templates),
so the policy allows scripts and styles from this site only, on every page: confirmations before
destructive steps are `data-confirm` attributes read by static/js/confirm.js, the public map reads its
data from `data-*` attributes and a JSON URL, and Swagger UI (/api/v1/docs) is started by
static/js/swagger-init.js (scripts only set styles through the DOM, which the policy allows).
"""

from __future__ import annotations

from flask import Flask, Response

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",  # Bootstrap's form controls draw their arrows and ticks as data: SVG
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}

ONE_YEAR = 365 * 24 * 3600


def hsts_seconds(config: dict) -> int:
    """`HSTS_SECONDS` when set; else a year in production and none in development or testing, where
    the site is served over plain HTTP on 127.0.0.1 and a remembered HSTS would break it."""
    configured = config.get("HSTS_SECONDS")
    if configured is not None:
        return int(configured)
    return 0 if config.get("ENV_NAME", "development") in {"development", "testing"} else ONE_YEAR


def init_app(app: Flask) -> None:
    """Add the headers to every response (pages, errors, files, the API, static files)."""
    max_age = hsts_seconds(app.config)
    hsts = f"max-age={max_age}; includeSubDomains" if max_age else None

    @app.after_request
    def _security_headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        for name, value in HEADERS.items():
            response.headers[name] = value
        if hsts:
            response.headers["Strict-Transport-Security"] = hsts
        return response
