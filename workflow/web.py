"""The named steps `create_app` takes: extensions, blueprints, error pages, template helpers."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import TYPE_CHECKING

from babel import Locale, UnknownLocaleError
from flask import (
    Flask,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_decimal, format_percent, get_locale
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from markupsafe import Markup
from sqlalchemy import bindparam, select
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from .api import error_response, http_error_response, init_api, is_api_request
from .core import provenance
from .core.dates import DAY, day, moment, period
from .core.errors import DomainError, NotFound
from .core.i18n import N_, _, _l, install_template_gettext, native_language_name
from .core.labels import label
from .core.tones import tone
from .extensions import babel, csrf, db, login_manager
from .reference.choices import locale_code
from .reference.services import country_name

if TYPE_CHECKING:
    from .accounts.models import User


def _select_locale() -> str | None:
    """The language picked with the switcher (`?lang=es`, kept in the session), else the user's
    preference, else the browser's first one we support, with its region ("en-GB" keeps British
    date formats).

    Outside a request (the scheduler, commands) the default, English, unless `force_locale` says
    otherwise (e-mails are written in their recipient's language). The JSON API answers in English
    whatever the client's Accept-Language: its messages are part of the published contract.
    """
    if not has_request_context():
        return None
    if is_api_request():
        return "en"
    chosen = session.get("lang")
    if chosen in current_app.config["LANGUAGES"]:
        return chosen
    if current_user.is_authenticated and current_user.locale:
        return current_user.locale
    supported = current_app.config["LANGUAGES"]
    for tag, _quality in request.accept_languages:
        if tag.split("-")[0].lower() in supported:
            try:
                return str(Locale.parse(tag, sep="-"))
            except (ValueError, UnknownLocaleError):
                return tag.split("-")[0].lower()
    return None


def _select_timezone() -> str | None:
    if not has_request_context():
        return None
    return current_user.timezone if current_user.is_authenticated else None


def register_extensions(app: Flask) -> None:
    from .listeners import connect_listeners

    db.init_app(app)
    connect_listeners()
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    install_template_gettext(app.jinja_env)

    @app.before_request
    def _remember_language() -> None:
        """`?lang=es` on any page switches the language for the rest of the visit."""
        chosen = request.args.get("lang")
        if chosen in app.config["LANGUAGES"]:
            session["lang"] = chosen
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = N_("Please sign in to see this page.")
    login_manager.localize_callback = _  # translated when flashed, in the reader's language
    login_manager.login_message_category = "info"

    from .accounts.sessions import load_session_user

    login_manager.user_loader(
        lambda user_id: load_session_user(user_id, fetch=_user_with_page_facts))  # checks token and timeouts


@lru_cache(maxsize=1)
def _user_with_page_facts_statement():
    """Built once: the user by id, with their unread notifications and the portfolio's data versions."""
    from .accounts.models import User
    from .core.figures import tokens_column
    from .notifications.views import unread_column

    user_id = bindparam("user_id")
    return select(User, unread_column(user_id), tokens_column()).where(User.id == user_id)


def _user_with_page_facts(user_id: int) -> User | None:
    """The signed-in user, with what every page needs besides, in one query: their unread notifications
    (the bell) and the portfolio's data versions (`workflow.core.figures`)."""
    from .core.figures import token_read

    row = db.read_outside_transaction(_user_with_page_facts_statement(), {"user_id": user_id})
    if row is None:
        return None
    user, g.unread_notifications, tokens = row
    token_read(tokens)
    return user


def register_blueprints(app: Flask) -> None:
    """Register every page blueprint from one table, then the JSON API."""
    from .accounts.views import bp as accounts
    from .actions.views import bp as actions
    from .activities.views import bp as activities
    from .audit.views import bp as audit
    from .calendar.views import bp as calendar
    from .calls.views import bp as calls
    from .catalogue.views import bp as catalogue
    from .dashboard.views import bp as dashboard
    from .deployments.views import bp as deployments
    from .evaluations.views import bp as evaluations
    from .experts.views import bp as experts
    from .exports.views import bp as exports
    from .finance.views import bp as finance
    from .governance.views import bp as governance
    from .iati.views import bp as iati
    from .knowledge.views import bp as knowledge
    from .main.views import bp as main
    from .missions.views import bp as missions
    from .notifications.views import bp as notifications
    from .plans.views import bp as plans
    from .privacy.views import bp as privacy
    from .reminders.views import bp as reminders
    from .requests.views import bp as requests
    from .results.views import bp as results
    from .todos.views import bp as todos

    for blueprint in (main, accounts, requests, actions, activities, experts, deployments, calendar, notifications,
                      reminders, dashboard, catalogue, exports, audit, privacy, plans, governance, evaluations, calls,
                      todos, finance, missions, results, knowledge):
        app.register_blueprint(blueprint)
    app.register_blueprint(iati)  # the IATI publication (public)
    init_api(app)


# The error pages' titles and explanations for the HTTP errors a page can meet (werkzeug's own texts are
# English only); an error raised with its own description keeps it.
_HTTP_ERRORS = {
    400: (_l("Bad request"), _l("The page could not read what was sent. Go back and try again.")),
    401: (_l("Sign-in needed"), _l("Sign in to see this page.")),
    403: (_l("Not allowed"), _l("Your role does not allow this.")),
    404: (_l("Not found"), _l("There is nothing here, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This address does not take that kind of request.")),
    409: (_l("Conflict"), _l("Someone else changed this at the same moment. Reload and try again.")),
    410: (_l("Gone"), _l("This is no longer available.")),
    413: (_l("File too large"), _l("The file is too large. Nothing was saved.")),
    415: (_l("Unsupported file"), _l("That kind of file is not accepted.")),
    429: (_l("Too many requests"), _l("Too many requests in a short time. Wait a moment and try again.")),
    500: (_l("Something went wrong"), _l("Something went wrong on our side. Nothing of yours was saved; try again.")),
    503: (_l("Unavailable"), _l("Peerflow is not available at the moment. Try again in a few minutes.")),
}


def register_error_handlers(app: Flask) -> None:
    """Answer every error with a page in the reader's language, or with the API's English JSON error."""
    for error, handler in ((NotFound, _not_found), (DomainError, _domain_error), (CSRFError, _form_expired),
                           (StaleDataError, _stale), (413, _too_large), (HTTPException, _http_error)):
        app.register_error_handler(error, handler)


def _error_page(code: int, api_code: str, title: object, message: object):
    """The error page in the reader's language, or the API's English JSON error."""
    if is_api_request():
        return error_response(code, api_code, str(message))
    return render_template("errors.html", code=code, title=title, message=message), code


def _not_found(_error: NotFound):
    return _error_page(404, "not_found", _("Not found"), _("There is nothing here, or you do not have access to it."))


def _domain_error(error: DomainError):
    """A rule refused what was asked. Pages handle these themselves; the API answers 409/422 here."""
    db.session.rollback()
    if not is_api_request():
        return _error_page(error.status, error.code, _("Not possible"), error.message)
    fields = {error.field: [error.message]} if error.field else None
    return error_response(error.status, error.code, error.message, fields)


def _form_expired(_error: CSRFError):
    return _error_page(400, "the_form_expired", _("The form expired"),
                       _("The page was open too long or came from elsewhere. Go back, reload it and try again."))


def _stale(_error: StaleDataError):
    db.session.rollback()
    if is_api_request():
        return error_response(409, "stale_edit", "Someone else saved a change at the same moment; read it again.")
    flash(_("Someone else saved a change at the same moment; nothing of yours was saved. Reload and try again."),
          "warning")
    return redirect(request.referrer or "/")


def _too_large(_error: HTTPException):
    limit = current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024)
    return _error_page(413, "file_too_large", _("File too large"),
                       _("Files can be at most %(limit)s MB. Nothing was saved.", limit=limit))


def _http_error(error: HTTPException):
    if is_api_request():
        return http_error_response(error)
    code = error.code or 500
    title, message = _HTTP_ERRORS.get(code, (error.name, error.description or ""))
    if error.description and error.description != type(error).description:
        message = error.description  # said by the code that raised it
    return _error_page(code, error.name.lower().replace(" ", "_"), title, message)


def _date(value: date | datetime | None, style: str = "medium") -> str:
    """A date in CLDR's medium format ("1 Jun 2026"); a moment with its time in the reader's named time
    zone ("1 Jun 2026, 10:30 (Europe/Madrid)"). A numeric style ("short") is read as "medium"; a CLDR
    pattern ("MMMM y") gives the day only."""
    if isinstance(value, datetime) and style in ("short", "medium"):
        return moment(value)
    return day(value, style)


def _period(start: date | datetime | None, end: date | datetime | None = None, skeleton: str = DAY,
            open_end: str | None = None) -> str:
    """`start|period(end)`: "1–5 Jun 2026"; `period(end, 'yMMM')`: "Jun 2026 – Jul 2027"; no end: the
    start then `open_end` ("ongoing")."""
    return period(start, end, skeleton, open_end=str(_("ongoing")) if open_end is None else open_end)


def register_template_helpers(app: Flask) -> None:
    # `{% trans %}` blocks are extracted and looked up with their whitespace collapsed (babel.cfg agrees).
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.jinja_env.filters["date"] = _date
    # The day only, of a date or of a moment (in the reader's time zone): "By 14 Dec 2026".
    app.jinja_env.filters["day"] = day
    app.jinja_env.filters["moment"] = moment
    app.jinja_env.filters["period"] = app.jinja_env.filters["date_range"] = _period
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["tone"] = tone  # a state's badge colour and icon (templates/_macros.html, status)
    app.jinja_env.filters["number"] = lambda value: "" if value is None else format_decimal(value)
    app.jinja_env.filters["percent"] = lambda value: "" if value is None else format_percent(value)
    app.jinja_env.filters["country"] = lambda code: country_name(code, locale_code())
    app.jinja_env.globals["language_name"] = _language_name
    app.jinja_env.globals["html_lang"] = locale_code
    app.jinja_env.globals["language_url"] = _language_url
    app.jinja_env.globals["language_links"] = _language_links
    app.jinja_env.globals["ui_languages"] = lambda: app.config["LANGUAGES"]
    app.jinja_env.globals["native_language_name"] = native_language_name
    app.jinja_env.globals["chrome"] = _chrome
    app.jinja_env.globals["invented"] = provenance.mark
    app.jinja_env.globals["invented_shown"] = provenance.shown

    @app.context_processor
    def _unread_notifications() -> dict[str, int]:
        from .notifications.views import unread_count

        signed_in = current_user is not None and current_user.is_authenticated  # None outside a request
        return {"unread_notifications": unread_count(current_user.id) if signed_in else 0}


CHROME = ("assets", "links", "tools", "footer")


def _chrome(part: str) -> Markup:
    """A part of every page that is the same for all users of a role, language and time zone: the style
    sheets and scripts (`assets`), the menu (`links`), the staff tools (`tools`) and the `footer`. Rendered
    once per process and kept: together they were about a fifth of a list page's time."""
    if part not in CHROME:
        raise ValueError(f"no page part {part!r}")
    signed_in = current_user.is_authenticated
    key = (part, current_user.role.value if signed_in else "anonymous", str(get_locale()),
           current_user.timezone if signed_in else "UTC", request.script_root)
    kept = current_app.extensions.setdefault("peerflow.chrome", {})
    if key not in kept:
        kept[key] = Markup(render_template(f"_chrome_{part}.html"))
    return kept[key]


def _language_name(code: str) -> str:
    from babel import Locale

    return Locale.parse(locale_code()).languages.get(code, code)


def _language_links() -> list[tuple[str, str, str, bool]]:
    """The language switcher: (code, this page in that language, its own name, whether it is the current one).
    Worked out once a request: the menu and the footer both show it."""
    here = locale_code()
    kept = g.get("peerflow_language_links")
    if kept is not None and kept[0] == here:
        return kept[1]
    links = [(code, _language_url(code), native_language_name(code), code == here)
             for code in current_app.config["LANGUAGES"]]
    g.peerflow_language_links = (here, links)
    return links


def _language_url(code: str) -> str:
    """This page again, in another language (the query string is kept)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    if request.endpoint and request.url_rule is not None and "GET" in (request.url_rule.methods or ()):
        return url_for(request.endpoint, **(request.view_args or {}), **args)
    return url_for("main.index", lang=code)
