"""Reusable plans: an Action's activities saved as a template, applied to another Action; copying an activity."""
