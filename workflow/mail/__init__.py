"""E-mail, below the domains: one `Mailer` (mailer.py) and one outbox that sends every kind of e-mail (outbox.py)."""
