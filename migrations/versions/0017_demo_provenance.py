"""Provenance of demo records: stated by the seeds or invented (reserved step).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 20:00:00
"""
import sqlalchemy as sa
from alembic import op

import workflow.database  # noqa: F401

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


TABLES = ("actions", "activities", "deliverables", "final_reports", "experts")


def upgrade() -> None:
    # Existing rows are real data until the demo loader says otherwise.
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('invented', sa.Boolean(), server_default=sa.false(), nullable=False))
            batch_op.add_column(sa.Column('invented_fields', sa.JSON(), nullable=True))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('invented_fields')
            batch_op.drop_column('invented')
