"""/iati/activities.xml and /iati/organisation.xml: public, valid IATI 2.03, built once per data version and
kept on disk, streamed; the identifiers come from the IATI_* settings."""

from __future__ import annotations

import pytest
from lxml import etree

from workflow.actions.models import Action
from workflow.iati.validation import problems

from ..iati_world import build_world


@pytest.fixture()
def cache_dir(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IATI_CACHE_DIR", str(tmp_path))
    monkeypatch.setitem(app.config, "IATI_ORGANISATION_REF", "XM-TEST-PAGES")
    monkeypatch.setitem(app.config, "IATI_ACTIVITY_PREFIX", "XM-TEST-PAGES-P")
    return tmp_path


@pytest.fixture()
def world(db, officer, peru):
    return build_world(db, officer, peru)


def kept(cache_dir) -> list[str]:
    return sorted(path.name for path in cache_dir.iterdir())


def test_anyone_gets_the_activities_file_valid_and_named_by_the_settings(client, world, cache_dir):
    response = client.get("/iati/activities.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert response.is_streamed
    data = response.get_data()
    assert problems(data, "activities") == []
    document = etree.fromstring(data)
    assert document.xpath("iati-activity/iati-identifier/text()") == [
        f"XM-TEST-PAGES-P-{world.closed.id}", f"XM-TEST-PAGES-P-{world.regional.id}"]
    assert set(document.xpath("iati-activity/reporting-org/@ref")) == {"XM-TEST-PAGES"}
    assert document.xpath("iati-activity/document-link[category/@code='A12']/@url")[0].endswith(
        f"/catalogue/actions/{world.closed.id}")


def test_the_organisation_file_is_valid_and_names_the_settings(client, world, cache_dir):
    response = client.get("/iati/organisation.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert problems(response.data, "organisations") == []
    assert etree.fromstring(response.data).xpath("//organisation-identifier/text()") == ["XM-TEST-PAGES"]
    again = client.get("/iati/organisation.xml", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_file_is_kept_per_data_version_and_rebuilt_after_a_change(client, db, world, cache_dir):
    first = client.get("/iati/activities.xml")
    body = first.get_data()
    assert len(kept(cache_dir)) == 1 and (cache_dir / kept(cache_dir)[0]).read_bytes() == body
    second = client.get("/iati/activities.xml")
    assert second.get_data() == body and second.headers["ETag"] == first.headers["ETag"]
    assert client.get("/iati/activities.xml", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304

    db.get(Action, world.regional.id).title = "Regional coordination against smuggling"
    db.commit()
    third = client.get("/iati/activities.xml")
    assert third.headers["ETag"] != first.headers["ETag"]
    assert b"Regional coordination against smuggling" in third.get_data()
    assert len(kept(cache_dir)) == 1  # the earlier version's file is gone


def test_a_build_the_client_leaves_keeps_no_file(client, world, cache_dir):
    response = client.get("/iati/activities.xml")
    chunks = iter(response.response)
    next(chunks)
    response.close()  # the client went away after the first chunk
    assert kept(cache_dir) == []
    assert problems(client.get("/iati/activities.xml").get_data(), "activities") == []
    assert len(kept(cache_dir)) == 1


def test_an_unpublished_action_is_in_no_file(client, world, cache_dir):
    data = client.get("/iati/activities.xml").get_data()
    assert f"XM-TEST-PAGES-P-{world.unpublished.id}<".encode() not in data
    assert f"XM-TEST-PAGES-P-{world.cancelled.id}<".encode() not in data
