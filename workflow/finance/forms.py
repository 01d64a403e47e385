"""Forms: an Action's budget, an activity's cost line, the rates. Amounts are typed as text (a comma or a
point for the decimals) and checked by the services, whose messages land on the field."""

from __future__ import annotations

from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..core.forms import BaseForm, CreateForm, RequiredByTheRule, enum_options
from ..core.i18n import _l
from ..core.labels import lazy_label
from ..experts.models import ExpertType
from .models import CostCategory


def amount(label, *, required: bool = False) -> StringField:
    return StringField(label, validators=[DataRequired()] if required else [Optional(), Length(max=30)],
                       render_kw={"inputmode": "decimal", "autocomplete": "off"})


class BudgetForm(BaseForm):
    """One amount in EUR per cost category; an empty one means no budget for it."""

    budget_expert_fees = amount(lazy_label(CostCategory.EXPERT_FEES))
    budget_daily_allowances = amount(lazy_label(CostCategory.DAILY_ALLOWANCES))
    budget_travel = amount(lazy_label(CostCategory.TRAVEL))
    budget_venue_catering = amount(lazy_label(CostCategory.VENUE_CATERING))
    budget_interpretation_translation = amount(lazy_label(CostCategory.INTERPRETATION_TRANSLATION))
    budget_other = amount(lazy_label(CostCategory.OTHER))
    # The budget's version when the form was opened (finance.services.budget_version): a stale save is refused.
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])

    def amounts(self) -> dict[str, str | None]:
        return {category.value: self[f"budget_{category.value}"].data for category in CostCategory}


class CostLineForm(CreateForm):
    category = SelectField(_l("Cost category"), choices=enum_options(CostCategory), validators=[DataRequired()])
    description = StringField(_l("What it is for"), validators=[DataRequired(), Length(max=300)])
    planned_eur = amount(_l("Planned (EUR)"))
    committed_eur = amount(_l("Committed (EUR)"))
    actual_eur = amount(_l("Actual (EUR)"))
    currency = StringField(_l("Local currency (ISO code, optional)"), validators=[Optional(), Length(max=3)],
                           render_kw={"autocomplete": "off", "size": 4})
    local_amount = amount(_l("Amount in that currency"))
    rate = StringField(_l("Exchange rate (units for one euro)"), validators=[Optional(), Length(max=30)],
                       render_kw={"inputmode": "decimal"})
    rate_date = DateField(_l("Date of the exchange rate"), validators=[Optional()])


class CostLineEditForm(CostLineForm):
    """A cost line changed: carries the line's version, to refuse a stale edit."""

    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class CostLineRemoveForm(BaseForm):
    reason = TextAreaField(_l("Why is it removed?"), validators=[DataRequired(), Length(max=2000)])
    version = IntegerField(widget=HiddenField.widget, validators=[InputRequired()])


class AllowanceRateForm(CreateForm):
    country_code = SelectField(_l("Country"), validators=[DataRequired()])
    daily_eur = amount(_l("Daily allowance (EUR)"), required=True)
    effective_from = DateField(_l("In force from"), validators=[Optional(), RequiredByTheRule()])


class FeeRateForm(CreateForm):
    expert_type = SelectField(_l("Expert type"), choices=enum_options(ExpertType), validators=[DataRequired()])
    daily_eur = amount(_l("Daily fee (EUR)"), required=True)
    effective_from = DateField(_l("In force from"), validators=[Optional(), RequiredByTheRule()])
