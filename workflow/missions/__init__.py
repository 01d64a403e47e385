"""Missions: a deployment's travel, stay, visa and checklist, its paperwork as PDFs, and expense claims."""
