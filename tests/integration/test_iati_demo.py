"""The demo portfolio's IATI activities file validates against the official IATI 2.03 schemas."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree
from sqlalchemy import func, select

from workflow.actions.models import Action
from workflow.catalogue.services import published_actions
from workflow.iati.services import activity_records
from workflow.iati.validation import problems
from workflow.iati.xml import activities_document

from ..dbsetup import demo_loaded
from ..iati_world import SETTINGS, code_as_name, page_url

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(engine):
    """The demo (loaded once per run), in a transaction rolled back after the module."""
    yield from demo_loaded(engine, NOW)


def test_the_demo_activities_file_validates_and_covers_every_published_action(demo):
    data = b"".join(activities_document(activity_records(demo, SETTINGS, page_url, code_as_name), NOW))
    assert problems(data, "activities") == []
    published = demo.scalar(published_actions().with_only_columns(func.count(Action.id)).order_by(None))
    document = etree.fromstring(data)
    assert published > 0 and len(document.xpath("iati-activity")) == published
    names = set(demo.scalars(select(Action.id).where(Action.published)))
    assert {f"XM-TEST-ORG-ACT-{i}" for i in names} >= set(document.xpath("iati-activity/iati-identifier/text()"))
    regional = document.xpath("iati-activity[recipient-region]")
    assert regional, "the demo's regional Actions (SICA …) report a recipient region"

