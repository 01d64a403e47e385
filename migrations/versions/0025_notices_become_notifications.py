"""The notices of a cancelled deployment and of a postponed activity are notifications now (sent at once by
the step itself, see workflow/notifications/kinds): their reminder rules go. The reminders still pending
are cancelled (kept, as sent ones are, for the outbox's history); the rules' settings and wordings go.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 03:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None

GONE = ('deployment_cancelled', 'activity_postponed')


def upgrade() -> None:
    rules = sa.bindparam('rules', GONE, expanding=True)
    op.execute(sa.text("UPDATE reminders SET state = 'cancelled', claim_token = NULL, claimed_at = NULL, "
                       "next_attempt_at = NULL WHERE rule IN :rules AND state IN ('pending', 'sending')")
               .bindparams(rules))
    op.execute(sa.text("DELETE FROM reminder_wordings WHERE rule IN :rules").bindparams(rules))
    op.execute(sa.text("DELETE FROM reminder_rules WHERE code IN :rules").bindparams(rules))


def downgrade() -> None:
    pass  # the rules' settings are not restored: the rules, back, start from their defaults
