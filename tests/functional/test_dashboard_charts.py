"""The dashboard's charts: regions without an Action folded away, the trend of activities per year, the
map of Actions per country, and beside every chart a table with the same figures."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from workflow.actions.lifecycle import ActionEvent, ActionStatus
from workflow.actions.models import Action
from workflow.actions.services import ActionDraft, apply_action_event, open_action
from workflow.activities.lifecycle import ActivityEvent, ActivityStatus
from workflow.activities.services import apply_activity_event
from workflow.deployments.lifecycle import DeploymentStatus
from workflow.deployments.services import propose
from workflow.reference.models import Country, Region

from ..factories import T0, make_action, make_activity, make_expert, make_staffed_activity, theme

LAC, MENA = "latin_america_caribbean", "middle_east_north_africa"
EMPTY = ["africa", "asia_pacific", "eastern_europe_central_asia"]

# --- A small HTML tree, to ask what is inside what -----------------------------------------------

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """Every element below this one with that tag and these attributes (`True`: present, any value)."""
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and all(child.has(name, value) for name, value in attrs.items()):
                found.append(child)
            found.extend(child.all(tag, **attrs))
        return found

    def has(self, name: str, value: str | bool) -> bool:
        if name == "class_":
            return value in self.attrs.get("class", "").split()
        name = name.replace("_", "-")
        return name in self.attrs if value is True else self.attrs.get(name) == value

    def one(self, tag: str | None = None, **attrs: str) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, (tag, attrs, len(found))
        return found[0]

    @property
    def content(self) -> str:
        return " ".join((self.text + " " + " ".join(child.content for child in self.children)).split())


class TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.root = Node("root", {})
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].text += data


def page(browser, path: str = "/dashboard/") -> Node:
    response = browser.get(path)
    assert response.status_code == 200
    builder = TreeBuilder()
    builder.feed(response.get_data(as_text=True))
    return builder.root


def number(node: Node) -> int:
    return int("".join(ch for ch in node.content if ch.isdigit()))


# --- The portfolio ---------------------------------------------------------------------------------


@pytest.fixture()
def portfolio(db, officer, peru):
    """Peru (2024: one held, one planned; 2025: one planned, one cancelled), Morocco (2025: one held, one
    planned with a Spanish expert), a regional Action over Costa Rica and Panama with nothing yet, and a
    cancelled Action in Bolivia."""
    peru_action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru, name="Peru",
                              start=date(2024, 1, 1))
    make_activity(db, peru_action, officer, start=date(2024, 3, 4), reported=True)
    make_activity(db, peru_action, officer, start=date(2024, 9, 2))
    make_activity(db, peru_action, officer, start=date(2025, 2, 3))
    dropped = make_activity(db, peru_action, officer, start=date(2025, 6, 2))
    apply_activity_event(db, dropped, ActivityEvent.CANCEL, actor=officer, now=T0, reason="No venue.")
    morocco = make_action(db, officer, status=ActionStatus.IMPLEMENTATION, country="MA", name="Morocco",
                          start=date(2025, 1, 1))
    make_activity(db, morocco, officer, start=date(2025, 5, 5), reported=True)
    staffed = make_staffed_activity(db, morocco, officer, start=date(2025, 9, 1))
    propose(db, staffed.slots[0], make_expert(db, name="Ana Experta"), actor=officer,
            now=T0).status = DeploymentStatus.ACCEPTED
    lac = db.scalar(select(Region).where(Region.code == LAC))
    regional = open_action(db, ActionDraft(
        title="Regional guidelines", thematic_area_id=theme(db).id, planned_start=date(2025, 1, 1),
        planned_end=date(2025, 1, 1) + timedelta(days=700), region_id=lac.id, regional_name="SICA",
        name="SICA"), actor=officer, now=T0)
    regional.member_countries = list(db.scalars(select(Country).where(Country.code.in_(["CR", "PA"]))))
    gone = make_action(db, officer, country="BO", name="Bolivia", start=date(2025, 1, 1))
    apply_action_event(db, gone, ActionEvent.CANCEL, actor=officer, now=T0, reason="Elections.")
    db.commit()


def counted_per_year(db) -> dict[int, tuple[int, int]]:
    """(held, planned) per year, counted from the rows: not cancelled, on an Action not cancelled."""
    years: dict[int, list[int]] = {}
    for action in db.scalars(select(Action).where(Action.status != ActionStatus.CANCELLED)):
        for activity in action.activities:
            if activity.status is ActivityStatus.CANCELLED:
                continue
            held = activity.status in (ActivityStatus.DELIVERED, ActivityStatus.REPORTED)
            years.setdefault(activity.start_date.year, [0, 0])[0 if held else 1] += 1
    return {year: (held, planned) for year, (held, planned) in years.items()}


# --- Regions without an Action --------------------------------------------------------------------


def test_regions_without_an_action_are_folded_away_and_named(login_as, officer, portfolio):
    html = page(login_as(officer))
    regions = html.one("table", id="regions")
    assert [row.attrs["data-region"] for row in regions.all("tr", data_region=True)] == [LAC, MENA]
    folded = html.one("p", id="regions-folded")
    assert folded.attrs["data-folded"].split() == EMPTY
    assert "Africa" in folded.content and "Asia and the Pacific" in folded.content
    show = folded.one("a", id="show-all-regions")
    assert "regions=all" in show.attrs["href"]
    # the table of years has a column for the regions shown only
    header = [th.content for th in html.one("table", id="years").one("thead").all("th")]
    assert header == ["Year", "Held", "Planned", "All regions", "Latin America and the Caribbean",
                      "Middle East and North Africa"]


def test_all_regions_are_shown_when_asked_for(login_as, officer, portfolio):
    browser = login_as(officer)
    html = page(browser, "/dashboard/?regions=all&year_from=2024")
    rows = [row.attrs["data-region"] for row in html.one("table", id="regions").all("tr", data_region=True)]
    assert sorted(rows) == sorted([LAC, MENA, *EMPTY])
    africa = html.one("table", id="regions").one("tr", data_region="africa")
    assert number(africa.one("a", data_figure="actions")) == 0
    assert not html.all("p", id="regions-folded")
    fold = html.one("a", id="fold-regions").attrs["href"]
    assert "regions=" not in fold and "year_from=2024" in fold  # folds again, keeping the filters
    assert "Africa" in [th.content for th in html.one("table", id="years").one("thead").all("th")]
    # filtering on a region without an Action shows that region, its zeros included
    only = page(browser, "/dashboard/?region=africa")
    assert [r.attrs["data-region"] for r in only.one("table", id="regions").all("tr", data_region=True)] == ["africa"]


# --- The trend ---------------------------------------------------------------------------------------


def test_the_trend_shows_the_held_and_planned_activities_of_each_year(db, login_as, officer, portfolio):
    html = page(login_as(officer))
    expected = counted_per_year(db)
    assert expected == {2024: (1, 1), 2025: (1, 2)}
    columns = html.one("figure", id="chart-years").all("li", data_year=True)
    assert {int(c.attrs["data-year"]): (int(c.attrs["data-held"]), int(c.attrs["data-planned"]))
            for c in columns} == expected
    table = html.one("table", id="years")
    for year, (held, planned) in expected.items():
        row = table.one("tr", data_year=str(year))
        assert number(row.one("td", data_figure="held")) == held
        assert number(row.one("td", data_figure="planned")) == planned
        assert number(row.one("td", data_figure="total").one("a")) == held + planned  # the figure it always was
    assert "2 activities held and 3 planned" in html.one("figure", id="chart-years").content


def test_the_held_figure_links_to_the_activities_it_counts(login_as, officer, portfolio):
    browser = login_as(officer)
    row = page(browser).one("table", id="years").one("tr", data_year="2024")
    listed = page(browser, row.one("td", data_figure="held").one("a").attrs["href"])
    assert "1–1 of 1" in listed.content


# --- Each chart has its table ----------------------------------------------------------------------


def test_each_chart_is_for_the_eye_and_has_a_table_with_a_caption_beside_it(login_as, officer, portfolio):
    html = page(login_as(officer))
    sections = [s for s in html.all("section") if s.all(data_chart=True) or s.all(id="dashboard-map")]
    assert len(sections) == 4  # the years, the thematic areas, the member states... and the map
    for section in sections:
        for chart in section.all(data_chart=True):
            # Drawn for the eye: hidden from screen readers, its links out of the tab order (the table has them).
            hidden = [chart] if chart.attrs.get("aria-hidden") == "true" else chart.all(aria_hidden="true")
            links = chart.all("a")
            assert links and sum(len(part.all("a")) for part in hidden) == len(links), chart.attrs
            assert all(link.attrs.get("tabindex") == "-1" for link in links), chart.attrs
        details = section.one("details")
        assert "Show the figures as a table" in details.one("summary").content
        table = details.one("table")
        assert table.one("caption").content and table.all("tbody")[0].all("tr")


def test_a_bar_label_is_never_cut(login_as, officer, portfolio):
    html = page(login_as(officer))
    labels = [label.content for label in html.one(id="chart-themes").all(class_="pf-bar-label")]
    assert "Irregular migration and trafficking in human beings" in labels


# --- The map -----------------------------------------------------------------------------------------


def test_the_map_table_lists_each_country_with_its_actions(db, login_as, officer, portfolio):
    html = page(login_as(officer))
    rows = html.one("table", id="countries-table").all("tr", data_iso2=True)
    listed = {row.attrs["data-iso2"]: int(row.attrs["data-count"]) for row in rows}
    expected: dict[str, int] = {}
    for action in db.scalars(select(Action).where(Action.status != ActionStatus.CANCELLED)):
        for code in action.countries_covered:
            expected[code] = expected.get(code, 0) + 1
    assert listed == expected == {"PE": 1, "MA": 1, "CR": 1, "PA": 1}  # not Bolivia: its Action was cancelled
    assert [row.one("th").content for row in rows] == ["Costa Rica", "Morocco", "Panama", "Peru"]
    the_map = html.one(id="dashboard-map")
    assert the_map.attrs["data-table"] == "countries-table"
    assert html.one("a", href="#countries-table-summary").content.startswith("Skip the map")
    only_2024 = page(login_as(officer), "/dashboard/?year_to=2024").one("table", id="countries-table")
    assert [row.attrs["data-iso2"] for row in only_2024.all("tr", data_iso2=True)] == ["PE"]


def test_an_empty_selection_has_no_map_and_no_script(login_as, officer, portfolio):
    html = page(login_as(officer), "/dashboard/?year_from=2030")
    assert not html.all(id="dashboard-map")
    assert not [s for s in html.all("script") if "dashboard.js" in s.attrs.get("src", "")]
    assert "No Action in this selection." in html.content


def test_a_year_without_activities_has_its_empty_column(login_as, officer, portfolio):
    html = page(login_as(officer), "/dashboard/?year_from=2023&year_to=2025")
    column = html.one("figure", id="chart-years").one("li", data_year="2023")
    assert (column.attrs["data-held"], column.attrs["data-planned"]) == ("0", "0")
