"""Forms of a mission: logistics, a checklist item, the letter's acceptance, claim items and decisions."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import DateField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import BaseForm, enum_options, options
from ..core.i18n import _l
from ..finance.forms import amount
from ..finance.models import CostCategory
from .models import VisaStatus


def text(label, limit: int) -> StringField:
    return StringField(label, validators=[Optional(), Length(max=limit)])


class LogisticsForm(BaseForm):
    outbound_date = DateField(_l("Outbound travel date"), validators=[Optional()])
    outbound_route = text(_l("Outbound route"), 200)
    outbound_booking = text(_l("Outbound booking reference"), 60)
    outbound_cost_eur = amount(_l("Outbound cost (EUR)"))
    return_date = DateField(_l("Return travel date"), validators=[Optional()])
    return_route = text(_l("Return route"), 200)
    return_booking = text(_l("Return booking reference"), 60)
    return_cost_eur = amount(_l("Return cost (EUR)"))
    accommodation = TextAreaField(_l("Accommodation"), validators=[Optional(), Length(max=2000)])
    visa_status = SelectField(_l("Visa"), choices=enum_options(VisaStatus), validators=[DataRequired()])
    visa_date = DateField(_l("Date the visa was requested or granted"), validators=[Optional()])
    insurance = TextAreaField(_l("Insurance"), validators=[Optional(), Length(max=2000)])


class ChecklistItemForm(BaseForm):
    text = StringField(_l("To settle before departure"), validators=[DataRequired(), Length(max=300)])


class AcceptLetterForm(BaseForm):
    version = HiddenField(validators=[DataRequired(), Length(max=64)])


class ClaimItemForm(BaseForm):
    description = StringField(_l("What the expense was"), validators=[DataRequired(), Length(max=300)])
    category = SelectField(_l("Cost category"), validators=[DataRequired()],
                           choices=enum_options((CostCategory.TRAVEL, CostCategory.OTHER)))
    spent_on = DateField(_l("Date"), validators=[Optional()])
    amount = amount(_l("Amount"), required=True)
    currency = StringField(_l("Currency (ISO code)"), default="EUR", validators=[DataRequired(), Length(max=3)],
                           render_kw={"autocomplete": "off", "size": 4})
    rate = StringField(_l("Exchange rate (units for one euro; empty for EUR)"), validators=[Optional(), Length(max=30)],
                       render_kw={"inputmode": "decimal"})
    file = FileField(_l("Receipt (PDF, JPEG or PNG)"))


class ClaimEventForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=20000)])


class PaperForm(BaseForm):
    """A named person's invitation letter or certificate of attendance for an activity."""

    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    nationality = SelectField(_l("Nationality"), validators=[Optional()])
    institution = text(_l("Institution"), 200)
    language = SelectField(_l("Language of the document"), default="en",
                           choices=options((("en", "English"), ("es", "Español"), ("fr", "Français"))))
