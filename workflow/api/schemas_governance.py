"""The API's schemas of the Steering Committee: consultations, members' answers, decisions and criteria."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from ..core.forms import LONG_TEXT
from ..core.web import MAX_ID
from ..governance.models import Answer, ConsultationStatus, MemberKind, Outcome
from ..governance.services import consultation_position, criterion_label
from .schemas import TEXT, AtRequestTime, values


class ConsultationIn(Schema):
    deadline = fields.Date(required=True, metadata={
        "description": "The last day for the members' answers (included: to the end of that day in your time zone), "
                       "within a year."})


class DeadlineIn(Schema):
    deadline = fields.Date(required=True, metadata={
        "description": "The new last day for the members' answers (included: to the end of that day in your time "
                       "zone), earlier or later than the current one, not in the past, within a year."})
    reason = fields.String(allow_none=True, validate=validate.Length(max=2_000),
                           metadata={"description": "Why it moves (optional): the members who have not answered read it."})


class AnswerIn(Schema):
    answer = fields.String(required=True, validate=validate.OneOf(values(Answer)))
    reason = fields.String(allow_none=True, validate=TEXT, metadata={"description": "Needed for an objection."})


class VerdictIn(Schema):
    criterion_id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    met = fields.Boolean(required=True)
    comment = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT))


class DecisionIn(Schema):
    """The decision, against every active eligibility criterion (GET /eligibility-criteria), each once."""

    outcome = fields.String(required=True, validate=validate.OneOf(values(Outcome)))
    summary = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT),
                            metadata={"description": "The reasons, shown to the requester."})
    criteria = fields.List(fields.Nested(VerdictIn), required=True, validate=validate.Length(max=100))


class CriterionOut(Schema):
    id = fields.Integer(required=True)
    code = fields.String(required=True)
    label = fields.Function(criterion_label, required=True)
    position = fields.Integer(required=True)


class VerdictOut(Schema):
    criterion_id = fields.Integer(required=True)
    code = fields.Function(lambda v: v.criterion.code, required=True)
    label = fields.Function(lambda v: criterion_label(v.criterion), required=True)
    met = fields.Boolean(required=True)
    comment = fields.String(required=True)


class DecisionOut(Schema):
    """What the requester reads too: the outcome, its reasons and each criterion's tick and comment."""

    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    consultation_id = fields.Integer(required=True)
    outcome = fields.String(required=True, validate=validate.OneOf(values(Outcome)))
    summary = fields.String(required=True)
    decided_at = fields.DateTime(required=True)
    criteria = fields.List(fields.Nested(VerdictOut), required=True)


class PositionOut(Schema):
    """Where the consultation stands now: silence counts as support once the deadline has passed."""

    supports = fields.Integer(required=True)
    silent = fields.Integer(required=True)
    objections = fields.Integer(required=True)
    vetoes = fields.Integer(required=True)
    deadline_passed = fields.Boolean(required=True)
    silent_as_support = fields.Integer(required=True)
    blocked = fields.Boolean(required=True, metadata={"description": "A member with a veto objected."})
    complete = fields.Boolean(required=True, metadata={"description": "Every member answered, or the deadline passed."})


class SeatOut(Schema):
    member_id = fields.Integer(required=True)
    user_id = fields.Function(lambda a: a.member.user_id, required=True)
    name = fields.Function(lambda a: a.member.user.name, required=True)
    kind = fields.Function(lambda a: a.member.kind.value, required=True,
                           validate=validate.OneOf(values(MemberKind)))
    has_veto = fields.Boolean(required=True)
    answer = fields.String(allow_none=True, validate=validate.OneOf(values(Answer)))
    reason = fields.String(allow_none=True)
    answered_at = fields.DateTime(allow_none=True)


class DeadlineChangeOut(Schema):
    """Staff moved the deadline: from when to when, who and why."""

    changed_at = fields.DateTime(required=True)
    changed_by_id = fields.Integer(required=True)
    from_deadline = fields.DateTime(required=True)
    to_deadline = fields.DateTime(required=True)
    reason = fields.String(allow_none=True)


class ConsultationOut(AtRequestTime):
    """A consultation as staff and committee members read it: every member's answer and where it stands."""

    MOMENT = {"position": consultation_position}

    id = fields.Integer(required=True)
    request_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(values(ConsultationStatus)))
    opened_at = fields.DateTime(required=True)
    deadline = fields.DateTime(required=True, metadata={"description": "Answers are taken until this instant."})
    closed_at = fields.DateTime(allow_none=True)
    position = fields.Nested(PositionOut, required=True)
    answers = fields.List(fields.Nested(SeatOut), required=True)
    decision = fields.Nested(DecisionOut, allow_none=True)
    deadline_changes = fields.List(fields.Nested(DeadlineChangeOut), required=True,
                                   metadata={"description": "Each move of the deadline by staff, oldest first."})
