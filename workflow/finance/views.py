"""Pages: an Action's budget, an activity's cost lines, the rates (admins keep them), the money figures."""

from __future__ import annotations

from functools import lru_cache

from babel.numbers import format_currency
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from markupsafe import Markup
from flask_login import current_user
from sqlalchemy import select

from ..accounts.access import admin_required, staff_required
from ..actions.queries import get_action
from ..activities.models import Activity
from ..core.figures import remember
from ..core.forms import options
from ..core.i18n import _, _l
from ..core.labels import label
from ..core.web import Page, attempt, create_once, ensure_form_key, int_arg, now
from ..extensions import db
from ..reference.choices import country_choices, locale_code
from .filters import GROUPING_LABELS, figures_form, group_names, to_money_filters
from .forms import AllowanceRateForm, BudgetForm, CostLineEditForm, CostLineForm, CostLineRemoveForm, FeeRateForm
from .models import ActionBudgetLine, AllowanceRate, CostLine, FeeRate
from .permissions import keeps_rates
from .queries import action_money, money_groups
from .rates import add_allowance_rate, add_fee_rate
from .services import (
    CostDraft,
    add_cost_line,
    budget_version,
    overruns_recorded,
    remove_cost_line,
    set_budget,
    update_cost_line,
)

bp = Blueprint("finance", __name__)
GROUPS_PER_PAGE = 100  # rows of the money figures per page: a page per hundred Actions
MEASURE_WORDS = {"planned": _l("planned"), "committed": _l("committed"), "actual": _l("actual")}


def warn_of_overruns() -> None:
    """Say so when the save just made took a category past its budget (allowed; the history keeps it)."""
    for overrun in overruns_recorded(db.session):
        flash(_("Over budget: %(category)s, %(measure)s total %(total)s against a budget of %(budget)s. The save "
                "is kept and recorded in the Action's history.", category=label(overrun.category),
                measure=MEASURE_WORDS[overrun.measure], total=eur(overrun.total_eur),
                budget=eur(overrun.budget_eur)), "warning")


@lru_cache(maxsize=16)
def _euro_shape(locale: str) -> tuple[str, str, str]:
    """How a locale writes euros, read once from Babel: ("{}\xa0€" or "€{}", group separator, decimal mark)."""
    written = format_currency(1234567.25, "EUR", locale=locale)
    digits = written[next(i for i, c in enumerate(written) if c.isdigit()):
                     max(i for i, c in enumerate(written) if c.isdigit()) + 1]
    return written.replace(digits, "{}", 1), digits[1], digits[-3]


@bp.app_template_filter("eur")
def eur(value) -> str:
    """An amount in euros as the reader writes it ("1 234,50 €" in French); "" for none. As Babel writes it,
    without its cost per call (a table of every Action formats 40,000 amounts)."""
    if value is None:
        return ""
    shape, group, mark = _euro_shape(locale_code())
    text = f"{abs(value):,.2f}".replace(",", "\0").replace(".", mark).replace("\0", group)
    return ("-" if value < 0 else "") + shape.format(text)


@bp.app_template_filter("money")
def money(value, currency: str) -> str:
    return "" if value is None else format_currency(value, currency, locale=locale_code())


# --- An Action's budget ------------------------------------------------------------------------------


@bp.route("/actions/<id:action_id>/budget", methods=["GET", "POST"])
@staff_required
def budget(action_id: int):
    action = get_action(db.session, current_user, action_id)
    form = BudgetForm()
    if request.method == "GET":
        for line in db.session.scalars(select(ActionBudgetLine).where(ActionBudgetLine.action_id == action.id)):
            form[f"budget_{line.category.value}"].data = str(line.amount_eur)
        form.version.data = budget_version(db.session, action.id)
    elif form.validate_on_submit() and attempt(
            lambda: set_budget(db.session, action, form.amounts(), actor=current_user, now=now(),
                               version=form.version.data), form):
        db.session.commit()
        flash(_("Budget saved."), "success")
        warn_of_overruns()
        return redirect(url_for("actions.show", action_id=action.id) + "#money")
    return render_template("finance/budget.html", form=form, action=action,
                           money=action_money(db.session, action.id))


# --- An activity's cost lines --------------------------------------------------------------------------


def _activity(activity_id: int) -> Activity:
    activity = db.session.get(Activity, activity_id)
    if activity is None:
        abort(404)
    get_action(db.session, current_user, activity.action_id)  # 404 unless the Action is visible
    return activity


def _draft(form: CostLineForm) -> CostDraft:
    return CostDraft(category=form.category.data, description=form.description.data or "",
                     planned_eur=form.planned_eur.data, committed_eur=form.committed_eur.data,
                     actual_eur=form.actual_eur.data, currency=form.currency.data, local_amount=form.local_amount.data,
                     rate=form.rate.data, rate_date=form.rate_date.data)


def _to_costs(activity_id: int) -> str:
    return url_for("activities.show", activity_id=activity_id) + "#costs"


@bp.route("/activities/<id:activity_id>/costs/new", methods=["GET", "POST"])
@staff_required
def new_cost(activity_id: int):
    activity = _activity(activity_id)
    form = CostLineForm()
    if form.validate_on_submit():
        answer = create_once(form, lambda: add_cost_line(db.session, activity, _draft(form), actor=current_user,
                                                         now=now()),
                             target=lambda line: _to_costs(line.activity_id), done=lambda _line: _("Cost line added."),
                             repeated=_("This cost line was already added."))
        if answer:
            warn_of_overruns()
            return answer
    ensure_form_key(form)
    return render_template("finance/cost_line.html", form=form, activity=activity, line=None)


def _line(line_id: int) -> tuple[CostLine, Activity]:
    line = db.session.get(CostLine, line_id)
    if line is None:
        abort(404)
    return line, _activity(line.activity_id)


@bp.route("/costs/<id:line_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_cost(line_id: int):
    line, activity = _line(line_id)
    form = CostLineEditForm(obj=line if request.method == "GET" else None)
    if form.validate_on_submit() and attempt(
            lambda: update_cost_line(db.session, line, _draft(form), actor=current_user, now=now(),
                                     version=form.version.data), form):
        db.session.commit()
        flash(_("Cost line saved."), "success")
        warn_of_overruns()
        return redirect(_to_costs(activity.id))
    if request.method == "GET":
        form.category.data = line.category.value
    return render_template("finance/cost_line.html", form=form, activity=activity, line=line)


@bp.route("/costs/<id:line_id>/remove", methods=["GET", "POST"])
@staff_required
def remove_cost(line_id: int):
    """Take a cost line out of the figures, with a reason (it stays, shown as removed, in the history too)."""
    line, activity = _line(line_id)
    form = CostLineRemoveForm()
    if request.method == "GET":
        form.version.data = line.version
    elif form.validate_on_submit() and attempt(
            lambda: remove_cost_line(db.session, line, reason=form.reason.data, actor=current_user, now=now(),
                                     version=form.version.data), form):
        db.session.commit()
        flash(_("The cost line is removed from the figures; the history keeps it with your reason."), "success")
        return redirect(_to_costs(activity.id))
    return render_template("finance/cost_line_remove.html", form=form, activity=activity, line=line)


# --- Rates --------------------------------------------------------------------------------------------


@bp.get("/rates")
@staff_required
def rates():
    allowances = db.session.scalars(select(AllowanceRate).order_by(AllowanceRate.country_code,
                                                                   AllowanceRate.effective_from.desc())).all()
    fees = db.session.scalars(select(FeeRate).order_by(FeeRate.expert_type, FeeRate.effective_from.desc())).all()
    return render_template("finance/rates.html", allowances=allowances, fees=fees, can_keep=keeps_rates(current_user))


def _rate_page(form, kind: str, add, done: str):
    """The form adding a rate of `kind` ("allowance" or "fee": templates/finance/rate_form.html)."""
    if form.validate_on_submit():
        answer = create_once(form, lambda: add(form), target=lambda _rate: url_for(".rates"), done=lambda _rate: done,
                             repeated=_("This rate was already added."))
        if answer:
            return answer
    ensure_form_key(form)
    return render_template("finance/rate_form.html", form=form, kind=kind)


@bp.route("/rates/allowances/new", methods=["GET", "POST"])
@admin_required
def new_allowance_rate():
    form = AllowanceRateForm()
    form.country_code.choices = options(country_choices(db.session), empty=_("Choose a country"))
    return _rate_page(form, "allowance", lambda f: add_allowance_rate(
        db.session, country_code=f.country_code.data, daily_eur=f.daily_eur.data, effective_from=f.effective_from.data,
        actor=current_user, now=now()), _("Daily-allowance rate added."))


@bp.route("/rates/fees/new", methods=["GET", "POST"])
@admin_required
def new_fee_rate():
    form = FeeRateForm()
    return _rate_page(form, "fee", lambda f: add_fee_rate(
        db.session, expert_type=f.expert_type.data, daily_eur=f.daily_eur.data, effective_from=f.effective_from.data,
        actor=current_user, now=now()), _("Fee rate added."))


# --- The figures ---------------------------------------------------------------------------------------


def _page_of(groups: list, number: int) -> Page:
    """One page of the groups (the Actions run to thousands; the other groupings to a few dozen rows)."""
    pages = max(1, -(-len(groups) // GROUPS_PER_PAGE))
    number = min(number, pages)
    start = (number - 1) * GROUPS_PER_PAGE
    return Page(items=groups[start:start + GROUPS_PER_PAGE], total=len(groups), page=number, per_page=GROUPS_PER_PAGE)


@bp.get("/finance")
@staff_required
def figures():
    """Budget, planned, committed and actual per Action, region, year or category; expert-days."""
    form = figures_form(request.args)
    filters, by = to_money_filters(form.accepted())
    args = {key: value for key, value in request.args.items() if key in ("region", "theme", "year_from", "year_to",
                                                                         "category", "by") and value}
    number = int_arg("page", 1)

    def table() -> str:  # rendered once per data version, filters, page and language
        groups, total = remember(db.session, ("money", filters, by), lambda: money_groups(db.session, filters, by))
        page = _page_of(groups, number)
        return render_template("finance/_figures_table.html", groups=page.items, total=total, page=page, by=by,
                               grouping_label=GROUPING_LABELS[by], names=group_names(by), args=args)

    body = Markup(remember(db.session, ("finance.figures", filters, by, number, locale_code()), table))
    return render_template("finance/figures.html", form=form, table=body, args=args)

