"""What Peerflow publishes about one Action in IATI 2.03 terms, as plain values.

`workflow.iati.activity` fills them from an Action; `workflow.iati.xml` writes them as an `iati-activity`
element and the API answers them as JSON, so both say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app

from ..actions.models import Action

DEFAULT_LANGUAGE = "en"  # what Peerflow's records are written in; translations carry their own xml:lang


@dataclass(frozen=True)
class Narrative:
    text: str
    lang: str | None = None  # None: the activity's default language


@dataclass(frozen=True)
class Organisation:
    name: str
    role: str | None = None  # IATI OrganisationRole; None for the reporting organisation
    ref: str | None = None
    type: str | None = None  # IATI OrganisationType


@dataclass(frozen=True)
class Coded:
    """A code with its name and share: a sector, a recipient country or a recipient region."""

    code: str
    name: str
    percentage: int = 100


@dataclass(frozen=True)
class ActivityDate:
    type: str  # IATI ActivityDateType
    iso_date: date


@dataclass(frozen=True)
class Document:
    url: str
    title: str
    category: str  # IATI DocumentCategory
    format: str = "text/html"
    language: str | None = None
    document_date: date | None = None


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    target: str | None = None
    actual: str | None = None
    actual_comment: str | None = None  # when it was measured and where it came from


@dataclass(frozen=True)
class IndicatorRecord:
    title: str
    description: str
    measure: str  # IATI IndicatorMeasure
    impact_area: str
    baseline_year: int | None = None
    baseline_date: date | None = None
    baseline_value: str | None = None
    periods: tuple[Period, ...] = ()


@dataclass(frozen=True)
class ResultRecord:
    type: str  # IATI ResultType
    title: str
    indicators: tuple[IndicatorRecord, ...]


@dataclass(frozen=True)
class IatiActivity:
    identifier: str
    last_updated: datetime
    titles: tuple[Narrative, ...]
    general: tuple[Narrative, ...]  # description type 1
    objectives: tuple[Narrative, ...]  # description type 2
    reporting_org: Organisation
    participating_orgs: tuple[Organisation, ...]
    status: str  # IATI ActivityStatus
    dates: tuple[ActivityDate, ...]
    recipient_countries: tuple[Coded, ...]
    recipient_region: Coded | None
    sectors: tuple[Coded, ...]
    gender_marker: str  # IATI PolicySignificance of the gender equality marker
    documents: tuple[Document, ...]
    results: tuple[ResultRecord, ...] = field(default=())
    language: str = DEFAULT_LANGUAGE


@dataclass(frozen=True)
class IatiSettings:
    """The identifiers and names of the README's IATI_* settings."""

    organisation_ref: str
    organisation_name: str
    organisation_type: str
    activity_prefix: str
    funder_ref: str
    funder_name: str

    @classmethod
    def from_app(cls) -> IatiSettings:
        config = current_app.config
        return cls(config["IATI_ORGANISATION_REF"], config["IATI_ORGANISATION_NAME"],
                   config["IATI_ORGANISATION_TYPE"], config["IATI_ACTIVITY_PREFIX"], config["IATI_FUNDER_REF"],
                   config["IATI_FUNDER_NAME"])

    @property
    def reporting_org(self) -> Organisation:
        return Organisation(self.organisation_name, ref=self.organisation_ref, type=self.organisation_type)

    def identifier(self, action: Action) -> str:
        """The Action's iati-identifier: the prefix and its id, which never changes (its name may)."""
        return f"{self.activity_prefix}-{action.id}"
