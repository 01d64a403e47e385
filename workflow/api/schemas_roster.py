"""The API's schemas of the roster's writes: an expert's profile, status and unavailable periods."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.web import MAX_ID
from ..experts.models import CEFR_LEVELS, ExpertStatus, ExpertType, Gender
from .schemas import COUNTRY, LANGS, THEME_CODES, values
from .schemas_people import ExpertOut

VERSION = validate.Range(min=1, max=MAX_ID)
# Checked as the page checks it (an address, not its deliverability), so a refusal is the rule's 422.
EMAIL = {"format": "email", "description": "An e-mail address."}
LanguageLevels = Schema.from_dict({code: fields.String(validate=validate.OneOf(CEFR_LEVELS)) for code in LANGS},
                                  name="LanguageLevels")
ThemeLevels = Schema.from_dict({code: fields.Integer(validate=validate.Range(1, 3)) for code in THEME_CODES},
                               name="ThemeLevels")
LANGUAGE_LEVELS = fields.Nested(LanguageLevels, metadata={
    "description": "Language (ISO 639-1) -> CEFR level, e.g. {\"es\": \"C2\"}; when sent, the whole list."})
THEME_LEVELS = fields.Nested(ThemeLevels, metadata={
    "description": "Thematic area -> expertise level from 1 (some) to 3 (leading); when sent, the whole list."})


class ExpertIn(Schema):
    """An expert's profile as the roster's form takes it. A new expert is nominated (staff approve them);
    a focal point nominates and keeps experts of their own member state only."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.String(required=True, validate=validate.Length(min=3, max=254), metadata=EMAIL)
    gender = fields.String(required=True, validate=validate.OneOf(values(Gender)))
    nationality = fields.String(required=True, validate=COUNTRY)
    country = fields.String(required=True, validate=COUNTRY,
                            metadata={"description": "The administration the expert belongs to (ISO alpha-2)."})
    type = fields.String(required=True, validate=validate.OneOf(values(ExpertType)))
    institution_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    years_experience = fields.Integer(load_default=0, validate=validate.Range(0, 80))
    max_days_per_year = fields.Integer(load_default=60, validate=validate.Range(0, 366))
    languages = LANGUAGE_LEVELS
    themes = THEME_LEVELS
    countries_worked = fields.List(fields.String(validate=COUNTRY), load_default=list,
                                   validate=validate.Length(max=250))


class ExpertEditIn(ExpertIn):
    """The profile's fields to change; a field left out keeps its value (`languages` and `themes`, when sent,
    are the whole list). An expert editing themselves keeps their type, administration, employer and day cap."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.String(validate=validate.Length(min=3, max=254), metadata=EMAIL)
    gender = fields.String(validate=validate.OneOf(values(Gender)))
    nationality = fields.String(validate=COUNTRY)
    country = fields.String(validate=COUNTRY)
    type = fields.String(validate=validate.OneOf(values(ExpertType)))
    institution_id = fields.Integer(allow_none=True, validate=validate.Range(min=1, max=MAX_ID))
    years_experience = fields.Integer(validate=validate.Range(0, 80))
    max_days_per_year = fields.Integer(validate=validate.Range(0, 366))
    countries_worked = fields.List(fields.String(validate=COUNTRY), validate=validate.Length(max=250))
    version = fields.Integer(required=True, validate=VERSION)


class ExpertStatusIn(Schema):
    """Approve a nominated expert (`approved`), activate (`active`) or deactivate (`inactive`) them."""

    status = fields.String(required=True, validate=validate.OneOf(values(ExpertStatus)))


class UnavailabilityIn(Schema):
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))


class UnavailabilityOut(Schema):
    id = fields.Integer(required=True)
    expert_id = fields.Integer(required=True)
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    reason = fields.String(allow_none=True)


class ExpertProfileOut(ExpertOut):
    """An expert with the profile's other fields, their unavailable periods and the version to edit."""

    email = fields.String(required=True)
    nationality = fields.String(required=True)
    max_days_per_year = fields.Integer(required=True)
    countries_worked = fields.Function(lambda e: [c.code for c in e.countries_worked], required=True)
    unavailability = fields.List(fields.Nested(UnavailabilityOut), attribute="unavailable", required=True)
    version = fields.Integer(required=True)
