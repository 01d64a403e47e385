"""The admin's own wording of a reminder: a subject and a text per language, with named placeholders.

The texts are Jinja templates in a sandbox, restricted further to what a message needs: placeholders
(`{{ activity }}`), a few text filters (`{{ expert|upper }}`) and conditions (`{% if days == 1 %}`).
No loops, calls, attributes or arithmetic: a text renders in time linear in its length, and reads
nothing but the values given. An unknown placeholder fails when the text is checked (StrictUndefined
backs that up when it is rendered), so a saved text always renders.

Values are plain text, already written in the recipient's language (dates as CLDR formats them).
The text is rendered as plain text; the HTML part of the e-mail escapes it (templates/emails/), so
neither a placeholder's value nor the admin's text can put markup into a message.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..accounts.models import User
from ..core.errors import DomainError
from ..core.i18n import N_, _
from .messages import Content
from .models import Reminder, ReminderWording
from .registry import RULES

log = logging.getLogger(__name__)

LOCALES = ("en", "es", "fr")
MAX_SUBJECT = 200    # what the admin types
MAX_BODY = 5_000
MAX_RENDERED_SUBJECT = 300  # what a message may carry (email_messages.subject)

# What each placeholder stands for (English, translated where shown).
PLACEHOLDER_HELP: dict[str, str] = {
    "recipient": N_("the recipient's name"),
    "link": N_("the address of the page in Peerflow"),
    "request": N_("the request's title"),
    "institution": N_("the requesting institution"),
    "status": N_("the request's status"),
    "days": N_("a number of days (waited, or until the start or the deadline)"),
    "expert": N_("the expert's name"),
    "role": N_("the expert's role on the activity"),
    "activity": N_("the activity's title"),
    "action": N_("the Action's name"),
    "action_title": N_("the Action's title"),
    "start": N_("the start date"),
    "end": N_("the end date"),
    "place": N_("the city, or “remote”"),
    "open": N_("how many are open (expert places, or activities)"),
    "places": N_("how many expert places the activity has"),
    "date": N_("the first day of the week"),
    "waiting": N_("how many requests wait for review"),
    "coming": N_("how many activities start in the next two weeks"),
    "activities": N_("the activities of the next two weeks, one a line"),
    "deadline": N_("the consultation's deadline (the last moment to answer)"),
    "supports": N_("how many members supported the request"),
    "objections": N_("how many members objected"),
    "unanswered": N_("how many members did not answer"),
    "months": N_("how many months ago the Action closed (6 or 12)"),
    "departure": N_("the day of departure (the outbound journey, else the activity's start)"),
    "items": N_("the checklist items still open, one a line"),
}

COMMON = ("recipient", "link")  # every rule's; the others are listed in each rule's record
NUMBERS = frozenset({"months", "days", "open", "places", "waiting", "coming", "supports", "objections", "unanswered"})


def editable(rule: str) -> bool:
    """Whether the admin may word this rule: one message for all its recipients, with known placeholders.

    A rule is not until its record lists its placeholders (and binds their values in messages.py)."""
    record = RULES.get(rule)
    return record is not None and record.placeholders is not None


def placeholders(rule: str) -> tuple[str, ...]:
    """The placeholders a rule's texts may use (every rule has the recipient and the link)."""
    record = RULES.get(rule)
    return COMMON + (record.placeholders or () if record is not None else ())


def sample_values(rule: str) -> dict[str, Any]:
    """Stand-in values, to check that a text renders whatever the data."""
    return {name: 1 if name in NUMBERS else name for name in placeholders(rule)}


# --- Checking and rendering ----------------------------------------------------------------

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
_NODES = (nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Filter, nodes.If, nodes.Not,
          nodes.And, nodes.Or, nodes.Compare, nodes.Operand, nodes.Const)
FILTERS = ("upper", "lower", "capitalize", "title", "trim")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def check(source: str, rule: str, *, field: str, one_line: bool = False) -> None:
    """Refuse a text that would not render for `rule`, with a message for the form field `field`."""
    if _CONTROL.search(source):
        raise DomainError(_("The text contains control characters."), field=field)
    if one_line and ("\n" in source or "\r" in source):
        raise DomainError(_("The subject is a single line."), field=field)
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as error:
        raise DomainError(_("The text cannot be read at line %(line)s: %(error)s", line=error.lineno,
                            error=error.message), field=field) from None
    offered = placeholders(rule)
    unknown: list[str] = []
    for node in (tree, *tree.find_all(nodes.Node)):
        if not isinstance(node, _NODES):
            raise DomainError(_("Only placeholders such as {{ %(name)s }}, the filters %(filters)s and "
                                "{%% if … %%} conditions may be used (not “%(kind)s”).", name=offered[-1],
                                filters=", ".join(FILTERS), kind=type(node).__name__.lower()), field=field)
        if isinstance(node, nodes.Filter) and (node.name not in FILTERS or node.args or node.kwargs
                                               or node.dyn_args or node.dyn_kwargs):
            raise DomainError(_("Unknown filter “%(name)s”: use %(filters)s.", name=node.name,
                                filters=", ".join(FILTERS)), field=field)
        if isinstance(node, nodes.Name) and node.name not in offered and node.name not in unknown:
            unknown.append(node.name)
    if unknown:
        raise DomainError(_("Unknown placeholder %(names)s; this rule offers %(offered)s.",
                            names=", ".join(f"{{{{ {n} }}}}" for n in unknown),
                            offered=", ".join(f"{{{{ {n} }}}}" for n in offered)), field=field)
    if one_line:
        render_subject(source, sample_values(rule), field=field)
    else:
        render_body(source, sample_values(rule), field=field)


@lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    return _ENV.from_string(source)


def _render(source: str, values: Mapping[str, Any], field: str) -> str:
    try:
        return _compiled(source).render(**values)
    except (TemplateError, TypeError, ValueError) as error:  # a placeholder the code dropped, `days > "x"`
        raise DomainError(_("The text cannot be written: %(error)s", error=str(error)), field=field) from None


def render_subject(source: str, values: Mapping[str, Any], *, field: str = "subject") -> str:
    """One line however the values read (a header cannot carry a line break), of a length a message may have."""
    subject = " ".join(_render(source, values, field).split())
    if not subject:
        raise DomainError(_("The subject comes out empty."), field=field)
    if len(subject) > MAX_RENDERED_SUBJECT:
        raise DomainError(_("The subject comes out longer than %(max)s characters (%(length)s).",
                            max=MAX_RENDERED_SUBJECT, length=len(subject)), field=field)
    return subject


def render_body(source: str, values: Mapping[str, Any], *, field: str = "body") -> list[str]:
    """The text as the lines of a message (blank lines dropped, as the built-in texts have none)."""
    lines = [line.strip() for line in _render(source, values, field).splitlines() if line.strip()]
    if not lines:
        raise DomainError(_("The text comes out empty."), field=field)
    return lines


def reworded(content: Content, subject: str | None, body: str | None, values: Mapping[str, Any], *,
             fields: tuple[str, str] = ("subject", "body")) -> Content:
    """`content` with the given subject and text templates (None or empty: the built-in one) rendered."""
    return dataclasses.replace(
        content,
        subject=render_subject(subject, values, field=fields[0]) if subject else content.subject,
        lines=render_body(body, values, field=fields[1]) if body else content.lines)


def values_for(recipient: User, content: Content) -> dict[str, Any]:
    """The placeholders' values for one message: the recipient, the link and those its builder gave."""
    return {"recipient": recipient.name, "link": content.link, **content.values}


# --- For the dispatcher --------------------------------------------------------------------

Wordings = dict[tuple[str, str], tuple[str | None, str | None]]  # (rule, locale) -> (subject, body)


def saved_wordings(session: Session) -> Wordings:
    """Every saved wording, read once per dispatch pass."""
    return {(w.rule, w.locale): (w.subject, w.body) for w in session.scalars(select(ReminderWording))}


def language_of(user: User, supported: tuple[str, ...] | list[str] = LOCALES) -> str:
    """The language a person's messages are written in: their preference if offered, else English."""
    return user.locale if user.locale in supported else "en"


def apply_saved(session: Session, reminder: Reminder, recipient: User, content: Content, wordings: Wordings, *,
                locale: str, now: datetime) -> Content:
    """`content` in the admin's wording for this rule and language, if any; the built-in text if it fails."""
    subject, body = wordings.get((reminder.rule, locale), (None, None))
    if not (subject or body) or not editable(reminder.rule):
        return content
    try:
        return reworded(content, subject, body, values_for(recipient, content))
    except DomainError as error:  # checked when saved: only a placeholder the code dropped since gets here
        log.warning("reminder %s: the %s wording of %s does not render (%s); the built-in text is used",
                    reminder.id, locale, reminder.rule, error.message)
        return content
