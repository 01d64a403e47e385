"""Reserved for the shared mail outbox (workflow/mail/); no schema change yet.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 23:00:00
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import workflow.database  # noqa: F401

revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
