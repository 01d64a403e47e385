"""Responses compressed with gzip for the browsers that ask for it (`Accept-Encoding: gzip`).

Gunicorn serves Peerflow's pages and static files itself, and uncompressed they are what a phone waits for
first: Bootstrap's stylesheet alone is 228 KB (31 KB compressed), a dashboard 50 KB of HTML. So text
responses of 1 KB or more (pages, stylesheets, scripts, JSON, SVG and GeoJSON) are compressed here:

- a static file once per process and version (its path and ETag), then served from memory;
- a page or an API answer on each response (level 6: a few hundred microseconds for a page).

Streamed responses (CSV exports), partial ones (Range) and anything already encoded are left alone. The
ETag of a compressed body becomes weak (as nginx does: the same content, another representation), so a
browser's `If-None-Match` still earns a 304; every text response says `Vary: Accept-Encoding`, so a cache
never hands one form to the wrong browser.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from flask import Flask, Request, Response, request

MINIMUM = 1024  # bytes: below this the gzip header costs more than it saves
LEVEL = 6
COMPRESSIBLE = {"text/html", "text/css", "text/plain", "text/csv", "text/javascript", "application/javascript",
                "application/json", "application/geo+json", "application/problem+json", "image/svg+xml"}
STATIC_CACHE = 256  # compressed static files kept per process


class _Remembered:
    """Compressed static files by (path, ETag): a small least-recently-used store shared by the threads."""

    def __init__(self, capacity: int = STATIC_CACHE) -> None:
        self._items: OrderedDict[tuple[str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()
        self.capacity = capacity

    def get(self, key: tuple[str, str], data: bytes) -> bytes:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        packed = gzip.compress(data, LEVEL, mtime=0)
        with self._lock:
            self._items[key] = packed
            while len(self._items) > self.capacity:
                self._items.popitem(last=False)
        return packed


def accepts_gzip(incoming: Request) -> bool:
    return any(part.split(";")[0].strip().lower() in ("gzip", "*")
               and part.split(";")[1:] != ["q=0"] for part in incoming.headers.get("Accept-Encoding", "").split(","))


def compressible(response: Response) -> bool:
    # A static file is a file wrapper, "streamed" to Werkzeug, but of a known length; a generator is not.
    return (response.mimetype in COMPRESSIBLE and response.status_code == 200
            and (response.direct_passthrough or not response.is_streamed) and "Content-Encoding" not in response.headers and "Content-Range" not in response.headers)


def init_app(app: Flask) -> None:
    static = _Remembered()

    @app.after_request
    def _gzip(response: Response) -> Response:
        if response.mimetype not in COMPRESSIBLE:
            return response
        response.vary.add("Accept-Encoding")
        if not compressible(response) or not accepts_gzip(request):
            return response
        etag, _weak = response.get_etag()
        if response.direct_passthrough:  # a static file: read once per version, kept compressed
            response.direct_passthrough = False
            data = response.get_data()
            if len(data) < MINIMUM:
                return response
            body = static.get((request.path, etag or str(len(data))), data)
        else:
            data = response.get_data()
            if len(data) < MINIMUM:
                return response
            body = gzip.compress(data, LEVEL, mtime=0)
        response.set_data(body)
        response.headers["Content-Encoding"] = "gzip"
        if etag:
            response.set_etag(etag, weak=True)
        return response
