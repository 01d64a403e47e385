"""Forms of the reminder settings."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import Length

from ..core.forms import BaseForm
from ..core.i18n import _l
from .wording import LOCALES, MAX_BODY, MAX_SUBJECT


class WordingForm(BaseForm):
    """A rule's subject and text in each language; an empty one keeps the built-in text."""

    subject_en = StringField(_l("Subject"), validators=[Length(max=MAX_SUBJECT)])
    body_en = TextAreaField(_l("Text"), validators=[Length(max=MAX_BODY)])
    subject_es = StringField(_l("Subject"), validators=[Length(max=MAX_SUBJECT)])
    body_es = TextAreaField(_l("Text"), validators=[Length(max=MAX_BODY)])
    subject_fr = StringField(_l("Subject"), validators=[Length(max=MAX_SUBJECT)])
    body_fr = TextAreaField(_l("Text"), validators=[Length(max=MAX_BODY)])

    def texts(self) -> dict[str, tuple[str, str]]:
        return {locale: (self[f"subject_{locale}"].data or "", self[f"body_{locale}"].data or "")
                for locale in LOCALES}

    def fill(self, texts: dict[str, tuple[str, str]]) -> None:
        for locale, (subject, body) in texts.items():
            self[f"subject_{locale}"].data, self[f"body_{locale}"].data = subject, body
