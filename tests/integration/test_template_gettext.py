"""Templates translate with the translations found once per locale (`workflow.core.i18n.current_translations`):
the same words as Flask-Babel's own lookup, and a locale forced for an e-mail, or refreshed, is honoured."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh

from workflow.core.i18n import current_translations

PAGE = "{{ _('Language') }} / {{ ngettext('%(num)d thing needs you', '%(num)d things need you', 2) }}"


def test_templates_follow_the_request_language_and_a_forced_one(app) -> None:
    with app.test_request_context("/?lang=fr"):
        from flask import session

        session["lang"] = "fr"
        assert render_template_string(PAGE).startswith("Langue / ")
        kept = current_translations()
        assert current_translations() is kept  # found once for the request's locale
        with force_locale("en"):  # an e-mail to an English reader, composed during a French request
            assert render_template_string(PAGE) == "Language / 2 things need you"
        assert render_template_string(PAGE).startswith("Langue / ")  # the request's own language again


def test_a_refreshed_locale_is_looked_up_again(app) -> None:
    with app.test_request_context("/"):
        from flask import session

        assert render_template_string("{{ _('Language') }}") == "Language"
        session["lang"] = "fr"  # what the language switcher or a changed preference does
        refresh()
        assert render_template_string("{{ _('Language') }}") == "Langue"


def test_outside_a_request_the_english_text(app) -> None:
    with app.app_context():  # an e-mail composed by the scheduler: no request, no context processors
        assert app.jinja_env.from_string("{{ _('Language') }}").render() == "Language"
