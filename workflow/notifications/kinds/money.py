"""The news of money: a category of an Action's budget went over its budget (told to the officer in charge)."""

from __future__ import annotations

from flask_babel import format_currency
from sqlalchemy import select

from ...actions.models import Action
from ...core.i18n import _, _l
from ...core.labels import label
from ...finance.models import BudgetOverrun
from ...finance.signals import budget_crossed
from . import Context, Kind, Message, register
from .deployments import STAFF, officers_of

MEASURES = {"planned": _l("planned"), "committed": _l("committed"), "actual": _l("actual")}


def _officer(session, action: Action, _context: Context):
    return officers_of(session, action)


def _crossed(session, action: Action, _user, context: Context) -> Message:
    overruns = session.scalars(select(BudgetOverrun).where(BudgetOverrun.id.in_(context.extra.get("overrun_ids") or [-1]))
                               .order_by(BudgetOverrun.id)).all()
    lines = [_("%(category)s: %(measure)s total %(total)s against a budget of %(budget)s.",
               category=label(o.category), measure=MEASURES[o.measure], total=format_currency(o.total_eur, "EUR"),
               budget=format_currency(o.budget_eur, "EUR")) for o in overruns]
    categories = ", ".join(dict.fromkeys(label(o.category).lower() for o in overruns))
    return Message(_("%(name)s is over budget: %(categories)s", name=action.name, categories=categories),
                   (_("A change to the costs or the budget of %(name)s (%(title)s) took it past its budget.",
                      name=action.name, title=action.title), *lines,
                    _("The save is kept and recorded in the Action's history; raise the budget or lower the costs.")),
                   f"/actions/{action.id}#money")


register(Kind(code="budget_overrun", label=_l("An Action goes over its budget"), signal=budget_crossed,
              events=frozenset({"crossed"}), subject_type="action", roles=STAFF, recipients=_officer,
              message=_crossed, model=Action))
