"""Indexes for the staff's to-dos: invitations unanswered and mission reports overdue, longest waiting first.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07 03:10:00
"""
from alembic import op

revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.create_index('ix_deployments_status_invited_at', ['status', 'invited_at'], unique=False)
        batch_op.create_index('ix_deployments_status_updated_at', ['status', 'updated_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('deployments', schema=None) as batch_op:
        batch_op.drop_index('ix_deployments_status_updated_at')
        batch_op.drop_index('ix_deployments_status_invited_at')
