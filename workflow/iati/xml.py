"""IATI 2.03 XML: one `iati-activity` element per record, the activities file as a stream of chunks, and
the organisation file. Element order follows the schema's sequences (workflow/iati/schemas/2.03)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from lxml import etree

from . import codes
from .records import (
    DEFAULT_LANGUAGE,
    Document,
    IatiActivity,
    IatiSettings,
    IndicatorRecord,
    Narrative,
    Organisation,
    ResultRecord,
)

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
E = etree.SubElement


def stamp(moment: datetime) -> str:
    """An xsd:dateTime in UTC (naive values are UTC already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0).isoformat() + "Z"


def narratives(parent: etree._Element, items: Iterable[Narrative]) -> etree._Element:
    for item in items:
        node = E(parent, "narrative")
        node.text = item.text
        if item.lang:
            node.set(XML_LANG, item.lang)
    return parent


def narrative(parent: etree._Element, tag: str, text: str, **attributes: str) -> etree._Element:
    """An element with one narrative in the default language (a hundred thousand of them at scale 100)."""
    element = E(parent, tag, **attributes)
    E(element, "narrative").text = text
    return element


def organisation(parent: etree._Element, tag: str, org: Organisation) -> None:
    attributes = {"ref": org.ref} if org.ref else {}
    if org.type:
        attributes["type"] = org.type
    if org.role:
        attributes["role"] = org.role
    narrative(parent, tag, org.name, **attributes)


def document_link(parent: etree._Element, doc: Document) -> None:
    link = E(parent, "document-link", url=doc.url, format=doc.format)
    narrative(link, "title", doc.title)
    E(link, "category", code=doc.category)
    if doc.language:
        E(link, "language", code=doc.language)
    if doc.document_date:
        E(link, "document-date", {"iso-date": doc.document_date.isoformat()})


def indicator(parent: etree._Element, record: IndicatorRecord) -> None:
    node = E(parent, "indicator", measure=record.measure)
    narrative(node, "title", record.title)
    narrative(node, "description", record.description)
    if record.baseline_value is not None and record.baseline_year is not None:
        baseline = E(node, "baseline", year=str(record.baseline_year), value=record.baseline_value)
        if record.baseline_date:
            baseline.set("iso-date", record.baseline_date.isoformat())
    for period in record.periods:
        element = E(node, "period")
        E(element, "period-start", {"iso-date": period.start.isoformat()})
        E(element, "period-end", {"iso-date": period.end.isoformat()})
        if period.target is not None:
            E(element, "target", value=period.target)
        if period.actual is not None:
            actual = E(element, "actual", value=period.actual)
            if period.actual_comment:
                narrative(actual, "comment", period.actual_comment)


def result(parent: etree._Element, record: ResultRecord) -> None:
    node = E(parent, "result", type=record.type)
    narrative(node, "title", record.title)
    for item in record.indicators:
        indicator(node, item)


def activity_element(record: IatiActivity) -> etree._Element:
    node = etree.Element("iati-activity", {"last-updated-datetime": stamp(record.last_updated),
                                           XML_LANG: record.language, "hierarchy": "1"})
    E(node, "iati-identifier").text = record.identifier
    organisation(node, "reporting-org", record.reporting_org)
    narratives(E(node, "title"), record.titles)
    narratives(E(node, "description", type="1"), record.general)
    if record.objectives:
        narratives(E(node, "description", type="2"), record.objectives)
    for org in record.participating_orgs:
        organisation(node, "participating-org", org)
    E(node, "activity-status", code=record.status)
    for day in record.dates:
        E(node, "activity-date", {"type": day.type, "iso-date": day.iso_date.isoformat()})
    for country in record.recipient_countries:
        narrative(node, "recipient-country", country.name, code=country.code, percentage=str(country.percentage))
    if record.recipient_region:
        region = record.recipient_region
        narrative(node, "recipient-region", region.name, code=region.code, vocabulary=codes.REGION_VOCABULARY,
                  percentage=str(region.percentage))
    for sector in record.sectors:
        narrative(node, "sector", sector.name, code=sector.code, vocabulary=codes.SECTOR_VOCABULARY,
                  percentage=str(sector.percentage))
    E(node, "policy-marker", vocabulary=codes.POLICY_MARKER_VOCABULARY, code=codes.GENDER_MARKER,
      significance=record.gender_marker)
    for doc in record.documents:
        document_link(node, doc)
    for item in record.results:
        result(node, item)
    return node


def activities_document(records: Iterable[IatiActivity], generated: datetime) -> Iterator[bytes]:
    """The activities file, one chunk per activity: only the activity being written is in memory."""
    yield (f'<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="{codes.IATI_VERSION}" '
           f'generated-datetime="{stamp(generated)}">\n').encode()
    for record in records:
        yield etree.tostring(activity_element(record), encoding="UTF-8") + b"\n"
    yield b"</iati-activities>\n"


def organisation_document(settings: IatiSettings, generated: datetime, last_updated: datetime,
                          catalogue_url: str) -> bytes:
    """The publishing organisation: its identifier, name, and its public page (the catalogue)."""
    root = etree.Element("iati-organisations", version=codes.IATI_VERSION, **{"generated-datetime": stamp(generated)})
    org = E(root, "iati-organisation", {"last-updated-datetime": stamp(last_updated), XML_LANG: DEFAULT_LANGUAGE})
    E(org, "organisation-identifier").text = settings.organisation_ref
    narrative(org, "name", settings.organisation_name)
    organisation(org, "reporting-org", settings.reporting_org)
    link = E(org, "document-link", url=catalogue_url, format="text/html")
    narrative(link, "title", "Public catalogue of the programme's Actions")
    E(link, "category", code=codes.ORGANISATION_PAGE)
    E(link, "language", code=DEFAULT_LANGUAGE)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)
