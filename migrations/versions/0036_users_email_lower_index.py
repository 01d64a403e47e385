"""Users: an index on the lower-cased e-mail address, which signing in looks up (it read the whole table).

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-07 23:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0036'
down_revision = '0035'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_users_email_lower", "users", [sa.text("lower(email)")])


def downgrade() -> None:
    op.drop_index("ix_users_email_lower", table_name="users")
