"""The API's schemas of participants' evaluations, their results, the anonymous questionnaire and ratings."""

from __future__ import annotations

from flask import current_app, url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from ..evaluations.models import Evaluation, EvaluationResponse
from ..evaluations.results import HIGHEST, LOWEST, QUESTIONS
from ..evaluations.services import MAX_COMMENT, MAX_NOTE
from ..extensions import db
from .schemas import LANGS, AtRequestTime, free_text

SCORE = validate.Range(min=LOWEST, max=HIGHEST)


class EvaluationIn(Schema):
    language = fields.String(required=True, validate=validate.OneOf(LANGS),
                             metadata={"description": "One of the activity's languages that Peerflow speaks."})
    opens_on = fields.Date(required=True, metadata={"description": "Today or later."})
    closes_on = fields.Date(required=True, metadata={"description": "The last day answers are taken (UTC)."})


def _link(evaluation: Evaluation, moment) -> str | None:
    """The participants' anonymous link, while the questionnaire takes (or will take) answers."""
    if evaluation.closes_at <= moment:
        return None
    return current_app.config["PEERFLOW_BASE_URL"] + url_for("evaluations.answer", token=evaluation.token)


def _answers(evaluation: Evaluation, _moment) -> int:
    return db.session.scalar(select(func.count(EvaluationResponse.id))
                             .where(EvaluationResponse.evaluation_id == evaluation.id)) or 0


class EvaluationOut(AtRequestTime):
    """A questionnaire as staff see it: its anonymous link (shared with the participants) and how many answered."""

    MOMENT = {"is_open": lambda e, moment: e.is_open(moment), "link": _link, "answers": _answers}

    id = fields.Integer(required=True)
    activity_id = fields.Integer(required=True)
    language = fields.String(required=True)
    opens_at = fields.DateTime(required=True)
    closes_at = fields.DateTime(required=True)
    last_day = fields.Date(required=True)
    is_open = fields.Boolean(required=True)
    link = fields.String(allow_none=True)
    answers = fields.Integer(required=True)


class AverageOut(Schema):
    question = fields.String(required=True, validate=validate.OneOf(QUESTIONS))
    average = fields.Float(required=True)


class ResultsOut(Schema):
    """The participants' results: averages only over activities with enough answers to single nobody out."""

    answers = fields.Integer(required=True)
    counted = fields.Integer(required=True, metadata={"description": "The answers behind the averages."})
    activities = fields.Integer(required=True)
    shown = fields.Boolean(required=True)
    overall = fields.Float(allow_none=True)
    averages = fields.List(fields.Nested(AverageOut), required=True, metadata={"description": "Empty when too few."})
    comments = fields.List(fields.String(), required=True, metadata={
        "description": "An activity's comments, for staff and once enough answered; otherwise empty."})


class RatingIn(Schema):
    score = fields.Integer(required=True, validate=SCORE)
    note = fields.String(allow_none=True, validate=validate.Length(max=MAX_NOTE), metadata=free_text())


class RatingOut(Schema):
    deployment_id = fields.Integer(required=True)
    score = fields.Integer(required=True)
    note = fields.String(allow_none=True)
    rated_by_id = fields.Integer(required=True)
    rated_at = fields.DateTime(required=True)


class QuestionOut(Schema):
    code = fields.String(required=True, validate=validate.OneOf(QUESTIONS))
    label = fields.String(required=True, metadata={"description": "In the questionnaire's language."})


class QuestionnaireOut(Schema):
    """The anonymous questionnaire; `nonce` (while it takes answers) goes back with the answers, once."""

    language = fields.String(required=True)
    activity_title = fields.String(required=True)
    opens_at = fields.DateTime(required=True)
    closes_at = fields.DateTime(required=True)
    is_open = fields.Boolean(required=True)
    lowest = fields.Integer(required=True)
    highest = fields.Integer(required=True)
    questions = fields.List(fields.Nested(QuestionOut), required=True)
    nonce = fields.String(allow_none=True)


class QuestionnaireAnswersIn(Schema):
    relevance = fields.Integer(required=True, validate=SCORE)
    experts_input = fields.Integer(required=True, validate=SCORE)
    usefulness = fields.Integer(required=True, validate=SCORE)
    organisation = fields.Integer(required=True, validate=SCORE)
    comment = fields.String(allow_none=True, validate=validate.Length(max=MAX_COMMENT), metadata=free_text())
    nonce = fields.String(required=True, validate=validate.Length(min=1, max=200),
                          metadata={"description": "The `nonce` the questionnaire gave: the same answers count once."})


class ReceivedOut(Schema):
    received = fields.Boolean(required=True)
