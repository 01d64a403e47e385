"""Every side effect that is not a direct call, in one table: who listens to what.

Services call downstream packages directly (accepting a request opens its Action). News that travels
against that direction, or to the readers above the domains, goes through the named signals of
`workflow.core.signals` and of each domain's `signals.py`, and each package connects its listeners in
its own `listeners.py`. Five session hooks still watch every write wherever it comes from (a page, the
API, a command, a data migration), because none may be missed: the search keys, the audit trail's
change capture, the roster pool's changes, the portfolio's data version and the current version of each accepted
letter of assignment. The sixth, the reminders', only derives once, before the commit, the subjects their signals
named. Connecting is idempotent, so building several apps in one process is safe.
"""

from __future__ import annotations

from importlib import import_module

from .core import signals

# Packages with a `listeners.py` whose `connect()` hooks them to the signals.
SIGNAL_LISTENERS = ("audit", "governance", "dashboard", "catalogue", "notifications", "reminders", "finance",
                    "missions", "knowledge")

# Packages holding an expert's personal data: their `privacy.py` exports and erases their own part.
PRIVACY_CONTRIBUTORS = ("experts", "accounts", "deployments", "evaluations", "calls", "notifications", "reminders",
                        "finance", "missions", "results", "knowledge")

# Session hooks: (module, what it keeps in step with every flush or commit).
SESSION_HOOKS = (
    ("workflow.core.search", "the accent- and case-folded search keys of searchable rows"),
    ("workflow.reminders.sync", "the reminders of the subjects the signals named, re-derived once before commit"),
    ("workflow.audit.tracking", "the audit trail's record of every change to an audited row"),
    ("workflow.deployments.roster_pool", "the cached roster pool of the experts a transaction changed"),
    ("workflow.core.figures", "the portfolio's data version, which keys the cached figures"),
    ("workflow.missions.versions", "the current version of each accepted letter of assignment, before commit"),
)


def connect_listeners() -> None:
    """Install the session hooks and connect every package's signal listeners."""
    for module, _keeps in SESSION_HOOKS:
        import_module(module).install()
    for package in SIGNAL_LISTENERS:
        import_module(f"workflow.{package}.listeners").connect()
    for package in PRIVACY_CONTRIBUTORS:
        contribution = import_module(f"workflow.{package}.privacy")
        signals.personal_data_requested.connect(contribution.export)
        signals.personal_data_erased.connect(contribution.erase)
