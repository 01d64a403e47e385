from __future__ import annotations

from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import CreateForm, EditForm, long_text


class RequestFields:
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    thematic_area_id = SelectField("Thematic area", coerce=int, validators=[InputRequired()])
    description = long_text("What does your administration need?")
    desired_start = DateField("Desired start", validators=[Optional()])


class NewRequestForm(CreateForm, RequestFields):
    pass


class EditRequestForm(EditForm, RequestFields):
    pass
