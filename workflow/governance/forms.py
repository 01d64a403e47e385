"""Forms of the Steering Committee pages."""

from __future__ import annotations

from collections.abc import Sequence

from wtforms import BooleanField, DateField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..core.forms import LONG_TEXT, BaseForm, enum_options, long_text, options
from ..core.i18n import _l
from .models import Answer, EligibilityCriterion, MemberKind, Outcome

YES_NO = (("yes", _l("Met")), ("no", _l("Not met")))


class SendForm(BaseForm):
    deadline = DateField(_l("Deadline for the committee's answers (included)"), validators=[InputRequired()])


class DeadlineForm(BaseForm):
    deadline = DateField(_l("New deadline for the committee's answers (included)"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (optional; the members who have not answered read it)"),
                           validators=[Optional(), Length(max=2_000)])


class AnswerForm(BaseForm):
    answer = RadioField(_l("Your answer"), choices=enum_options(Answer), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason (needed for an objection)"), validators=[Optional(), Length(max=LONG_TEXT)])


class MemberForm(BaseForm):
    user_id = SelectField(_l("Person (with the Steering Committee role)"), coerce=int, validators=[InputRequired()])
    kind = SelectField(_l("Consulted as"), choices=enum_options(MemberKind), validators=[InputRequired()])
    has_veto = BooleanField(_l("Has a veto (an objection blocks approval)"))


class EditMemberForm(BaseForm):
    kind = SelectField(_l("Consulted as"), choices=enum_options(MemberKind), validators=[InputRequired()])
    has_veto = BooleanField(_l("Has a veto (an objection blocks approval)"))
    active = BooleanField(_l("Active (consulted on new requests)"))


class CriterionForm(BaseForm):
    label = StringField(_l("Criterion (in English)"), validators=[DataRequired(), Length(max=200)])
    position = IntegerField(_l("Position"), validators=[Optional(), NumberRange(min=0, max=10_000)])


class EditCriterionForm(BaseForm):
    label = StringField(_l("Criterion (in English)"), validators=[DataRequired(), Length(max=200)])
    position = IntegerField(_l("Position"), validators=[InputRequired(), NumberRange(min=0, max=10_000)])
    active = BooleanField(_l("Active (every decision is recorded against it)"))


class DecisionForm(BaseForm):
    outcome = RadioField(_l("Decision"), choices=enum_options(Outcome), validators=[InputRequired()])
    summary = long_text(_l("Reasons for the decision (shown to the requester)"))


def decision_form(criteria: Sequence[EligibilityCriterion], labels: dict[int, str]) -> DecisionForm:
    """The decision form with a tick (met or not) and a comment for each active criterion, all required."""

    class Form(DecisionForm):
        pass

    for criterion in criteria:
        setattr(Form, f"met_{criterion.id}", RadioField(labels[criterion.id], choices=options(YES_NO),
                                                        validators=[InputRequired()]))
        setattr(Form, f"comment_{criterion.id}", TextAreaField(
            _l("Comment"), validators=[DataRequired(), Length(max=LONG_TEXT)]))
    return Form()
