"""Pages of the Steering Committee: consulting it on a request, answering, deciding, and its admin lists."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user

from ..accounts.access import admin_required, roles_required, staff_required
from ..accounts.models import Role, User
from ..core.clock import zone
from ..core.dates import day
from ..core.forms import options
from ..core.i18n import _
from ..core.labels import label
from ..core.web import attempt, now
from ..extensions import db
from ..requests.models import Request
from ..requests.permissions import RequestPermissions
from ..requests.services import get_request
from .forms import (
    AnswerForm,
    CriterionForm,
    DeadlineForm,
    EditCriterionForm,
    EditMemberForm,
    MemberForm,
    SendForm,
    decision_form,
)
from .models import Answer, ConsultationStatus, EligibilityCriterion, MemberKind, Outcome, SteeringMember
from .services import (
    DecisionDraft,
    add_criterion,
    add_member,
    answer_consultation,
    awaiting_answer,
    candidates,
    change_deadline,
    consultation_position,
    consultations_of,
    criteria,
    criterion_label,
    members,
    open_consultation,
    open_consultations,
    record_decision,
    seat_of,
    send_to_committee,
    update_criterion,
    update_member,
)

bp = Blueprint("governance", __name__)

COMMITTEE_ROLES = (Role.STEERING, Role.OFFICER, Role.ADMIN)


@bp.app_template_global()
def eligibility_label(criterion: EligibilityCriterion) -> str:
    return criterion_label(criterion)


def request_panel(item: Request, user: User, can: RequestPermissions) -> dict[str, Any]:
    """What the request page shows of the committee: for staff and members every answer, for the requester
    the decisions only (their ticks and comments, never the members' answers). `can`: the page's permissions."""
    consultations = consultations_of(db.session, item)
    inside = user.is_staff or user.role is Role.STEERING
    current = next((c for c in consultations if c.status is ConsultationStatus.OPEN), None)
    seat = seat_of(current, user) if current and user.role is Role.STEERING else None
    return {
        "consultations": consultations if inside else [],
        "earlier": [c for c in consultations if c.status is ConsultationStatus.CLOSED] if inside else [],
        "decisions": [c.decision for c in consultations if c.decision],
        "current": current if inside else None,
        "position": consultation_position(current, now()) if current and inside else None,
        "seat": seat,
        "answer_form": AnswerForm(answer=seat.answer.value if seat and seat.answer else None,
                                  reason=seat.reason if seat else None) if seat else None,
        "send_form": SendForm() if can.send_to_committee else None,
        "deadline_form": _deadline_form(current, user),
        "now": now(),
    }


def _deadline_form(current, user: User) -> DeadlineForm | None:
    """Staff may move an open consultation's deadline while answers are still taken (the form shows the current one)."""
    if current is None or not user.is_staff or now() >= current.deadline:
        return None
    return DeadlineForm(deadline=current.answers_until.astimezone(zone(user.timezone)).date())


def _back(item: Request):
    return redirect(url_for("requests.show", request_id=item.id) + "#committee")


@bp.post("/requests/<id:request_id>/consultation")
@staff_required
def send(request_id: int):
    """Send the request to the Steering Committee, with a deadline."""
    item = get_request(db.session, current_user, request_id)
    form = SendForm()
    if not form.validate_on_submit():
        flash(_("Give the deadline as a date."), "danger")
    elif attempt(lambda: send_to_committee(db.session, item, form.deadline.data, actor=current_user, now=now())):
        db.session.commit()
        flash(_("Request sent to the Steering Committee. Its members are notified and can answer until %(day)s; "
                "record the decision then.", day=day(form.deadline.data)), "success")
    return _back(item)


@bp.post("/requests/<id:request_id>/consultation/deadline")
@staff_required
def deadline(request_id: int):
    """Move the open consultation's deadline, earlier or later (never into the past), with an optional reason."""
    item = get_request(db.session, current_user, request_id)
    form = DeadlineForm()
    if not form.validate_on_submit():
        flash(_("Give the new deadline as a date (and a reason of at most 2,000 characters)."), "danger")
    elif change := attempt(lambda: change_deadline(db.session, item, form.deadline.data, form.reason.data,
                                                   actor=current_user, now=now())):
        db.session.commit()
        flash(_("The committee can now answer until the end of %(date)s. The members who have not answered yet "
                "are told.", date=day(change.answers_until)), "success")
    return _back(item)


@bp.post("/requests/<id:request_id>/consultation/answer")
@roles_required(Role.STEERING)
def answer(request_id: int):
    """A member supports or objects (with a reason); the answer may change until the deadline."""
    item = get_request(db.session, current_user, request_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("Choose to support or to object."), "danger")
    elif attempt(lambda: answer_consultation(db.session, item, Answer(form.answer.data), form.reason.data,
                                             actor=current_user, now=now())):
        db.session.commit()
        flash(_("Your answer is recorded. The programme team sees it when deciding; you can change it until the "
                "deadline."), "success")
    return _back(item)


@bp.route("/requests/<id:request_id>/decision", methods=["GET", "POST"])
@staff_required
def decide(request_id: int):
    """Record the decision against every active eligibility criterion, after the consultation."""
    item = get_request(db.session, current_user, request_id)
    consultation = open_consultation(db.session, item)
    if consultation is None:
        flash(_("This request has no open consultation to decide on."), "info")
        return redirect(url_for("requests.show", request_id=item.id))
    listed = criteria(db.session, active_only=True)
    form = decision_form(listed, {c.id: criterion_label(c) for c in listed})
    if form.validate_on_submit():
        draft = DecisionDraft(
            outcome=Outcome(form.outcome.data), summary=form.summary.data,
            criteria={c.id: (form[f"met_{c.id}"].data == "yes", form[f"comment_{c.id}"].data) for c in listed})
        decision = attempt(lambda: record_decision(db.session, item, draft, actor=current_user, now=now()), form)
        if decision:
            db.session.commit()
            flash(_decided(decision.outcome, item), "success")
            if item.action:
                return redirect(url_for("actions.show", action_id=item.action.id))
            return redirect(url_for("requests.show", request_id=item.id))
    return render_template("governance/decide.html", item=item, form=form, criteria=listed,
                           consultation=consultation, position=consultation_position(consultation, now()))


@bp.get("/steering/consultations")
@roles_required(*COMMITTEE_ROLES)
def consultations():
    """For a member, the consultations awaiting their answer; for staff, every open consultation."""
    found = open_consultations(db.session) if current_user.is_staff else awaiting_answer(db.session, current_user)
    return render_template("governance/consultations.html", consultations=found, now=now(),
                           positions={c.id: consultation_position(c, now()) for c in found})


# --- Admin: members and criteria ------------------------------------------------------------------


@bp.route("/admin/steering-committee", methods=["GET", "POST"])
@admin_required
def committee():
    form = MemberForm()
    form.user_id.choices = options((u.id, f"{u.name} <{u.email}>") for u in candidates(db.session))
    if form.validate_on_submit():
        if attempt(lambda: add_member(db.session, form.user_id.data, MemberKind(form.kind.data), form.has_veto.data,
                                      actor=current_user, now=now()), form):
            db.session.commit()
            flash(_("Member added: they are consulted on the next requests sent to the committee."), "success")
            return redirect(url_for(".committee"))
    return render_template("governance/committee.html", form=form, members=members(db.session), kinds=list(MemberKind))


@bp.post("/admin/steering-committee/<id:member_id>")
@admin_required
def edit_member(member_id: int):
    member = db.session.get(SteeringMember, member_id)
    if member is None:
        abort(404)
    form = EditMemberForm()
    if not form.validate_on_submit():
        flash(_("That change could not be read; nothing was saved."), "danger")
    elif attempt(lambda: update_member(db.session, member, kind=MemberKind(form.kind.data),
                                       has_veto=form.has_veto.data, active=form.active.data, actor=current_user)):
        db.session.commit()
        flash(_("Member saved."), "success")
    return redirect(url_for(".committee"))


@bp.route("/admin/eligibility-criteria", methods=["GET", "POST"])
@admin_required
def criteria_list():
    form = CriterionForm()
    if form.validate_on_submit():
        if attempt(lambda: add_criterion(db.session, form.label.data, form.position.data, actor=current_user), form):
            db.session.commit()
            flash(_("Criterion added: the next decisions are recorded against it."), "success")
            return redirect(url_for(".criteria_list"))
    return render_template("governance/criteria.html", form=form, criteria=criteria(db.session))


@bp.post("/admin/eligibility-criteria/<id:criterion_id>")
@admin_required
def edit_criterion(criterion_id: int):
    criterion = db.session.get(EligibilityCriterion, criterion_id)
    if criterion is None:
        abort(404)
    form = EditCriterionForm()
    if not form.validate_on_submit():
        flash(_("That change could not be read; nothing was saved."), "danger")
    elif attempt(lambda: update_criterion(db.session, criterion, label=form.label.data, position_=form.position.data,
                                          active=form.active.data, actor=current_user)):
        db.session.commit()
        flash(_("Criterion saved."), "success")
    return redirect(url_for(".criteria_list"))


def _decided(outcome: Outcome, item) -> str:
    """What the committee's decision did, and what comes next."""
    if outcome is Outcome.APPROVE and item.action:
        return _("Decision recorded: the request is approved. Its Action “%(name)s” is open and the requester "
                 "is notified. Next: start its assessment.", name=item.action.name)
    if outcome is Outcome.REJECT:
        return _("Decision recorded: the request is declined. The requester is notified.")
    if outcome is Outcome.ASK_CHANGES:
        return _("Decision recorded: changes are asked. The requester is notified and can edit the request "
                 "and answer.")
    return _("Decision recorded. The request is now %(status)s.", status=label(item.status).lower())
