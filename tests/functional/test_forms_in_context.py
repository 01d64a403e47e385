"""Forms that know their context (#19): an activity starts from its Action, slot rows come and go without
JavaScript, every multiple choice is a list of checkboxes, and the roster names languages and themes."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from workflow.actions.lifecycle import ActionStatus
from workflow.actions.services import ActionDraft, open_action
from workflow.activities.models import Activity, ExpertSlot
from workflow.reference.models import Region

from ..factories import make_action, make_expert, make_institution, make_staffed_activity, theme

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def page_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.get_data(as_text=True))


def selected(page: str, name: str) -> str | None:
    """The value selected in the <select> named `name`."""
    select_ = re.search(rf'<select[^>]*name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select_, name
    match = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_.group(1))
    return (match.group(1) or match.group(2)) if match else None


def ticked(page: str, name: str) -> list[str]:
    """The values of the ticked checkboxes named `name`."""
    boxes = re.findall(rf'<input[^>]*type="checkbox"[^>]*name="{re.escape(name)}"[^>]*>', page)
    return [re.search(r'value="([^"]*)"', box).group(1) for box in boxes if " checked" in box]


def row_indices(page: str) -> list[int]:
    """The indices of the slot rows shown (the <template> row left out)."""
    shown = page.split("<template", 1)[0]
    return sorted({int(n) for n in re.findall(r'name="slots-(\d+)-role"', shown)})


@pytest.fixture()
def action(db, officer, peru):
    return make_action(db, officer, status=ActionStatus.IMPLEMENTATION, beneficiary=peru)


def activity_post(**changes) -> dict:
    data = {"kind": "workshop", "title": "Workshop on victim referral", "city": "Lima", "country_code": "PE",
            "start_date": "2027-03-01", "end_date": "2027-03-03", "languages": ["es", "en"], "form_key": "ctx-1",
            "slots-0-role": "expert", "slots-0-thematic_area_id": "", "slots-0-language": "es",
            "slots-0-places": "1"}
    return {**data, **changes}


# --- Defaults from the Action --------------------------------------------------------------------------


def test_a_new_activity_starts_with_its_actions_country_language_and_theme(db, client, login_as, officer, action):
    login_as(officer)
    page = page_of(client.get(f"/actions/{action.id}/activities/new"))
    assert selected(page, "country_code") == "PE"
    assert ticked(page, "languages") == ["es"]  # Peru's official language that the programme works in
    assert row_indices(page) == [0]  # one slot row to start with, not three
    assert selected(page, "slots-0-thematic_area_id") == str(action.thematic_area_id)
    assert selected(page, "slots-0-language") == "es"


def test_the_languages_follow_the_actions_latest_activity(db, client, login_as, officer, action):
    make_staffed_activity(db, action, officer, start=date(2026, 5, 4), languages=("es",))
    make_staffed_activity(db, action, officer, start=date(2027, 2, 1), languages=("en", "fr"))
    login_as(officer)
    page = page_of(client.get(f"/actions/{action.id}/activities/new"))
    assert ticked(page, "languages") == ["en", "fr"]
    assert selected(page, "slots-0-language") == "en"


def test_a_regional_action_leaves_the_country_open_and_speaks_its_members_languages(
        db, client, login_as, officer, peru):
    brazil = make_institution(db, "BR", name="Polícia Federal")
    region = db.scalar(select(Region).where(Region.code == "latin_america_caribbean"))
    regional = open_action(db, ActionDraft(title="Border cooperation", thematic_area_id=theme(db).id,
                                           planned_start=date(2026, 1, 1), region_id=region.id,
                                           regional_name="MERCOSUR", beneficiary_ids=(peru.id, brazil.id)),
                           actor=officer, now=NOW)
    db.commit()
    login_as(officer)
    page = page_of(client.get(f"/actions/{regional.id}/activities/new"))
    assert selected(page, "country_code") in (None, "")
    assert ticked(page, "languages") == ["es", "pt"]  # Peru's and Brazil's


def test_what_was_posted_wins_over_the_defaults(db, client, login_as, post, officer, action):
    login_as(officer)
    page = page_of(post(f"/actions/{action.id}/activities/new",
                        activity_post(country_code="BO", languages=["fr"], end_date="2027-02-01")))
    assert "The end date is before the start date." in page
    assert selected(page, "country_code") == "BO"
    assert ticked(page, "languages") == ["fr"]


# --- Slot rows without JavaScript -------------------------------------------------------------------


def test_add_another_slot_comes_back_with_one_more_row_and_saves_nothing(db, client, login_as, post, officer, action):
    login_as(officer)
    page = page_of(post(f"/actions/{action.id}/activities/new",
                        activity_post(**{"add_slot": "1", "slots-0-thematic_area_id": str(theme(db).id),
                                         "slots-0-places": "3"}, languages=["fr", "es"])))
    assert db.scalar(select(func.count(Activity.id))) == 0
    assert "Please correct" not in page  # nothing was wrong: the form only grew
    assert row_indices(page) == [0, 1]
    assert re.search(r'name="slots-0-places"[^>]*value="3"|value="3"[^>]*name="slots-0-places"', page)
    # The new row starts in the Action's theme and the first language ticked for the activity.
    assert selected(page, "slots-1-thematic_area_id") == str(action.thematic_area_id)
    assert selected(page, "slots-1-language") == "es"  # the first ticked in the list, as the page script takes
    assert ticked(page, "languages") == ["es", "fr"]


def test_removing_a_new_row_comes_back_without_it_and_saves_nothing(db, client, login_as, post, officer, action):
    area = str(theme(db).id)
    login_as(officer)
    page = page_of(post(f"/actions/{action.id}/activities/new", activity_post(**{
        "drop_slot": "1", "slots-0-thematic_area_id": area,
        "slots-1-role": "trainer", "slots-1-thematic_area_id": area, "slots-1-language": "es", "slots-1-places": "2",
        "slots-2-role": "lead_expert", "slots-2-thematic_area_id": area, "slots-2-language": "en",
        "slots-2-places": "1"})))
    assert db.scalar(select(func.count(Activity.id))) == 0
    assert row_indices(page) == [0, 2]
    assert selected(page, "slots-2-role") == "lead_expert"


def test_rows_with_gaps_in_their_numbers_are_all_saved(db, client, login_as, post, officer, action):
    """What the page script sends after removing a row and adding another: slots-0 and slots-3."""
    area = str(theme(db).id)
    login_as(officer)
    response = post(f"/actions/{action.id}/activities/new", activity_post(**{
        "slots-0-thematic_area_id": area,
        "slots-3-role": "trainer", "slots-3-thematic_area_id": area, "slots-3-language": "en",
        "slots-3-places": "2"}))
    assert response.status_code == 302
    slots = db.scalars(select(ExpertSlot).order_by(ExpertSlot.id)).all()
    assert [(s.role.value, s.language, s.places) for s in slots] == [("expert", "es", 1), ("trainer", "en", 2)]


def test_a_row_left_without_a_theme_is_still_left_out(db, client, login_as, post, officer, action):
    login_as(officer)
    assert post(f"/actions/{action.id}/activities/new", activity_post()).status_code == 302
    assert db.scalar(select(func.count(ExpertSlot.id))) == 0


def test_the_remove_button_never_takes_out_an_existing_slot(db, client, login_as, post, officer, action):
    activity = make_staffed_activity(db, action, officer)
    slot = activity.slots[0]
    login_as(officer)
    page = page_of(post(f"/activities/{activity.id}/edit", {
        "kind": "workshop", "title": activity.title, "city": "Lima", "country_code": "PE", "languages": "es",
        "version": str(activity.version), "drop_slot": "0", "slots-0-slot_id": str(slot.id),
        "slots-0-role": "expert", "slots-0-thematic_area_id": str(slot.thematic_area_id),
        "slots-0-language": "es", "slots-0-places": "1"}))
    assert row_indices(page) == [0]  # still there: an existing slot goes only by ticking its box, on saving
    db.expire_all()
    assert db.get(ExpertSlot, slot.id).removed_at is None


def test_the_page_carries_a_template_row_for_the_script(db, client, login_as, officer, action):
    login_as(officer)
    page = page_of(client.get(f"/actions/{action.id}/activities/new"))
    template = page.split("<template", 1)[1].split("</template>", 1)[0]
    assert 'name="slots-__index__-role"' in template and 'name="slots-__index__-remove"' not in template
    assert 'src="/static/js/slots.js"' in page
    assert "<script>" not in page  # the policy allows no inline script


# --- Multiple choices as checkbox lists -------------------------------------------------------------


@pytest.mark.parametrize("url, name", [
    ("/actions/{action}/activities/new", "languages"),
    ("/activities/{activity}/calls/new", "member_states"),
    ("/experts/new", "countries_worked"),
    ("/experts/{expert}/edit", "countries_worked"),
])
def test_every_multiple_choice_is_a_list_of_checkboxes_in_a_named_group(
        db, client, login_as, officer, action, url, name):
    activity = make_staffed_activity(db, action, officer)
    expert = make_expert(db)
    login_as(officer)
    page = page_of(client.get(url.format(action=action.id, activity=activity.id, expert=expert.id)))
    assert "<select multiple" not in page and " multiple" not in page.split("<form", 1)[1]
    group = re.search(rf'<fieldset class="mb-3 checklist" id="{name}"[^>]*>\s*<legend', page)
    assert group, name
    assert re.search(rf'<input class="form-check-input" type="checkbox" name="{name}" id="{name}-0"', page)


def test_a_long_list_gets_a_filter_box_hidden_until_the_script_shows_it(db, client, login_as, officer):
    expert = make_expert(db)
    login_as(officer)
    page = page_of(client.get(f"/experts/{expert.id}/edit"))
    assert re.search(r'<input type="search"[^>]*id="countries_worked-filter"[^>]*hidden', page)
    assert 'src="/static/js/checklist.js"' in page
    assert 'id="countries_worked-chosen"' in page and "None chosen." in page


def test_ticked_boxes_are_saved_as_the_select_was(db, client, login_as, post, officer):
    expert = make_expert(db)
    login_as(officer)
    page = page_of(client.get(f"/experts/{expert.id}/edit"))
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', page)
    data = {"name": expert.name, "email": expert.email, "gender": "female", "nationality": "ES",
            "country_code": "ES", "type": "ms_official", "institution_id": "", "years_experience": "12",
            "max_days_per_year": "60", "countries_worked": ["PE", "BO"], "lang_es": "C2",
            "version": version.group(1) or version.group(2)}
    assert post(f"/experts/{expert.id}/edit", data).status_code == 302
    page = page_of(client.get(f"/experts/{expert.id}/edit"))
    assert sorted(ticked(page, "countries_worked")) == ["BO", "PE"]
    assert re.search(r"Chosen: (Bolivia, Peru|Peru, Bolivia)\.", page)


# --- The roster ----------------------------------------------------------------------------------------


def test_the_roster_names_languages_in_the_readers_language_and_lists_themes(db, client, login_as, officer):
    make_expert(db, name="Lucía Best", languages={"en": "B2", "es": "C2", "fr": "A2"},
                themes={"irregular_migration_thb": 3, "legal_migration_mobility": 1})
    login_as(officer)
    page = page_of(client.get("/experts/"))
    row = page.split("Lucía Best", 1)[1].split("</tr>", 1)[0]
    assert re.search(r">Spanish C2</span>, <span[^>]*>English B2</span>", row)
    assert "French" not in row  # A2 is not a working language
    assert "Thematic expertise" in page
    assert row.index("Irregular migration and trafficking in human beings (level 3)") < row.index(
        "Legal migration and mobility (level 1)")
    french = page_of(client.get("/experts/?lang=fr"))
    assert re.search(r">espagnol C2</span>, <span[^>]*>anglais B2</span>", french)
