"""The audit trail: who changed what and when, and security events.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 09:00:00
"""
from alembic import op
import sqlalchemy as sa
import workflow.database


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
