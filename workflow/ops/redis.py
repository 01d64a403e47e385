"""The shared Redis (counters and cache for several web processes): a client, or None when unset.

`redis_client()` gives the current app's client when `REDIS_URL` is set, created once per app. A
client holds a connection pool that is safe across threads and re-opens its connections in a
forked worker, so gunicorn's preloading is fine. Callers must treat None as "no shared store".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Flask, current_app

if TYPE_CHECKING:
    from redis import Redis

CLIENT_KEY = "peerflow.redis"
TIMEOUT_SECONDS = 2.0  # a Redis that does not answer must not hold a page (or /readyz) for long


def redis_client(app: Flask | None = None) -> Redis | None:
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    client = app.extensions.get(CLIENT_KEY)
    if client is None:
        import redis

        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=TIMEOUT_SECONDS,
            socket_timeout=TIMEOUT_SECONDS,
            health_check_interval=30,
            decode_responses=True,
        )
        app.extensions[CLIENT_KEY] = client
    return client
