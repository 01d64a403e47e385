"""Statements run once before a server's first request, so that no reader pays for compiling them.

SQLAlchemy compiles each statement's SQL the first time it runs in a process, then keeps it on the engine. The
dashboard's figures are about twenty statements, some of them large (common table expressions, unions), and the
menu's to-do count is one large statement per role: compiled on a request, they added some 80 ms to the first
dashboard of every worker at scale 100 (271 against 192 ms once compiled). gunicorn's master runs them once before
it forks (`deploy/gunicorn.conf.py`, beside the templates and the roster pool): every worker, and every worker
that later replaces one, inherits the compiled statements, and the figures the master computed stay remembered
until the data they were made of changes (`workflow.core.figures`). `bench/pages.py` calls the same function, so
that its "first request" is a restarted server's.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from ..accounts.models import Role, User
from ..core.clock import clock_now
from ..dashboard.adopted import deliverables_adopted
from ..dashboard.countries import actions_per_country
from ..dashboard.services import PortfolioFilters, portfolio
from ..extensions import db
from ..finance.queries import MoneyFilters, money_groups
from ..todos.services import todo_count


def warm_statements(app: Flask) -> None:
    """Run the dashboard's and the money pages' statements, and each role's to-do count (for its first active
    person), then close the connection they used (the master must not hand it to its workers)."""
    with app.app_context():
        try:
            session = db.session()
            now = clock_now(session)
            everything = PortfolioFilters()
            portfolio(session, everything)
            actions_per_country(session, everything)
            deliverables_adopted(session, everything)
            for grouping in ("category", "action"):
                money_groups(session, MoneyFilters(), grouping)
            for role in Role:
                person = session.scalar(select(User).where(User.role == role, User.active).order_by(User.id).limit(1))
                if person is not None:
                    todo_count(session, person, now)
        finally:
            db.session.remove()
    db.engine_of(app).dispose()
