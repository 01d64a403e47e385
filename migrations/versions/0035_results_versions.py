"""Results: a version on frameworks, expected results and indicators, so that a save made on an older version
is refused instead of overwriting someone else's change.

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-07 14:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None

TABLES = ("results_frameworks", "expected_results", "indicators")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")
