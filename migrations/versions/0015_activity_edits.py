"""Activity edits that keep their slots, and postponement: a slot removed while deployments keep their
history on it is marked removed (it leaves the activity's list) instead of being deleted with them.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('expert_slots', schema=None) as batch_op:
        batch_op.add_column(sa.Column('removed_at', workflow.database.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('expert_slots', schema=None) as batch_op:
        batch_op.drop_column('removed_at')
