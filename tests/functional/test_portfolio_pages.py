"""The dashboard, the lists behind its figures, the CSV exports and the public catalogue, on the demo
portfolio (loaded once for the module, rolled back at its end)."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from babel.dates import format_date
from babel.numbers import format_percent
from flask import Flask
from sqlalchemy import select

from workflow.accounts.models import User
from workflow.accounts.sessions import session_values
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.activities.lifecycle import ActivityStatus
from workflow.activities.models import Activity
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.models import Deployment
from workflow.experts.models import Expert, ExpertType, Gender
from workflow.extensions import db as database
from workflow.reference.models import Country, Region

from ..dbsetup import demo_loaded

NOW = datetime(2026, 11, 23, 8, tzinfo=UTC)
LAC = "latin_america_caribbean"


@pytest.fixture(scope="module")
def demo(engine):
    """The demo portfolio, visible to the test client's requests, rolled back after the module."""
    yield from demo_loaded(engine, NOW)


@pytest.fixture()
def web(app: Flask, demo):
    return app.test_client()


def sign_in(client, email: str):
    user = database.session.scalar(select(User).where(User.email == email))
    with client.session_transaction() as session:
        session.update(session_values(user, datetime.now(UTC)))  # the app's clock: no test clock here
    return client


@pytest.fixture()
def officer(web):
    return sign_in(web, "officer@demo.peerflow.org")


def number(text: str) -> int:
    return int(re.sub(r"[^\d]", "", text))


def region_row(html: str, code: str) -> dict[str, str]:
    row = re.search(rf'<tr data-region="{code}">(.*?)</tr>', html, re.S).group(1)
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', row))


def list_total(html: str) -> int:
    """The total a list page states under its table ("1–20 of 28")."""
    return number(re.search(r"–\d+ of ([\d,]+)", html).group(1))


# --- What a direct count in the database gives --------------------------------------------------


def direct_counts(session, region_code: str) -> dict:
    region = session.scalar(select(Region).where(Region.code == region_code))
    actions = [a for a in session.scalars(select(Action)) if a.region_id == region.id
               and a.status is not ActionStatus.CANCELLED]
    activities = [x for a in actions for x in a.activities if x.status is not ActivityStatus.CANCELLED]
    counted = {x.id for x in activities}
    engaged = {DeploymentStatus.ACCEPTED, DeploymentStatus.CONFIRMED, DeploymentStatus.COMPLETED}
    experts = {d.expert for d in session.scalars(select(Deployment))
               if d.activity_id in counted and d.status in engaged}
    eu = {c.code for c in session.scalars(select(Country).where(Country.is_eu_member))}
    officials = [e for e in experts if e.type in (ExpertType.MS_OFFICIAL, ExpertType.PARTNER_PEER)]
    delivered = [x for x in activities if x.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)]
    by_year: dict[int, int] = {}
    for x in activities:
        by_year[x.start_date.year] = by_year.get(x.start_date.year, 0) + 1
    return {
        "actions": len(actions),
        "activities": len(activities),
        "experts": len(experts),
        "member_states": len({e.country_code for e in experts if e.country_code in eu}),
        "women": sum(1 for e in officials if e.gender is Gender.FEMALE),
        "officials": len(officials),
        "trained": sum((x.participants or 0) for x in delivered),
        "by_year": by_year,
    }


def test_the_latin_america_figures_equal_a_direct_count(officer, demo):
    expected = direct_counts(demo, LAC)
    assert expected["actions"] == 25 and expected["activities"] > 45  # the LAC portfolio the documents describe

    html = officer.get("/dashboard/").get_data(as_text=True)
    row = region_row(html, LAC)
    assert number(row["actions"]) == expected["actions"]
    assert number(row["activities"]) == expected["activities"]
    assert number(row["experts"]) == expected["experts"]
    assert number(row["member_states"]) == expected["member_states"]
    assert number(row["trained"]) == expected["trained"]
    women = re.search(rf'data-region="{LAC}">.*?data-figure="women">[^<]*</a>\s*<span[^>]*>\((\d+) / (\d+)\)', html, re.S)
    assert (int(women.group(1)), int(women.group(2))) == (expected["women"], expected["officials"])


def test_the_2013_change_against_2012_is_shown(officer, demo):
    by_year = direct_counts(demo, LAC)["by_year"]
    change = (by_year[2013] - by_year[2012]) / by_year[2012]

    html = officer.get(f"/dashboard/?region={LAC}").get_data(as_text=True)
    row = re.search(r'<tr data-year="2013">(.*?)</tr>', html, re.S).group(1)
    assert f">{by_year[2013]}</a>" in row
    assert format_percent(change, locale="en") in row  # e.g. "-38%" for 8 → 5
    assert ("▼" if change < 0 else "▲") in row


def test_each_region_figure_links_to_the_list_behind_it(officer):
    html = officer.get("/dashboard/").get_data(as_text=True)
    row = re.search(rf'<tr data-region="{LAC}">(.*?)</tr>', html, re.S).group(1)
    links = dict((figure, href.replace("&amp;", "&")) for href, figure in
                 re.findall(r'href="([^"]+)" data-figure="(\w+)"', row))
    figures = region_row(html, LAC)
    for figure in ("actions", "activities", "experts", "trained"):
        page = officer.get(links[figure]).get_data(as_text=True)
        if figure == "trained":
            assert "Only delivered activities" in page
            continue
        assert list_total(page) == number(figures[figure]), figure


def test_the_period_filter_narrows_the_figures_and_the_lists_agree(officer, demo):
    html = officer.get("/dashboard/?year_from=2012&year_to=2013").get_data(as_text=True)
    row = region_row(html, LAC)
    expected_actions = sum(
        1 for a in demo.scalars(select(Action)) if a.status is not ActionStatus.CANCELLED
        and a.planned_start <= date(2013, 12, 31) and (a.planned_end is None or a.planned_end >= date(2012, 1, 1))
    )
    assert number(row["actions"]) == expected_actions
    listed = officer.get(f"/actions/?year_from=2012&year_to=2013&counted=1&region={LAC}").get_data(as_text=True)
    assert list_total(listed) == expected_actions
    activities = officer.get(f"/activities/?year_from=2012&year_to=2013&counted=1&region={LAC}").get_data(as_text=True)
    assert list_total(activities) == number(row["activities"])


@pytest.mark.parametrize("query", ["year_from=abc", "year_from=2015&year_to=2010", "region=nowhere&theme=%00",
                                   "year_from=99999999999999999999"])
def test_unreadable_dashboard_filters_are_named_not_a_500(officer, query):
    response = officer.get(f"/dashboard/?{query}")
    assert response.status_code == 200
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_the_dashboard_and_exports_are_for_staff_only(web):
    sign_in(web, "requester.pe@demo.peerflow.org")
    for path in ("/dashboard/", "/dashboard/experts", "/exports/actions.csv", "/exports/activities.csv",
                 "/exports/deployments.csv", "/exports/involved-experts.csv", "/activities/", "/deployments/"):
        assert web.get(path).status_code == 403, path


def test_the_women_figure_lists_the_women_officials(officer, demo):
    html = officer.get(f"/dashboard/experts?region={LAC}&officials=1&gender=female&counted=1").get_data(as_text=True)
    assert list_total(html) == direct_counts(demo, LAC)["women"]


# --- CSV exports ------------------------------------------------------------------------------


def test_the_peru_csv_has_the_accents_and_exactly_the_rows_of_the_filtered_page(officer):
    page = officer.get("/actions/?country=PE&per_page=100&lang=es").get_data(as_text=True)
    shown = re.findall(r'<a href="/actions/\d+" class="fw-semibold">([^<]+)</a>', page)
    assert shown and all(name.startswith("Peru") for name in shown)

    response = officer.get("/exports/actions.csv?country=PE&lang=es")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM spreadsheet programs look for
    assert "Perú".encode() in body  # UTF-8, not mangled
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    names = [row[1] for row in rows[1:]]
    assert names == shown
    assert {row[3] for row in rows[1:]} == {"Perú"}


def test_every_list_exports_what_it_shows(officer):
    for list_path, export in (("/activities/?country=CR&per_page=100", "/exports/activities.csv?country=CR"),
                              ("/deployments/?member_state=PT&per_page=100", "/exports/deployments.csv?member_state=PT"),
                              (f"/dashboard/experts?region={LAC}&per_page=100", f"/exports/involved-experts.csv?region={LAC}")):
        total = list_total(officer.get(list_path).get_data(as_text=True))
        rows = list(csv.reader(io.StringIO(officer.get(export).get_data().decode("utf-8-sig"))))
        assert len(rows) - 1 == total > 0, export


# --- The public catalogue ---------------------------------------------------------------------


def catalogue_names(client, query: str = "") -> list[str]:
    names, page = [], 1
    while True:
        html = client.get(f"/catalogue/?page={page}&{query}").get_data(as_text=True)
        names += re.findall(r'<a href="/catalogue/actions/\d+">([^:<]+):', html)
        if 'rel="next"' not in html or 'disabled"><a class="page-link"' in html.split('rel="next"')[0][-200:]:
            break
        page += 1
        if page > 20:
            break
    return names


@pytest.fixture()
def hidden(demo):
    """One Action taken out of the catalogue for the test: every demo Action under way or done is published."""
    action = demo.scalar(select(Action).where(Action.name == "Gran Chaco"))
    action.published = False
    demo.commit()
    yield action.id, action.name, action.countries_covered
    demo.scalar(select(Action).where(Action.name == "Gran Chaco")).published = True
    demo.commit()


def test_the_catalogue_lists_only_published_actions(web, demo, hidden):
    published = {a.name for a in demo.scalars(select(Action).where(Action.published))}
    unpublished = {a.name for a in demo.scalars(select(Action).where(~Action.published))}
    assert published and unpublished
    listed = catalogue_names(web)
    assert set(listed) == published
    assert len(listed) == len(published)


def test_an_unpublished_action_is_404_in_public(web, demo, hidden):
    hidden_id, hidden_name, covered = hidden
    assert web.get(f"/catalogue/actions/{hidden_id}").status_code == 404
    for code in covered:
        assert hidden_name not in str(web.get(f"/catalogue/map.json?country={code}").json)
    shown = demo.scalar(select(Action).where(Action.published).limit(1))
    assert web.get(f"/catalogue/actions/{shown.id}").status_code == 200
    assert web.get("/catalogue/actions/2147483647").status_code == 404


def test_the_public_page_has_the_factsheet_shape_and_no_personal_data(web, demo):
    peru = demo.scalar(select(Action).where(Action.name == "Peru"))
    html = web.get(f"/catalogue/actions/{peru.id}").get_data(as_text=True)
    for part in ("Objective", "Duration", "Experts from", peru.title):
        assert part in html
    deployed = demo.scalars(select(Expert).join(Deployment, Deployment.expert_id == Expert.id)
                            .join(Activity, Activity.id == Deployment.activity_id)
                            .where(Activity.action_id == peru.id)).all()
    assert deployed
    for expert in deployed:
        assert expert.name not in html and expert.email not in html


def test_the_catalogue_filters_and_the_regional_figures(web, demo):
    peruvian = {a.name for a in demo.scalars(select(Action).where(Action.published)) if "PE" in a.countries_covered}
    assert {"Peru", "Peru III", "IberRed"} <= peruvian  # a regional Action Peru is a member of counts too
    assert set(catalogue_names(web, "country=PE")) == peruvian
    completed = set(catalogue_names(web, "status=completed"))
    assert completed == {a.name for a in demo.scalars(select(Action).where(
        Action.published, Action.status == ActionStatus.CLOSED))}
    html = web.get("/catalogue/").get_data(as_text=True)
    card = re.search(rf'data-region="{LAC}">(.*?)</div></div>', html, re.S).group(1)
    published = demo.scalars(select(Action).where(Action.published)).all()
    assert f"{len(published)} Actions" in card
    activities = sum(1 for a in published for x in a.activities if x.status is not ActivityStatus.CANCELLED)
    assert f"{activities} activities" in card
    assert web.get("/catalogue/?region=atlantis&status=sideways").status_code == 200


def test_a_regional_action_is_on_the_map_under_each_member_country(web, demo):
    countries = {c["code"]: c for c in web.get("/catalogue/map.json").json["countries"]}
    for code in ("CR", "SV", "GT", "HN", "PA", "BZ", "MX"):
        listed = web.get(f"/catalogue/map.json?country={code}").json
        assert "MIRPS" in {a["name"] for a in listed["actions"]}, code
        assert listed["total"] == countries[code]["count"] == len(listed["actions"])
    costa_rica = [a["name"] for a in web.get("/catalogue/map.json?country=CR").json["actions"]]
    assert costa_rica.count("MIRPS") == 1 and "Costa Rica" in costa_rica
    expected = {}
    for action in demo.scalars(select(Action).where(Action.published)):
        for code in action.countries_covered:
            expected[code] = expected.get(code, 0) + 1
    assert {code: c["count"] for code, c in countries.items()} == expected  # the SQL count = the model's rule


def test_spanish_shows_peru_and_spanish_dates(web, demo):
    html = web.get("/?lang=es").get_data(as_text=True)
    assert '<html lang="es">' in html
    assert "Perú" in html
    peru = demo.scalar(select(Action).where(Action.name == "Peru III"))
    assert format_date(peru.planned_start, "MMMM 'de' y", locale="es") in html  # "marzo de 2017"
    # and the switch stays for the rest of the visit
    assert '<html lang="es">' in web.get("/catalogue/").get_data(as_text=True)


def test_a_translated_title_shows_in_its_language(web, demo):
    peru = demo.scalar(select(Action).where(Action.name == "Peru"))
    assert "Trata de seres humanos" in web.get(f"/catalogue/actions/{peru.id}?lang=es").get_data(as_text=True)
    assert "Traite des êtres humains" in web.get(f"/catalogue/actions/{peru.id}?lang=fr").get_data(as_text=True)
    assert peru.title in web.get(f"/catalogue/actions/{peru.id}?lang=en").get_data(as_text=True)


def test_the_factsheet_prints_the_action(officer, demo):
    peru = demo.scalar(select(Action).where(Action.name == "Peru III"))
    html = officer.get(f"/actions/{peru.id}/factsheet").get_data(as_text=True)
    assert 'class="factsheet"' in html and peru.title in html
    css = officer.get("/static/peerflow.css").get_data(as_text=True)
    assert "@media print" in css and "break-after: page" in css


def test_the_roster_export_follows_the_roster_filters_and_the_focal_points_view(officer, web):
    total = list_total(officer.get("/experts/?country=PT&per_page=100").get_data(as_text=True))
    rows = list(csv.reader(io.StringIO(officer.get("/exports/experts.csv?country=PT").get_data().decode("utf-8-sig"))))
    assert len(rows) - 1 == total > 0
    assert {row[5] for row in rows[1:]} == {"Portugal"}
    sign_in(web, "focal.es@demo.peerflow.org")
    rows = list(csv.reader(io.StringIO(web.get("/exports/experts.csv").get_data().decode("utf-8-sig"))))
    assert len(rows) > 1 and {row[5] for row in rows[1:]} == {"Spain"}  # their state's experts only
    sign_in(web, "expert@demo.peerflow.org")
    assert web.get("/exports/experts.csv").status_code == 403
