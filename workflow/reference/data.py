"""The programme's reference lists: regions, their countries, thematic areas and sub-topics.

Country *names* are not here: they come localised from Babel's CLDR data. The English names below are
stored in the database and marked with `N_` for the catalogues: pages show them as `_(region.name)`.
"""

from __future__ import annotations

from ..core.i18n import N_

REGIONS: list[tuple[str, str, str]] = [
    # (code, English name, ISO codes of the partner countries in it)
    ("africa", N_("Africa"),
     "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA NE "
     "NG RW SC SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW"),
    ("asia_pacific", N_("Asia and the Pacific"),
     "AF AU BD BN BT CN FJ FM ID IN JP KH KI KP KR LA LK MH MM MN MV MY NP NR NZ PG PH PK PW SB SG TH "
     "TL TO TV VN VU WS"),
    ("eastern_europe_central_asia", N_("Eastern Europe and Central Asia"),
     "AL AM AZ BA BY GE KG KZ MD ME MK RS RU TJ TM TR UA UZ XK"),
    ("latin_america_caribbean", N_("Latin America and the Caribbean"),
     "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY SR SV TT UY VC VE"),
    ("middle_east_north_africa", N_("Middle East and North Africa"),
     "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN YE"),
]

EU_MEMBER_STATES = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()

# Babel territory codes that are not countries.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

# The programme's five thematic areas (seeds/004); border and visa management and smuggling of migrants
# are sub-topics of the first (migration 0018 moved what pointed at the former sixth area).
THEMES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("irregular_migration_thb", N_("Irregular migration and trafficking in human beings"),
     [("thb", N_("Trafficking in human beings (THB)")), ("border_management", N_("Border management")),
      ("visa_policy", N_("Visa policy")), ("som", N_("Smuggling of migrants (SOM)")),
      ("document_security", N_("Document security"))]),
    ("legal_migration_mobility", N_("Legal migration and mobility"),
     [("labour_migration", N_("Labour migration")), ("integration", N_("Integration")),
      ("free_movement", N_("Free movement of persons"))]),
    ("migration_development", N_("Migration and development"),
     [("development_planning", N_("Development planning")), ("diaspora_engagement", N_("Diaspora engagement")),
      ("remittances", N_("Remittances")), ("brain_drain_gain", N_("Brain drain / brain gain"))]),
    ("international_protection_asylum", N_("International protection and asylum"),
     [("refugee_integration", N_("Refugee integration")), ("forced_displacement", N_("Forced displacement"))]),
    ("horizontal", N_("Horizontal interventions"),
     [("migration_health", N_("Migration and health")), ("migration_climate", N_("Migration and climate change")),
      ("data_management", N_("Data management")), ("gender", N_("Gender")), ("human_rights", N_("Human rights")),
      ("unaccompanied_minors", N_("Unaccompanied minors")), ("consular_affairs", N_("Consular affairs")),
      ("capacity_development", N_("Capacity development and training")),
      ("policy_strategy", N_("Policy / strategy development")), ("public_communication", N_("Public communication"))]),
]
