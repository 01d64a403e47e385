"""The IATI 2.03 codes Peerflow's records translate to, each list in one table.

Sector codes are the OECD DAC 5-digit purpose codes (IATI `Sector` codelist, vocabulary 1), as the DAC
describes them: 15190 covers nearly all the programme's work (capacity building in migration policy,
border management related to migration, smuggling of migrants and trafficking in human beings,
international protection and asylum, diaspora engagement); the DAC asks for a more specific code where
one exists (15136 for immigration affairs and services, 24050 for remittances …). An Action reports its
thematic area's code and those of its sub-topics, shares split evenly.
"""

from __future__ import annotations

from ..actions.lifecycle import ActionStatus
from ..reference.models import InstitutionKind

IATI_VERSION = "2.03"
SECTOR_VOCABULARY = "1"  # OECD DAC CRS purpose codes (5 digit)
REGION_VOCABULARY = "1"  # OECD DAC regions
POLICY_MARKER_VOCABULARY = "1"  # OECD DAC CRS

# DAC purpose code: its name in the IATI Sector codelist.
SECTORS: dict[str, str] = {
    "15190": "Facilitation of orderly, safe, regular and responsible migration and mobility",
    "15136": "Immigration",
    "15110": "Public sector policy and administrative management",
    "24050": "Remittance facilitation, promotion and optimisation",
    "12110": "Health policy and administrative management",
    "41010": "Environmental policy and administrative management",
    "16062": "Statistical capacity building",
    "15170": "Women's rights organisations and movements, and government institutions",
    "15160": "Human rights",
}

# Thematic area (seed 004) -> DAC purpose code: all five are migration governance in partner countries.
THEME_SECTORS: dict[str, str] = {
    "irregular_migration_thb": "15190",
    "legal_migration_mobility": "15190",
    "migration_development": "15190",
    "international_protection_asylum": "15190",
    "horizontal": "15190",
}

# Sub-topic -> a more specific DAC purpose code where the DAC has one (the others stay under their area's).
SUBTOPIC_SECTORS: dict[str, str] = {
    "visa_policy": "15136",  # immigration affairs: issuing work and travel documents
    "document_security": "15136",
    "integration": "15136",
    "consular_affairs": "15136",
    "development_planning": "15110",  # development planning, monitoring and evaluation
    "policy_strategy": "15110",
    "capacity_development": "15110",  # human resource management, organisational development
    "remittances": "24050",
    "migration_health": "12110",
    "migration_climate": "41010",
    "data_management": "16062",
    "gender": "15170",
    "human_rights": "15160",
    "unaccompanied_minors": "15160",  # children's rights
}

# The programme's regions -> OECD DAC region codes (IATI `Region` codelist), for regional Actions.
REGIONS: dict[str, tuple[str, str]] = {
    "africa": ("298", "Africa, regional"),
    "asia_pacific": ("798", "Asia, regional"),
    "eastern_europe_central_asia": ("89", "Europe, regional"),
    "latin_america_caribbean": ("498", "America, regional"),
    "middle_east_north_africa": ("589", "Middle East, regional"),
}
UNSPECIFIED_REGION = ("998", "Developing countries, unspecified")

# IATI ActivityStatus: 1 Pipeline/identification, 2 Implementation, 3 Finalisation, 4 Closed,
# 5 Cancelled, 6 Suspended.
ACTIVITY_STATUS: dict[ActionStatus, str] = {
    ActionStatus.ACCEPTED: "1",
    ActionStatus.ASSESSMENT: "1",  # the assessment mission identifies the work
    ActionStatus.IMPLEMENTATION: "2",
    ActionStatus.CLOSING: "3",
    ActionStatus.CLOSED: "4",
    ActionStatus.CANCELLED: "5",
    ActionStatus.SUSPENDED: "6",
}

# IATI ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"

# IATI OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing. The beneficiary
# administration is the one accountable, in its country, for what comes of the Action (it validates and
# adopts the deliverables); the experts' administrations implement beside the programme.
FUNDING, ACCOUNTABLE, EXTENDING, IMPLEMENTING = "1", "2", "3", "4"

# InstitutionKind -> IATI OrganisationType
ORGANISATION_TYPES: dict[InstitutionKind, str] = {
    InstitutionKind.PARTNER_ADMINISTRATION: "10",  # Government
    InstitutionKind.MS_ADMINISTRATION: "10",
    InstitutionKind.REGIONAL_ORGANISATION: "40",  # Multilateral
    InstitutionKind.INTERNATIONAL_ORGANISATION: "40",
    InstitutionKind.ACADEMIA: "80",  # Academic, Training and Research
    InstitutionKind.NGO: "22",  # National NGO
}
GOVERNMENT = "10"
MULTILATERAL = "40"

# The OECD DAC gender equality policy marker (IATI PolicyMarker 1) and its significance (PolicySignificance):
# 1 "significant objective" for an Action with the gender sub-topic, else 0 "not targeted".
GENDER_MARKER = "1"
GENDER_SUBTOPIC = "gender"
NOT_TARGETED, SIGNIFICANT = "0", "1"

# IATI DocumentCategory: A08 results, outcomes and outputs (a deliverable), A12 activity web page (the
# public catalogue's page); B01 organisation web page.
RESULTS_DOCUMENT, ACTIVITY_PAGE, ORGANISATION_PAGE = "A08", "A12", "B01"

# IATI ResultType and IndicatorMeasure
OUTPUT, OUTCOME = "1", "2"
UNIT, PERCENTAGE = "1", "2"
