"""Money: Action budgets by category, activity cost lines (planned, committed, actual), and rates."""
