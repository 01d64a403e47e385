"""Scale: the roster change log that keeps each web process's matching pool current, and the portfolio
data version under which each process keeps its computed figures.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23 09:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    data_versions = op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('token', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )
    op.bulk_insert(data_versions, [{'name': 'portfolio', 'token': 1}])
    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminder_rules_updated_by_id'), ['updated_by_id'], unique=False)
    op.create_table('roster_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('nonce', sa.Integer(), nullable=False),
    sa.Column('changed_at', workflow.database.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_roster_changes'))
    )
    with op.batch_alter_table('roster_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_roster_changes_changed_at'), ['changed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_roster_changes_expert_id'), ['expert_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('reminder_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminder_rules_updated_by_id'))
    with op.batch_alter_table('roster_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_roster_changes_expert_id'))
        batch_op.drop_index(batch_op.f('ix_roster_changes_changed_at'))

    op.drop_table('roster_changes')
    op.drop_table('data_versions')
