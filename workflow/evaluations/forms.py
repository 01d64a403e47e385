"""Forms: opening a questionnaire, answering it, rating a deployment."""

from __future__ import annotations

from wtforms import DateField, HiddenField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import BaseForm, CreateForm, options
from ..core.i18n import _l
from .results import HIGHEST, LOWEST
from .services import MAX_COMMENT, MAX_NOTE

SCORES = options((value, str(value)) for value in range(LOWEST, HIGHEST + 1))


class OpenEvaluationForm(CreateForm):
    language = SelectField(_l("Language of the questionnaire"), validators=[DataRequired()])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = DateField(_l("Last day for answers"), validators=[InputRequired()])


def _score(text) -> RadioField:
    return RadioField(text, choices=SCORES, coerce=int, validators=[InputRequired()])


class AnswerForm(BaseForm):
    """The participant's questionnaire. The nonce makes one form count once."""

    relevance = _score(_l("How relevant was the activity to your work?"))
    experts_input = _score(_l("How good was the experts' input?"))
    usefulness = _score(_l("How useful is what you learnt?"))
    organisation = _score(_l("How well was the activity organised?"))
    # No maxlength attribute is rendered (see the template): a browser would cut a pasted text without saying so.
    comment = TextAreaField(_l("Comments (optional)"), validators=[Optional(), Length(max=MAX_COMMENT)])
    nonce = HiddenField(validators=[DataRequired(), Length(max=200)])


class RatingForm(BaseForm):
    score = RadioField(_l("Rating"), choices=SCORES, coerce=int, validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=MAX_NOTE)])
