"""Pages: open and close a questionnaire (staff), answer it at its anonymous link, rate a deployment (staff);
and the results, work history and ratings that the activity, Action and expert pages show."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..accounts.access import staff_required
from ..actions.queries import get_action
from ..activities.models import Activity
from ..core.figures import remember
from ..core.forms import ConfirmForm, options
from ..core.i18n import _, native_language_name
from ..core.web import attempt, create_once, ensure_form_key, now
from ..deployments.permissions import deployment_permissions
from ..deployments.queries import get_deployment
from ..extensions import db
from .forms import AnswerForm, OpenEvaluationForm, RatingForm
from .models import Evaluation
from .queries import (
    action_results,
    activity_comments,
    activity_results,
    evaluations_of,
    expert_results,
    ratings_of,
    work_history,
)
from .results import QUESTION_LABELS, QUESTIONS
from .services import (
    EVALUABLE,
    AlreadyAnswered,
    Answers,
    EvaluationDraft,
    close_evaluation,
    evaluation_languages,
    new_nonce,
    open_evaluation,
    rate_deployment,
    signed_nonce,
    submit_answers,
)

bp = Blueprint("evaluations", __name__)

ANSWERED = "evaluations_answered"  # the questionnaires this browser has answered (in its own session cookie)
KEEP_ANSWERED = 50
DEFAULT_WINDOW = timedelta(days=14)


# --- Staff: open and close questionnaires --------------------------------------------------------------


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    get_action(db.session, current_user, activity.action_id)  # 404 unless the Action is visible
    return activity


def _language_choices(activity: Activity) -> list:
    codes = evaluation_languages(activity, current_app.config["LANGUAGES"])
    return options((code, native_language_name(code)) for code in codes)


@bp.route("/activities/<id:activity_id>/evaluations/new", methods=["GET", "POST"])
@staff_required
def new(activity_id: int):
    activity = _activity(activity_id)
    form = OpenEvaluationForm()
    form.language.choices = _language_choices(activity)
    if form.validate_on_submit():
        draft = EvaluationDraft(form.language.data, form.opens_on.data, form.closes_on.data)
        answer = create_once(form, lambda: open_evaluation(db.session, activity, draft, supported=current_app.config[
            "LANGUAGES"], actor=current_user, now=now()),
            target=lambda _evaluation: url_for("activities.show", activity_id=activity.id) + "#evaluation",
            done=lambda _evaluation: _("The questionnaire is ready: share its link with the participants."),
            repeated=_("This questionnaire was already opened."))
        if answer:
            return answer
    if not form.form_key.data:  # first shown: a fresh key and the default window
        ensure_form_key(form)
        form.opens_on.data = form.opens_on.data or now().date()
        form.closes_on.data = form.closes_on.data or now().date() + DEFAULT_WINDOW
    return render_template("evaluations/new.html", form=form, activity=activity, action=activity.action,
                           evaluable=activity.status in EVALUABLE)


@bp.post("/evaluations/<id:evaluation_id>/close")
@staff_required
def close(evaluation_id: int):
    evaluation = db.session.get(Evaluation, evaluation_id)
    if evaluation is None:
        abort(404)
    activity = _activity(evaluation.activity_id)
    if ConfirmForm().validate_on_submit() and attempt(
            lambda: close_evaluation(db.session, evaluation, actor=current_user, now=now())):
        db.session.commit()
        flash(_("The questionnaire is closed: its link no longer takes answers."), "success")
    return redirect(url_for("activities.show", activity_id=activity.id) + "#evaluation")


# --- Participants: the anonymous questionnaire ---------------------------------------------------------


def issue_nonce(evaluation_id: int, secret: str | None = None) -> str:
    return new_nonce(evaluation_id, secret or current_app.secret_key)


def _nonce_for(value: str | None, evaluation_id: int) -> str | None:
    return signed_nonce(value, evaluation_id, current_app.secret_key)


def _answered(evaluation: Evaluation) -> bool:
    return evaluation.id in session.get(ANSWERED, [])


def _remember_answered(evaluation: Evaluation) -> None:
    session[ANSWERED] = [*session.get(ANSWERED, []), evaluation.id][-KEEP_ANSWERED:]


def _page(template: str, evaluation: Evaluation, status: int = 200, **context: Any):
    response = current_app.make_response((render_template(template, evaluation=evaluation,
                                                          activity=evaluation.activity, **context), status))
    response.headers["Cache-Control"] = "no-store"  # the form carries a session's CSRF token and a nonce
    return response


@bp.route("/evaluate/<string(maxlength=64):token>", methods=["GET", "POST"])
def answer(token: str):
    """The questionnaire, without signing in, in its own language whatever the browser's."""
    evaluation = db.session.scalar(select(Evaluation).where(Evaluation.token == token))
    if evaluation is None:
        abort(404)
    with force_locale(evaluation.language):
        moment = now()
        if moment >= evaluation.closes_at:
            return _page("evaluations/closed.html", evaluation, 410)
        if moment < evaluation.opens_at:
            return _page("evaluations/not_open.html", evaluation)
        if _answered(evaluation):
            return _page("evaluations/thanks.html", evaluation)
        form = AnswerForm()
        if form.validate_on_submit():
            nonce = _nonce_for(form.nonce.data, evaluation.id)
            if nonce is None:
                form.form_errors.append(_("This form could not be read. Reload the page and answer again."))
            elif _submit(evaluation, form, nonce):
                _remember_answered(evaluation)
                return redirect(url_for(".answer", token=token))
            else:
                return _page("evaluations/thanks.html", evaluation)
        if not form.nonce.data:
            form.nonce.data = issue_nonce(evaluation.id)
        return _page("evaluations/answer.html", evaluation, form=form, questions=QUESTIONS)


def _submit(evaluation: Evaluation, form: AnswerForm, nonce: str) -> bool:
    """Record the answers and commit; False when this form was already counted (the answers are in)."""
    answers = Answers(relevance=form.relevance.data, experts_input=form.experts_input.data,
                      usefulness=form.usefulness.data, organisation=form.organisation.data,
                      comment=form.comment.data or None)
    try:
        submit_answers(db.session, evaluation, answers, nonce=nonce, now=now())
        db.session.commit()
    except (AlreadyAnswered, IntegrityError):  # a resend, or the same form sent twice at once
        db.session.rollback()
        _remember_answered(evaluation)
        return False
    return True


# --- Staff: rate a completed deployment ----------------------------------------------------------------


@bp.route("/deployments/<id:deployment_id>/rating", methods=["GET", "POST"])
@staff_required
def rate(deployment_id: int):
    deployment = get_deployment(db.session, current_user, deployment_id)
    current = ratings_of(db.session, [deployment.id]).get(deployment.id)
    form = RatingForm(obj=current)
    if form.validate_on_submit():
        if attempt(lambda: rate_deployment(db.session, deployment, form.score.data, form.note.data,
                                           actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Rating saved."), "success")
            return redirect(url_for("experts.show", expert_id=deployment.expert_id) + "#work-history")
    return render_template("evaluations/rate.html", form=form, deployment=deployment, rating=current,
                           can=deployment_permissions(deployment, current_user, today=now().date()))


# --- What the other pages show ---------------------------------------------------------------------


@bp.app_template_global()
def evaluation_question(question: str) -> str:
    return _(QUESTION_LABELS[question])


@bp.app_template_global()
def activity_evaluation(activity: Activity) -> dict[str, Any]:
    """Results for everyone who sees the activity; the questionnaires and comments for staff only."""
    staff = current_user.is_authenticated and current_user.is_staff
    return {
        "results": activity_results(db.session, activity.id),
        "evaluations": evaluations_of(db.session, activity.id) if staff else [],
        "comments": activity_comments(db.session, activity.id) if staff else [],
        "can_open": staff and activity.status in EVALUABLE,
        "close_form": ConfirmForm() if staff else None,
        "now": now(),
    }


@bp.app_template_global()
def action_evaluation(action_id: int):
    """The Action's participants' results, remembered until an answer (or its activities) changes."""
    return remember(db.session, ("evaluations.action", action_id), lambda: action_results(db.session, action_id))


@bp.app_template_global()
def expert_evaluation(expert_id: int) -> dict[str, Any]:
    """The expert's participants' results and work history; the officers' ratings for staff only."""
    history = work_history(db.session, expert_id)
    staff = current_user.is_authenticated and current_user.is_staff
    return {
        "results": expert_results(db.session, expert_id),
        "history": history,
        "ratings": ratings_of(db.session, [d.id for d in history]) if staff else {},
        "staff": staff,
    }
