"""Preferences: dates and country names follow the user's language and time zone."""

from workflow.accounts.models import User

from ..factories import make_action


def test_language_and_time_zone_change_how_dates_and_countries_read(db, login_as, post, client, officer, peru):
    action = make_action(db, officer, beneficiary=peru)  # created 2026-01-05 09:00 UTC
    login_as(officer)
    response = post("/account", {"name": "Olga", "locale": "es", "timezone": "America/Lima"})
    assert response.status_code == 302
    html = client.get(f"/actions/{action.id}").get_data(as_text=True)
    assert "Perú" in html  # CLDR's Spanish name
    assert "4:00" in html  # 09:00 UTC is 04:00 in Lima
    assert 'lang="es"' in html


def test_an_unknown_time_zone_is_refused(db, login_as, post, officer):
    login_as(officer)
    response = post("/account", {"name": "Olga", "locale": "", "timezone": "Mars/Olympus_Mons"})
    assert response.status_code == 200
    assert "Not a valid choice" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(User, officer.id).timezone == "UTC"


def test_a_british_browser_gets_british_dates(db, login_as, client, officer, peru):
    action = make_action(db, officer, beneficiary=peru)  # planned start 2026-01-01
    login_as(officer)
    html = client.get(f"/actions/{action.id}", headers={"Accept-Language": "en-GB,en;q=0.8"}).get_data(as_text=True)
    assert "1 Jan 2026" in html


def test_an_unknown_browser_language_falls_back_to_english(db, login_as, client, officer, peru):
    action = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    html = client.get(f"/actions/{action.id}", headers={"Accept-Language": "xx-YY, zz"}).get_data(as_text=True)
    assert "1 Jan 2026" in html
