"""Text responses are compressed with gzip for browsers that ask for it (workflow/core/compression.py)."""

from __future__ import annotations

import gzip

GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def test_a_stylesheet_is_served_compressed_to_a_browser_that_asks_and_plain_to_one_that_does_not(client):
    plain = client.get("/static/vendor/bootstrap/bootstrap.min.css")
    packed = client.get("/static/vendor/bootstrap/bootstrap.min.css", headers=GZIP)
    assert plain.status_code == packed.status_code == 200
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain.data  # the same stylesheet, byte for byte
    assert int(packed.headers["Content-Length"]) == len(packed.data) < len(plain.data) / 4
    # The same file again comes from the process's copy, identical; the weak ETag still earns a 304.
    again = client.get("/static/vendor/bootstrap/bootstrap.min.css", headers=GZIP)
    assert again.data == packed.data and packed.headers["ETag"].startswith('W/"')
    revalidated = client.get("/static/vendor/bootstrap/bootstrap.min.css",
                             headers={**GZIP, "If-None-Match": packed.headers["ETag"]})
    assert revalidated.status_code == 304


def test_a_page_and_json_are_compressed_and_the_security_headers_stay(client, login_as, officer):
    login_as(officer)
    page = client.get("/actions/", headers=GZIP)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip"
    assert "Actions" in gzip.decompress(page.data).decode() and "Content-Security-Policy" in page.headers
    shapes = client.get("/static/geo/countries.geojson", headers=GZIP)  # the maps' country shapes
    assert shapes.headers["Content-Encoding"] == "gzip" and gzip.decompress(shapes.data).startswith(b"{")


def test_small_binary_refused_and_unwanted_responses_are_left_alone(client):
    assert "Content-Encoding" not in client.get("/health", headers=GZIP).headers  # under 1 KB
    assert "Content-Encoding" not in client.get("/static/favicon.svg", headers=GZIP).headers  # under 1 KB
    refused = client.get("/static/vendor/bootstrap/bootstrap.min.css", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    ranged = client.get("/static/vendor/bootstrap/bootstrap.min.css", headers={**GZIP, "Range": "bytes=0-99"})
    assert ranged.status_code == 206 and "Content-Encoding" not in ranged.headers and len(ranged.data) == 100
