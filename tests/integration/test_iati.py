"""IATI 2.03 publication: what each published Action's iati-activity says, checked against the official
2.03 schemas (workflow/iati/schemas/2.03), and the activities file written one activity at a time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from lxml import etree

from workflow.iati.codes import SECTORS, SUBTOPIC_SECTORS, THEME_SECTORS
from workflow.iati.services import activity_records
from workflow.iati.validation import problems
from workflow.iati.xml import activities_document, organisation_document
from workflow.reference.data import THEMES

from ..iati_world import SETTINGS, build_world, code_as_name, page_url

NOW = datetime(2026, 12, 7, 10, tzinfo=UTC)


@pytest.fixture()
def world(db, officer, peru):
    return build_world(db, officer, peru)


def activities_file(db) -> bytes:
    return b"".join(activities_document(activity_records(db, SETTINGS, page_url, code_as_name), NOW))


def activity(document: etree._Element, action) -> etree._Element:
    found = document.xpath(f"iati-activity[iati-identifier='XM-TEST-ORG-ACT-{action.id}']")
    assert len(found) == 1, f"one iati-activity for {action.name}"
    return found[0]


def test_the_activities_file_is_valid_iati_2_03_and_holds_the_published_actions_only(db, world):
    data = activities_file(db)
    assert problems(data, "activities") == []
    document = etree.fromstring(data)
    assert document.get("version") == "2.03"
    identifiers = document.xpath("iati-activity/iati-identifier/text()")
    assert identifiers == [f"XM-TEST-ORG-ACT-{world.closed.id}", f"XM-TEST-ORG-ACT-{world.regional.id}"]


def test_an_activity_names_its_organisations_country_sectors_marker_dates_and_status(db, world):
    node = activity(etree.fromstring(activities_file(db)), world.closed)
    assert node.xpath("reporting-org/@ref") == ["XM-TEST-ORG"]
    roles = [(org.get("role"), org.findtext("narrative")) for org in node.xpath("participating-org")]
    assert ("1", "European Commission - International Partnerships") in roles
    assert ("4", "Test programme team") in roles
    assert ("2", "Ministry of the Interior of Peru (MININTER)") in roles  # the beneficiary
    assert ("4", "Ministry of the Interior of Spain") in roles  # the experts' administration
    assert node.xpath("recipient-country/@code") == ["PE"] and not node.xpath("recipient-region")
    sectors = {s.get("code"): int(s.get("percentage")) for s in node.xpath("sector")}
    assert sectors == {"15190": 34, "15170": 33, "24050": 33}  # the theme, then gender and remittances
    assert node.xpath("policy-marker[@code='1']/@significance") == ["1"]  # the gender sub-topic
    assert node.xpath("activity-status/@code") == ["4"]  # closed
    dates = {d.get("type"): d.get("iso-date") for d in node.xpath("activity-date")}
    assert dates["1"] == "2026-01-01" and dates["2"] == "2026-03-02" and "4" in dates
    assert node.xpath("title/narrative[@xml:lang='es']/text()") == ["Trata de seres humanos"]


def test_a_regional_action_has_a_recipient_region_and_an_unmarked_gender_policy(db, world):
    node = activity(etree.fromstring(activities_file(db)), world.regional)
    assert node.xpath("recipient-region/@code") == ["498"] and node.xpath("recipient-region/@vocabulary") == ["1"]
    assert not node.xpath("recipient-country")
    assert node.xpath("policy-marker/@significance") == ["0"]
    assert node.xpath("activity-status/@code") == ["1"]  # accepted: still being identified
    assert not node.xpath("result")  # no framework, no results


def test_public_deliverables_are_document_links_and_uploaded_files_are_not(db, world):
    node = activity(etree.fromstring(activities_file(db)), world.closed)
    links = {link.get("url"): link for link in node.xpath("document-link")}
    assert set(links) == {page_url(world.closed.id), "https://example.org/protocol.pdf"}
    protocol = links["https://example.org/protocol.pdf"]
    assert protocol.get("format") == "application/pdf"
    assert protocol.xpath("category/@code") == ["A08"] and protocol.xpath("language/@code") == ["es"]
    assert protocol.xpath("document-date/@iso-date") == ["2026-06-01"]
    assert links[page_url(world.closed.id)].xpath("category/@code") == ["A12"]


def test_results_carry_indicators_baselines_targets_and_the_latest_actual(db, world):
    node = activity(etree.fromstring(activities_file(db)), world.closed)
    results = node.xpath("result")
    assert [r.get("type") for r in results] == ["2"]  # the output without indicators is left out
    trained, share = results[0].xpath("indicator")
    assert trained.get("measure") == "1" and share.get("measure") == "2"
    assert trained.xpath("baseline/@value") == ["0"] and trained.xpath("baseline/@year") == ["2026"]
    assert trained.xpath("period/target/@value") == ["755"]
    assert trained.xpath("period/actual/@value") == ["400"]  # the withdrawn 9999 is not published
    assert "Training records" in trained.xpath("string(period/actual/comment/narrative)")
    assert trained.xpath("period/period-end/@iso-date") == ["2027-06-30"]
    assert share.xpath("baseline/@value") == ["12.5"] and not share.xpath("period")


def test_the_organisation_file_is_valid_iati_2_03():
    data = organisation_document(SETTINGS, NOW, NOW, "https://peerflow.example.org/catalogue/")
    assert problems(data, "organisations") == []
    document = etree.fromstring(data)
    assert document.xpath("iati-organisation/organisation-identifier/text()") == ["XM-TEST-ORG"]
    assert document.xpath("iati-organisation/reporting-org/@ref") == ["XM-TEST-ORG"]


def test_a_document_the_schema_refuses_is_reported():
    assert problems(b'<iati-activities version="2.03"><iati-activity/></iati-activities>', "activities")


def test_the_file_is_written_one_activity_at_a_time(db, world):
    """The generator asks for the next record only when the previous activity has been handed out."""
    asked = []

    def records():
        for record in activity_records(db, SETTINGS, page_url, code_as_name):
            asked.append(record.identifier)
            yield record

    chunks = activities_document(records(), NOW)
    assert next(chunks).startswith(b"<?xml") and asked == []
    first = next(chunks)
    assert b"<iati-activity " in first and len(asked) == 1
    assert first.count(b"<iati-activity ") == 1
    rest = list(chunks)
    assert len(asked) == 2 and rest[-1] == b"</iati-activities>\n"


def test_every_thematic_area_and_mapped_subtopic_has_a_dac_code_with_its_name():
    for code, _name, subtopics in THEMES:
        assert THEME_SECTORS[code] in SECTORS
        for subtopic, _sub_name in subtopics:
            assert SUBTOPIC_SECTORS.get(subtopic, THEME_SECTORS[code]) in SECTORS
    assert all(len(code) == 5 and code.isdigit() for code in SECTORS)
