"""/api/v1 participants' evaluations: open and close a questionnaire, its results, ratings, and the anonymous
questionnaire itself.

The same checks as the pages (`workflow.evaluations.views`): staff open and close questionnaires and rate
completed deployments; results are for whoever sees the activity, Action or expert (comments for staff only);
the questionnaire is answered without a token, at its secret link, each form (nonce) counted once.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..actions.queries import get_action
from ..core.errors import DomainError, NotFound, StateConflict
from ..core.i18n import _
from ..core.web import now
from ..deployments.queries import get_deployment
from ..evaluations.models import Evaluation
from ..evaluations.queries import (
    action_results,
    activity_comments,
    activity_results,
    evaluations_of,
    expert_results,
    ratings_of,
)
from ..evaluations.results import HIGHEST, LOWEST, QUESTION_LABELS, QUESTIONS, Results
from ..evaluations.services import (
    AlreadyAnswered,
    Answers,
    EvaluationDraft,
    close_evaluation,
    new_nonce,
    open_evaluation,
    rate_deployment,
    signed_nonce,
    submit_answers,
)
from ..experts.services import get_expert
from ..extensions import db
from .common import commit, first_time, listed, me, remember, require_staff, visible_activity
from .parsing import Blueprint
from .schemas import OnceHeader, PageArgs, page_of
from .schemas_evaluations import (
    EvaluationIn,
    EvaluationOut,
    QuestionnaireAnswersIn,
    QuestionnaireOut,
    RatingIn,
    RatingOut,
    ReceivedOut,
    ResultsOut,
)

blp = Blueprint("api_evaluations", __name__, url_prefix="/api/v1", description="Participants' evaluations")
GONE = "This questionnaire is closed: it no longer takes answers."


class Gone(DomainError):
    """The questionnaire's link has closed for good (the page answers 410 too)."""

    code = "gone"
    status = 410


def _evaluation(evaluation_id: int) -> Evaluation:
    require_staff()
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        raise NotFound("No such questionnaire.")
    visible_activity(evaluation.activity_id)
    return evaluation


def _results(results: Results, comments: list[str] | None = None) -> dict[str, Any]:
    return {"answers": results.answers, "counted": results.counted, "activities": results.activities,
            "shown": results.shown, "overall": results.overall, "comments": comments or [],
            "averages": [{"question": q, "average": value} for q, value in results.averages]}


@blp.route("/activities/<id:activity_id>/evaluations")
class ActivityEvaluations(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, page_of(EvaluationOut, "EvaluationPage"))
    def get(self, args, activity_id):
        """The activity's questionnaires, the newest first, with their links (staff)."""
        require_staff()
        return listed([e for e, _count in evaluations_of(db.session, visible_activity(activity_id).id)], args)

    @blp.arguments(EvaluationIn)
    @blp.arguments(OnceHeader, location="headers")
    @blp.response(201, EvaluationOut)
    def post(self, data, headers, activity_id):
        """Open a questionnaire on a delivered (or reported) activity, answered at a new anonymous link (staff)."""
        require_staff()
        activity = visible_activity(activity_id)
        key = first_time(headers)
        draft = EvaluationDraft(data["language"], data["opens_on"], data["closes_on"])
        evaluation = open_evaluation(db.session, activity, draft, supported=current_app.config["LANGUAGES"],
                                     actor=me(), now=now())
        remember(key, f"/api/v1/evaluations/{evaluation.id}")
        commit()
        return evaluation


@blp.route("/evaluations/<id:evaluation_id>")
class OneEvaluation(MethodView):
    @blp.response(200, EvaluationOut)
    def get(self, evaluation_id):
        return _evaluation(evaluation_id)


@blp.route("/evaluations/<id:evaluation_id>/close")
class CloseEvaluation(MethodView):
    @blp.response(200, EvaluationOut)
    def post(self, evaluation_id):
        """Stop taking answers now (staff): the link answers 410 Gone from then on."""
        evaluation = _evaluation(evaluation_id)
        if evaluation.closes_at <= now():
            raise StateConflict("This questionnaire is already closed.")
        close_evaluation(db.session, evaluation, actor=me(), now=now())
        commit()
        return evaluation


@blp.route("/activities/<id:activity_id>/evaluation-results")
class ActivityResults(MethodView):
    @blp.response(200, ResultsOut)
    def get(self, activity_id):
        """The participants' results on the activity (comments for staff only, once enough answered)."""
        activity = visible_activity(activity_id)
        comments = activity_comments(db.session, activity.id) if me().is_staff else []
        return _results(activity_results(db.session, activity.id), comments)


@blp.route("/actions/<id:action_id>/evaluation-results")
class ActionResults(MethodView):
    @blp.response(200, ResultsOut)
    def get(self, action_id):
        """The participants' results over the Action's activities that had enough answers."""
        return _results(action_results(db.session, get_action(db.session, me(), action_id).id))


@blp.route("/experts/<id:expert_id>/evaluation-results")
class ExpertResults(MethodView):
    @blp.response(200, ResultsOut)
    def get(self, expert_id):
        """The participants' results over the activities the expert was confirmed on or completed."""
        return _results(expert_results(db.session, get_expert(db.session, me(), expert_id).id))


@blp.route("/deployments/<id:deployment_id>/rating")
class Rating(MethodView):
    @blp.response(200, RatingOut)
    def get(self, deployment_id):
        """The officers' rating of a completed deployment (staff; 404 while it has none)."""
        require_staff()
        deployment = get_deployment(db.session, me(), deployment_id)
        rating = ratings_of(db.session, [deployment.id]).get(deployment.id)
        if rating is None:
            raise NotFound("This deployment is not rated.")
        return rating

    @blp.arguments(RatingIn)
    @blp.response(200, RatingOut)
    def put(self, data, deployment_id):
        """Rate a completed deployment 1 to 5 with a note (staff); rating it again replaces the rating."""
        require_staff()
        deployment = get_deployment(db.session, me(), deployment_id)
        rating = rate_deployment(db.session, deployment, data["score"], data.get("note"), actor=me(), now=now())
        commit()
        return rating


# --- The anonymous questionnaire: its secret link is the key, no token -------------------------------------


def _questionnaire(token: str) -> Evaluation:
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.token == token))
    if evaluation is None:
        raise NotFound("No such questionnaire.")
    if now() >= evaluation.closes_at:
        raise Gone(GONE)
    return evaluation


@blp.route("/questionnaires/<token:token>")
class Questionnaire(MethodView):
    @blp.doc(security=[])
    @blp.response(200, QuestionnaireOut)
    @blp.alt_response(410, schema="Error", description=GONE)
    def get(self, token):
        """The participants' questionnaire at its anonymous link, in its own language, with a nonce to answer it
        once (while it takes answers)."""
        evaluation = _questionnaire(token)
        with force_locale(evaluation.language):
            questions = [{"code": q, "label": _(QUESTION_LABELS[q])} for q in QUESTIONS]
        is_open = evaluation.is_open(now())
        body = {"language": evaluation.language, "activity_title": evaluation.activity.title,
                "opens_at": evaluation.opens_at, "closes_at": evaluation.closes_at, "is_open": is_open,
                "lowest": LOWEST, "highest": HIGHEST, "questions": questions,
                "nonce": new_nonce(evaluation.id, current_app.secret_key) if is_open else None}
        return body, {"Cache-Control": "no-store"}  # the nonce is for this answer only


@blp.route("/questionnaires/<token:token>/answers")
class QuestionnaireAnswers(MethodView):
    @blp.doc(security=[])
    @blp.arguments(QuestionnaireAnswersIn)
    @blp.response(201, ReceivedOut)
    @blp.alt_response(410, schema="Error", description=GONE)
    def post(self, data, token):
        """One participant's answers, kept with nothing that identifies them; the same nonce counts once
        (409 `already_answered`), a questionnaire not open yet answers 409."""
        evaluation = _questionnaire(token)
        if now() < evaluation.opens_at:
            raise StateConflict(f"This questionnaire opens on {evaluation.opens_at.date().isoformat()}.")
        nonce = signed_nonce(data["nonce"], evaluation.id, current_app.secret_key)
        if nonce is None:
            raise DomainError("This nonce was not given by this questionnaire: read it again and answer.",
                              field="nonce")
        answers = Answers(relevance=data["relevance"], experts_input=data["experts_input"],
                          usefulness=data["usefulness"], organisation=data["organisation"],
                          comment=data.get("comment") or None)
        try:
            submit_answers(db.session, evaluation, answers, nonce=nonce, now=now())
            commit()
        except IntegrityError:  # the same form sent twice at once: the other one counted
            db.session.rollback()
            raise AlreadyAnswered("These answers were already received. Thank you.") from None
        return {"received": True}
