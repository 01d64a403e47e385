"""The outbox's filters: the page's form, and `to_filters` for the page."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from ..core.filters import ListFilterForm, text
from ..core.forms import options
from ..core.i18n import _
from ..core.labels import label
from ..notifications.kinds import KINDS
from .naming import SUBJECT_TYPES
from .queries import STATES, OutboxFilters
from .registry import RULES

STATE_LABELS = {
    "waiting": _l("Waiting"), "retrying": _l("Being retried"), "failed": _l("Failed"), "sent": _l("Sent"),
    "cancelled": _l("No longer needed"), "all": _l("Any state"),
}


class OutboxFilterForm(ListFilterForm):
    state = SelectField(_l("State"), validators=[Optional()])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    subject_type = SelectField(_l("Subject"), validators=[Optional()])
    subject = StringField(_l("Subject's name or number"), validators=[Optional(), Length(max=100)])
    recipient = StringField(_l("Recipient's name or e-mail"), validators=[Optional(), Length(max=100)])


def kind_choices() -> list[Any]:
    """Every reminder rule and notification kind, each saying which it is, led by “any kind”."""
    return options([(f"rule:{code}", _("Reminder: %(rule)s", rule=label(code))) for code in RULES]
                   + [(f"kind:{code}", _("Notification: %(kind)s", kind=kind.label)) for code, kind in KINDS.items()],
                   empty=_("Any kind"))


def filter_form(args: Mapping[str, Any]) -> OutboxFilterForm:
    """The outbox's filter form, read from `args` with its choices (unreadable values carry a message)."""
    return OutboxFilterForm.from_args(
        args, state=options(STATE_LABELS.items()), kind=kind_choices(),
        subject_type=options(SUBJECT_TYPES.items(), empty=_("Any subject")))


def to_filters(args: Mapping[str, Any]) -> OutboxFilters:
    """The filters the query parameters ask for (`show` is the state's older name, kept for old links)."""
    state = text(args, "state") or text(args, "show") or "waiting"
    subject_type = text(args, "subject_type")
    return OutboxFilters(
        state=state if state in STATES else "waiting", kind=text(args, "kind"),
        subject_type=subject_type if subject_type in SUBJECT_TYPES else None, subject=text(args, "subject"),
        recipient=text(args, "recipient"),
    )
