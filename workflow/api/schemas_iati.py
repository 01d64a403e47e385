"""The API's schemas of the IATI publication: each published Action's activity as /iati/activities.xml
writes it (IATI 2.03 codes, element by element)."""

from __future__ import annotations

from marshmallow import Schema, fields

from .schemas import page_of


class IatiNarrativeOut(Schema):
    text = fields.String(required=True)
    lang = fields.String(allow_none=True, required=True, metadata={"description": "null: the activity's language"})


class IatiOrganisationOut(Schema):
    name = fields.String(required=True)
    role = fields.String(allow_none=True, required=True, metadata={
        "description": "IATI OrganisationRole: 1 funding, 2 accountable (the beneficiary), 4 implementing"})
    ref = fields.String(allow_none=True, required=True)
    type = fields.String(allow_none=True, required=True, metadata={"description": "IATI OrganisationType"})


class IatiCodedOut(Schema):
    code = fields.String(required=True)
    name = fields.String(required=True)
    percentage = fields.Integer(required=True)


class IatiActivityDateOut(Schema):
    type = fields.String(required=True, metadata={
        "description": "IATI ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end"})
    iso_date = fields.Date(required=True)


class IatiDocumentOut(Schema):
    url = fields.String(required=True)
    title = fields.String(required=True)
    category = fields.String(required=True, metadata={"description": "IATI DocumentCategory (A08, A12)"})
    format = fields.String(required=True)
    language = fields.String(allow_none=True, required=True)
    document_date = fields.Date(allow_none=True, required=True)


class IatiPeriodOut(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    target = fields.String(allow_none=True, required=True)
    actual = fields.String(allow_none=True, required=True)
    actual_comment = fields.String(allow_none=True, required=True)


class IatiIndicatorOut(Schema):
    title = fields.String(required=True)
    description = fields.String(required=True)
    measure = fields.String(required=True, metadata={"description": "IATI IndicatorMeasure: 1 unit, 2 percentage"})
    impact_area = fields.String(required=True)
    baseline_year = fields.Integer(allow_none=True, required=True)
    baseline_date = fields.Date(allow_none=True, required=True)
    baseline_value = fields.String(allow_none=True, required=True)
    periods = fields.List(fields.Nested(IatiPeriodOut), required=True)


class IatiResultOut(Schema):
    type = fields.String(required=True, metadata={"description": "IATI ResultType: 1 output, 2 outcome"})
    title = fields.String(required=True)
    indicators = fields.List(fields.Nested(IatiIndicatorOut), required=True)


class IatiActivityOut(Schema):
    """One published Action as its `iati-activity` says it."""

    identifier = fields.String(required=True)
    last_updated = fields.DateTime(required=True)
    language = fields.String(required=True)
    titles = fields.List(fields.Nested(IatiNarrativeOut), required=True)
    general = fields.List(fields.Nested(IatiNarrativeOut), required=True, metadata={"description": "description type 1"})
    objectives = fields.List(fields.Nested(IatiNarrativeOut), required=True,
                             metadata={"description": "description type 2"})
    reporting_org = fields.Nested(IatiOrganisationOut, required=True)
    participating_orgs = fields.List(fields.Nested(IatiOrganisationOut), required=True)
    status = fields.String(required=True, metadata={"description": "IATI ActivityStatus"})
    dates = fields.List(fields.Nested(IatiActivityDateOut), required=True)
    recipient_countries = fields.List(fields.Nested(IatiCodedOut), required=True)
    recipient_region = fields.Nested(IatiCodedOut, allow_none=True, required=True,
                                     metadata={"description": "OECD DAC region, for a regional Action"})
    sectors = fields.List(fields.Nested(IatiCodedOut), required=True, metadata={"description": "OECD DAC 5-digit"})
    gender_marker = fields.String(required=True, metadata={
        "description": "IATI PolicySignificance of the gender equality marker: 0 not targeted, 1 significant"})
    documents = fields.List(fields.Nested(IatiDocumentOut), required=True)
    results = fields.List(fields.Nested(IatiResultOut), required=True)


IatiActivityPage = page_of(IatiActivityOut, "IatiActivityPage")
