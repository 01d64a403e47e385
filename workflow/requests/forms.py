from __future__ import annotations

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import CreateForm, EditForm, long_text
from ..core.i18n import _l


class RequestFields:
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    thematic_area_id = SelectField(_l("Thematic area"), coerce=int, validators=[InputRequired()])
    description = long_text(_l("What does your administration need?"))
    desired_start = DateField(_l("Desired start"), validators=[Optional()])


class NewRequestForm(CreateForm, RequestFields):
    pass


class EditRequestForm(EditForm, RequestFields):
    pass
