"""What happens to money, for whoever listens: services send these after `flush()`.

Sender: the Action. Keyword arguments: `session`, `actor`, `now`, `event` (and those named below).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Keyword `event`: "crossed"; `overrun_id`: the BudgetOverrun row of a save (or a lowered budget) that took a total
# of a category from within its budget to past it. The officer in charge is told (notifications/kinds/money.py).
budget_crossed = _signals.signal("budget-crossed", doc="A category of an Action's budget went over its budget.")
