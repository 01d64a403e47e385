"""Lost updates: two people edit the same Action or activity; the second save is refused, says what
changed, keeps the second person's input, and overwrites nothing."""

from __future__ import annotations

import html
import re

from workflow.accounts.models import Role
from workflow.accounts.tokens import create_token
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action
from workflow.activities.models import Activity

from ..api.conftest import ApiClient
from ..factories import make_action, make_staffed_activity, make_user, theme

VERSION = re.compile(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"')


def version_on(page: str) -> str:
    match = VERSION.search(page)
    assert match, "no version field on the form"
    return match.group(1) or match.group(2)


def text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def action_form(action: Action, version: str, **changes: str) -> dict[str, str]:
    data = {"name": action.name, "title": action.title, "thematic_area_id": str(action.thematic_area_id),
            "objective": action.objective, "summary": action.summary,
            "planned_start": action.planned_start.isoformat(),
            "planned_end": action.planned_end.isoformat() if action.planned_end else "", "version": version}
    return {**data, **changes}


def test_a_stale_action_edit_is_refused_with_what_changed_and_keeps_the_input(db, client, login_as, post):
    ana, ben = make_user(db, Role.OFFICER), make_user(db, Role.OFFICER)
    ana.name, ben.name = "Ana Officer", "Ben Officer"
    db.commit()
    action = make_action(db, ana, status=ActionStatus.ASSESSMENT)
    url = f"/actions/{action.id}/edit"

    login_as(ana)
    opened_by_ana = version_on(client.get(url).get_data(as_text=True))
    login_as(ben)
    opened_by_ben = version_on(client.get(url).get_data(as_text=True))
    assert opened_by_ana == opened_by_ben

    login_as(ana)
    saved = post(url, action_form(action, opened_by_ana, title="Victim assistance", planned_end="2028-06-30"))
    assert saved.status_code == 302

    login_as(ben)
    refused = post(url, action_form(action, opened_by_ben, summary="Ben's own summary of the Action."))
    page = text(refused)
    assert refused.status_code == 200
    assert "Someone changed this Action after you opened it." in page
    assert "Ana Officer changed: Title “Trafficking in human beings” → “Victim assistance”" in page
    assert "Planned end “2 Dec 2027” → “30 Jun 2028”" in page
    assert "Ben's own summary of the Action." in page  # his input is kept
    db.expire_all()
    action = db.get(Action, action.id)
    assert (action.title, action.summary) == ("Victim assistance", "")  # nothing of Ben's was written
    assert version_on(page) == str(action.version)  # the form now carries the current version

    # Having read what changed, Ben saves again on purpose: it goes through.
    again = post(url, action_form(action, version_on(page), summary="Ben's own summary of the Action."))
    assert again.status_code == 302
    db.expire_all()
    assert db.get(Action, action.id).summary == "Ben's own summary of the Action."


def activity_form(activity: Activity, version: str, theme_id: int, **changes: str) -> dict[str, str]:
    data = {"kind": activity.kind.value, "title": activity.title, "city": "Lima", "country_code": "PE",
            "start_date": activity.start_date.isoformat(), "end_date": activity.end_date.isoformat(),
            "languages": "es", "slots-0-slot_id": str(activity.slots[0].id), "slots-0-role": "expert",
            "slots-0-thematic_area_id": str(theme_id),
            "slots-0-language": "es", "slots-0-places": "1", "version": version}
    return {**data, **changes}


def test_a_stale_activity_edit_is_refused_with_what_changed_and_keeps_the_input(db, client, login_as, post):
    ana, ben = make_user(db, Role.OFFICER), make_user(db, Role.OFFICER)
    ana.name = "Ana Officer"
    db.commit()
    activity = make_staffed_activity(db, make_action(db, ana, status=ActionStatus.IMPLEMENTATION), ana,
                                     title="Workshop on victim referral")
    url = f"/activities/{activity.id}/edit"
    theme_id = theme(db).id

    login_as(ana)
    opened = version_on(client.get(url).get_data(as_text=True))
    saved = post(url, activity_form(activity, opened, theme_id, title="Workshop on referral mechanisms",
                                    **{"slots-0-places": "2"}))
    assert saved.status_code == 302

    login_as(ben)
    refused = post(url, activity_form(activity, opened, theme_id, city="Cusco"))
    page = text(refused)
    assert refused.status_code == 200
    assert "Someone changed this activity after you opened it." in page
    assert "Ana Officer changed: Title “Workshop on victim referral” → “Workshop on referral mechanisms”" in page
    assert "Expert slot changed (2 × Expert (Irregular migration" in page and "Places “1” → “2”" in page
    assert 'value="Cusco"' in page  # Ben's input is kept
    db.expire_all()
    activity = db.get(Activity, activity.id)
    assert (activity.title, activity.city, activity.slots[0].places) == ("Workshop on referral mechanisms", "Lima", 2)
    assert version_on(page) == str(activity.version)


def test_the_api_answers_a_stale_patch_with_409_and_the_changes(db, client, officer, clock):
    action = make_action(db, officer, status=ActionStatus.IMPLEMENTATION)
    activity = make_staffed_activity(db, action, officer, title="Workshop on victim referral")
    _token, plain = create_token(db, officer, "tests", now=clock.now)
    db.commit()
    client = ApiClient(client, plain)
    body = {"kind": "workshop", "title": "Workshop on referral mechanisms", "start_date": "2027-03-01",
            "end_date": "2027-03-03", "is_remote": False, "city": "Lima", "country": "PE", "languages": ["es"],
            "slots": [{"id": activity.slots[0].id, "role": "expert", "thematic_area": "irregular_migration_thb",
                       "language": "es", "places": 1}],
            "version": activity.version}
    first = client.patch(f"/api/v1/activities/{activity.id}", json=body)
    assert first.status_code == 200, first.get_json()

    second = client.patch(f"/api/v1/activities/{activity.id}", json={**body, "title": "Another title", "city": "Cusco"})
    assert second.status_code == 409
    error = second.get_json()["error"]
    assert error["code"] == "stale_edit"
    assert {"field": "title", "old": "Workshop on victim referral", "new": "Workshop on referral mechanisms",
            "by": officer.name, "event": "updated"}.items() <= error["changes"][0].items()
    assert "changed: Title" in error["message"]
    db.expire_all()
    assert db.get(Activity, activity.id).city == "Lima"

    stale_event = client.post(f"/api/v1/activities/{activity.id}/events",
                              json={"event": "confirm", "version": activity.version - 1})
    assert stale_event.status_code == 409 and stale_event.get_json()["error"]["changes"]
