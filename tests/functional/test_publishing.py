"""Publishing an Action in the public catalogue, its translated texts and a regional Action's members."""

from __future__ import annotations

import re

from sqlalchemy import select

from workflow.accounts.models import Role
from workflow.actions.lifecycle import ActionStatus
from workflow.actions.models import Action, ActionTranslation
from workflow.exports.csvfile import cell

from ..factories import make_action, make_user


def ready_action(db, officer, peru, status=ActionStatus.CLOSED):
    action = make_action(db, officer, beneficiary=peru, status=status)
    action.objective = "Strengthen the fight against trafficking in human beings."
    db.commit()
    return action


def reload(db, action: Action) -> Action:
    """The Action as the database has it now (each request ends the session the test started with)."""
    db.expire_all()
    return db.get(Action, action.id)


def flashes(html: str) -> list[str]:
    return re.findall(r'class="alert alert-\w+" role="\w+">([^<]*)<', html)


def test_staff_publish_and_withdraw_an_action(db, client, login_as, post, officer, peru):
    action = ready_action(db, officer, peru)
    assert client.get(f"/catalogue/actions/{action.id}").status_code == 404
    login_as(officer)
    response = post(f"/actions/{action.id}/publish", {"version": action.version, "publish": "1"}, follow_redirects=True)
    assert f"{action.name} is now in the public catalogue." in flashes(response.get_data(as_text=True))
    action = reload(db, action)
    assert action.published and action.published_at is not None
    assert client.get(f"/catalogue/actions/{action.id}").status_code == 200

    post(f"/actions/{action.id}/publish", {"version": action.version, "publish": "0"})
    action = reload(db, action)
    assert not action.published and action.published_at is None
    assert client.get(f"/catalogue/actions/{action.id}").status_code == 404


def test_a_stale_or_double_publish_changes_nothing_twice(db, client, login_as, post, officer, peru):
    action = ready_action(db, officer, peru)
    login_as(officer)
    opened = action.version
    post(f"/actions/{action.id}/publish", {"version": opened, "publish": "1"})
    again = post(f"/actions/{action.id}/publish", {"version": opened, "publish": "1"}, follow_redirects=True)
    assert any("reload" in message for message in flashes(again.get_data(as_text=True)))
    action = reload(db, action)
    assert action.published and action.version == opened + 1


def test_an_action_without_objective_or_cancelled_is_not_published(db, login_as, post, officer, peru):
    bare = make_action(db, officer, beneficiary=peru)
    login_as(officer)
    response = post(f"/actions/{bare.id}/publish", {"version": bare.version, "publish": "1"}, follow_redirects=True)
    assert any("objective" in message for message in flashes(response.get_data(as_text=True)))
    cancelled = ready_action(db, officer, peru, status=ActionStatus.CANCELLED)
    post(f"/actions/{cancelled.id}/publish", {"version": cancelled.version, "publish": "1"})
    bare = reload(db, bare)
    cancelled = reload(db, cancelled)
    assert not bare.published and not cancelled.published


def test_only_staff_publish(db, client, login_as, post, officer, peru):
    action = ready_action(db, officer, peru)
    requester = make_user(db, Role.REQUESTER, peru)
    login_as(requester)
    assert post(f"/actions/{action.id}/publish", {"version": action.version, "publish": "1"}).status_code == 403
    assert client.get(f"/actions/{action.id}/public").status_code == 403
    action = reload(db, action)
    assert not action.published


def test_without_csrf_token_nothing_is_published(db, client, login_as, officer, peru):
    action = ready_action(db, officer, peru)
    login_as(officer)
    assert client.post(f"/actions/{action.id}/publish", data={"version": action.version, "publish": "1"}).status_code == 400
    action = reload(db, action)
    assert not action.published


def test_translations_are_saved_replaced_and_removed(db, client, login_as, post, officer, peru):
    action = ready_action(db, officer, peru)
    login_as(officer)
    empty = {f"{field}_{lang}": "" for field in ("title", "objective", "summary") for lang in ("es", "fr")}
    post(f"/actions/{action.id}/public", {**empty, "version": action.version, "title_es": "Trata de personas",
                                          "objective_fr": "Renforcer la lutte contre la traite."})
    action = reload(db, action)
    saved = {t.locale: t for t in db.scalars(select(ActionTranslation).where(ActionTranslation.action_id == action.id))}
    assert saved["es"].title == "Trata de personas" and saved["fr"].objective.startswith("Renforcer")
    assert action.text("title", "es") == "Trata de personas"
    assert action.text("title", "fr") == action.title  # no French title: the original shows
    assert action.text("objective", "de") == action.objective

    post(f"/actions/{action.id}/public", {**empty, "version": action.version, "title_es": "Trata de seres humanos"})
    db.expire_all()
    saved = {t.locale: t.title for t in db.scalars(select(ActionTranslation).where(ActionTranslation.action_id == action.id))}
    assert saved == {"es": "Trata de seres humanos"}  # French emptied: its row is gone


def test_a_huge_translation_is_refused_with_a_field_message(db, login_as, post, officer, peru):
    action = ready_action(db, officer, peru)
    login_as(officer)
    response = post(f"/actions/{action.id}/public", {"version": action.version, "title_es": "x" * 201})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "title_es-errors" in html
    assert db.scalar(select(ActionTranslation).where(ActionTranslation.action_id == action.id)) is None


def test_member_countries_only_for_a_regional_action(db, login_as, post, officer, peru):
    national = ready_action(db, officer, peru)
    login_as(officer)
    post(f"/actions/{national.id}/public", {"version": national.version, "member_countries": ["CR"]})
    national = reload(db, national)
    assert national.member_countries == []  # ignored: the field is for regional Actions
    regional = reload(db, national)
    regional.is_regional, regional.country_code = True, None
    db.commit()
    response = post(f"/actions/{regional.id}/public", {"version": regional.version, "member_countries": ["CR", "ZZ"]})
    assert "is not a valid choice" in response.get_data(as_text=True).replace("&#39;", "'")
    post(f"/actions/{regional.id}/public", {"version": regional.version, "member_countries": ["CR", "PA"]})
    regional = reload(db, regional)
    assert [c.code for c in regional.member_countries] == ["CR", "PA"]
    assert regional.countries_covered == ["CR", "PA"]


def test_csv_cells_never_start_a_formula():
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("+34 600") == "'+34 600"
    assert cell("@SUM(A1)") == "'@SUM(A1)"
    assert cell("-5") == "-5" and cell(-5) == "-5"  # numbers stay numbers
    assert cell("Perú") == "Perú" and cell(None) == "" and cell(True) == "yes"
