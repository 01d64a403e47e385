"""/api/v1 consultations of the Steering Committee, members' answers, decisions and the eligibility criteria.

The same checks as the pages (`workflow.governance.views`): staff open consultations and record decisions,
a consulted member answers, staff and members read the consultations, whoever sees a request reads its
decisions (never the members' answers).
"""

from __future__ import annotations

from flask.views import MethodView

from ..accounts.models import STAFF_ROLES, Role
from ..core.errors import DomainError, NotFound, StateConflict
from ..core.web import now
from ..extensions import db
from ..governance.models import Answer, Consultation, ConsultationStatus, Outcome
from ..governance.services import (
    DecisionDraft,
    answer_consultation,
    awaiting_answer,
    change_deadline,
    consultations_of,
    criteria,
    open_consultations,
    record_decision,
    send_to_committee,
)
from ..requests.services import get_request
from .common import commit, listed, me, require_roles, require_staff
from .parsing import Blueprint
from .schemas import PageArgs, page_of
from .schemas_governance import (
    AnswerIn,
    ConsultationIn,
    ConsultationOut,
    CriterionOut,
    DeadlineIn,
    DecisionIn,
    DecisionOut,
)

blp = Blueprint("api_governance", __name__, url_prefix="/api/v1",
                description="The Steering Committee: consultations, answers, decisions")

COMMITTEE_ROLES = (*sorted(STAFF_ROLES), Role.STEERING)
READING = "read the Steering Committee's consultations"


def _consultation(consultation_id: int) -> Consultation:
    """A consultation on a request the caller may see (404 otherwise), for staff and members (403 for others)."""
    require_roles(*COMMITTEE_ROLES, doing=READING)
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        raise NotFound("No such consultation.")
    get_request(db.session, me(), consultation.request_id)
    return consultation


def _open(consultation: Consultation) -> Consultation:
    if consultation.status is not ConsultationStatus.OPEN:
        raise StateConflict("This consultation is closed: its decision is recorded.")
    return consultation


@blp.route("/consultations")
class Consultations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ConsultationOut, "ConsultationPage"))
    def get(self, args):
        """Open consultations, the nearest deadline first: for staff all of them, for a member those they are
        consulted on (the Steering Committee page)."""
        require_roles(*COMMITTEE_ROLES, doing=READING)
        caller = me()
        found = open_consultations(db.session) if caller.is_staff else awaiting_answer(db.session, caller)
        return listed(found, args)


@blp.route("/consultations/<id:consultation_id>")
class OneConsultation(MethodView):
    @blp.response(200, ConsultationOut)
    def get(self, consultation_id):
        return _consultation(consultation_id)


@blp.route("/requests/<id:request_id>/consultations")
class RequestConsultations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(ConsultationOut, "RequestConsultationPage"))
    def get(self, args, request_id):
        """The request's consultations, the latest first (staff and committee members)."""
        require_roles(*COMMITTEE_ROLES, doing=READING)
        return listed(consultations_of(db.session, get_request(db.session, me(), request_id)), args)

    @blp.arguments(ConsultationIn)
    @blp.response(201, ConsultationOut)
    def post(self, data, request_id):
        """Send a request under review to the Steering Committee (staff): every active member is consulted
        until the end of the deadline day in your time zone."""
        require_staff()
        item = get_request(db.session, me(), request_id)
        consultation = send_to_committee(db.session, item, data["deadline"], actor=me(), now=now())
        commit()
        return consultation


@blp.route("/consultations/<id:consultation_id>/deadline")
class ConsultationDeadline(MethodView):
    @blp.arguments(DeadlineIn)
    @blp.response(200, ConsultationOut)
    def post(self, data, consultation_id):
        """Move the deadline of an open consultation (staff), earlier or later: never into the past, nor once the
        deadline has passed (409). The members who have not answered are told; their reminders move with it."""
        require_staff()
        consultation = _open(_consultation(consultation_id))
        change_deadline(db.session, consultation.request, data["deadline"], data.get("reason"), actor=me(), now=now())
        commit()
        return consultation


@blp.route("/consultations/<id:consultation_id>/answer")
class MemberAnswer(MethodView):
    @blp.arguments(AnswerIn)
    @blp.response(200, ConsultationOut)
    def put(self, data, consultation_id):
        """Your answer as a consulted member: support, or object with a reason; changeable until the deadline."""
        require_roles(Role.STEERING, doing="answer a consultation")
        consultation = _open(_consultation(consultation_id))
        answer_consultation(db.session, consultation.request, Answer(data["answer"]), data.get("reason"),
                            actor=me(), now=now())
        commit()
        return consultation


@blp.route("/consultations/<id:consultation_id>/decision")
class ConsultationDecision(MethodView):
    @blp.arguments(DecisionIn)
    @blp.response(201, DecisionOut)
    def post(self, data, consultation_id):
        """Record the decision against every active eligibility criterion (staff): it closes the consultation and
        approves (opening the Action), rejects or asks for changes. Approving waits for every answer or the
        deadline, is blocked by a veto (409), and needs every criterion met (422)."""
        require_staff()
        consultation = _open(_consultation(consultation_id))
        verdicts: dict[int, tuple[bool, str]] = {}
        for n, verdict in enumerate(data["criteria"]):
            if verdict["criterion_id"] in verdicts:
                raise DomainError("Each criterion is judged once.", field=f"criteria.{n}.criterion_id")
            verdicts[verdict["criterion_id"]] = (verdict["met"], verdict["comment"])
        draft = DecisionDraft(outcome=Outcome(data["outcome"]), summary=data["summary"], criteria=verdicts)
        decision = record_decision(db.session, consultation.request, draft, actor=me(), now=now())
        commit()
        return decision


@blp.route("/requests/<id:request_id>/decisions")
class RequestDecisions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(DecisionOut, "DecisionPage"))
    def get(self, args, request_id):
        """The decisions on a request, the latest first, for whoever may see it (the requester included)."""
        found = consultations_of(db.session, get_request(db.session, me(), request_id))
        return listed([c.decision for c in found if c.decision is not None], args)


@blp.route("/eligibility-criteria")
class Criteria(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(CriterionOut, "CriterionPage"))
    def get(self, args):
        """The active eligibility criteria every decision is recorded against, in order (staff)."""
        require_staff()
        return listed(criteria(db.session, active_only=True), args)
