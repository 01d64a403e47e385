"""The demo portfolio's tables (seed/data/portfolio/*.json) agree with themselves and with the sources.

These were `python seed/portfolio.py`'s self-check when the tables were Python literals; as tests they
run with the rest. The figures the README quotes are checked on a loaded database in
tests/integration/test_readme_figures.py.
"""

from __future__ import annotations

import re
from datetime import date

from seed.portfolio import ACTIONS, EXPERTS, INSTITUTIONS, REQUESTS
from seed.tables import DATA, table

TODAY = date(2026, 11, 23)
THEMES = {
    "irregular_migration_thb": {"thb", "border_management", "visa_policy", "som", "document_security"},
    "legal_migration_mobility": {"labour_migration", "integration", "free_movement"},
    "migration_development": {"development_planning", "diaspora_engagement", "remittances", "brain_drain_gain"},
    "international_protection_asylum": {"refugee_integration", "forced_displacement"},
    "horizontal": {"migration_health", "migration_climate", "data_management", "gender", "human_rights",
                   "unaccompanied_minors", "consular_affairs", "capacity_development", "policy_strategy",
                   "public_communication"},
}
SUBTOPICS = set().union(*THEMES.values())
KINDS = {"assessment_mission", "fact_finding_mission", "mapping_mission", "workshop", "seminar", "training",
         "training_of_trainers", "study_visit", "working_group_session", "information_session",
         "coordination_session", "round_table", "long_distance_assistance", "deliverable_drafting"}
ASSESSMENT = {"assessment_mission", "fact_finding_mission", "mapping_mission"}
ROLES = {"lead_expert", "expert", "trainer"}
DELIVERABLES = {"handbook", "manual", "training_curriculum", "national_plan", "protocol", "guidelines", "study",
                "e_learning_module"}
INST_KINDS = {"partner_administration", "ms_administration", "regional_organisation", "academia", "ngo",
              "international_organisation"}
LANGS = {"es", "en", "pt", "fr", "it", "de", "nl", "sv", "el", "ga", "mt", "ca"}
CEFR = {"A1", "A2", "B1", "B2", "C1", "C2"}
REGIONAL = {"SICA", "MERCOSUR", "IberRed", "MIRPS", "Gran Chaco"}
REMOVED = {"Costa Rica III", "Dominican Republic", "Mexico III"}  # wholly invented, taken out
SOURCES = {"000", "001", "002", "003", "004"}  # the documents in shared/seeds (seed/data/README.md)
iso = re.compile(r"^[A-Z]{2}$")
d = date.fromisoformat
inst = {i["key"]: i for i in INSTITUTIONS}
by = {a["name"]: a for a in ACTIONS}


def test_every_table_under_seed_data_is_read_by_a_loader() -> None:
    read = {"portfolio/institutions.json", "portfolio/actions.json", "portfolio/experts.json",
            "portfolio/requests.json", "portfolio/results.json", "roster/institutions.json", "roster/plan.json", "roster/names.json",
            "synthetic/geography.json", "synthetic/people.json", "synthetic/work.json",
            "synthetic/outcomes.json"}
    assert {path.relative_to(DATA).as_posix() for path in DATA.rglob("*.json")} == read
    assert all(table(name) for name in read)


def test_institutions_are_each_listed_once_with_a_known_kind() -> None:
    keys = [i["key"] for i in INSTITUTIONS]
    assert len(keys) == len(set(keys)), "duplicate institution key"
    assert len({(i["name"], i["country"]) for i in INSTITUTIONS}) == len(INSTITUTIONS), "duplicate institution"
    for i in INSTITUTIONS:
        assert i["kind"] in INST_KINDS and iso.match(i["country"]), i
    for k in ("pe-requester", "bo-requester", "es-mir", "ec-mremh", "gt-igm"):
        assert k in inst, k
    assert inst["es-mir"]["country"] == "ES" and inst["es-mir"]["kind"] == "ms_administration"


def test_every_institution_is_referenced_by_an_action_an_expert_or_a_request() -> None:
    referenced = {k for a in ACTIONS for k in a["beneficiaries"] + a["expert_institutions"]}
    referenced |= {x["institution"] for x in EXPERTS} | {r["institution"] for r in REQUESTS}
    assert referenced == set(inst), set(inst) - referenced


def test_every_action_names_its_sources_and_what_is_invented() -> None:
    for a in ACTIONS:
        assert a["sources"] and set(a["sources"]) <= SOURCES, a["name"]
        assert isinstance(a["invented"], list), a["name"]


def test_actions_follow_the_lifecycle_rules() -> None:
    names = [a["name"] for a in ACTIONS]
    assert len(names) == len(set(names)), "duplicate Action name"
    assert len(ACTIONS) >= 25 and "Peru II" not in names
    for a in ACTIONS:
        n = a["name"]
        assert a["theme"] in THEMES and set(a["subtopics"]) <= SUBTOPICS, n
        assert a["regional"] == (n in REGIONAL), n
        assert (a["country"] is None) if a["regional"] else bool(iso.match(a["country"])), n
        assert a["status"] in {"accepted", "assessment", "implementation", "closed"}, n
        assert a["beneficiaries"] and a["expert_institutions"], n
        for k in a["beneficiaries"] + a["expert_institutions"]:
            assert k in inst, (n, k)
        assert a["objective"] and a["title"], n  # the summary only where the documents give one
        start, end = d(a["start"]), d(a["end"]) if a["end"] else None
        assert end is None or end >= start, n
        for dl in a["deliverables"]:
            assert dl["kind"] in DELIVERABLES and dl["language"] in LANGS and d(dl["date"]) <= TODAY, (n, dl)
        assessed = any(x["kind"] in ASSESSMENT and x["status"] == "reported" for x in a["activities"])
        if a["status"] in {"implementation", "closed"}:
            assert assessed or (a["assessment_waiver"] or "").strip(), n
        assert not (assessed and a["assessment_waiver"]), f"{n}: waiver given although assessed"
        if a["status"] == "closed":
            assert end and end < TODAY, n
            assert all(x["status"] in {"reported", "cancelled"} for x in a["activities"]), n
            fr = a["final_report"]
            assert fr and fr["results"] and fr["lessons_learned"], n
            assert all(isinstance(fr[f], int) and fr[f] >= 0 for f in
                       ("officials_trained_female", "officials_trained_male", "institutions_reached")), n
        else:
            assert a["final_report"] is None, n
            assert all(x["status"] != "cancelled" for x in a["activities"]), n
            assert any(x["status"] == "planned" and x["start"].startswith("2027") for x in a["activities"]), n
            assert d(a["start"]) >= date(2009, 1, 1) and d(a["start"]).year >= 2024, \
                f"{n}: ongoing Action starting before the current phase"
    for old in names:
        if d(by[old]["start"]).year <= 2023:
            assert by[old]["status"] == "closed", old


def test_activities_fit_their_action_and_their_status() -> None:
    n_act = 0
    for a in ACTIONS:
        start, end = d(a["start"]), d(a["end"]) if a["end"] else None
        for act in a["activities"]:
            n_act += 1
            t = (a["name"], act["title"])
            assert act["kind"] in KINDS and act["status"] in {"planned", "reported", "cancelled"}, t
            s, e = d(act["start"]), d(act["end"])
            assert e >= s and s >= start and (end is None or e <= end), t
            if act["kind"] == "long_distance_assistance":
                assert act["remote"] is True and act["city"] is None and act["country"] is None, t
            else:
                assert act["remote"] is False and act["city"] and iso.match(act["country"]), t
            assert act["languages"] and set(act["languages"]) <= LANGS, t
            assert act["slots"], t
            for sl in act["slots"]:
                assert sl["role"] in ROLES and sl["theme"] in THEMES and sl["language"] in LANGS and sl["count"] >= 1, t
            if act["status"] == "reported":
                assert e < TODAY and act["report"] and sum(act["participants"].values()) > 0, t
            if act["status"] == "planned":
                assert s > TODAY, t
            if act["status"] == "cancelled":
                assert act.get("reason") and s < TODAY, t
            assert isinstance(act["invented"], list), t
    assert n_act >= 45, n_act


def test_the_current_phase_and_the_invented_work_are_as_the_sources_allow() -> None:
    # the Actions the current phase's overview describes as under way are running
    assert {k: by[k]["status"] for k in ("Gran Chaco", "Colombia II", "Costa Rica IV", "El Salvador II")} == {
        "Gran Chaco": "implementation", "Colombia II": "implementation", "Costa Rica IV": "implementation",
        "El Salvador II": "implementation"}
    assert not REMOVED & set(by), REMOVED & set(by)
    assert "Paraguay I" in by and by["IberRed"]["beneficiaries"] == ["iberred-prosecutors"]
    for a in ACTIONS:  # wholly invented activities only where a running Action needs planned work
        assert a["status"] != "closed" or all(x["invented"] != ["*"] for x in a["activities"]), a["name"]
        assert all(dl["invented"] != ["*"] for dl in a["deliverables"]), a["name"]
    for ongoing in ("Gran Chaco", "Colombia II"):
        assert any(x["status"] == "reported" and x["kind"] in ASSESSMENT for x in by[ongoing]["activities"]), ongoing
    assert all(x["status"] == "planned" for x in by["El Salvador II"]["activities"])


def test_the_facts_the_documents_give_are_kept() -> None:
    pe = by["Peru"]
    assert pe["theme"] == "irregular_migration_thb" and pe["start"] == "2013-04-01"
    assert "pe-requester" in pe["beneficiaries"] and "pe-requester" in by["Peru III"]["beneficiaries"]
    assert any(x["kind"] == "fact_finding_mission" and x["start"].startswith("2013-04") and x["city"] == "Lima"
               and x["status"] == "reported" for x in pe["activities"])
    assert any(x["kind"] == "workshop" and x["start"].startswith("2013-09") for x in pe["activities"])
    assert any(x["kind"] == "study_visit" and x["start"].startswith("2015-03") and x["city"] == "Buenos Aires"
               and x["country"] == "AR" for x in pe["activities"])
    assert any(x["kind"] == "workshop" and x["start"].startswith("2015-07") and "monitoring" in x["title"].lower()
               for x in pe["activities"])
    assert any(dl["kind"] == "handbook" and "monitoring and evaluation" in dl["title"].lower() for dl in pe["deliverables"])
    cr = by["Costa Rica"]
    assert (cr["start"], cr["end"]) == ("2011-10-01", "2013-03-31")
    assert any(x["kind"] == "assessment_mission" and x["start"].startswith("2012-02") and 10 <= int(x["start"][8:]) <= 20
               for x in cr["activities"])
    assert any(x["kind"] == "training_of_trainers" and x["start"].startswith("2012-06") for x in cr["activities"])
    assert any(dl == {**dl, "kind": "national_plan", "title": "National Integration Plan of Costa Rica 2013-2017",
                      "date": "2013-03-01"} for dl in cr["deliverables"])
    assert by["Bolivia"]["beneficiaries"] == ["bo-requester"]
    assert any(dl["title"] == "EU Migration and Asylum Matters for Consular Use" for dl in by["Bolivia"]["deliverables"])
    assert len([dl for dl in by["Colombia"]["deliverables"] if dl["kind"] == "manual"]) == 2
    assert any(dl["kind"] == "protocol" and dl["date"].startswith("2017-11") for dl in by["IberRed"]["deliverables"])
    assert "755" in by["Mexico II"]["final_report"]["results"]


def test_experts_are_invented_demo_people_of_the_expert_institutions() -> None:
    emails = [x["email"] for x in EXPERTS]
    assert 25 <= len(EXPERTS) <= 35 and len(emails) == len(set(emails))
    for x in EXPERTS:
        assert x["email"].endswith("@demo.peerflow.org"), x["email"]
        assert x["gender"] in {"female", "male", "other"} and iso.match(x["nationality"]) and iso.match(x["country"])
        assert x["type"] in {"ms_official", "partner_peer", "academic", "ngo", "international_organisation"}
        assert x["institution"] in inst, x["institution"]
        assert set(x["languages"]) <= LANGS and set(x["languages"].values()) <= CEFR, x["email"]
        assert set(x["themes"]) <= set(THEMES) and all(1 <= v <= 3 for v in x["themes"].values()), x["email"]
    me = next(x for x in EXPERTS if x["email"] == "expert@demo.peerflow.org")
    assert me["institution"] == "es-mir" and me["languages"] == {"es": "C2", "en": "C1", "fr": "B2"}
    assert me["themes"].get("irregular_migration_thb") == 3
    used_expert_inst = {k for a in ACTIONS for k in a["expert_institutions"]}
    assert used_expert_inst <= {x["institution"] for x in EXPERTS}, used_expert_inst - {x["institution"] for x in EXPERTS}


def test_requests_are_in_every_state_before_acceptance() -> None:
    assert len(REQUESTS) == 7
    for r in REQUESTS:
        assert r["institution"] in inst and r["theme"] in THEMES, r["title"]
        assert r["status"] in {"draft", "submitted", "under_review", "clarification_requested", "declined"}
        assert bool(r["clarification"]) == (r["status"] == "clarification_requested"), r["title"]
        assert bool(r["decline_reason"]) == (r["status"] == "declined"), r["title"]
        assert (r["submitted"] is None) == (r["status"] == "draft"), r["title"]
        assert r["submitted"] is None or d(r["submitted"]) < TODAY

    def statuses(key: str) -> list[str]:
        return sorted(r["status"] for r in REQUESTS if r["institution"] == key)

    assert statuses("pe-requester") == ["clarification_requested", "draft", "submitted"]
    assert statuses("bo-requester") == ["declined", "under_review"]
    assert statuses("ec-mremh") and statuses("gt-igm")
