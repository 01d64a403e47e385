"""The programme's reference lists: regions, their countries, thematic areas and sub-topics.

Country *names* are not here: they come localised from Babel's CLDR data.
"""

from __future__ import annotations

REGIONS: list[tuple[str, str, str]] = [
    # (code, English name, ISO codes of the partner countries in it)
    ("africa", "Africa",
     "AO BF BI BJ BW CD CF CG CI CM CV DJ ER ET GA GH GM GN GQ GW KE KM LR LS MG ML MR MU MW MZ NA NE "
     "NG RW SC SL SN SO SS ST SZ TD TG TZ UG ZA ZM ZW"),
    ("asia_pacific", "Asia and the Pacific",
     "AF AU BD BN BT CN FJ FM ID IN JP KH KI KP KR LA LK MH MM MN MV MY NP NR NZ PG PH PK PW SB SG TH "
     "TL TO TV VN VU WS"),
    ("eastern_europe_central_asia", "Eastern Europe and Central Asia",
     "AL AM AZ BA BY GE KG KZ MD ME MK RS RU TJ TM TR UA UZ XK"),
    ("latin_america_caribbean", "Latin America and the Caribbean",
     "AG AR BB BO BR BS BZ CL CO CR CU DM DO EC GD GT GY HN HT JM KN LC MX NI PA PE PY SR SV TT UY VC VE"),
    ("middle_east_north_africa", "Middle East and North Africa",
     "AE BH DZ EG IL IQ IR JO KW LB LY MA OM PS QA SA SD SY TN YE"),
]

EU_MEMBER_STATES = "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK".split()

# Babel territory codes that are not countries.
NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}

THEMES: list[tuple[str, str, list[tuple[str, str]]]] = [
    ("irregular_migration_thb", "Irregular migration and trafficking in human beings",
     [("thb", "Trafficking in human beings (THB)")]),
    ("border_visa_som", "Border and visa management, smuggling of migrants",
     [("border_management", "Border management"), ("visa_policy", "Visa policy"),
      ("som", "Smuggling of migrants (SOM)"), ("document_security", "Document security")]),
    ("legal_migration_mobility", "Legal migration and mobility",
     [("labour_migration", "Labour migration"), ("integration", "Integration"),
      ("free_movement", "Free movement of persons")]),
    ("migration_development", "Migration and development",
     [("development_planning", "Development planning"), ("diaspora_engagement", "Diaspora engagement"),
      ("remittances", "Remittances"), ("brain_drain_gain", "Brain drain / brain gain")]),
    ("international_protection_asylum", "International protection and asylum",
     [("refugee_integration", "Refugee integration"), ("forced_displacement", "Forced displacement")]),
    ("horizontal", "Horizontal",
     [("migration_health", "Migration and health"), ("migration_climate", "Migration and climate change"),
      ("data_management", "Data management"), ("gender", "Gender"), ("human_rights", "Human rights"),
      ("unaccompanied_minors", "Unaccompanied minors"), ("consular_affairs", "Consular affairs"),
      ("capacity_development", "Capacity development and training"),
      ("policy_strategy", "Policy / strategy development"), ("public_communication", "Public communication")]),
]
