"""Reminders: derived from the data by the rules of registry.RULES, sent by the scheduler's dispatcher."""

from . import rules  # noqa: F401 - registers the built-in rules, whichever module of the package is imported first
